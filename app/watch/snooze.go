package watch

import (
	"slices"
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

// SnoozeFile keeps the snoozes, beside settings.json.
const SnoozeFile = "snoozes.json"

// SnoozePath is where the snoozes live for the store at storePath.
func SnoozePath(storePath string) string { return config.BesideStore(storePath, SnoozeFile) }

// SnoozeSpan is how long a snooze lasts.
type SnoozeSpan int

// The spans a user may choose; any of them ends early when its reason gets
// worse or goes away, so a snooze never hides a worse state.
const (
	SnoozeOneDay      SnoozeSpan = iota + 1 // a day
	SnoozeFiveDays                          // five days, as Grafana's own banner
	SnoozeUntilChange                       // until the reason changes or goes
)

// Label is the span as menus show it.
func (s SnoozeSpan) Label() string {
	switch s {
	case SnoozeOneDay:
		return "For 1 day"
	case SnoozeFiveDays:
		return "For 5 days"
	}
	return "Until it changes"
}

// SnoozeSpans lists the spans in the order menus offer them.
var SnoozeSpans = []SnoozeSpan{SnoozeOneDay, SnoozeFiveDays, SnoozeUntilChange}

// Snooze quiets one reason of one instance: no notification for it, and
// the tray does not count it, while it lasts.
type Snooze struct {
	Instance string            `json:"instance"`
	Code     client.ReasonCode `json:"code"`
	// State is the reason's state when it was snoozed: a worse one ends it.
	State client.State `json:"state"`
	// Until ends a timed snooze; zero lasts until the reason changes.
	Until time.Time `json:"until,omitzero"`
}

type snoozeFile struct {
	Version int      `json:"version"`
	Snoozes []Snooze `json:"snoozes"`
}

// Snoozes are the user's snoozes, kept in a file so a restart keeps them
// (in memory only when the path is ""). Safe for use from any goroutine.
type Snoozes struct {
	path string
	mu   sync.Mutex
	list []Snooze
}

// LoadSnoozes reads the snoozes at path. It always returns usable Snoozes:
// a damaged file is reported and the snoozes start afresh, at worst
// announcing again what the user had snoozed.
func LoadSnoozes(path string) (*Snoozes, error) {
	s := &Snoozes{path: path}
	if path == "" {
		return s, nil
	}
	var f snoozeFile
	if err := config.ReadJSON(path, "the snoozes file", &f); err != nil {
		return s, err
	}
	s.list = f.Snoozes
	return s, nil
}

// Add snoozes reason r of instance id for span from now, replacing any
// snooze of that reason, and saves.
func (s *Snoozes) Add(id string, r client.Reason, span SnoozeSpan, now time.Time) error {
	z := Snooze{Instance: id, Code: r.Code, State: r.State}
	switch span {
	case SnoozeOneDay:
		z.Until = now.Add(24 * time.Hour)
	case SnoozeFiveDays:
		z.Until = now.Add(5 * 24 * time.Hour)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = slices.DeleteFunc(s.list, func(o Snooze) bool { return o.Instance == id && o.Code == r.Code })
	s.list = append(s.list, z)
	return s.saveLocked()
}

// Remove ends the snooze of one reason of instance id, and saves.
func (s *Snoozes) Remove(id string, code client.ReasonCode) error {
	return s.drop(func(o Snooze) bool { return o.Instance == id && o.Code == code })
}

// Forget drops every snooze of a removed instance.
func (s *Snoozes) Forget(id string) error {
	return s.drop(func(o Snooze) bool { return o.Instance == id })
}

func (s *Snoozes) drop(match func(Snooze) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.list)
	s.list = slices.DeleteFunc(s.list, match)
	if len(s.list) == n {
		return nil
	}
	return s.saveLocked()
}

// Active lists the snoozes in force on st's reasons at now, in the order of
// its reasons. A snooze ends, and is dropped, once its time is up, its
// reason is gone, or its reason is now worse than when it was snoozed; one
// until the state changes ends on any change of its reason's state.
func (s *Snoozes) Active(st app.Status, now time.Time) []Snooze {
	id := st.Instance.ID
	s.mu.Lock()
	defer s.mu.Unlock()
	var active []Snooze
	ended := false
	s.list = slices.DeleteFunc(s.list, func(z Snooze) bool {
		if z.Instance != id || st.CheckedAt.IsZero() {
			return false // not this instance, or not judged yet
		}
		i := slices.IndexFunc(st.Eval.Reasons, func(r client.Reason) bool { return r.Code == z.Code })
		if i < 0 && st.Err != nil {
			return false // a failed read says nothing of the reason: keep it
		}
		over := i < 0 ||
			st.Eval.Reasons[i].State > z.State ||
			z.Until.IsZero() && st.Eval.Reasons[i].State != z.State ||
			!z.Until.IsZero() && !now.Before(z.Until)
		if over {
			ended = true
			return true
		}
		active = append(active, z)
		return false
	})
	if ended {
		_ = s.saveLocked() // a failed write only means the ended snooze is checked again
	}
	slices.SortStableFunc(active, func(a, b Snooze) int {
		return reasonIndex(st, a.Code) - reasonIndex(st, b.Code)
	})
	return active
}

func reasonIndex(st app.Status, code client.ReasonCode) int {
	return slices.IndexFunc(st.Eval.Reasons, func(r client.Reason) bool { return r.Code == code })
}

// Quiet is st with its snoozed reasons set aside, for the tray: its state
// and message are those of its most urgent reason left, ok when none is.
func (s *Snoozes) Quiet(st app.Status, now time.Time) app.Status {
	active := s.Active(st, now)
	if len(active) == 0 {
		return st
	}
	ev := st.Eval
	ev.Reasons = slices.DeleteFunc(slices.Clone(ev.Reasons), func(r client.Reason) bool {
		return slices.ContainsFunc(active, func(z Snooze) bool { return z.Code == r.Code })
	})
	if len(ev.Reasons) > 0 {
		ev.State, ev.Message, ev.Headline = ev.Reasons[0].State, ev.Reasons[0].Message, ev.Reasons[0].Headline
	} else {
		ev.State = client.StateOK
	}
	st.Eval = ev
	return st
}

// Hushes says whether a notification of state about st is snoozed: every
// reason of st at that state or worse is snoozed. A recovery (ok) is never
// hushed.
func (s *Snoozes) Hushes(st app.Status, state client.State, now time.Time) bool {
	if state == client.StateOK {
		return false
	}
	return s.Quiet(st, now).Eval.State < state
}

func (s *Snoozes) saveLocked() error {
	if s.path == "" {
		return nil
	}
	return config.WriteJSONAtomic(s.path, snoozeFile{Version: 1, Snoozes: s.list})
}
