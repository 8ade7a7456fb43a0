package watch

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/internal/words"

	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
)

// NeedsAttention is the one definition of "needs attention" the tray and
// the notifications share: an instance checked at least once whose verdict
// is not OK — warning, critical, or unknown because its last read failed.
// The tray lists such an instance at once. A notification announces a
// warning or critical one at once too, but one that cannot be read only
// after UnreadableAfter failed checks in a row (3 unless set otherwise), so
// a single network hiccup does not notify; the summary says so.
func NeedsAttention(st app.Status) bool {
	return !st.CheckedAt.IsZero() && st.Eval.State != client.StateOK
}

// Attention counts a fleet by NeedsAttention.
type Attention struct {
	Total   int // configured instances
	Pending int // not checked yet
	Needing int // needing attention
	// ByState counts those needing attention in each state.
	ByState map[client.State]int
	// Worst is the state the tray's icon shows: the worst of the
	// instances checked so far; unknown while none has been checked.
	Worst client.State
}

// CountAttention counts sts.
func CountAttention(sts []app.Status) Attention {
	a := Attention{Total: len(sts), ByState: map[client.State]int{}, Worst: client.StateOK}
	for _, st := range sts {
		switch {
		case st.CheckedAt.IsZero():
			a.Pending++
		case NeedsAttention(st):
			a.Needing++
			a.ByState[st.Eval.State]++
		}
		if !st.CheckedAt.IsZero() {
			a.Worst = client.Worse(a.Worst, st.Eval.State)
		}
	}
	if a.Pending == a.Total {
		a.Worst = client.StateUnknown
	}
	return a
}

// Summary is the count in one line: "2 of 9 instances need attention".
func (a Attention) Summary() string {
	switch {
	case a.Total == 0:
		return "No instances yet"
	case a.Needing == 1:
		return fmt.Sprintf("1 of %s needs attention", words.Plural(a.Total, "instance"))
	case a.Needing > 1:
		return fmt.Sprintf("%d of %s need attention", a.Needing, words.Plural(a.Total, "instance"))
	case a.Pending == a.Total:
		return "Reading " + words.Plural(a.Total, "instance") + "…"
	case a.Pending > 0:
		return fmt.Sprintf("No problems so far; %d of %s not read yet", a.Pending, words.Plural(a.Total, "instance"))
	case a.Total == 1:
		return "The instance is OK"
	}
	return fmt.Sprintf("All %d instances OK", a.Total)
}

// Tooltip is the tray icon's tooltip: the app, the summary and the count
// in each state, worst first.
func (a Attention) Tooltip() string {
	s := AppName + ": " + words.LowerFirst(a.Summary())
	var parts []string
	for _, st := range []client.State{client.StateCritical, client.StateUnknown, client.StateWarning} {
		if n := a.ByState[st]; n > 0 {
			word := st.String()
			if st == client.StateUnknown {
				word = "could not be read"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, word))
		}
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// FailureShort words a failed read for a menu entry: what went wrong in a
// few words, from the error's parts. An answer that is not the licensing
// API's came with HTTP 200, which must not read as the cause.
func FailureShort(err error) string {
	var apiErr *client.APIError
	var badErr *client.BadResponseError
	var netErr *client.NetworkError
	switch {
	case errors.As(err, &apiErr):
		return fmt.Sprintf("could not be read (HTTP %d)", apiErr.StatusCode)
	case errors.As(err, &badErr) && strings.HasPrefix(badErr.Reason, "an HTML page"):
		return "answers with a web page, not the licensing API"
	case errors.As(err, &badErr):
		return "answers with something other than the licensing API"
	case errors.As(err, &netErr) && netErr.Kind == client.NetTimeout:
		return "could not be read (no answer in time)"
	case errors.As(err, &netErr):
		return "could not be reached"
	case errors.Is(err, vault.ErrNoSecret):
		return "has no password or token"
	}
	return "could not be read"
}

// SummaryLines is how many instances a notification summary names.
const SummaryLines = 6

// SummaryOf is the one notification that stands for a batch of them that
// came together, a the fleet counted now. Its title is the tray's own
// count (Summary) whenever any of them is trouble, so the popup and the
// tray never disagree, even when an instance recovered since it was
// announced; a batch of recoveries alone says so. The body names the most
// urgent first, and why instances the tray counts as unreadable are not
// named yet (a notification waits for unreadableAfter failed checks).
func (a Attention) SummaryOf(batch []Notification, unreadableAfter int) Message {
	sorted := slices.Clone(batch)
	slices.SortStableFunc(sorted, func(x, y Notification) int { return cmp.Compare(y.State, x.State) })
	trouble, unreadable := 0, 0
	worst := client.StateOK
	for _, n := range batch {
		if n.State != client.StateOK {
			trouble++
		}
		if n.State == client.StateUnknown {
			unreadable++
		}
		worst = client.Worse(worst, n.State)
	}
	title := a.Summary()
	if trouble == 0 {
		title = fmt.Sprintf("%d instances are OK again", len(batch))
		if len(batch) == 1 {
			title = "1 instance is OK again"
		}
	}
	var lines []string
	for i, n := range sorted {
		if i == SummaryLines {
			lines = append(lines, fmt.Sprintf("…and %d more. Open %s to see them all.", len(sorted)-i, AppName))
			break
		}
		lines = append(lines, n.Title)
	}
	if unnamed := a.ByState[client.StateUnknown] - unreadable; trouble > 0 && unnamed > 0 {
		lines = append(lines, fmt.Sprintf("%s not named here could not be read: an instance that cannot be read is announced after %s in a row.",
			words.Plural(unnamed, "more instance"), words.Plural(unreadableAfter, "failed check")))
	}
	return Message{Title: title, Body: strings.Join(lines, "\n"), State: worst}
}
