package client

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/licensedesk/licensedesk/internal/words"
)

// State is how urgently an instance needs attention.
type State int

// The states, in the order Severity ranks them.
const (
	StateOK State = iota
	StateWarning
	StateUnknown
	StateCritical
)

// String is the state's name as the command line and JSON print it.
func (s State) String() string {
	switch s {
	case StateOK:
		return "ok"
	case StateWarning:
		return "warning"
	case StateCritical:
		return "critical"
	}
	return "unknown"
}

// Title names a state for people, as the window's badge shows it beside its
// icon, so a state never rests on colour alone: "OK", "Warning", …
func (s State) Title() string {
	if s == StateOK {
		return "OK"
	}
	return words.Capitalize(s.String())
}

// Worse returns the more urgent of two states: critical, then unknown, then warning, then ok.
func Worse(a, b State) State {
	if b > a {
		return b
	}
	return a
}

// Default warn periods, used when Grafana does not report them.
const (
	DefaultLicenseWarnDays = 30
	DefaultTokenWarnDays   = 2
)

// Policy holds the user's warn-day overrides; zero means "use the token's".
type Policy struct {
	LicenseWarnDays int
	TokenWarnDays   int
}

// Expiry is one evaluated expiry date.
type Expiry struct {
	At       time.Time // zero when not reported
	DaysLeft int       // whole days, rounded down; negative once past
	DaysAgo  int       // once past: whole days since, rounded down (0 within the first day)
	WarnDays int
	State    State
	// Left is the exact time from the moment judged until the expiry;
	// negative once past. States compare it, never the rounded day counts.
	Left time.Duration
}

// Reported says whether Grafana reported this date.
func (e Expiry) Reported() bool { return !e.At.IsZero() }

// Evaluation is what an instance's token (and its user counts) mean at one
// moment: the verdict with its reasons, and each date and count behind it.
type Evaluation struct {
	State   State  // the first reason's; ok when there is none
	Message string // the first reason's sentence, else a summary of the nearest date
	// Headline is Message's short part, for the tray, a list row and a
	// notification's title: the first reason's Headline, or the summary's.
	Headline string
	License  Expiry
	Token    Expiry
	// Trial is the trial's end, evaluated with the license's warn days;
	// reported only for a trial license (trial with trial_exp).
	Trial Expiry
	// Usage is each user count against the limit the license sets for it;
	// nil when the counts were not read or the license sets no limit.
	Usage []Usage
	// Reasons is what needs attention, most urgent first; empty when all is well.
	Reasons []Reason
}

const day = 24 * time.Hour

// maxWarnDays is the longest warn period a Duration can hold (292 years);
// a longer one, from a user or a server, warns of every future date
// instead of overflowing into "ok".
const maxWarnDays = int(math.MaxInt64 / int64(day))

// Evaluate judges a token alone at time now; see EvaluateWithUsage.
func Evaluate(t *Token, now time.Time, p Policy) Evaluation {
	return EvaluateWithUsage(t, nil, now, p)
}

// EvaluateWithUsage applies DESIGN.md's rules to a token, and to the active
// user counts when stats is not nil, at time now. It is the one place that
// decides ok, warning, critical and unknown for what an instance reports;
// dates in messages are shown in now's location.
func EvaluateWithUsage(t *Token, stats *Stats, now time.Time, p Policy) Evaluation {
	if t == nil {
		return Evaluation{}.Failed(Unreadable("No license token has been read yet"))
	}
	licWarn := pick(p.LicenseWarnDays, t.LicenseWarnDays, DefaultLicenseWarnDays)
	ev := Evaluation{
		License: evalExpiry(t.LicenseExpiry, now, licWarn),
		Token:   evalExpiry(t.TokenExpiry, now, pick(p.TokenWarnDays, t.TokenWarnDays, DefaultTokenWarnDays)),
		Usage:   usage(t, stats),
	}
	if t.Trial {
		ev.Trial = evalExpiry(t.TrialExpiry, now, licWarn)
	}
	// Appended in the order that breaks ties between reasons of one state.
	var rs []Reason
	rs = append(rs, statusReasons(t, ev.License)...)
	for _, f := range t.Implausible {
		rs = append(rs, implausibleReason(f))
	}
	rs = appendExpiry(rs, ev.License, licenseWords, now)
	rs = appendExpiry(rs, ev.Trial, trialWords, now)
	rs = appendExpiry(rs, ev.Token, tokenWords, now)
	for _, u := range ev.Usage {
		if u.State != StateOK {
			rs = append(rs, u.reason())
		}
	}
	if r, ok := renewalStalled(t, ev.Token, now); ok {
		rs = append(rs, r)
	}
	if !ev.License.Reported() && !ev.Token.Reported() && len(t.Implausible) == 0 && !hasCode(rs, ReasonLicenseInvalid) {
		rs = append(rs, noExpiryReason(t))
	}
	for _, r := range rs {
		ev.Add(r)
	}
	if len(ev.Reasons) == 0 {
		head, detail := summary(t, ev, now)
		ev.Headline, ev.Message = head, joinSentence(head, detail)
	}
	return ev
}

// summary words the nearest date of an instance that needs nothing: the
// trial's end, else the license's, else the token's.
func summary(t *Token, ev Evaluation, now time.Time) (headline, detail string) {
	switch {
	case ev.Trial.Reported():
		return describe(trialWords, ev.Trial, now)
	case ev.License.Reported():
		return describe(licenseWords, ev.License, now)
	case t.FromAWSMarketplace():
		// No license expiry is normal here: the token is what is judged.
		head, detail := describe(tokenWords, ev.Token, now)
		return AWSMarketplaceLicense + ": " + words.LowerFirst(head), detail
	}
	return describe(tokenWords, ev.Token, now)
}

// statusReasons judges Grafana's status: 3 to 6 are critical, a value
// outside Grafana's enum is unknown.
func statusReasons(t *Token, lic Expiry) []Reason {
	switch {
	case !t.HasStatus:
		return nil
	case t.Status < StatusNotLoaded || t.Status > StatusInvalidSubject:
		shown := strconv.Itoa(int(t.Status))
		if raw, ok := t.Field("status"); ok {
			shown = shortRaw(raw)
		}
		return []Reason{Unreadable(fmt.Sprintf("Grafana reported the license status %s, which is not one Grafana defines", shown))}
	case t.Status == StatusExpired && lic.State == StateCritical:
		return nil // the dated license_expired says more than the status name alone
	case isCriticalStatus(t.Status):
		msg := words.Capitalize(t.Status.Meaning())
		if t.Status == StatusInvalidSubject && t.Subject != "" {
			msg += fmt.Sprintf(" (licensed for %s)", t.Subject)
		}
		return []Reason{newReason(ReasonLicenseInvalid, StateCritical, msg, "")}
	}
	return nil
}

// noExpiryReason is why a token with neither date cannot be judged.
func noExpiryReason(t *Token) Reason {
	if t.HasStatus {
		return Unreadable(words.Capitalize(t.Status.Meaning()) + "; Grafana reported no expiry date")
	}
	return Unreadable("Grafana reported no license or token expiry")
}

func isCriticalStatus(s TokenStatus) bool {
	switch s {
	case StatusInvalid, StatusNotFound, StatusExpired, StatusInvalidSubject:
		return true
	}
	return false
}

func pick(override, fromToken, fallback int) int {
	if override > 0 {
		return override
	}
	if fromToken > 0 {
		return fromToken
	}
	return fallback
}

func evalExpiry(at, now time.Time, warnDays int) Expiry {
	e := Expiry{At: at, WarnDays: warnDays}
	if at.IsZero() {
		return e
	}
	left := at.Sub(now)
	e.Left = left
	e.DaysLeft = DaysLeft(at, now)
	switch {
	case !at.After(now):
		e.State = StateCritical
		e.DaysAgo = int(now.Sub(at) / day)
	case warnDays > maxWarnDays || left <= time.Duration(warnDays)*day:
		e.State = StateWarning
	}
	return e
}

// DaysLeft is the whole number of days from now until at, rounded down.
func DaysLeft(at, now time.Time) int {
	d := at.Sub(now)
	n := int(d / day)
	if d < 0 && d%day != 0 {
		n--
	}
	return n
}

// FormatDate formats an expiry date the way the product shows it, in loc.
func FormatDate(at time.Time, loc *time.Location) string {
	return at.In(loc).Format("2 Jan 2006")
}

// Days writes a count of days in words: "1 day", "12 days".
func Days(n int) string { return words.Plural(n, "day") }

// expiryWords are the words for one kind of date: what it is, and its
// verbs once past, soon and later.
type expiryWords struct {
	what, past, soon, later, until string
	expired, expiring              ReasonCode
}

var (
	licenseWords = expiryWords{"License", "expired", "expires", "valid for", "until", ReasonLicenseExpired, ReasonLicenseExpiring}
	tokenWords   = expiryWords{"Token", "expired", "expires", "valid for", "until", ReasonTokenExpired, ReasonTokenExpiring}
	trialWords   = expiryWords{"Trial", "ended", "ends", "ends in", "on", ReasonTrialEnded, ReasonTrialEnding}
)

// appendExpiry adds the reason an expiry gives, if it needs attention.
func appendExpiry(rs []Reason, e Expiry, w expiryWords, now time.Time) []Reason {
	switch {
	case !e.Reported() || e.State == StateOK:
		return rs
	case e.State == StateCritical:
		head, detail := describe(w, e, now)
		return append(rs, newReason(w.expired, StateCritical, head, detail))
	}
	head, detail := describe(w, e, now)
	return append(rs, newReason(w.expiring, e.State, head, detail))
}

// describe words an expiry as a headline ("License expires in 12 days")
// and its detail ("on 11 Dec 2026").
func describe(w expiryWords, e Expiry, now time.Time) (headline, detail string) {
	date := FormatDate(e.At, now.Location())
	switch {
	case e.State == StateCritical:
		return fmt.Sprintf("%s %s %s ago", w.what, w.past, span(-e.Left, -1)), "on " + date
	case e.State == StateWarning:
		return fmt.Sprintf("%s %s in %s", w.what, w.soon, span(e.Left, e.WarnDays)), "on " + date
	}
	return fmt.Sprintf("%s %s %s", w.what, w.later, span(e.Left, e.WarnDays)), w.until + " " + date
}

// Countdown says how far the expiry was from the moment judged: "in 47
// hours", "in 2 days 23 hours", "in 12 days", "expired 3 hours ago".
func (e Expiry) Countdown() string { return e.countdown(licenseWords) }

// TrialCountdown is the trial end's countdown, as Countdown words an
// expiry but in a trial's verb: "in 12 days", "ended 3 hours ago"; "" when
// the license is not a trial.
func (e Evaluation) TrialCountdown() string {
	if !e.Trial.Reported() {
		return ""
	}
	return e.Trial.countdown(trialWords)
}

func (e Expiry) countdown(w expiryWords) string {
	if e.State == StateCritical {
		return w.past + " " + span(-e.Left, -1) + " ago"
	}
	return "in " + span(e.Left, e.WarnDays)
}

// span words a duration so that it never looks safer than it is near a
// warning threshold: hours under two days ("47 hours", not "1 day"), and
// days with their hours when the whole days alone would equal the warning
// period, since 2 days 23 hours is not the "2 days" a 2-day warning
// starts at. Otherwise whole days, rounded down.
func span(d time.Duration, warnDays int) string {
	switch {
	case d < time.Hour:
		return "less than an hour"
	case d < 2*day:
		return words.Plural(int(d/time.Hour), "hour")
	}
	days := int(d / day)
	if hours := int(d % day / time.Hour); days == warnDays && hours > 0 {
		return Days(days) + " " + words.Plural(hours, "hour")
	}
	return Days(days)
}
