package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/cli"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// Canaries: credentials no output, file or log may ever hold.
const (
	leakUser      = "leak-admin"
	leakPassword  = "lk-PASSWORD-9f3b7a2e51"
	leakToken     = "glsa_LEAKCANARY_5e0c4d8b77"
	leakWrongPass = "lk-WRONGPASS-1a2b3c4d5e" // a mistyped password is a secret too
)

var leakNeedles = []string{
	leakPassword, leakToken, leakWrongPass,
	base64.StdEncoding.EncodeToString([]byte(leakUser + ":" + leakPassword)),
	base64.StdEncoding.EncodeToString([]byte(leakUser + ":" + leakWrongPass)),
}

// leakWorld is everything a secret could escape into: a throwaway HOME with
// the config inside, the command line's streams, the log, and the texts the
// window and notifications show.
type leakWorld struct {
	t       *testing.T
	home    string
	cfgFile string
	secrets *vault.Memory
	stdout  bytes.Buffer
	stderr  bytes.Buffer
	logs    bytes.Buffer

	mu    sync.Mutex
	shown []string // messages, errors and notifications the window shows
}

func newLeakWorld(t *testing.T) *leakWorld {
	w := &leakWorld{t: t, home: t.TempDir(), secrets: vault.NewMemory()}
	t.Setenv("HOME", w.home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(w.home, ".config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(w.home, ".cache"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(w.home, ".local", "state"))
	t.Setenv("LICENSEDESK_CONFIG", "")
	w.cfgFile = filepath.Join(w.home, ".config", "licensedesk", "instances.json")

	flags, prefix, out := log.Flags(), log.Prefix(), log.Writer()
	log.SetOutput(&w.logs)
	defaultLogger := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&w.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() {
		log.SetOutput(out)
		log.SetFlags(flags)
		log.SetPrefix(prefix)
		slog.SetDefault(defaultLogger)
	})
	return w
}

// run runs one command line, with stdin, against the world; the config is
// found the default way, in the user config folder under HOME.
func (w *leakWorld) run(stdin string, args ...string) int {
	w.t.Helper()
	return cli.Main(append([]string{"licensedesk"}, args...), nil, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &w.stdout, Stderr: &w.stderr,
		Getenv: func(k string) string {
			if k == "LICENSEDESK_LK_TOKEN" {
				return leakToken
			}
			return os.Getenv(k)
		},
		Secrets: w.secrets,
	})
}

// mustRun runs a command line that must exit with code.
func (w *leakWorld) mustRun(code int, stdin string, args ...string) {
	w.t.Helper()
	before := w.stderr.Len()
	if got := w.run(stdin, args...); got != code {
		w.t.Errorf("licensedesk %s exited %d, want %d; stderr:\n%s", strings.Join(args, " "), got, code, w.stderr.String()[before:])
	}
}

// show keeps a text the window would show; engine callbacks call it from any goroutine.
func (w *leakWorld) show(format string, a ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.shown = append(w.shown, fmt.Sprintf(format, a...))
}

// search fails the test for every place a canary turned up.
func (w *leakWorld) search() {
	w.t.Helper()
	places := map[string]string{
		"stdout": w.stdout.String(), "stderr": w.stderr.String(), "the log": w.logs.String(),
		"what the window shows": strings.Join(w.shown, "\n"),
	}
	files := 0
	err := filepath.WalkDir(w.home, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		places[path] = string(data)
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	// The search must have had something to search.
	if files < 3 {
		w.t.Errorf("only %d files were written under HOME; the flows did not run", files)
	}
	for place, text := range places {
		for _, needle := range leakNeedles {
			if i := strings.Index(text, needle); i >= 0 {
				w.t.Errorf("%s holds the secret %q: …%s…", place, needle, text[max(0, i-120):min(len(text), i+len(needle)+40)])
			}
		}
	}
}

// leakServers are the Grafanas the flows meet: a healthy one, and the error
// cases where leaks happen — a 401 that echoes the credentials back, a TLS
// failure, a redirect to another host.
type leakServers struct {
	good, echoBasic, echoBearer, tls, redirect, other *grafanatest.Server
}

func newLeakServers(t *testing.T) *leakServers {
	t.Helper()
	start := func(opts ...grafanatest.Option) *grafanatest.Server {
		s := grafanatest.New(append([]grafanatest.Option{
			grafanatest.WithUser(leakUser, leakPassword, grafanatest.RoleServerAdmin),
			grafanatest.WithBearer(leakToken, grafanatest.RoleServerAdmin),
		}, opts...)...)
		t.Cleanup(s.Close)
		return s
	}
	s := &leakServers{good: start(), tls: start(grafanatest.WithTLS())}
	s.other = start(grafanatest.WithListenAddr("127.0.0.2:0"))
	// Broken proxies or SSO gateways that quote the credentials they were sent.
	echo := base64.StdEncoding.EncodeToString([]byte(leakUser + ":" + leakPassword))
	s.echoBasic = start(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 401,
		Body: fmt.Sprintf(`{"message":"Authorization: Basic %s (user %s, password %s) rejected"}`, echo, leakUser, leakPassword)}))
	s.echoBearer = start(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 403,
		ContentType: "text/html", Body: fmt.Sprintf(`<html><title>Denied</title><body>Bearer %s is not allowed here</body></html>`, leakToken)}))
	s.redirect = start(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultRedirect,
		Location: s.other.URL + "/login?password=" + leakPassword + "&token=" + leakToken}))
	return s
}

// TestNoSecretLeaksFromAnyVerb drives every command-line verb, in every
// format, with a known password and token, through successes and the
// failures where leaks happen, then searches every file under HOME, stdout,
// stderr and the log for them.
func TestNoSecretLeaksFromAnyVerb(t *testing.T) {
	w := newLeakWorld(t)
	s := newLeakServers(t)
	jwt := filepath.Join(t.TempDir(), "license.jwt")
	claims := grafanatest.DefaultClaims(time.Now())
	claims.Subject = s.good.URL + "/"
	if err := os.WriteFile(jwt, []byte(grafanatest.IssueJWT(claims)), 0o600); err != nil {
		t.Fatal(err)
	}

	w.mustRun(0, "", "--version")
	add := func(stdin, id, url string, extra ...string) {
		w.mustRun(0, stdin+"\n", append([]string{"instances", "add", "--id", id, "--name", id, "--url", url, "--timeout", "5"}, extra...)...)
	}
	add(leakPassword, "prod-eu", s.good.URL, "--username", leakUser, "--secret-stdin")
	add("", "prod-us", s.good.URL, "--auth", "bearer", "--token-env", "LICENSEDESK_LK_TOKEN")
	add(leakToken, "bearer-kept", s.good.URL, "--auth", "bearer", "--secret-stdin")
	add(leakWrongPass, "mistyped", s.good.URL, "--username", leakUser, "--secret-stdin")
	add(leakPassword, "echoes", s.echoBasic.URL, "--username", leakUser, "--secret-stdin")
	add(leakToken, "echoes-bearer", s.echoBearer.URL, "--auth", "bearer", "--secret-stdin")
	add(leakPassword, "private-ca", s.tls.URL, "--username", leakUser, "--secret-stdin")
	add(leakToken, "redirects", s.redirect.URL, "--auth", "bearer", "--secret-stdin")
	// Credentials pasted into the URL are refused without being repeated.
	w.mustRun(1, leakPassword+"\n", "instances", "add", "--name", "Pasted", "--username", leakUser, "--secret-stdin",
		"--url", "https://"+leakUser+":"+leakPassword+"@grafana.example.com/")
	// A token pasted where the variable's name belongs is refused too.
	w.mustRun(1, "", "instances", "add", "--name", "Pasted env", "--url", s.good.URL, "--auth", "bearer", "--token-env", leakToken)

	w.mustRun(0, "", "instances", "list")
	w.mustRun(0, "", "instances", "list", "--format", "json")
	for _, format := range []string{"text", "json", "prometheus"} {
		w.mustRun(3, "", "check", "--format", format) // some instances cannot be read: unknown
	}
	w.mustRun(0, "", "check", "--instance", "prod-eu", "--instance", "prod-us", "--instance", "bearer-kept")

	w.mustRun(0, "", "renew", "prod-eu")
	w.mustRun(0, "", "upload", "prod-us", "--token-file", jwt)
	w.mustRun(1, leakToken, "upload", "bearer-kept", "--token-file", "-") // a token on stdin is not a license
	for _, id := range []string{"mistyped", "echoes", "echoes-bearer", "private-ca", "redirects"} {
		w.mustRun(1, "", "renew", id)
		w.mustRun(1, "", "upload", id, "--token-file", jwt)
		w.mustRun(1, "", "delete", id, "--yes")
	}
	w.mustRun(1, "", "delete", "prod-eu", "--yes", "--root-url", "https://wrong.example.com/")
	w.mustRun(0, "", "delete", "prod-eu", "--yes")

	exported := filepath.Join(w.home, "exported.json")
	before := w.stdout.Len()
	w.mustRun(0, "", "instances", "export")
	export := w.stdout.String()[before:]
	if err := os.WriteFile(exported, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	w.mustRun(0, "", "--config", filepath.Join(w.home, "elsewhere", "instances.json"), "instances", "import", exported)
	w.mustRun(0, "", "instances", "remove", "prod-us")
	w.mustRun(0, "", "instances", "remove", "mistyped")

	if !strings.Contains(w.stderr.String(), "did not follow") || !strings.Contains(w.stderr.String(), "TLS") ||
		!strings.Contains(w.stderr.String(), "401") {
		t.Errorf("the error cases did not all happen:\n%s", w.stderr.String())
	}
	w.search()
}

// TestNoSecretLeaksFromTheWindowsFlows drives the engine the way the window
// does — add, test connection, refresh, renew, upload, remove license,
// remove instance, export — with the history and notification state on
// disk, and searches everything for the secrets.
func TestNoSecretLeaksFromTheWindowsFlows(t *testing.T) {
	w := newLeakWorld(t)
	s := newLeakServers(t)
	svc, err := app.NewService(app.Config{
		StorePath: w.cfgFile,
		Secrets:   w.secrets,
		History:   history.OpenHistory(history.HistoryPath(w.cfgFile)),
		Source:    history.SourceWindow,
	})
	if err != nil {
		t.Fatal(err)
	}
	notifier, err := watch.LoadNotifyState(watch.NotifyStatePath(w.cfgFile))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	basic := func(id, url string) app.Instance {
		return app.Instance{ID: id, Name: id, URL: url + "/", Auth: app.AuthBasic, Username: leakUser, TimeoutSeconds: 5}
	}
	bearer := func(id, url string) app.Instance {
		return app.Instance{ID: id, Name: id, URL: url + "/", Auth: app.AuthBearer, TimeoutSeconds: 5}
	}
	type added struct {
		inst   app.Instance
		secret string
	}
	all := []added{
		{basic("prod-eu", s.good.URL), leakPassword},
		{bearer("prod-us", s.good.URL), leakToken},
		{basic("mistyped", s.good.URL), leakWrongPass},
		{basic("echoes", s.echoBasic.URL), leakPassword},
		{bearer("echoes-bearer", s.echoBearer.URL), leakToken},
		{basic("private-ca", s.tls.URL), leakPassword},
		{bearer("redirects", s.redirect.URL), leakToken},
	}
	for _, a := range all {
		// The form's "Test connection" runs before the save.
		st := svc.TestConnection(ctx, a.inst, a.secret)
		w.show("test %s: %s | %v | %+v", a.inst.ID, st.Eval.Message, st.Err, st)
		if err := svc.AddInstance(a.inst, a.secret); err != nil {
			t.Fatal(err)
		}
	}
	// The form refuses a URL holding credentials; its error is shown.
	pasted := basic("pasted", "https://"+leakUser+":"+leakPassword+"@grafana.example.com")
	if err := svc.AddInstance(pasted, leakPassword); err == nil {
		t.Error("an instance whose URL holds a password was saved")
	} else {
		w.show("add pasted: %v", err)
	}

	observe := func(st app.Status) {
		w.show("status %s: %s | %s | %v | %+v", st.Instance.ID, st.Eval.State, st.Eval.Message, st.Err, st)
		for _, n := range notifier.Observe(st, time.Now()) {
			w.show("notification: %s — %s", n.Title, n.Body)
		}
	}
	unsubscribe := svc.Subscribe(observe)
	defer unsubscribe()
	for range 3 { // enough failures in a row to notify "unreadable"
		svc.RefreshAll(ctx, nil, func(_, _ int, st app.Status) { observe(st) })
	}

	jwt := grafanatest.IssueJWT(grafanatest.DefaultClaims(time.Now()))
	for _, a := range all {
		id := a.inst.ID
		st, err := svc.Renew(ctx, id)
		w.show("renew %s: %v | %s", id, err, st.Eval.Message)
		st, err = svc.Upload(ctx, id, jwt)
		w.show("upload %s: %v | %s", id, err, st.Eval.Message)
		st, err = svc.Delete(ctx, id, "https://wrong.example.com/")
		w.show("delete %s: %v | %s | %s", id, err, verdict.Reason(err), st.Eval.Message)
	}
	if _, err := svc.Delete(ctx, "prod-eu", s.good.URL+"/"); err != nil {
		t.Errorf("removing the license: %v", err)
	}
	var export bytes.Buffer
	if err := svc.ExportInstances(&export); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.home, "Documents-export.json"), export.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"mistyped", "redirects"} {
		if err := svc.RemoveInstance(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.HistoryError(); err != nil {
		t.Errorf("the history was not written: %v", err)
	}
	if entries, err := svc.History().Read(""); err != nil || len(entries) < 3*len(all) {
		t.Errorf("the history holds %d entries (%v); the actions did not all run", len(entries), err)
	}
	shown := strings.Join(w.shown, "\n")
	for _, want := range []string{"401", "TLS", "did not follow", "422"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the error case %q never happened", want)
		}
	}
	w.search()
}
