package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ReasonCode names one kind of finding, stably: check's JSON and
// Prometheus output carry it for monitoring rules to match.
type ReasonCode string

// The findings an evaluation can yield.
const (
	ReasonLicenseExpired  ReasonCode = "license_expired"
	ReasonLicenseExpiring ReasonCode = "license_expiring"
	ReasonTokenExpired    ReasonCode = "token_expired"
	ReasonTokenExpiring   ReasonCode = "token_expiring"
	ReasonTrialEnded      ReasonCode = "trial_ended"
	ReasonTrialEnding     ReasonCode = "trial_ending"
	ReasonUsersOverLimit  ReasonCode = "users_over_limit"
	ReasonUsersNearLimit  ReasonCode = "users_near_limit"
	ReasonRenewalStalled  ReasonCode = "renewal_stalled"
	ReasonStaleToken      ReasonCode = "stale_token"
	// ReasonLicenseInvalid is Grafana's status 3, 4, 5 or 6.
	ReasonLicenseInvalid ReasonCode = "license_invalid"
	// ReasonUnreadable is an instance whose license could not be read or
	// judged: a failed read, an implausible date, a status outside
	// Grafana's enum, no date at all.
	ReasonUnreadable    ReasonCode = "unreadable"
	ReasonGrafanaTooOld ReasonCode = "grafana_too_old"
	// ReasonLocalLimit is an instance this computer could not read because
	// it ran out of open files or ports (a LocalError): the instance is not
	// at fault, and its state is unknown only because it went unread.
	ReasonLocalLimit ReasonCode = "local_limit"
)

// Reason is one finding about an instance: what it is, how urgent, and a
// sentence that says so in plain words. The sentence is made of two parts,
// kept apart so that no surface ever cuts a message: Headline, what short
// surfaces show (the tray, a list row, a notification's title), and Detail,
// the date, count or cause behind it ("" when there is none). Message is
// the two joined as every long surface shows them.
type Reason struct {
	Code     ReasonCode
	State    State
	Message  string
	Headline string
	Detail   string
}

// newReason composes a reason's message from its headline and detail.
func newReason(code ReasonCode, state State, headline, detail string) Reason {
	return Reason{Code: code, State: state, Headline: headline, Detail: detail, Message: joinSentence(headline, detail)}
}

// joinSentence is the one way a headline and its detail are joined.
func joinSentence(headline, detail string) string {
	if detail == "" {
		return headline
	}
	return headline + " — " + detail
}

// WithDetail returns r with more detail after what it already has (the
// last good read's date beside a failed read, say); the headline stays.
func (r Reason) WithDetail(more string) Reason {
	if r.Detail != "" {
		more = r.Detail + " — " + more
	}
	return newReason(r.Code, r.State, r.Headline, more)
}

// Add puts r among the reasons after every one at least as urgent, and makes
// the state and message follow the most urgent.
func (e *Evaluation) Add(r Reason) {
	i := len(e.Reasons)
	for i > 0 && e.Reasons[i-1].State < r.State {
		i--
	}
	e.Reasons = slices.Insert(e.Reasons, i, r)
	e.State, e.Message, e.Headline = e.Reasons[0].State, e.Reasons[0].Message, e.Reasons[0].Headline
}

// Failed is the evaluation of an instance whose read failed: r (unreadable,
// local_limit or grafana_too_old) is its only reason and decides its state, while the
// dates and counts of the last good read stay for display.
func (e Evaluation) Failed(r Reason) Evaluation {
	e.Reasons = []Reason{r}
	e.State, e.Message, e.Headline = r.State, r.Message, r.Headline
	return e
}

// Unreadable is the reason for an instance that could not be read or
// judged; cause says why, and what to do, in a sentence.
func Unreadable(cause string) Reason {
	return newReason(ReasonUnreadable, StateUnknown, cause, "")
}

// LocalLimit is the reason for an instance left unread because this
// computer ran out of open files or ports; cause is the LocalError's
// sentence, which says so and what to do.
func LocalLimit(cause string) Reason {
	return newReason(ReasonLocalLimit, StateUnknown, cause, "")
}

// GrafanaTooOld returns the reason for a Grafana whose version predates the
// licensing API (7.4), and whether version is that old.
func GrafanaTooOld(version string) (Reason, bool) {
	var major, minor int
	if n, _ := fmt.Sscanf(version, "%d.%d", &major, &minor); n < 2 || major > 7 || major == 7 && minor >= 4 {
		return Reason{}, false
	}
	return newReason(ReasonGrafanaTooOld, StateUnknown,
		fmt.Sprintf("Grafana %s is older than 7.4 and has no licensing API: upgrade it to manage its license here", version), ""), true
}

func hasCode(rs []Reason, code ReasonCode) bool {
	return slices.ContainsFunc(rs, func(r Reason) bool { return r.Code == code })
}

// timeFieldNames says in words what each time field of a token is.
var timeFieldNames = map[string]string{
	"iat": "token issue date", "exp": "token expiry", "nbf": "license issue date",
	"lexp": "license expiry", "trial_exp": "trial end",
}

func implausibleReason(f Field) Reason {
	return newReason(ReasonUnreadable, StateUnknown,
		fmt.Sprintf("Grafana reported an implausible %s (%s): %s", timeFieldNames[f.Name], f.Name, shortRaw(f.Value)),
		"expected a Unix time in seconds between 2015 and 2200")
}

// renewalStalled warns when the token has not been renewed for more than
// three renewal periods while it is still valid: Grafana renews it every
// update_days when it can reach grafana.com.
func renewalStalled(t *Token, tok Expiry, now time.Time) (Reason, bool) {
	period := t.UpdateDays
	if period <= 0 {
		period = 1
	}
	if t.IssuedAt.IsZero() || tok.State == StateCritical || t.FromAWSMarketplace() || period > maxWarnDays/3 {
		return Reason{}, false
	}
	since := now.Sub(t.IssuedAt)
	if since <= 3*time.Duration(period)*day {
		return Reason{}, false
	}
	every := "day"
	if period > 1 {
		every = Days(period)
	}
	return newReason(ReasonRenewalStalled, StateWarning,
		"Token not renewed for "+Days(int(since/day)),
		fmt.Sprintf("last renewed on %s, while Grafana renews it every %s when it can reach grafana.com. "+
			"Check that it has a route to grafana.com and that any proxy lets it through; if it is air-gapped, upload a new token instead",
			FormatDate(t.IssuedAt, now.Location()), every)), true
}

// shortRaw shows a value as Grafana sent it, in a message: on one line, at
// most 40 characters, valid UTF-8, without control characters.
func shortRaw(v json.RawMessage) string {
	s := strings.ToValidUTF8(string(bytes.TrimSpace(v)), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:39]) + "…"
	}
	return s
}
