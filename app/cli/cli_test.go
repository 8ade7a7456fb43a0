package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// emulator starts a grafanatest server that ends with the test.
func emulator(t *testing.T, opts ...grafanatest.Option) *grafanatest.Server {
	t.Helper()
	s := grafanatest.New(opts...)
	t.Cleanup(s.Close)
	return s
}

// basicInstance describes srv as an instance signing in as admin.
func basicInstance(id, name string, srv *grafanatest.Server) app.Instance {
	return app.Instance{ID: id, Name: name, URL: srv.URL + "/", Auth: app.AuthBasic, Username: "admin"}
}

// saveConfig writes list to a fresh instances.json and returns its path.
func saveConfig(t *testing.T, list ...app.Instance) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "licensedesk", "instances.json")
	if err := config.NewStore(path).Save(list); err != nil {
		t.Fatalf("saving the config: %v", err)
	}
	return path
}

// cliRun is one command-line run's outcome.
type cliRun struct {
	code           int
	stdout, stderr string
}

// testEnv is a headless environment whose keyring is in memory.
type testEnv struct {
	secrets  *vault.Memory
	stdin    string
	terminal bool
	vars     map[string]string
	gui      app.GUIFunc
}

func newTestEnv() *testEnv {
	return &testEnv{secrets: vault.NewMemory(), vars: map[string]string{}}
}

// keep stores secret in the test keyring for each instance, bound to its address.
func (e *testEnv) keep(secret string, list ...app.Instance) {
	for _, inst := range list {
		e.secrets.Set(vault.KeyFor(inst), secret)
	}
}

func (e *testEnv) run(t *testing.T, args ...string) cliRun {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(append([]string{"licensedesk"}, args...), e.gui, Env{
		Stdin:           strings.NewReader(e.stdin),
		Stdout:          &out,
		Stderr:          &errOut,
		StdinIsTerminal: e.terminal,
		Getenv:          func(k string) string { return e.vars[k] },
		UserConfigDir:   func() (string, error) { return filepath.Join(t.TempDir(), "userconfig"), nil },
		Secrets:         e.secrets,
	})
	return cliRun{code: code, stdout: out.String(), stderr: errOut.String()}
}

// checkFleet is four emulated instances, one per state, and their config.
type checkFleet struct {
	env                              *testEnv
	cfgFile                          string
	healthy, warning, expired, authz *grafanatest.Server
}

func newCheckFleet(t *testing.T) *checkFleet {
	t.Helper()
	now := time.Now()
	soon := grafanatest.DefaultClaims(now)
	soon.Company = "Acme Analytics"
	soon.LicenseExpiry = now.Add(12*24*time.Hour + time.Hour)
	expired := grafanatest.DefaultClaims(now)
	expired.LicenseExpiry = now.Add(-48 * time.Hour)

	f := &checkFleet{
		env:     newTestEnv(),
		healthy: emulator(t),
		warning: emulator(t, grafanatest.WithClaims(soon)),
		expired: emulator(t, grafanatest.WithClaims(expired)),
		authz:   emulator(t),
	}
	good := []app.Instance{
		basicInstance("prod-eu", "Prod EU", f.healthy),
		basicInstance("prod-us", "Prod US", f.warning),
		basicInstance("legacy", "Legacy DC", f.expired),
	}
	sandbox := basicInstance("sandbox", "Dev Sandbox", f.authz)
	f.env.keep("admin", good...)
	f.env.keep("wrong-password", sandbox)
	f.cfgFile = saveConfig(t, append(good, sandbox)...)
	return f
}

func TestCheckJSONReportsEachInstanceAndTheWorstExitCode(t *testing.T) {
	f := newCheckFleet(t)

	r := f.env.run(t, "--config", f.cfgFile, "check", "--format", "json")

	if r.code != 2 {
		t.Fatalf("exit code = %d, want 2 (an instance is critical); stderr: %s", r.code, r.stderr)
	}
	var doc struct {
		CheckedAt string                       `json:"checked_at"`
		Instances []map[string]json.RawMessage `json:"instances"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	if _, err := time.Parse(time.RFC3339, doc.CheckedAt); err != nil {
		t.Errorf("checked_at %q is not RFC3339", doc.CheckedAt)
	}
	wantState := map[string]string{"prod-eu": "ok", "prod-us": "warning", "legacy": "critical", "sandbox": "unknown"}
	if len(doc.Instances) != len(wantState) {
		t.Fatalf("got %d instances, want %d", len(doc.Instances), len(wantState))
	}
	byID := map[string]map[string]json.RawMessage{}
	for _, inst := range doc.Instances {
		for _, key := range []string{"id", "name", "url", "state", "message", "license_expires", "license_days_left",
			"token_expires", "token_days_left", "http_status", "token"} {
			if _, ok := inst[key]; !ok {
				t.Errorf("instance %s lacks %q", inst["id"], key)
			}
		}
		var id string
		json.Unmarshal(inst["id"], &id)
		byID[id] = inst
	}
	str := func(raw json.RawMessage) string {
		var s string
		json.Unmarshal(raw, &s)
		return s
	}
	for id, want := range wantState {
		if got := str(byID[id]["state"]); got != want {
			t.Errorf("%s: state = %q, want %q (message %s)", id, got, want, byID[id]["message"])
		}
	}

	warn := byID["prod-us"]
	if got := string(warn["license_days_left"]); got != "12" {
		t.Errorf("prod-us license_days_left = %s, want 12", got)
	}
	if lexp, err := time.Parse(time.RFC3339, str(warn["license_expires"])); err != nil || time.Until(lexp) < 12*24*time.Hour {
		t.Errorf("prod-us license_expires = %s, want an RFC3339 time 12 days out", warn["license_expires"])
	}
	if string(warn["http_status"]) != "200" {
		t.Errorf("prod-us http_status = %s, want 200", warn["http_status"])
	}
	var token map[string]json.RawMessage
	if err := json.Unmarshal(warn["token"], &token); err != nil {
		t.Fatalf("token is not an object: %s", warn["token"])
	}
	for _, field := range []string{"status", "jti", "sub", "exp", "lexp", "company", "lic_exp_warn_days", "anonymousRatio"} {
		if _, ok := token[field]; !ok {
			t.Errorf("token lacks Grafana's field %q: %s", field, warn["token"])
		}
	}
	if str(token["company"]) != "Acme Analytics" {
		t.Errorf("token company = %s, want Grafana's value", token["company"])
	}

	unread := byID["sandbox"]
	for _, key := range []string{"license_expires", "license_days_left", "token_expires", "token_days_left", "token"} {
		if string(unread[key]) != "null" {
			t.Errorf("sandbox %s = %s, want null (never read)", key, unread[key])
		}
	}
	if string(unread["http_status"]) != "401" {
		t.Errorf("sandbox http_status = %s, want 401", unread["http_status"])
	}
	if e := str(unread["error"]); !strings.Contains(e, "401") {
		t.Errorf("sandbox error = %q, want the 401 explained", e)
	}
	if m := str(unread["message"]); !strings.Contains(strings.ToLower(m), "credentials") {
		t.Errorf("sandbox message = %q, want it to say to check the credentials", m)
	}
	if _, ok := byID["prod-eu"]["error"]; ok {
		t.Errorf("a readable instance carries an error: %s", byID["prod-eu"]["error"])
	}
	if strings.Contains(r.stdout, "wrong-password") {
		t.Error("the output holds a secret")
	}
}

func TestCheckExitCodeFollowsTheWorstState(t *testing.T) {
	f := newCheckFleet(t)
	cases := []struct {
		ids  []string
		want int
	}{
		{[]string{"prod-eu"}, 0},
		{[]string{"prod-eu", "prod-us"}, 1},
		{[]string{"prod-eu", "prod-us", "sandbox"}, 3},
		{[]string{"sandbox", "legacy"}, 2},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.ids, "+"), func(t *testing.T) {
			args := []string{"check", "--config", f.cfgFile}
			for _, id := range c.ids {
				args = append(args, "--instance", id)
			}
			r := f.env.run(t, args...)
			if r.code != c.want {
				t.Errorf("exit code = %d, want %d\n%s%s", r.code, c.want, r.stdout, r.stderr)
			}
			for _, id := range c.ids {
				if !strings.Contains(r.stdout, id) {
					t.Errorf("output lacks %s:\n%s", id, r.stdout)
				}
			}
		})
	}
}

func TestCheckTextIsAnAlignedTable(t *testing.T) {
	f := newCheckFleet(t)

	r := f.env.run(t, "check", "--config", f.cfgFile)

	if r.code != 2 {
		t.Errorf("exit code = %d, want 2", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 5 {
		t.Fatalf("want a header and 4 rows, got:\n%s", r.stdout)
	}
	header := lines[0]
	for _, col := range []string{"INSTANCE", "STATE", "LICENSE EXPIRES", "TOKEN EXPIRES", "MESSAGE"} {
		if !strings.Contains(header, col) {
			t.Errorf("header lacks %s: %q", col, header)
		}
	}
	stateCol := strings.Index(header, "STATE")
	rows := map[string]string{}
	for _, l := range lines[1:5] {
		if len(l) <= stateCol {
			t.Fatalf("short row %q", l)
		}
		rows[strings.Fields(l[stateCol:])[0]] += l + "\n"
	}
	for _, want := range []string{"ok", "warning", "critical", "unknown"} {
		if rows[want] == "" {
			t.Errorf("no row has state %q in the STATE column:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(rows["warning"], "Prod US (prod-us)") || !strings.Contains(rows["warning"], "(in 12 days)") {
		t.Errorf("the warning row should name Prod US and its 12 days left: %q", rows["warning"])
	}
	if !strings.Contains(rows["critical"], "(expired 2 days ago)") {
		t.Errorf("the expired license should read as expired 2 days ago: %q", rows["critical"])
	}
	if !regexp.MustCompile(`1 critical, 1 unknown, 1 warning, 1 ok`).MatchString(r.stdout) {
		t.Errorf("no summary line:\n%s", r.stdout)
	}
}

func TestCheckPrometheusTextfile(t *testing.T) {
	srv := emulator(t)
	env := newTestEnv()
	inst := basicInstance("prod-eu", `Prod "EU" \ main`, srv)
	down := app.Instance{ID: "down", Name: "Down", URL: "http://127.0.0.1:1/", Auth: app.AuthBasic, Username: "admin"}
	env.keep("admin", inst, down)
	cfgFile := saveConfig(t, inst, down)

	r := env.run(t, "check", "--config", cfgFile, "--format", "prometheus")

	if r.code != 3 {
		t.Errorf("exit code = %d, want 3 (one instance cannot be reached)", r.code)
	}
	claims, _ := srv.Claims()
	label := `{instance="prod-eu",name="Prod \"EU\" \\ main"}`
	for _, want := range []string{
		"# HELP licensedesk_license_expiry_timestamp_seconds ",
		"# TYPE licensedesk_license_expiry_timestamp_seconds gauge",
		"licensedesk_license_expiry_timestamp_seconds" + label + " " + itoa(claims.LicenseExpiry.Unix()),
		"# TYPE licensedesk_token_expiry_timestamp_seconds gauge",
		"licensedesk_token_expiry_timestamp_seconds" + label + " " + itoa(claims.TokenExpiry.Unix()),
		"# TYPE licensedesk_instance_state gauge",
		"licensedesk_instance_state" + label + " 0",
		`licensedesk_instance_state{instance="down",name="Down"} 3`,
		"# TYPE licensedesk_check_timestamp_seconds gauge",
	} {
		if !strings.Contains(r.stdout, want) || !strings.HasPrefix(want, "# HELP") && !strings.Contains(r.stdout, want+"\n") {
			t.Errorf("output lacks line %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, `licensedesk_license_expiry_timestamp_seconds{instance="down"`) {
		t.Error("an unread instance has a made-up expiry")
	}
	if !regexp.MustCompile(`(?m)^licensedesk_check_timestamp_seconds \d{10}$`).MatchString(r.stdout) {
		t.Errorf("no check timestamp:\n%s", r.stdout)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCheckIsNotStalledByAHungInstance(t *testing.T) {
	healthy := emulator(t)
	hung := emulator(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
	env := newTestEnv()
	slow := basicInstance("hung", "Hung", hung)
	slow.TimeoutSeconds = 1
	fine := basicInstance("healthy", "Healthy", healthy)
	env.keep("admin", fine, slow)
	cfgFile := saveConfig(t, fine, slow)

	done := make(chan cliRun, 1)
	go func() { done <- env.run(t, "check", "--config", cfgFile, "--format", "json", "--timeout", "2s") }()
	var r cliRun
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("check never returned: the hung instance stalled it")
	}

	if r.code != 3 {
		t.Errorf("exit code = %d, want 3 (the hung instance is unknown)", r.code)
	}
	var doc checkReport
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, r.stdout)
	}
	got := map[string]checkResult{}
	for _, in := range doc.Instances {
		got[in.ID] = in
	}
	if got["healthy"].State != "ok" {
		t.Errorf("healthy state = %q, want ok", got["healthy"].State)
	}
	if got["hung"].State != "unknown" || !strings.Contains(got["hung"].Message, "in time") {
		t.Errorf("hung = %q %q, want unknown because it did not answer in time", got["hung"].State, got["hung"].Message)
	}
}

func TestCheckUsageErrorsExit3(t *testing.T) {
	env := newTestEnv()
	cfgFile := saveConfig(t)
	for name, args := range map[string][]string{
		"bad format":       {"check", "--format", "xml"},
		"unknown flag":     {"check", "--colour"},
		"stray argument":   {"check", "prod-eu"},
		"unknown instance": {"check", "--instance", "nope"},
		"zero concurrency": {"check", "--concurrency", "0"},
	} {
		t.Run(name, func(t *testing.T) {
			r := env.run(t, append(args, "--config", cfgFile)...)
			if r.code != 3 {
				t.Errorf("exit code = %d, want 3", r.code)
			}
			if !strings.Contains(r.stderr, "licensedesk: ") {
				t.Errorf("stderr should say what was wrong: %q", r.stderr)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	env := newTestEnv()
	cfgFile := saveConfig(t)
	cases := []struct {
		args []string
		want int
		says string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"--frob"}, 2, "unknown flag --frob"},
		{[]string{"instances"}, 2, "needs a subcommand"},
		{[]string{"instances", "dance"}, 2, "unknown instances subcommand"},
		{[]string{"instances", "add", "--secret", "hunter2"}, 2, "flag provided but not defined: -secret"},
		{[]string{"renew"}, 1, "missing argument"},
		{[]string{"delete", "a", "b"}, 1, `unexpected argument "b"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := env.run(t, append([]string{"--config", cfgFile}, c.args...)...)
			if r.code != c.want {
				t.Errorf("exit code = %d, want %d", r.code, c.want)
			}
			if !strings.Contains(r.stderr, c.says) || !strings.Contains(r.stderr, "Usage") {
				t.Errorf("stderr = %q, want %q and the usage", r.stderr, c.says)
			}
			if strings.Contains(r.stderr, "hunter2") {
				t.Error("a secret given as a flag was echoed")
			}
		})
	}
	r := env.run(t, "check", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "-format") {
		t.Errorf("check --help: code %d, stdout %q", r.code, r.stdout)
	}
}

func TestVersion(t *testing.T) {
	oldV, oldC := app.Version, app.Commit
	app.Version, app.Commit = "1.2.3", "abc1234"
	t.Cleanup(func() { app.Version, app.Commit = oldV, oldC })

	r := newTestEnv().run(t, "--version")

	if r.code != 0 || strings.TrimSpace(r.stdout) != "licensedesk 1.2.3 (commit abc1234)" {
		t.Errorf("--version: code %d, stdout %q", r.code, r.stdout)
	}
}

// actionFleet is one healthy instance, one offline, one read by a viewer.
func actionFleet(t *testing.T) (*testEnv, string, map[string]*grafanatest.Server) {
	t.Helper()
	srv := map[string]*grafanatest.Server{
		"prod-eu": emulator(t),
		"plant":   emulator(t, grafanatest.WithOffline()),
		"viewer":  emulator(t),
	}
	env := newTestEnv()
	viewer := basicInstance("viewer", "Reporting", srv["viewer"])
	viewer.Username = "viewer"
	prod, plant := basicInstance("prod-eu", "Prod EU", srv["prod-eu"]), basicInstance("plant", "Plant", srv["plant"])
	env.keep("admin", prod, plant)
	env.keep("viewer", viewer)
	cfgFile := saveConfig(t, prod, plant, viewer)
	return env, cfgFile, srv
}

func TestRenew(t *testing.T) {
	env, cfgFile, srv := actionFleet(t)
	before, _ := srv["prod-eu"].Claims()

	ok := env.run(t, "renew", "prod-eu", "--config", cfgFile)
	offline := env.run(t, "renew", "plant", "--config", cfgFile)
	denied := env.run(t, "renew", "viewer", "--config", cfgFile)
	missing := env.run(t, "renew", "nope", "--config", cfgFile)

	after, _ := srv["prod-eu"].Claims()
	if ok.code != 0 || !strings.Contains(ok.stdout, "Renewed the license token of Prod EU") || after.ID == before.ID {
		t.Errorf("renew prod-eu: code %d, stdout %q, stderr %q; token id %s→%s", ok.code, ok.stdout, ok.stderr, before.ID, after.ID)
	}
	if offline.code != 1 || !strings.Contains(offline.stderr, "grafana.com") || !strings.Contains(offline.stderr, "500") {
		t.Errorf("renew offline: code %d, stderr %q; want 1 and that grafana.com could not be reached", offline.code, offline.stderr)
	}
	if denied.code != 1 || !strings.Contains(denied.stderr, "403") || !strings.Contains(denied.stderr, "permission") {
		t.Errorf("renew as viewer: code %d, stderr %q; want 1 and the missing permission", denied.code, denied.stderr)
	}
	if missing.code != 1 || !strings.Contains(missing.stderr, `no instance has the id "nope"`) {
		t.Errorf("renew unknown id: code %d, stderr %q", missing.code, missing.stderr)
	}
	for _, r := range []cliRun{ok, offline, denied, missing} {
		if strings.Contains(r.stdout+r.stderr, "viewer:viewer") || strings.Contains(r.stdout+r.stderr, "YWRtaW46YWRtaW4") {
			t.Error("output holds a credential")
		}
	}
}

func TestUpload(t *testing.T) {
	env, cfgFile, srv := actionFleet(t)
	dir := t.TempDir()
	fresh := grafanatest.DefaultClaims(time.Now())
	fresh.Company = "Uploaded Corp"
	fresh.Subject = srv["plant"].RootURL()
	good := filepath.Join(dir, "license.jwt")
	os.WriteFile(good, []byte(grafanatest.IssueJWT(fresh)+"\n"), 0o600)
	junk := filepath.Join(dir, "notes.txt")
	os.WriteFile(junk, []byte("hello, this is not a token"), 0o600)

	ok := env.run(t, "upload", "plant", "--token-file", good, "--config", cfgFile)
	notJWT := env.run(t, "upload", "plant", "--token-file", junk, "--config", cfgFile)
	noFile := env.run(t, "upload", "plant", "--config", cfgFile)
	absent := env.run(t, "upload", "plant", "--token-file", filepath.Join(dir, "absent.jwt"), "--config", cfgFile)
	denied := env.run(t, "upload", "viewer", "--token-file", good, "--config", cfgFile)

	if got, _ := srv["plant"].Claims(); ok.code != 0 || got.Company != "Uploaded Corp" || !strings.Contains(ok.stdout, "Uploaded the license token to Plant") {
		t.Errorf("upload: code %d, stdout %q, stderr %q; server company %q", ok.code, ok.stdout, ok.stderr, got.Company)
	}
	if notJWT.code != 1 || !strings.Contains(notJWT.stderr, "not a license token") {
		t.Errorf("upload of a text file: code %d, stderr %q", notJWT.code, notJWT.stderr)
	}
	if noFile.code != 1 || !strings.Contains(noFile.stderr, "--token-file") {
		t.Errorf("upload without a file: code %d, stderr %q", noFile.code, noFile.stderr)
	}
	if absent.code != 1 || !strings.Contains(absent.stderr, "cannot read the token file") {
		t.Errorf("upload of a missing file: code %d, stderr %q", absent.code, absent.stderr)
	}
	if denied.code != 1 || !strings.Contains(denied.stderr, "403") {
		t.Errorf("upload as viewer: code %d, stderr %q", denied.code, denied.stderr)
	}
	jwt, _ := os.ReadFile(good)
	for _, r := range []cliRun{ok, notJWT, noFile, absent, denied} {
		if strings.Contains(r.stdout+r.stderr, strings.TrimSpace(string(jwt))) {
			t.Error("output holds the license token")
		}
	}
}

func TestDeleteConfirms(t *testing.T) {
	t.Run("refuses without --yes when stdin is not a terminal", func(t *testing.T) {
		env, cfgFile, srv := actionFleet(t)
		r := env.run(t, "delete", "prod-eu", "--config", cfgFile)
		if _, loaded := srv["prod-eu"].Claims(); r.code != 1 || !loaded {
			t.Errorf("code %d, license still loaded %v; want 1 and the license kept", r.code, loaded)
		}
		if !strings.Contains(r.stderr, "--yes") {
			t.Errorf("stderr should say --yes is needed: %q", r.stderr)
		}
		if n := len(srv["prod-eu"].Requests()); n != 0 {
			t.Errorf("%d requests reached Grafana without confirmation", n)
		}
	})
	t.Run("--yes deletes and warns about license files", func(t *testing.T) {
		env, cfgFile, srv := actionFleet(t)
		r := env.run(t, "delete", "prod-eu", "--yes", "--config", cfgFile)
		if _, loaded := srv["prod-eu"].Claims(); r.code != 0 || loaded {
			t.Errorf("code %d (stderr %q), license loaded %v; want 0 and removed", r.code, r.stderr, loaded)
		}
		if !strings.Contains(r.stderr, "license.jwt") {
			t.Errorf("stderr should warn that a license.jwt file may still apply: %q", r.stderr)
		}
		if !strings.Contains(r.stdout, "Removed the license of Prod EU") {
			t.Errorf("stdout = %q", r.stdout)
		}
	})
	t.Run("a terminal answer of no keeps the license", func(t *testing.T) {
		env, cfgFile, srv := actionFleet(t)
		env.terminal, env.stdin = true, "n\n"
		r := env.run(t, "delete", "prod-eu", "--config", cfgFile)
		if _, loaded := srv["prod-eu"].Claims(); r.code != 1 || !loaded {
			t.Errorf("code %d, loaded %v; want 1 and kept", r.code, loaded)
		}
		if !strings.Contains(r.stderr, "Remove it? [y/N]") {
			t.Errorf("no question asked: %q", r.stderr)
		}
	})
	t.Run("a terminal answer of yes deletes", func(t *testing.T) {
		env, cfgFile, srv := actionFleet(t)
		env.terminal, env.stdin = true, "yes\n"
		r := env.run(t, "delete", "prod-eu", "--config", cfgFile)
		if _, loaded := srv["prod-eu"].Claims(); r.code != 0 || loaded {
			t.Errorf("code %d (stderr %q), loaded %v; want 0 and removed", r.code, r.stderr, loaded)
		}
	})
	t.Run("a wrong root URL fails with Grafana's 422 explained", func(t *testing.T) {
		env, cfgFile, srv := actionFleet(t)
		r := env.run(t, "delete", "prod-eu", "--yes", "--root-url", "https://elsewhere.example/", "--config", cfgFile)
		if _, loaded := srv["prod-eu"].Claims(); r.code != 1 || !loaded {
			t.Errorf("code %d, loaded %v; want 1 and kept", r.code, loaded)
		}
		if !strings.Contains(r.stderr, "422") || !strings.Contains(r.stderr, "root_url") ||
			!strings.Contains(r.stderr, "Sent: https://elsewhere.example/") || !strings.Contains(r.stderr, "This instance's URL in Licensedesk: "+srv["prod-eu"].URL) {
			t.Errorf("stderr = %q, want the 422 explained with the URL sent and the instance's", r.stderr)
		}
	})
}

func TestInstancesAddListExportImportRemove(t *testing.T) {
	const secret = "s3cret-Passw0rd!"
	srv := emulator(t, grafanatest.WithUser("ops", secret, grafanatest.RoleServerAdmin))
	env := newTestEnv()
	cfgFile := filepath.Join(t.TempDir(), "cfg", "instances.json")

	env.stdin = secret + "\n"
	add := env.run(t, "instances", "add", "--config", cfgFile, "--name", "Prod EU", "--url", srv.URL+"/",
		"--username", "ops", "--timeout", "30s", "--secret-stdin")
	if add.code != 0 || !strings.Contains(add.stdout, "Added instance prod-eu") {
		t.Fatalf("add: code %d, stdout %q, stderr %q", add.code, add.stdout, add.stderr)
	}
	added := app.Instance{ID: "prod-eu", URL: srv.URL + "/", Auth: app.AuthBasic, Username: "ops"}
	if got, _ := env.secrets.Get(vault.KeyFor(added)); got != secret {
		t.Errorf("keyring holds %q, want the secret read from stdin", got)
	}
	env.stdin = ""
	bearer := env.run(t, "instances", "add", "--config", cfgFile, "--name", "CI", "--id", "ci",
		"--url", "https://grafana.ci.example/", "--token-env", "LICENSEDESK_GRAFANA_TOKEN", "--proxy", "http://proxy.example:3128")
	if bearer.code != 0 {
		t.Fatalf("add bearer: code %d, stderr %q", bearer.code, bearer.stderr)
	}
	bad := env.run(t, "instances", "add", "--config", cfgFile, "--name", "Broken", "--url", "ftp://x")
	if bad.code != 1 || !strings.Contains(bad.stderr, "url") {
		t.Errorf("add with a bad URL: code %d, stderr %q", bad.code, bad.stderr)
	}

	list := env.run(t, "instances", "list", "--config", cfgFile)
	if list.code != 0 || !strings.Contains(list.stdout, "prod-eu") || !strings.Contains(list.stdout, "Prod EU") ||
		!strings.Contains(list.stdout, "$LICENSEDESK_GRAFANA_TOKEN") || strings.Contains(list.stdout, "Broken") {
		t.Errorf("list: code %d, stdout:\n%s", list.code, list.stdout)
	}

	check := env.run(t, "check", "--config", cfgFile, "--instance", "prod-eu")
	if check.code != 0 {
		t.Errorf("check of the added instance: code %d\n%s%s", check.code, check.stdout, check.stderr)
	}

	export := env.run(t, "instances", "export", "--config", cfgFile)
	if export.code != 0 {
		t.Fatalf("export: code %d, stderr %q", export.code, export.stderr)
	}
	if strings.Contains(export.stdout, secret) || strings.Contains(export.stdout, "s3cret") {
		t.Fatal("the export holds the secret")
	}
	var exported struct {
		Version   int            `json:"version"`
		Instances []app.Instance `json:"instances"`
	}
	if err := json.Unmarshal([]byte(export.stdout), &exported); err != nil || exported.Version != 1 || len(exported.Instances) != 2 {
		t.Fatalf("export is not the instance list: %v\n%s", err, export.stdout)
	}
	if exported.Instances[0].TimeoutSeconds != 30 || exported.Instances[1].Auth != app.AuthBearer {
		t.Errorf("exported instances lost settings: %+v", exported.Instances)
	}

	exportFile := filepath.Join(t.TempDir(), "export.json")
	os.WriteFile(exportFile, []byte(export.stdout), 0o600)
	other := filepath.Join(t.TempDir(), "other.json")
	imp := env.run(t, "instances", "import", exportFile, "--config", other)
	if imp.code != 0 || !strings.Contains(imp.stdout, "Imported 2") {
		t.Errorf("import: code %d, stdout %q, stderr %q", imp.code, imp.stdout, imp.stderr)
	}
	again := env.run(t, "instances", "import", exportFile, "--config", other)
	if again.code != 0 || !strings.Contains(again.stdout, "Imported 0") {
		t.Errorf("second import should add nothing: %q", again.stdout)
	}
	imported, err := config.NewStore(other).Load()
	if err != nil || len(imported) != 2 || imported[0] != exported.Instances[0] {
		t.Errorf("imported list = %+v, %v", imported, err)
	}
	junk := filepath.Join(t.TempDir(), "junk.json")
	os.WriteFile(junk, []byte("<html>"), 0o600)
	if r := env.run(t, "instances", "import", junk, "--config", other); r.code != 1 || !strings.Contains(r.stderr, "nothing was imported") {
		t.Errorf("import of junk: code %d, stderr %q", r.code, r.stderr)
	}

	rm := env.run(t, "instances", "remove", "prod-eu", "--config", cfgFile)
	if rm.code != 0 {
		t.Errorf("remove: code %d, stderr %q", rm.code, rm.stderr)
	}
	if _, err := env.secrets.Get(vault.KeyFor(added)); err != vault.ErrNoSecret {
		t.Errorf("the removed instance's secret is still kept (err %v)", err)
	}
	left, _ := config.NewStore(cfgFile).Load()
	if len(left) != 1 || left[0].ID != "ci" {
		t.Errorf("after remove the list is %+v", left)
	}
	if r := env.run(t, "instances", "remove", "prod-eu", "--config", cfgFile); r.code != 1 {
		t.Errorf("removing it again: code %d, want 1", r.code)
	}
	data, _ := os.ReadFile(cfgFile)
	if strings.Contains(string(data), secret) {
		t.Error("instances.json holds the secret")
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	srv := emulator(t)
	env := newTestEnv()
	env.vars["LICENSEDESK_GRAFANA_PW"] = "admin"
	inst := basicInstance("prod-eu", "Prod EU", srv)
	inst.PasswordEnv = "LICENSEDESK_GRAFANA_PW"
	env.vars["LICENSEDESK_CONFIG"] = saveConfig(t, inst)

	r := env.run(t, "check")

	if r.code != 0 || !strings.Contains(r.stdout, "Prod EU") {
		t.Errorf("check with LICENSEDESK_CONFIG and a password variable: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCheckReportsACorruptConfigAsUnknown(t *testing.T) {
	env := newTestEnv()
	cfgFile := filepath.Join(t.TempDir(), "instances.json")
	os.WriteFile(cfgFile, []byte(`{"version":1,"instances":[{"id":`), 0o600)

	r := env.run(t, "check", "--config", cfgFile)

	if r.code != 3 || !strings.Contains(r.stderr, "damaged") {
		t.Errorf("code %d, stderr %q; want 3 and the damage reported", r.code, r.stderr)
	}
}

func TestNoVerbOpensTheWindow(t *testing.T) {
	env := newTestEnv()
	cfgFile := saveConfig(t, app.Instance{ID: "a", Name: "A", URL: "https://a.example/", Auth: app.AuthBearer})
	var got app.GUIContext
	env.gui = func(ctx app.GUIContext) error { got = ctx; return nil }

	r := env.run(t, "--config", cfgFile)

	if r.code != 0 || got.Service == nil || got.Demo || len(got.Service.Instances()) != 1 || got.Version != app.Version {
		t.Errorf("code %d, context %+v", r.code, got)
	}
}

func TestExitCodeRanksCriticalOverUnknownOverWarning(t *testing.T) {
	st := func(s client.State) app.Status { return app.Status{Eval: client.Evaluation{State: s}} }
	cases := []struct {
		in   []app.Status
		want int
	}{
		{[]app.Status{st(client.StateOK)}, 0},
		{[]app.Status{st(client.StateOK), st(client.StateWarning)}, 1},
		{[]app.Status{st(client.StateWarning), st(client.StateUnknown)}, 3},
		{[]app.Status{st(client.StateUnknown), st(client.StateCritical), st(client.StateWarning)}, 2},
		{nil, 3},
	}
	for _, c := range cases {
		if got := checkExitCode(c.in); got != c.want {
			t.Errorf("checkExitCode(%v) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestCheckWarnDaysFlagsOverrideGrafana(t *testing.T) {
	now := time.Now()
	c := grafanatest.DefaultClaims(now)
	c.LicenseExpiry = now.Add(45 * 24 * time.Hour)
	srv := emulator(t, grafanatest.WithClaims(c))
	env := newTestEnv()
	x := basicInstance("x", "X", srv)
	env.keep("admin", x)
	cfgFile := saveConfig(t, x)

	plain := env.run(t, "check", "--config", cfgFile)
	strict := env.run(t, "check", "--config", cfgFile, "--license-warn-days", "60")

	if plain.code != 0 || strict.code != 1 {
		t.Errorf("exit codes %d and %d, want 0 with Grafana's 30 warn days and 1 with 60", plain.code, strict.code)
	}
	if n := srv.RequestCount("/api/licensing/refresh-stats"); n != 2 {
		t.Errorf("two checks asked Grafana to count its users %d times, want once each", n)
	}
	env.run(t, "check", "--config", cfgFile, "--no-usage")
	if n := srv.RequestCount("/api/licensing/refresh-stats"); n != 2 {
		t.Errorf("check --no-usage asked Grafana to count its users")
	}
	if n := srv.RequestCount("/api/health"); n != 0 {
		t.Errorf("check read /api/health %d times though every token read succeeded", n)
	}
}

func TestActionsFromTheCommandLineAreRecordedAsSuch(t *testing.T) {
	env, cfgFile, _ := actionFleet(t)
	env.gui = func(app.GUIContext) error { t.Error("a verb opened the window"); return nil }

	env.run(t, "renew", "prod-eu", "--config", cfgFile)
	env.run(t, "renew", "plant", "--config", cfgFile)

	entries, err := history.OpenHistory(history.HistoryPath(cfgFile)).Read("")
	if err != nil || len(entries) != 2 {
		t.Fatalf("history: %v, %d entries", err, len(entries))
	}
	for _, e := range entries {
		if e.Source != history.SourceCLI || e.Action != history.ActionRenew {
			t.Errorf("entry %+v, want a renew from the command line", e)
		}
	}
	if entries[0].Outcome != history.OutcomeFailed || entries[1].Outcome != history.OutcomeOK {
		t.Errorf("outcomes %s, %s; want the offline renew failed and the first ok", entries[0].Outcome, entries[1].Outcome)
	}
}

func TestSkipVerifyIsFlaggedInCheckAndList(t *testing.T) {
	srv := emulator(t, grafanatest.WithTLS())
	env := newTestEnv()
	inst := basicInstance("lab", "Lab", srv)
	env.keep("admin", inst)
	inst.InsecureSkipVerify = true
	cfgFile := saveConfig(t, inst)

	text := env.run(t, "check", "--config", cfgFile)
	if text.code != 0 || !strings.Contains(text.stdout, "[TLS not verified]") {
		t.Errorf("check text should flag skip-verify (exit %d):\n%s%s", text.code, text.stdout, text.stderr)
	}
	js := env.run(t, "check", "--format", "json", "--config", cfgFile)
	if !strings.Contains(js.stdout, `"tls_verified": false`) {
		t.Errorf("check json should say tls_verified false:\n%s", js.stdout)
	}
	list := env.run(t, "instances", "list", "--config", cfgFile)
	if !strings.Contains(list.stdout, "not verified") {
		t.Errorf("instances list should flag skip-verify:\n%s", list.stdout)
	}
}

func TestCheckUsesTheWindowsWarnDaysUnlessAFlagSaysOtherwise(t *testing.T) {
	now := time.Now()
	c := grafanatest.DefaultClaims(now)
	c.LicenseExpiry = now.Add(45 * 24 * time.Hour)
	srv := emulator(t, grafanatest.WithClaims(c))
	env := newTestEnv()
	x := basicInstance("x", "X", srv)
	env.keep("admin", x)
	cfgFile := saveConfig(t, x)
	settings := config.DefaultSettings()
	settings.LicenseWarnDays = 60
	if err := config.SaveSettings(config.SettingsPath(cfgFile), settings); err != nil {
		t.Fatal(err)
	}

	saved := env.run(t, "check", "--config", cfgFile)
	flag := env.run(t, "check", "--config", cfgFile, "--license-warn-days", "30")

	if saved.code != 1 {
		t.Errorf("with 60 warn days saved in the window's settings, exit %d, want 1 (warning):\n%s", saved.code, saved.stdout)
	}
	if flag.code != 0 {
		t.Errorf("--license-warn-days 30 should win over the saved 60: exit %d, want 0", flag.code)
	}
}

// check's text counts down as the window does: under two days in hours, so
// 47 hours never reads as "1 day".
func TestCheckTextCountsHoursNearTheEnd(t *testing.T) {
	claims := grafanatest.DefaultClaims(time.Now())
	claims.TokenExpiry = time.Now().Add(47*time.Hour + 30*time.Minute)
	srv := emulator(t, grafanatest.WithClaims(claims))
	env := newTestEnv()
	inst := basicInstance("soon", "Soon", srv)
	env.keep("admin", inst)
	r := env.run(t, "check", "--config", saveConfig(t, inst))
	if !strings.Contains(r.stdout, "(in 47 hours)") || strings.Contains(r.stdout, "(1 day)") {
		t.Errorf("a token with 47 hours left should read \"in 47 hours\":\n%s", r.stdout)
	}
}
