package ui

import (
	"net/url"
	"strings"
	"time"

	"github.com/licensedesk/licensedesk/app"
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

// expiryText shows an evaluated expiry: "1 Dec 2026 — in 12 days".
func expiryText(e client.Expiry, loc *time.Location) string {
	if !e.Reported() {
		return notReported
	}
	return client.FormatDate(e.At, loc) + " — " + daysLeft(e)
}

// daysLeft says how far an expiry is: "in 12 days", "today", "3 days ago".
func daysLeft(e client.Expiry) string {
	switch {
	case e.State == client.StateCritical && e.DaysAgo > 0:
		return "expired " + client.Days(e.DaysAgo) + " ago"
	case e.State == client.StateCritical:
		return "expired less than a day ago"
	case e.DaysLeft == 0:
		return "expires within a day"
	}
	return "in " + client.Days(e.DaysLeft)
}

// shortLeft is the row's compact form: "12 days", "expired", "< 1 day".
func shortLeft(e client.Expiry) string {
	switch {
	case e.State == client.StateCritical:
		return "expired"
	case e.DaysLeft == 0:
		return "< 1 day"
	}
	return client.Days(e.DaysLeft)
}

// nearestExpiry is the row's expiry summary: the most urgent of the license
// and the token, the nearer one when they are equally urgent.
func nearestExpiry(ev client.Evaluation) string {
	lic, tok := ev.License, ev.Token
	switch {
	case !lic.Reported() && !tok.Reported():
		return ""
	case !tok.Reported():
		return "license: " + shortLeft(lic)
	case !lic.Reported():
		return "token: " + shortLeft(tok)
	case lic.State > tok.State || (lic.State == tok.State && !lic.At.After(tok.At)):
		return "license: " + shortLeft(lic)
	}
	return "token: " + shortLeft(tok)
}

// statusShort words a critical Grafana status for the row.
func statusShort(t *client.Token) string {
	if t == nil || !t.HasStatus {
		return ""
	}
	return t.Status.Short()
}

// rowSummary is the row's right-hand text: a critical Grafana status when
// it decides the state, else the nearest expiry.
func rowSummary(st app.Status) string {
	if st.Err == nil && st.Eval.State == client.StateCritical {
		if s := statusShort(st.Token); s != "" {
			return s
		}
	}
	if s := nearestExpiry(st.Eval); s != "" {
		return s
	}
	if st.Token == nil && st.Err == nil {
		return "not read yet"
	}
	return ""
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
// app.Explain words them (the client's own words for its errors, through
// client.Explain), never by cutting its text apart.
func explain(err error) explained {
	what, do := app.Explain(err)
	return explained{What: what, Do: do}
}
