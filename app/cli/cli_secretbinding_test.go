package cli

import (
	"os"

	"path/filepath"
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// TestASecretNeverFollowsAnIDToAnotherHost replays the hardening issue's
// first finding: a second instance file naming an instance "prod" at another
// host must not receive (nor delete) the first file's "prod" password.
func TestASecretNeverFollowsAnIDToAnotherHost(t *testing.T) {
	const password = "Prod-only-8x!"
	real := emulator(t, grafanatest.WithUser("admin", password, grafanatest.RoleServerAdmin))
	other := emulator(t)
	env := newTestEnv()
	mine := filepath.Join(t.TempDir(), "mine", "instances.json")
	env.stdin = password + "\n"
	if r := env.run(t, "instances", "add", "--config", mine, "--id", "prod", "--name", "Prod",
		"--url", real.URL+"/", "--username", "admin", "--secret-stdin"); r.code != 0 {
		t.Fatalf("add: %d %s", r.code, r.stderr)
	}
	env.stdin = ""
	theirs := saveConfig(t, basicInstance("prod", "Prod (theirs)", other))

	r := env.run(t, "check", "--config", theirs)

	for _, req := range other.Requests() {
		if req.HasAuth {
			t.Fatalf("the other host received credentials: %+v", req)
		}
	}
	for _, want := range []string{"unknown", "saved for " + strings.TrimSuffix(real.URL, "/"), "never sends a secret", "set-secret prod"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check output does not say %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, password) {
		t.Error("the password was printed")
	}

	if rm := env.run(t, "instances", "remove", "prod", "--config", theirs); rm.code != 0 {
		t.Fatalf("remove in the other file: %d %s", rm.code, rm.stderr)
	}
	if own := env.run(t, "check", "--config", mine); own.code != 0 {
		t.Errorf("after the other file removed its prod, mine no longer signs in: %d\n%s", own.code, own.stdout)
	}
}

// TestSecretsFromTheEnvironmentNeedTheLicensedeskPrefix: an instance file
// cannot make Licensedesk send another program's secret as a token.
func TestSecretsFromTheEnvironmentNeedTheLicensedeskPrefix(t *testing.T) {
	srv := emulator(t)
	env := newTestEnv()
	env.vars["AWS_SECRET_ACCESS_KEY"] = "aws-very-secret"
	inst := app.Instance{ID: "x", Name: "X", URL: srv.URL + "/", Auth: app.AuthBearer, TokenEnv: "AWS_SECRET_ACCESS_KEY"}
	data := `{"version":1,"instances":[{"id":"x","name":"X","url":"` + inst.URL + `","auth":"bearer","token_env":"AWS_SECRET_ACCESS_KEY"}]}`
	hand := filepath.Join(t.TempDir(), "instances.json")
	if err := os.WriteFile(hand, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}

	r := env.run(t, "check", "--config", hand)

	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests reached Grafana with another program's secret", n)
	}
	if !strings.Contains(r.stdout+r.stderr, "LICENSEDESK_") || strings.Contains(r.stdout+r.stderr, "aws-very-secret") {
		t.Errorf("check should name the LICENSEDESK_ rule and never the value:\n%s\n%s", r.stdout, r.stderr)
	}

	list := filepath.Join(t.TempDir(), "list.json")
	os.WriteFile(list, []byte(data), 0o600)
	imp := env.run(t, "instances", "import", list, "--config", filepath.Join(t.TempDir(), "new.json"))
	if imp.code == 0 || !strings.Contains(imp.stderr, "LICENSEDESK_") {
		t.Errorf("import of such an entry: code %d, stderr %q; want it refused, naming the rule", imp.code, imp.stderr)
	}
}

// TestImportShowsWhereEachSecretGoesBeforeWriting: the address, proxy,
// variable and unverified TLS of every imported instance are printed.
func TestImportShowsWhereEachSecretGoesBeforeWriting(t *testing.T) {
	env := newTestEnv()
	list := filepath.Join(t.TempDir(), "list.json")
	os.WriteFile(list, []byte(`{"version":1,"instances":[
	 {"id":"a","name":"A","url":"https://a.example.com/","auth":"basic","username":"admin","proxy":"http://proxy.corp:3128","insecure_skip_verify":true},
	 {"id":"b","name":"B","url":"http://b.example.com:3000/","auth":"bearer","token_env":"LICENSEDESK_B_TOKEN"}]}`), 0o600)

	r := env.run(t, "instances", "import", list, "--config", filepath.Join(t.TempDir(), "instances.json"))

	if r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"a (A): sends its password to https://a.example.com:443, through the proxy http://proxy.corp:3128, WITHOUT verifying the TLS certificate",
		"b (B): sends its token to http://b.example.com:3000, read from the environment variable LICENSEDESK_B_TOKEN",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("import did not show %q:\n%s", want, r.stderr)
		}
	}
}
