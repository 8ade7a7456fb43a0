package cli

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// negativeDays finds a day count below zero, as "(-1 day)".
var negativeDays = regexp.MustCompile(`-\d+ days?`)

// A renewal is judged by the verdict of the token it leaves: still expired,
// still expiring, or beside a license that has ended is no success, on the
// command line (exit 1) and in the history alike.
func TestRenewIsJudgedByTheVerdictItLeaves(t *testing.T) {
	ended := grafanatest.DefaultClaims(time.Now())
	ended.LicenseExpiry = time.Now().Add(-3 * 24 * time.Hour)
	cases := []struct {
		name   string
		opts   []grafanatest.Option
		code   int
		out    string // in stdout on success, in stderr otherwise
		record string
	}{
		{"healthy", nil, 0, "Renewed the license token of Prod EU (prod). Token valid for", history.OutcomeOK},
		{"token still expired", []grafanatest.Option{grafanatest.WithTokenLifetime(-time.Hour)}, 1, "still expired", history.OutcomeUnresolved},
		{"token still expiring", []grafanatest.Option{grafanatest.WithTokenLifetime(30 * time.Hour)}, 1, "still expires soon", history.OutcomeUnresolved},
		{"license ended", []grafanatest.Option{grafanatest.WithClaims(ended)}, 1, "Renewing the token cannot change that: ask Grafana Labs for a renewed license", history.OutcomeUnresolved},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := emulator(t, c.opts...)
			env := newTestEnv()
			inst := basicInstance("prod", "Prod EU", srv)
			env.keep("admin", inst)
			config := saveConfig(t, inst)

			r := env.run(t, "renew", "prod", "--config", config)
			got := r.stdout
			if c.code != 0 {
				got = r.stderr
			}
			if r.code != c.code || !strings.Contains(got, c.out) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d and %q", r.code, r.stdout, r.stderr, c.code, c.out)
			}
			if m := negativeDays.FindString(r.stdout + r.stderr); m != "" {
				t.Errorf("a negative day count %q in %q", m, r.stdout+r.stderr)
			}
			entries, _, err := history.OpenHistory(history.HistoryPath(config)).Scan("")
			if err != nil || len(entries) != 1 || entries[0].Outcome != c.record {
				t.Fatalf("history %+v (%v), want one %q entry", entries, err, c.record)
			}
			if c.record == history.OutcomeUnresolved && !strings.Contains(entries[0].Note, c.out) {
				t.Errorf("the history's note %q does not say what the user was told (%q)", entries[0].Note, c.out)
			}
		})
	}
}
