package app

import (
	"time"

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
