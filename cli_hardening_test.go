package main

// Command-line hardening (issue 11), each case run through the real binary
// against emulated Grafana instances on loopback.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// testPasswordEnv carries the emulator's admin password to the binary,
// which then needs no keyring.
const testPasswordEnv = "LICENSEDESK_TEST_PASSWORD"

// grafana starts an emulated Grafana that ends with the test.
func grafana(t *testing.T, opts ...grafanatest.Option) *grafanatest.Server {
	t.Helper()
	s := grafanatest.New(opts...)
	t.Cleanup(s.Close)
	return s
}

// adminOf describes srv as an instance signing in as its admin.
func adminOf(id, name string, srv *grafanatest.Server) app.Instance {
	return app.Instance{ID: id, Name: name, URL: srv.URL + "/", Auth: app.AuthBasic, Username: "admin", PasswordEnv: testPasswordEnv}
}

// instancesFile saves list as a fresh instances.json and returns its path.
func instancesFile(t *testing.T, list ...app.Instance) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "licensedesk", "instances.json")
	if err := config.NewStore(path).Save(list); err != nil {
		t.Fatal(err)
	}
	return path
}

// handEditedFile writes content as instances.json, as a person editing it would.
func handEditedFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "licensedesk", "instances.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// cli runs the binary on config with the emulator's password in its variable.
func cli(t *testing.T, config string, args ...string) binRun {
	t.Helper()
	return runBinary(t, []string{testPasswordEnv + "=admin", "LICENSEDESK_CONFIG=" + config}, "", args...)
}

func TestDeleteRootURLIsCheckedLikeAnInstanceURLAndNeverEchoed(t *testing.T) {
	srv := grafana(t)
	config := instancesFile(t, adminOf("prod", "Prod", srv))
	const secret = "hunter2secret"
	for _, root := range []string{
		"not a url at all",
		"https://admin:" + secret + "@grafana.example/",
		"https://grafana.example/?token=" + secret,
		"https://grafana.example/#" + secret,
		"ftp://grafana.example/",
		"https:///no-host",
	} {
		t.Run(root, func(t *testing.T) {
			r := cli(t, config, "delete", "prod", "--yes", "--root-url", root)
			if r.code != 1 || !strings.Contains(r.stderr, "--root-url") {
				t.Errorf("exit %d, stderr %q; want 1 and a word about --root-url", r.code, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, secret) {
				t.Errorf("the output echoes what was typed into the URL:\n%s%s", r.stdout, r.stderr)
			}
			for _, req := range srv.Requests() {
				if req.Method == "DELETE" {
					t.Fatalf("a DELETE reached Grafana with a root URL that is not one")
				}
			}
			if _, loaded := srv.Claims(); !loaded {
				t.Error("the license was removed")
			}
		})
	}
}
