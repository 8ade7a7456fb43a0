package client

import (
	"time"

	"github.com/licensedesk/licensedesk/internal/words"
)

// What to do about each finding, worded once: a notification, an action's
// result and the command line quote these, never words of their own.
const (
	adviceRenewedLicense = "Ask Grafana Labs for a renewed license and upload its token in Licensedesk."
	adviceRenewInTime    = "Ask Grafana Labs to renew it in time, then upload the new token in Licensedesk."
	adviceTrialEnded     = "Ask Grafana Labs for a license and upload its token in Licensedesk."
	adviceTrialEnding    = "Ask Grafana Labs for a license in time, then upload its token in Licensedesk."
	adviceUsers          = "Remove users who no longer need access, or ask Grafana Labs for a higher limit."
	adviceToken          = "Renew it in Licensedesk; an instance that cannot reach grafana.com needs a new token uploaded by hand."
	adviceWrongURL       = "Upload a license issued for this Grafana's root_url, or correct root_url in Grafana's configuration."
	adviceInvalid        = "Upload a valid license token in Licensedesk."
	adviceNotFound       = "Upload a license token in Licensedesk."
)

// ReasonAdvice is what to do about r, in one sentence without its date; t
// is the token it was judged from, whose status (3 to 6) says what a
// license_invalid needs. "" when r's own message already says what to do
// (a stalled renewal, an unreadable instance) or nothing can be done here.
func ReasonAdvice(r Reason, t *Token) string {
	switch r.Code {
	case ReasonLicenseExpired:
		return adviceRenewedLicense
	case ReasonLicenseExpiring:
		return adviceRenewInTime
	case ReasonTrialEnded:
		return adviceTrialEnded
	case ReasonTrialEnding:
		return adviceTrialEnding
	case ReasonUsersOverLimit, ReasonUsersNearLimit:
		return adviceUsers
	case ReasonTokenExpired, ReasonTokenExpiring:
		return adviceToken
	case ReasonLicenseInvalid:
		if t == nil || !t.HasStatus {
			return adviceInvalid
		}
		switch t.Status {
		case StatusInvalidSubject:
			return adviceWrongURL
		case StatusNotFound:
			return adviceNotFound
		case StatusExpired:
			return adviceRenewedLicense
		}
		return adviceInvalid
	}
	return ""
}

// Advice is the date that matters and what to do about it, for the most
// urgent reason: "The trial ends on 29 Nov 2026. Ask Grafana Labs for a
// license in time, then upload its token in Licensedesk." t is the token
// the evaluation was judged from (nil when unread); loc places the date.
// Without a reason it is the evaluation's message.
func (e Evaluation) Advice(t *Token, loc *time.Location) string {
	if len(e.Reasons) == 0 {
		return words.Sentence(e.Message)
	}
	first := e.Reasons[0]
	var fact string
	switch first.Code {
	case ReasonLicenseInvalid:
		fact = words.Sentence("Grafana reports that " + words.LowerFirst(first.Message))
	case ReasonTrialEnded:
		fact = "The trial ended on " + FormatDate(e.Trial.At, loc) + "."
	case ReasonTrialEnding:
		fact = "The trial ends on " + FormatDate(e.Trial.At, loc) + "."
	case ReasonLicenseExpired:
		fact = "The license expired on " + FormatDate(e.License.At, loc) + "."
	case ReasonLicenseExpiring:
		fact = "The license expires on " + FormatDate(e.License.At, loc) + "."
	case ReasonTokenExpired:
		fact = "The license token expired on " + FormatDate(e.Token.At, loc) + "."
	case ReasonTokenExpiring:
		fact = "The license token expires on " + FormatDate(e.Token.At, loc) + "."
	default:
		fact = words.Sentence(afterHeadline(first))
	}
	if do := ReasonAdvice(first, t); do != "" {
		return fact + " " + do
	}
	return fact
}

// afterHeadline is what a reason says beyond its headline, capitalized:
// the dates and counts behind it; its whole message when it has no detail.
func afterHeadline(r Reason) string {
	if r.Detail == "" {
		return r.Message
	}
	return words.Capitalize(r.Detail)
}
