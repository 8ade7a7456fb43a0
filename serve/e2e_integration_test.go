//go:build integration

package serve

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// lookTool finds one of a program's names on PATH; make deps installs it.
func lookTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Fatalf("%s is not installed: run make deps (scripts/deps.sh installs Debian's prometheus and prometheus-alertmanager)", names[0])
	return ""
}

// shortenFor makes every alert of the shipped rules fire one second after
// its condition holds, so the test need not wait out the real `for:`.
func shortenFor(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	short := regexp.MustCompile(`(?m)^(\s+for:\s*)\S+$`).ReplaceAll(data, []byte("${1}1s"))
	path := filepath.Join(dir, "rules.yml")
	if err := os.WriteFile(path, short, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// amAlert is one alert as Alertmanager's API v2 lists it.
type amAlert struct {
	Labels map[string]string `json:"labels"`
	Status struct {
		State string `json:"state"`
	} `json:"status"`
}

func alertmanagerAlerts(t *testing.T, base string) []amAlert {
	t.Helper()
	code, body := getBody(t, base+"/api/v2/alerts")
	if code != 200 {
		return nil
	}
	var alerts []amAlert
	if err := json.Unmarshal([]byte(body), &alerts); err != nil {
		t.Fatalf("Alertmanager's alerts are not JSON: %v\n%s", err, body)
	}
	return alerts
}

// TestFleetAlertsReachAlertmanager runs the whole chain on loopback:
// emulated Grafanas, licensedesk serve (a real process), a real Prometheus
// scraping it every second and evaluating the shipped rules, and a real
// Alertmanager. The instance whose token expires tomorrow raises
// LicensedeskTokenExpiring with its labels; the healthy one raises nothing;
// renewing the token through the emulator resolves the alert.
func TestFleetAlertsReachAlertmanager(t *testing.T) {
	prometheus := lookTool(t, "prometheus")
	alertmanager := lookTool(t, "prometheus-alertmanager", "alertmanager")
	dir := t.TempDir()

	f := newFleet(t)
	f.add("healthy", "Healthy")
	claims := grafanatest.DefaultClaims(time.Now())
	claims.TokenExpiry = time.Now().Add(20 * time.Hour).Truncate(time.Second) // inside its 2 warn days
	f.add("expiring", "Expiring", grafanatest.WithClaims(claims))
	f.list[0].PasswordEnv, f.list[1].PasswordEnv = "LICENSEDESK_HEALTHY_PASSWORD", "LICENSEDESK_EXPIRING_PASSWORD"
	f.save()
	secrets := []string{"LICENSEDESK_HEALTHY_PASSWORD=admin", "LICENSEDESK_EXPIRING_PASSWORD=admin"}

	serve := licensedesk(t, secrets, "--config", f.config, "serve", "--listen", "127.0.0.1:0", "--interval", "1s")
	serveAddr := strings.TrimPrefix(serveURL(t, serve), "http://")

	amAddr := freePort(t)
	amConfig := filepath.Join(dir, "alertmanager.yml")
	writeFile(t, amConfig, "route:\n  receiver: none\nreceivers:\n  - name: none\n")
	startProc(t, nil, alertmanager, "--config.file="+amConfig, "--storage.path="+filepath.Join(dir, "am"),
		"--web.listen-address="+amAddr, "--cluster.listen-address=", "--log.level=warn")

	promAddr := freePort(t)
	promConfig := filepath.Join(dir, "prometheus.yml")
	writeFile(t, promConfig, `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [`+shortenFor(t, dir)+`]
alerting:
  alertmanagers:
    - static_configs: [{targets: ["`+amAddr+`"]}]
scrape_configs:
  - job_name: licensedesk
    honor_labels: true
    static_configs: [{targets: ["`+serveAddr+`"]}]
`)
	startProc(t, nil, prometheus, "--config.file="+promConfig, "--storage.tsdb.path="+filepath.Join(dir, "prom"),
		"--web.listen-address="+promAddr, "--log.level=warn")

	am := "http://" + amAddr
	find := func(alertname, instance string) *amAlert {
		for _, a := range alertmanagerAlerts(t, am) {
			if a.Labels["alertname"] == alertname && a.Labels["instance"] == instance {
				return &a
			}
		}
		return nil
	}
	eventually(t, "Alertmanager to receive LicensedeskTokenExpiring for the expiring instance", func() bool {
		return find("LicensedeskTokenExpiring", "expiring") != nil
	})
	got := find("LicensedeskTokenExpiring", "expiring")
	want := map[string]string{"alertname": "LicensedeskTokenExpiring", "instance": "expiring", "name": "Expiring", "severity": "warning"}
	for k, v := range want {
		if got.Labels[k] != v {
			t.Errorf("the alert's %s is %q, want %q (labels %v)", k, got.Labels[k], v, got.Labels)
		}
	}
	if got.Status.State != "active" {
		t.Errorf("the alert is %q in Alertmanager, want active", got.Status.State)
	}
	for _, a := range alertmanagerAlerts(t, am) {
		if a.Labels["instance"] == "healthy" {
			t.Errorf("the healthy instance raised %s", a.Labels["alertname"])
		}
	}

	// Every query of the shipped dashboard runs on this Prometheus.
	for _, q := range dashboardQueries(t) {
		code, body := getBody(t, "http://"+promAddr+"/api/v1/query?query="+url.QueryEscape(q.expr))
		if code != 200 || !strings.Contains(body, `"status":"success"`) {
			t.Errorf("%s: Prometheus refused %s: %d %s", q.where, q.expr, code, body)
		}
	}

	renew := licensedesk(t, secrets, "--config", f.config, "renew", "expiring")
	if code := renew.wait(); code != 0 {
		t.Fatalf("licensedesk renew exited %d:\n%s", code, renew.out.String())
	}
	eventually(t, "the alert to resolve after the renewal", func() bool {
		return find("LicensedeskTokenExpiring", "expiring") == nil
	})
}
