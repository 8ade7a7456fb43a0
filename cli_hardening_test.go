package main

// Command-line hardening (issue 11), each case run through the real binary
// against emulated Grafana instances on loopback.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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

// runCLI runs the binary on config with the emulator's password in its variable.
func runCLI(t *testing.T, config string, args ...string) binRun {
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
			r := runCLI(t, config, "delete", "prod", "--yes", "--root-url", root)
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

// historyCase is a way the history file cannot be written.
type historyCase struct {
	name  string
	block func(t *testing.T, path string) // makes path unwritable
	why   string                          // what stderr must say of the cause
}

// historyBlockedByAFolder puts a folder where history.jsonl belongs, so it
// cannot be opened for writing (as a read-only folder does for a user;
// these tests run as root too, which permissions do not stop).
var historyBlockedByAFolder = historyCase{"unwritable", func(t *testing.T, path string) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
}, "is a directory"}

func testActionsWhoseHistoryCannotBeWritten(t *testing.T, hc historyCase) {
	now := time.Now()
	srv := grafana(t)
	config := instancesFile(t, adminOf("prod", "Prod", srv))
	hc.block(t, filepath.Join(filepath.Dir(config), "history.jsonl"))
	jwt := filepath.Join(t.TempDir(), "license.jwt")
	// A license issued for this Grafana's root URL, so the upload succeeds.
	claims := grafanatest.DefaultClaims(now)
	claims.Subject = srv.RootURL()
	if err := os.WriteFile(jwt, []byte(grafanatest.IssueJWT(claims)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"renew", "prod"},
		{"upload", "prod", "--token-file", jwt},
		{"delete", "prod", "--yes"},
	} {
		t.Run(args[0], func(t *testing.T) {
			r := runCLI(t, config, args...)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0: the %s itself worked\n%s", r.code, args[0], r.stderr)
			}
			if !strings.Contains(r.stderr, "not recorded in the history") || !strings.Contains(r.stderr, hc.why) {
				t.Errorf("stderr does not say that the history could not be written and why (%s):\n%s", hc.why, r.stderr)
			}
		})
	}
	t.Run("a failed action keeps its exit code too", func(t *testing.T) {
		srv.SetOffline(true)
		r := runCLI(t, config, "renew", "prod")
		if r.code != 1 || !strings.Contains(r.stderr, "not recorded in the history") {
			t.Errorf("exit %d, stderr %q; want 1 and the history note", r.code, r.stderr)
		}
	})
}

func TestActionsWhoseHistoryCannotBeWrittenSaySo(t *testing.T) {
	testActionsWhoseHistoryCannotBeWritten(t, historyBlockedByAFolder)
}

func TestCheckDeadlineReportsWhatIsNotReadAsUnknownAndEnds(t *testing.T) {
	var list []app.Instance
	for i := range 6 {
		hung := grafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
		list = append(list, adminOf(fmt.Sprintf("hung-%d", i), fmt.Sprintf("Hung %d", i), hung))
	}
	config := instancesFile(t, list...)

	// Each instance alone may take ten minutes; the deadline is what ends the check.
	r := runCLI(t, config, "check", "--format", "json", "--concurrency", "2", "--timeout", "10m", "--deadline", "2s")

	if r.code != 3 {
		t.Errorf("exit %d, want 3 (unknown)\n%s", r.code, r.stderr)
	}
	var doc struct {
		Instances []struct{ ID, State, Message string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(doc.Instances) != len(list) {
		t.Fatalf("%d instances reported, want %d", len(doc.Instances), len(list))
	}
	for _, in := range doc.Instances {
		if in.State != "unknown" || !strings.Contains(in.Message, "deadline of 2s") {
			t.Errorf("%s: %s %q; want unknown because the check's deadline passed", in.ID, in.State, in.Message)
		}
	}
}

func TestCheckHelpShowsTheTimeBudget(t *testing.T) {
	r := runBinary(t, nil, "", "check", "--help")
	for _, want := range []string{"--deadline", "Time budget", "each instance gets --timeout", "30s when unset", "(default 50s)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check --help lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestPlainHTTPIsReportedAsTLSNotUsed(t *testing.T) {
	plain := grafana(t)
	secure := grafana(t, grafanatest.WithTLS())
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, secure.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	verified := adminOf("secure", "Secure", secure)
	verified.CAFile = ca
	config := instancesFile(t, adminOf("plain", "Plain", plain), verified)

	var doc struct {
		Instances []struct {
			ID          string
			TLSVerified bool   `json:"tls_verified"`
			TLS         string `json:"tls"`
		}
	}
	js := runCLI(t, config, "check", "--format", "json")
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, js.stdout)
	}
	for _, in := range doc.Instances {
		want := map[string]string{"plain": "not used", "secure": "verified"}[in.ID]
		if in.TLS != want || in.TLSVerified != (want == "verified") {
			t.Errorf("%s: tls %q, tls_verified %v; want %q", in.ID, in.TLS, in.TLSVerified, want)
		}
	}
	if text := runCLI(t, config, "check"); !regexp.MustCompile(`(?m)^Plain \(plain\) .*\[TLS not used\]$`).MatchString(text.stdout) {
		t.Errorf("check's table does not say TLS is not used for plain http:\n%s", text.stdout)
	}
	prom := runCLI(t, config, "check", "--format", "prometheus").stdout
	for _, want := range []string{
		"# TYPE licensedesk_instance_tls_verified gauge\n",
		`licensedesk_instance_tls_verified{instance="plain",name="Plain"} 0` + "\n",
		`licensedesk_instance_tls_verified{instance="secure",name="Secure"} 1` + "\n",
	} {
		if !strings.Contains(prom, want) {
			t.Errorf("the Prometheus output lacks %q:\n%s", want, prom)
		}
	}
	list := runCLI(t, config, "instances", "list").stdout
	if !regexp.MustCompile(`(?m)^plain .* not used\s*$`).MatchString(list) || !regexp.MustCompile(`(?m)^secure .* verified\s*$`).MatchString(list) {
		t.Errorf("instances list should say TLS is not used for plain http and verified for the other:\n%s", list)
	}
}

func TestAddingAPlainHTTPInstanceWarnsThatThePasswordTravelsInClear(t *testing.T) {
	config := filepath.Join(t.TempDir(), "instances.json")
	add := func(id, url string) binRun {
		return runCLI(t, config, "instances", "add", "--id", id, "--name", id, "--url", url, "--username", "admin", "--password-env", testPasswordEnv)
	}
	remote := add("remote", "http://grafana.example.com:3000/")
	if remote.code != 0 || !strings.Contains(remote.stderr, "password for http://grafana.example.com:3000/ travels in clear") {
		t.Errorf("exit %d; stderr should warn that the password travels in clear:\n%s", remote.code, remote.stderr)
	}
	for i, url := range []string{"http://127.0.0.1:3000/", "http://localhost:3000/", "http://[::1]:3000/", "https://grafana.example.com/"} {
		if r := add(fmt.Sprint("quiet-", i), url); r.code != 0 || strings.Contains(r.stderr, "Warning") {
			t.Errorf("adding %s: exit %d, stderr %q; want no warning (loopback or https)", url, r.code, r.stderr)
		}
	}
}

func TestAHandEditedListWithADuplicateIDIsRefused(t *testing.T) {
	eu, us := grafana(t), grafana(t)
	content := fmt.Sprintf(`{"version":1,"instances":[
  {"id":"prod","name":"Prod EU","url":"%s/","auth":"basic","username":"admin","password_env":"%s"},
  {"id":"prod","name":"Prod US","url":"%s/","auth":"basic","username":"admin","password_env":"%s"}]}`,
		eu.URL, testPasswordEnv, us.URL, testPasswordEnv)
	config := handEditedFile(t, content)
	names := []string{`id "prod"`, `entry 1 ("Prod EU" at ` + eu.URL + `/)`, `entry 2 ("Prod US" at ` + us.URL + `/)`}

	check := runCLI(t, config, "check", "--format", "prometheus")
	if check.code != 3 {
		t.Errorf("check exit %d, want 3 (unknown)", check.code)
	}
	for _, want := range names {
		if !strings.Contains(check.stderr, want) {
			t.Errorf("check's stderr does not name %s:\n%s", want, check.stderr)
		}
	}
	if strings.Contains(check.stdout, `instance="prod"`) {
		t.Errorf("check reported series for a refused list:\n%s", check.stdout)
	}
	if n := len(eu.Requests()) + len(us.Requests()); n != 0 {
		t.Errorf("%d requests went to instances of a refused list", n)
	}
	remove := runCLI(t, config, "instances", "remove", "prod")
	if remove.code == 0 {
		t.Errorf("instances remove succeeded on a refused list:\n%s", remove.stdout)
	}
	if got, _ := os.ReadFile(config); string(got) != content {
		t.Errorf("the file changed:\n%s", got)
	}
}

// rawControl finds a control character other than the line breaks and tabs
// a report is laid out with.
var rawControl = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e]")

func TestControlCharactersAreRefusedAtInputAndEscapedInEveryOutput(t *testing.T) {
	const evil = "Prod\x1b[31m EU\nforged  row\u202e"
	srv := grafana(t)

	t.Run("add refuses them and caps lengths", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), "instances.json")
		for field, args := range map[string][]string{
			"name":     {"--name", evil, "--url", srv.URL + "/", "--username", "admin"},
			"username": {"--name", "Prod", "--url", srv.URL + "/", "--username", "ad\x1bmin"},
			"url":      {"--name", "Prod", "--url", srv.URL + "/\u0085", "--username", "admin"},
			"long":     {"--name", strings.Repeat("n", 100_000), "--url", srv.URL + "/", "--username", "admin"},
		} {
			r := runCLI(t, config, append([]string{"instances", "add", "--password-env", testPasswordEnv}, args...)...)
			if r.code == 0 {
				t.Errorf("%s: the instance was added", field)
			}
			if rawControl.MatchString(r.stdout + r.stderr) {
				t.Errorf("%s: the output holds a raw control character: %q", field, r.stderr)
			}
			if len(r.stderr) > 2000 {
				t.Errorf("%s: the refusal echoes the input (%d bytes)", field, len(r.stderr))
			}
		}
		if _, err := os.Stat(config); err == nil {
			t.Error("a refused add wrote the list")
		}
	})

	t.Run("import refuses them", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), "instances.json")
		list, _ := json.Marshal(map[string]any{"version": 1, "instances": []app.Instance{adminOf("prod", evil, srv)}})
		file := filepath.Join(t.TempDir(), "list.json")
		if err := os.WriteFile(file, list, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, config, "instances", "import", file)
		if r.code == 0 || !strings.Contains(r.stderr, "control characters") || rawControl.MatchString(r.stdout+r.stderr) {
			t.Errorf("exit %d; want a refusal naming control characters, escaped:\n%q", r.code, r.stderr)
		}
	})

	t.Run("whatever the store holds is escaped", func(t *testing.T) {
		inst := adminOf("prod", evil, srv)
		raw, _ := json.Marshal(map[string]any{"version": 1, "instances": []app.Instance{inst}})
		config := handEditedFile(t, string(raw))
		for _, args := range [][]string{
			{"instances", "list"},
			{"check"},
			{"check", "--format", "prometheus"},
			{"renew", "prod"},
			{"delete", "prod", "--yes"},
			{"instances", "remove", "prod"},
		} {
			r := runCLI(t, config, args...)
			out := r.stdout + r.stderr
			if rawControl.MatchString(out) {
				t.Errorf("%v: a raw control character reached the terminal:\n%q", args, out)
			}
			if strings.Contains(out, "\nforged") {
				t.Errorf("%v: the name's line break forged a line:\n%s", args, out)
			}
			// Prometheus escapes the escape's backslash once more.
			if !strings.Contains(strings.ReplaceAll(out, `\\`, `\`), `Prod\x1b[31m EU`) {
				t.Errorf("%v: the name is not shown escaped:\n%s", args, out)
			}
		}
	})
}

func TestAQueryOrFragmentInAHandEditedURLIsRefusedAndNeverPrinted(t *testing.T) {
	query, fragment := grafana(t), grafana(t)
	const secret = "s3cretQ"
	content := fmt.Sprintf(`{"version":1,"instances":[
  {"id":"query","name":"Query","url":"%s/?token=%s","auth":"basic","username":"admin","password_env":"%s"},
  {"id":"fragment","name":"Fragment","url":"%s/#%s","auth":"basic","username":"admin","password_env":"%s"}]}`,
		query.URL, secret, testPasswordEnv, fragment.URL, secret, testPasswordEnv)
	config := handEditedFile(t, content)

	js := runCLI(t, config, "check", "--format", "json")
	var doc struct {
		Instances []struct{ ID, URL, State, Message string }
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, js.stdout)
	}
	want := map[string]string{"query": query.URL + "/", "fragment": fragment.URL + "/"}
	for _, in := range doc.Instances {
		if in.URL != want[in.ID] || in.State != "unknown" || !strings.Contains(in.Message, "without ?… or #…") {
			t.Errorf("%s: url %q, %s %q; want %q, unknown because the URL is not a root URL", in.ID, in.URL, in.State, in.Message, want[in.ID])
		}
	}
	if n := len(query.Requests()) + len(fragment.Requests()); n != 0 {
		t.Errorf("%d requests went to URLs the add form would have refused", n)
	}
	for _, args := range [][]string{{"check", "--format", "json"}, {"check"}, {"instances", "list"}} {
		if r := runCLI(t, config, args...); strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("%v prints a URL's query or fragment:\n%s%s", args, r.stdout, r.stderr)
		}
	}
}

func TestSkipVerifyWarnsWhenAddedAndInCheck(t *testing.T) {
	srv := grafana(t, grafanatest.WithTLS())
	config := filepath.Join(t.TempDir(), "instances.json")
	add := runCLI(t, config, "instances", "add", "--id", "lab", "--name", "Lab", "--url", srv.URL+"/", "--username", "admin",
		"--password-env", testPasswordEnv, "--insecure-skip-verify")
	const warning = "is not verified (insecure_skip_verify)"
	if add.code != 0 || !strings.Contains(add.stderr, "Warning: the TLS certificate of "+srv.URL+"/ "+warning) {
		t.Errorf("add: exit %d; stderr should warn that the certificate is not verified:\n%s", add.code, add.stderr)
	}
	check := runCLI(t, config, "check")
	if check.code != 0 || !strings.Contains(check.stdout, "Warning: Lab (lab): the TLS certificate of "+srv.URL+"/ "+warning) {
		t.Errorf("check: exit %d; the report should warn that the certificate is not verified:\n%s%s", check.code, check.stdout, check.stderr)
	}
}

// Adding an instance whose secret the keyring cannot take adds nothing: the
// real binary on a machine whose D-Bus session has no Secret Service says
// so, says how to go on, leaves instances.json as it was and never echoes
// the secret it was given.
func TestAddWithoutAKeyringAddsNothingAndSaysHowToGoOn(t *testing.T) {
	srv := grafana(t)
	config := instancesFile(t, adminOf("prod", "Prod", srv))
	before, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "s3cret-never-echoed"
	r := runBinary(t, []string{"LICENSEDESK_CONFIG=" + config,
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-bus")}, secret+"\n",
		"instances", "add", "--name", "Staging", "--url", srv.URL+"/", "--username", "admin", "--secret-stdin")
	if r.code != 1 {
		t.Errorf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"Nothing was added", "--password-env", "keep it for this session only"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if after, _ := os.ReadFile(config); string(after) != string(before) {
		t.Errorf("instances.json changed although nothing was added:\n%s", after)
	}
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Error("the secret was echoed")
	}
}
