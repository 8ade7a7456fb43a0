package watch

import (
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

func TestNotificationAdviceFitsTheReason(t *testing.T) {
	now := monday
	healthy := func() *client.Token {
		return &client.Token{Status: client.StatusValid, HasStatus: true, IssuedAt: now,
			LicenseExpiry: now.Add(300 * oneDay), TokenExpiry: now.Add(20 * oneDay), LimitBy: "users", IncludedUsers: 10}
	}
	trial := healthy()
	trial.Trial, trial.TrialExpiry = true, now.Add(3*oneDay)
	stalled := healthy()
	stalled.IssuedAt = now.Add(-6 * oneDay)
	for name, c := range map[string]struct {
		tok         *client.Token
		stats       *client.Stats
		title, body string
	}{
		"trial":   {trial, nil, "Prod EU: trial ends in 3 days", "The trial ends on 29 Nov 2026. Ask Grafana Labs for a license in time"},
		"users":   {healthy(), &client.Stats{ActiveUsers: 12}, "Prod EU: users over the license limit", "12 active of 10 included (120 %). Remove users"},
		"stalled": {stalled, nil, "Prod EU: token not renewed for 6 days", "Last renewed on 20 Nov 2026, while Grafana renews it every day"},
	} {
		t.Run(name, func(t *testing.T) {
			n, _ := newNotifier(t)
			st := app.Status{Instance: prodEU, Token: c.tok, Stats: c.stats, HTTPStatus: 200, CheckedAt: now, ReadAt: now}
			st.Eval = client.EvaluateWithUsage(c.tok, c.stats, now, client.Policy{})
			got := expectOne(t, n.Observe(st, now))
			if got.Title != c.title || !strings.HasPrefix(got.Body, c.body) {
				t.Errorf("title %q\nbody %q\nwant %q, %q…", got.Title, got.Body, c.title, c.body)
			}
		})
	}
}
