package ui

import (
	"net/url"
	"strings"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

const notReported = "not reported"

// ago says how long ago t was: "just now", "2 minutes ago", "3 days ago".
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return words.Plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return words.Plural(int(d/time.Hour), "hour") + " ago"
	}
	return words.Plural(int(d/(24*time.Hour)), "day") + " ago"
}

// date shows a date in local time, or "not reported" for a zero time.
func date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return notReported
	}
	return client.FormatDate(t, loc)
}

// dateTime shows a moment in local time, or "not reported" for a zero time.
func dateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return notReported
	}
	return t.In(loc).Format("2 Jan 2006 15:04 MST")
}

// expiryText shows an evaluated expiry: "1 Dec 2026 — in 12 days", in
// hours under two days, as the verdict words it (client.Expiry.Countdown).
func expiryText(e client.Expiry, loc *time.Location) string {
	if !e.Reported() {
		return notReported
	}
	return client.FormatDate(e.At, loc) + " — " + e.Countdown()
}

// rowSummary is the row's text after the state word: the headline of the
// reason that decides the state, the same words the detail pane's header
// starts with, or, for a failed read, what went wrong in a few words.
func rowSummary(st app.Status) string {
	ev := st.Eval
	switch {
	case st.Token == nil && st.Err == nil:
		return "not read yet"
	case st.Err != nil && (len(ev.Reasons) == 0 || ev.Reasons[0].Code == client.ReasonUnreadable):
		return watch.FailureShort(st.Err)
	}
	return words.LowerFirst(ev.Headline)
}

// hostOf is the host (and port) of an instance URL, or the URL itself.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	if p := strings.TrimSuffix(u.Path, "/"); p != "" {
		return u.Host + p
	}
	return u.Host
}

// explained is an error in plain words: what failed, and what to do.
type explained struct {
	What string
	Do   string
}

// explain shows an error in two parts, what happened and what to do, as
// verdict.Explain words them (the client's own words for its errors, through
// client.Explain), never by cutting its text apart.
func explain(err error) explained {
	what, do := verdict.Explain(err)
	return explained{What: what, Do: do}
}
