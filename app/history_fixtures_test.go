package app

import (
	"time"

	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

const oneDay = 24 * time.Hour

var (
	prodEU   = Instance{ID: "prod-eu", Name: "Prod EU", URL: "https://grafana.example.com/"}
	stagingX = Instance{ID: "staging", Name: "Staging", URL: "https://staging.example.com/"}
	monday   = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
)

// readAt is a successful read at now of a token with the given expiries.
func readAt(inst Instance, now time.Time, tok *client.Token) Status {
	return Status{Instance: inst, Token: tok, Eval: client.Evaluate(tok, now, client.Policy{}), HTTPStatus: 200, CheckedAt: now, ReadAt: now}
}

// NewEntry is what the service records for an action that returned st and err.
func NewEntry(at time.Time, inst Instance, action history.Action, st Status, err error) history.Entry {
	status := st.HTTPStatus
	if err != nil {
		status = verdict.HTTPStatus(err)
	}
	return history.NewEntry(at, inst.ID, inst.Name, action, status, st.Token, err)
}
