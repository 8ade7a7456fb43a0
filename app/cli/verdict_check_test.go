package cli

import (
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

func TestCheckExplainsAGrafanaTooOldWithoutReadingHealthEveryTime(t *testing.T) {
	srv := emulator(t, grafanatest.WithVersion("7.3.10"))
	env := newTestEnv()
	inst := basicInstance("old", "Old", srv)
	env.keep("admin", inst)
	cfgFile := saveConfig(t, inst)

	r := env.run(t, "check", "--config", cfgFile, "--format", "json")

	if r.code != 3 || !strings.Contains(r.stdout, `"code": "grafana_too_old"`) || !strings.Contains(r.stdout, "Grafana 7.3.10 is older than 7.4") {
		t.Errorf("exit %d:\n%s", r.code, r.stdout)
	}
}
