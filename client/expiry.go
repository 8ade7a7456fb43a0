package client

import (
	"fmt"
	"math"
	"strings"
	"time"
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
}

// Reported says whether Grafana reported this date.
func (e Expiry) Reported() bool { return !e.At.IsZero() }

// Evaluation is what an instance's token means at one moment.
type Evaluation struct {
	State   State
	Message string // plain words, the most urgent fact first
	License Expiry
	Token   Expiry
}

const day = 24 * time.Hour

// maxWarnDays is the longest warn period a Duration can hold (292 years);
// a longer one, from a user or a server, warns of every future date
// instead of overflowing into "ok".
const maxWarnDays = int(math.MaxInt64 / int64(day))

// Evaluate applies DESIGN.md's expiry rules to a token at time now. It is
// the one place that decides ok, warning and critical; dates in messages are
// shown in now's location.
func Evaluate(t *Token, now time.Time, p Policy) Evaluation {
	if t == nil {
		return Evaluation{State: StateUnknown, Message: "No license token has been read yet"}
	}
	lic := evalExpiry(t.LicenseExpiry, now, pick(p.LicenseWarnDays, t.LicenseWarnDays, DefaultLicenseWarnDays))
	tok := evalExpiry(t.TokenExpiry, now, pick(p.TokenWarnDays, t.TokenWarnDays, DefaultTokenWarnDays))
	ev := Evaluation{License: lic, Token: tok, State: Worse(lic.State, tok.State)}

	switch {
	case t.HasStatus && t.Status == StatusExpired && lic.State == StateCritical:
		// The dated message says more than the status name alone.
		ev.State = StateCritical
		ev.Message = describe("License", lic, now)
	case t.HasStatus && isCriticalStatus(t.Status):
		ev.State = StateCritical
		ev.Message = capitalize(t.Status.Meaning())
		if t.Status == StatusInvalidSubject && t.Subject != "" {
			ev.Message += fmt.Sprintf(" (licensed for %s)", t.Subject)
		}
	case !lic.Reported() && !tok.Reported():
		ev.State = StateUnknown
		ev.Message = "Grafana reported no license or token expiry"
		if t.HasStatus {
			ev.Message = capitalize(t.Status.Meaning()) + "; Grafana reported no expiry date"
		}
	case lic.State >= tok.State && lic.Reported():
		ev.Message = describe("License", lic, now)
	default:
		ev.Message = describe("Token", tok, now)
	}
	return ev
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
func Days(n int) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d day", n)
	}
	return fmt.Sprintf("%d days", n)
}

func describe(what string, e Expiry, now time.Time) string {
	date := FormatDate(e.At, now.Location())
	switch {
	case e.State == StateCritical:
		if e.DaysAgo == 0 {
			// "today" would be wrong when the date is yesterday's.
			return fmt.Sprintf("%s expired less than a day ago — on %s", what, date)
		}
		return fmt.Sprintf("%s expired %s ago — on %s", what, Days(e.DaysAgo), date)
	case e.DaysLeft == 0:
		return fmt.Sprintf("%s expires within a day — on %s", what, date)
	case e.State == StateWarning:
		return fmt.Sprintf("%s expires in %s — on %s", what, Days(e.DaysLeft), date)
	}
	return fmt.Sprintf("%s valid for %s — until %s", what, Days(e.DaysLeft), date)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
