package watch

import (
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/verdict"
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
	wrongURL := healthy()
	wrongURL.Status, wrongURL.Subject = client.StatusInvalidSubject, "https://other.example.com/"
	expired := healthy()
	expired.LicenseExpiry = now.Add(-3 * oneDay)
	for name, c := range map[string]struct {
		tok         *client.Token
		stats       *client.Stats
		title, body string
	}{
		"trial":   {trial, nil, "Prod EU: trial ends in 3 days", "The trial ends on 29 Nov 2026. Ask Grafana Labs for a license in time"},
		"users":   {healthy(), &client.Stats{ActiveUsers: 12}, "Prod EU: users over the license limit", "12 active of 10 included (120 %). Remove users"},
		"stalled": {stalled, nil, "Prod EU: token not renewed for 6 days", "Last renewed on 20 Nov 2026, while Grafana renews it every day"},
		"wrong url": {wrongURL, nil, "Prod EU: license URL does not match this Grafana's root_url (licensed for https://other.example.com/)",
			"Grafana reports that license URL does not match this Grafana's root_url (licensed for https://other.example.com/). Upload a license issued for this Grafana's root_url, or correct root_url"},
		"expired": {expired, nil, "Prod EU: license expired 3 days ago", "The license expired on 23 Nov 2026. Ask Grafana Labs for a renewed license"},
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

// A notification and the result of an upload or a renewal that leaves the
// same trouble behind advise the same thing in the same sentence.
func TestNotificationAndActionResultGiveTheSameAdvice(t *testing.T) {
	now := monday
	for name, tok := range map[string]*client.Token{
		"status 6": {Status: client.StatusInvalidSubject, HasStatus: true, Subject: "https://other.example.com/",
			LicenseExpiry: now.Add(200 * oneDay), TokenExpiry: now.Add(20 * oneDay)},
		"status 3":        {Status: client.StatusInvalid, HasStatus: true, LicenseExpiry: now.Add(200 * oneDay), TokenExpiry: now.Add(20 * oneDay)},
		"license expired": {Status: client.StatusValid, HasStatus: true, LicenseExpiry: now.Add(-3 * oneDay), TokenExpiry: now.Add(20 * oneDay)},
	} {
		t.Run(name, func(t *testing.T) {
			st := readAt(prodEU, now, tok)
			n, _ := newNotifier(t)
			body := expectOne(t, n.Observe(st, now)).Body
			upload := verdict.Judge(history.ActionUpload, st, nil, now)
			if upload.Advice == "" || !strings.HasSuffix(body, " "+upload.Advice) {
				t.Errorf("the notification says %q\nthe upload's result advises %q", body, upload.Advice)
			}
			renew := verdict.Judge(history.ActionRenew, st, nil, now)
			_, do, _ := strings.Cut(renew.Advice, ": ")
			if do == "" || !strings.HasSuffix(strings.ToLower(body), " "+strings.ToLower(do)) {
				t.Errorf("the notification says %q\nthe renewal's result advises %q", body, renew.Advice)
			}
		})
	}
}
