package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// After an upload the command line says Grafana must restart, then reads
// and says whether the running Grafana serves the uploaded token yet.
func TestUploadSaysWhetherGrafanaServesTheNewToken(t *testing.T) {
	for _, c := range []struct {
		name    string
		opts    []grafanatest.Option
		served  bool
		running string
	}{
		{"a Grafana that loads it at restart", []grafanatest.Option{grafanatest.WithRestartToLoad()}, false, "Grafana still serves token "},
		{"a Grafana that serves it at once", nil, true, "Grafana serves the token uploaded at "},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := emulator(t, c.opts...)
			env := newTestEnv()
			inst := basicInstance("prod", "Prod", srv)
			env.keep("admin", inst)
			config := saveConfig(t, inst)
			fresh := grafanatest.DefaultClaims(time.Now())
			fresh.Subject = srv.RootURL()
			file := filepath.Join(t.TempDir(), "license.jwt")
			os.WriteFile(file, []byte(grafanatest.IssueJWT(fresh)), 0o600)

			r := env.run(t, "upload", "prod", "--token-file", file, "--config", config)
			if r.code != 0 || !strings.Contains(r.stdout, verdict.RestartNote) || !strings.Contains(r.stdout, c.running) {
				t.Errorf("code %d, stdout %q, stderr %q; want the restart note and %q", r.code, r.stdout, r.stderr, c.running)
			}
			if !c.served && !strings.Contains(r.stdout, "restart Grafana so it loads the new token") {
				t.Errorf("stdout %q does not ask for a restart", r.stdout)
			}
		})
	}
}
