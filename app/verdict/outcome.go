package verdict

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// Result is what an action on an instance came to, judged by the same
// verdict as a read of the status it left (client.EvaluateWithUsage): the
// window, the command line and the history all show this one judgement.
type Result struct {
	Action history.Action
	Status Status // what the instance looks like after the action
	Err    error  // the call's error; nil when Grafana carried it out
	// Success is whether the action did what it was for: a renewal that
	// leaves the token expired or expiring, or beside a license that has
	// ended, is no success even though Grafana answered 200.
	Success bool
	// State colours the result as a read would: the verdict after the
	// action, critical when it failed.
	State client.State
	// Headline says what happened, Detail the dates or reasons behind it
	// (may be ""), Advice what to do (may be ""); each is a sentence.
	Headline, Detail, Advice string
}

// Text is the result in one paragraph: headline, detail and advice.
func (r Result) Text() string {
	return strings.Join(slices.DeleteFunc([]string{r.Headline, r.Detail, r.Advice}, func(s string) bool { return s == "" }), " ")
}

// ReadCancelled is what a read the user cancelled came to.
const ReadCancelled = "Read cancelled: nothing was changed, and the details below are from the last read."

// codes that mean the license itself has ended: renewing the token cannot help.
var licenseEnded = []client.ReasonCode{client.ReasonLicenseExpired, client.ReasonTrialEnded}

// firstReason returns the most urgent reason with one of codes.
func firstReason(ev client.Evaluation, codes ...client.ReasonCode) (client.Reason, bool) {
	for _, r := range ev.Reasons {
		if slices.Contains(codes, r.Code) {
			return r, true
		}
	}
	return client.Reason{}, false
}

// Judge judges an action's outcome: st is the status the action left (for
// a removal, the read that followed it) and err its error. now places the
// dates in the sentences.
func Judge(action history.Action, st Status, err error, now time.Time) Result {
	r := Result{Action: action, Status: st, Err: err, State: st.Eval.State}
	if errors.Is(err, context.Canceled) {
		// The user stopped waiting: the request may have reached Grafana.
		r.State = client.StateWarning
		r.Headline = "Cancelled: Licensedesk stopped waiting for Grafana's answer."
		r.Advice = "Grafana may still have carried it out: press Refresh to see what it holds now."
		return r
	}
	if err != nil {
		r.State = client.StateCritical
		r.Headline, r.Advice = Explain(err)
		return r
	}
	switch action {
	case history.ActionRenew:
		judgeRenew(&r, now)
	case history.ActionUpload:
		judgeUpload(&r, now)
	case history.ActionDelete:
		judgeDelete(&r)
	}
	return r
}

func judgeRenew(r *Result, now time.Time) {
	ev := r.Status.Eval
	tok := ev.TokenSentence(now)
	if ended, ok := firstReason(ev, licenseEnded...); ok {
		r.State = client.StateCritical
		r.Headline = "Token renewed, but the license itself has ended: " + words.LowerFirst(words.Sentence(ended.Message))
		r.Advice = "Renewing the token cannot change that: " + words.LowerFirst(client.ReasonAdvice(ended, r.Status.Token))
		return
	}
	if invalid, ok := firstReason(ev, client.ReasonLicenseInvalid); ok {
		r.State = client.StateCritical
		r.Headline = "Token renewed, but Grafana still rejects the license: " + words.LowerFirst(words.Sentence(invalid.Message))
		r.Advice = "Renewing the token does not fix the license: " + words.LowerFirst(client.ReasonAdvice(invalid, r.Status.Token))
		return
	}
	switch ev.Token.State {
	case client.StateCritical:
		r.State = client.StateCritical
		r.Headline = "Grafana answered the renewal, but the token it now holds is still expired."
		r.Detail = words.Sentence(tok)
		r.Advice = "Grafana could not get a new token from grafana.com: check its route to grafana.com (proxy, firewall), or upload a new token by hand."
		return
	case client.StateWarning:
		r.State = client.StateWarning
		r.Headline = "Grafana answered the renewal, but the token still expires soon."
		r.Detail = words.Sentence(tok)
		r.Advice = "A token never outlives its license: if the license ends soon, only a new license from Grafana Labs helps; else check Grafana's route to grafana.com."
		return
	}
	r.Success = true
	r.Headline = "Token renewed."
	if tok != "" {
		r.Headline = "Token renewed: " + words.LowerFirst(words.Sentence(strings.TrimPrefix(tok, "Token ")))
	}
	r.Detail = stillNeeds(ev)
}

func judgeUpload(r *Result, now time.Time) {
	ev := r.Status.Eval
	if ev.State == client.StateCritical {
		r.Headline = "License uploaded, but Grafana's verdict is critical: " + words.LowerFirst(words.Sentence(ev.Message))
		// The headline quotes the reason with its date; the advice is the
		// one sentence a notification of the same reason gives.
		if len(ev.Reasons) > 0 {
			r.Advice = client.ReasonAdvice(ev.Reasons[0], r.Status.Token)
		}
		return
	}
	r.Success = true
	r.Headline = "License uploaded: " + words.LowerFirst(words.Sentence(ev.Message))
	if ev.State == client.StateOK {
		if tok := ev.TokenSentence(now); tok != "" && !strings.HasPrefix(ev.Message, "Token") {
			r.Detail = words.Sentence(tok)
		}
	} else {
		r.Detail = stillNeeds(ev)
	}
	r.Advice = RestartNote
}

func judgeDelete(r *Result) {
	st := r.Status
	if st.Err == nil && st.Token != nil && st.Token.HasStatus && st.Token.Status == client.StatusValid {
		// Grafana loaded a license from elsewhere: the database copy is gone, not the license.
		r.State = client.StateWarning
		r.Headline = "The license was removed from Grafana's database, but Grafana still serves a valid license."
		r.Advice = "A license.jwt file or a license_text setting on the server still applies: remove it there, then restart Grafana."
		return
	}
	r.Success = true
	r.State = client.StateOK
	r.Headline = "License removed."
	if st.Err == nil && st.Eval.Message != "" {
		r.Detail = "Grafana now says: " + words.LowerFirst(words.Sentence(st.Eval.Message))
	}
}

// stillNeeds names what still needs attention after a successful action,
// or "" when nothing does: an action never hides the verdict.
func stillNeeds(ev client.Evaluation) string {
	if ev.State == client.StateOK || len(ev.Reasons) == 0 {
		return ""
	}
	s := "Still needs attention: " + words.LowerFirst(words.Sentence(ev.Reasons[0].Message))
	if n := len(ev.Reasons) - 1; n > 0 {
		s += " (and " + words.Plural(n, "more reason") + ")"
	}
	return s
}

// outcomeOf is the history's word for a result.
func outcomeOf(r Result) string {
	switch {
	case r.Err != nil:
		return history.OutcomeFailed
	case r.Success:
		return history.OutcomeOK
	}
	return history.OutcomeUnresolved
}

// EntryFor records a result as the user saw it: an unresolved action keeps
// its headline beside the dates.
func EntryFor(at time.Time, r Result) history.Entry {
	st, status := r.Status, r.Status.HTTPStatus
	if r.Err != nil {
		// The error's own answer, not an earlier read's that st may hold.
		status = HTTPStatus(r.Err)
	}
	e := history.NewEntry(at, st.Instance.ID, st.Instance.Name, r.Action, status, st.Token, r.Err)
	if r.Err == nil {
		e.Outcome = outcomeOf(r)
		if !r.Success {
			e.Note = history.Scrub(r.Text())
		}
	}
	return e
}

// RenewResult is one instance's outcome in RenewAll.
type RenewResult struct {
	Status Status
	Err    error // nil when renewed; the context's error when never started
}

// maxNamed is how many instances a summary names in each group.
const maxNamed = 5

// RenewSummary words how a renew-all ended, each renewal judged as a single
// one is: how many were renewed, which failed, which still need attention
// (a token still expired or expiring, an ended license) and how many were
// never started because the run was stopped.
func RenewSummary(rs []RenewResult, now time.Time) string {
	var renewed int
	var failed, unresolved []string
	notStarted := 0
	for _, r := range rs {
		res := Judge(history.ActionRenew, r.Status, r.Err, now)
		name := r.Status.Instance.DisplayName()
		switch {
		case errors.Is(r.Err, context.Canceled):
			notStarted++
		case r.Err != nil:
			failed = append(failed, name)
		case res.Success:
			renewed++
		default:
			unresolved = append(unresolved, name)
		}
	}
	parts := []string{fmt.Sprintf("Renewed %d of %s.", renewed, words.Plural(len(rs), "instance"))}
	if len(failed) > 0 {
		parts = append(parts, fmt.Sprintf("%d failed: %s.", len(failed), named(failed)))
	}
	if len(unresolved) > 0 {
		parts = append(parts, fmt.Sprintf("%d still expired or expiring, or beside an ended license: %s.", len(unresolved), named(unresolved)))
	}
	if notStarted > 0 {
		parts = append(parts, fmt.Sprintf("%d not started: the run was stopped.", notStarted))
	}
	if len(failed)+len(unresolved) > 0 {
		parts = append(parts, "Select each one to see why and what to do.")
	}
	return strings.Join(parts, " ")
}

// named lists names, the first maxNamed of them.
func named(names []string) string {
	if len(names) <= maxNamed {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxNamed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxNamed)
}
