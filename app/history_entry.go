package app

import (
	"time"

	"github.com/licensedesk/licensedesk/app/history"
)

// NewEntry records the result of action on inst: st is the status the
// action returned and err its error, nil on success.
func NewEntry(at time.Time, inst Instance, action history.Action, st Status, err error) history.Entry {
	e := history.Entry{
		Time:         at.UTC().Truncate(time.Second),
		InstanceID:   inst.ID,
		InstanceName: inst.Name,
		Action:       action,
		Outcome:      history.OutcomeOK,
		HTTPStatus:   st.HTTPStatus,
	}
	if err != nil {
		e.Outcome = history.OutcomeFailed
		e.Error = history.Scrub(err.Error())
		// The error's own answer: st may still carry an earlier read's status
		// when the action failed before any request.
		e.HTTPStatus = httpStatus(err)
		return e
	}
	if t := st.Token; t != nil && action != history.ActionDelete {
		e.TokenID = t.ID
		e.LicenseExpires = timePtr(t.LicenseExpiry)
		e.TokenExpires = timePtr(t.TokenExpiry)
	}
	return e
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
