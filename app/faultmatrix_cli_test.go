package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/cli"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// The matrix's credentials: distinctive, so finding one in output is a leak.
const (
	fmUser     = "fm-admin"
	fmPassword = "fm-Pa55word-7c41e9"
	fmToken    = "glsa_fmTOKEN_2b8d0f6a11"
	fmWrongURL = "https://not-this-grafana.example.com/"
)

// fmEnv is one row's world: the emulated Grafana, the instance as it was
// when its first read worked, and whatever else the row started.
type fmEnv struct {
	srv   *grafanatest.Server
	inst  app.Instance
	other *grafanatest.Server // a second host, for the redirect row
	proxy *fmProxy
}

// fmRow is a fault: how it breaks a working instance (a server fault, or a
// changed setting), the action that meets it, and what must be said.
type fmRow struct {
	name   string
	server []grafanatest.Option
	bearer bool // sign in with a bearer token instead of Basic
	slow   bool // a 1 s per-attempt timeout, for rows that wait for one
	// brk plays the fault after the first good read; edit changes the
	// instance's settings to broken ones.
	brk  func(t *testing.T, e *fmEnv)
	edit func(t *testing.T, e *fmEnv, inst *app.Instance)
	// action is "" for a refresh (check on the command line), "renew" or "delete".
	action string
	// words must appear in the message; none means the fault is harmless
	// (a CA file, skip-verify, a proxy) and everything must work.
	words []string
	check func(t *testing.T, e *fmEnv)
}

func fmFault(f grafanatest.Fault) func(*testing.T, *fmEnv) {
	return func(_ *testing.T, e *fmEnv) { e.srv.SetFault(f) }
}

// fmRows is issue 6's list of faults, as the engine and the command line meet them.
func fmRows() []fmRow {
	return []fmRow{
		{name: "hang", slow: true, brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultHang}),
			words: []string{"did not answer in time", "raise its timeout"}},
		{name: "slow answer past the timeout", slow: true, brk: func(_ *testing.T, e *fmEnv) { e.srv.SetLatency(4 * time.Second) },
			words: []string{"did not answer in time", "raise its timeout"}},
		{name: "401 password changed on the server",
			brk:   func(_ *testing.T, e *fmEnv) { e.srv.SetUser(fmUser, "changed-elsewhere", grafanatest.RoleServerAdmin) },
			words: []string{"401", "refused the username or password", "check the instance's credentials"}},
		{name: "401 invalid API key", bearer: true,
			brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 401,
				Body: `{"message":"Invalid API key","messageId":"api-key.invalid","statusCode":401}`}),
			words: []string{"401", "not valid", "Basic auth with a Grafana Server Admin"}},
		{name: "401 expired API key", bearer: true,
			brk:   func(_ *testing.T, e *fmEnv) { e.srv.ExpireBearer(fmToken) },
			words: []string{"401", "expired", "switch the instance to Basic auth"}},
		{name: "401 bare Unauthorized",
			brk:   fmFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 401, Body: `{"message":"Unauthorized"}`}),
			words: []string{"401", "Check the instance's credentials"}},
		{name: "403 permission taken away",
			brk:   func(_ *testing.T, e *fmEnv) { e.srv.SetUser(fmUser, fmPassword, grafanatest.RoleViewer) },
			words: []string{"403", "licensing:read", "use a Grafana Server Admin"}},
		{name: "404 on renew", action: "renew",
			brk:   func(_ *testing.T, e *fmEnv) { e.srv.ClearLicense() },
			words: []string{"404", "No license is loaded", "upload a license token first"}},
		{name: "422 on delete", action: "delete",
			words: []string{"422", fmWrongURL, "send the root_url from Grafana's configuration"},
			check: func(t *testing.T, e *fmEnv) {
				if _, loaded := e.srv.Claims(); !loaded {
					t.Error("a refused delete removed the license")
				}
			}},
		{name: "429 with Retry-After", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultRetryAfter, Status: 429, RetryAfter: 1}),
			words: []string{"429", "after 3 attempts", "try again later"}},
		{name: "503 with Retry-After", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultRetryAfter, Status: 503, RetryAfter: 1}),
			words: []string{"503", "after 3 attempts", "try again later"}},
		{name: "500", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 500}),
			words: []string{"500", "try again later"}},
		{name: "502", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 502}),
			words: []string{"502", "after 3 attempts", "try again later"}},
		{name: "504", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 504}),
			words: []string{"504", "after 3 attempts", "try again later"}},
		// Port 1, not the emulator's closed port: another test's server may
		// take a closed port over and answer in its place.
		{name: "connection refused", edit: func(_ *testing.T, _ *fmEnv, inst *app.Instance) { inst.URL = "http://127.0.0.1:1/" },
			words: []string{"connection was refused", "check the URL and port", "Grafana is running"}},
		{name: "reset mid-body", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultReset}),
			words: []string{"connection failed", "check the URL and the network"}},
		{name: "invalid JSON, the API doc's own example", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultMalformedJSON}),
			words: []string{"invalid JSON", "check the URL"}},
		{name: "HTML login page with status 200", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultHTML}),
			words: []string{"an HTML page", "login page", "check the URL"}},
		{name: "body over the size cap", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultHugeBody, Size: 32 << 20}),
			words: []string{"over 1 MiB", "check the URL"}},
		{name: "wrong content type", brk: fmFault(grafanatest.Fault{Kind: grafanatest.FaultWrongContentType}),
			words: []string{"text/plain", "not JSON", "check the URL"}},
		{name: "TLS with a self-signed certificate and no CA file", server: []grafanatest.Option{grafanatest.WithTLS()},
			edit:  func(_ *testing.T, _ *fmEnv, inst *app.Instance) { inst.CAFile = "" },
			words: []string{"TLS", "certificate", "set the instance's CA file"}},
		{name: "TLS with the CA file set", server: []grafanatest.Option{grafanatest.WithTLS()}},
		{name: "TLS with skip-verify", server: []grafanatest.Option{grafanatest.WithTLS()},
			edit: func(_ *testing.T, _ *fmEnv, inst *app.Instance) { inst.CAFile, inst.InsecureSkipVerify = "", true }},
		{name: "redirect to another host",
			brk: func(t *testing.T, e *fmEnv) {
				e.other = fmGrafana(t, grafanatest.WithListenAddr("127.0.0.2:0"))
				e.srv.SetFault(grafanatest.Fault{Kind: grafanatest.FaultRedirect, Location: e.other.URL + "/api/licensing/token"})
			},
			words: []string{"redirected to another host", "127.0.0.2", "credentials were not sent there"},
			check: func(t *testing.T, e *fmEnv) {
				for _, r := range e.other.Requests() {
					t.Errorf("the other host saw %s %s (Authorization: %v)", r.Method, r.Path, r.HasAuth)
				}
			}},
		{name: "an explicit proxy",
			edit: func(t *testing.T, e *fmEnv, inst *app.Instance) {
				e.proxy = newFMProxy(t)
				inst.Proxy = e.proxy.URL
			},
			check: func(t *testing.T, e *fmEnv) {
				// One read from the engine, one from check.
				if n := e.proxy.count(e.srv.URL + "/api/licensing/token"); n != 2 {
					t.Errorf("the proxy carried %d token reads, want 2", n)
				}
			}},
		{name: "an explicit proxy that is down",
			edit: func(t *testing.T, _ *fmEnv, inst *app.Instance) {
				// Port 1 is never handed out for :0, so no emulator started
				// meanwhile can take it over and answer in the proxy's place.
				inst.Proxy = "http://127.0.0.1:1"
			},
			words: []string{"proxy failed", "check the instance's proxy setting"}},
	}
}

func fmGrafana(t *testing.T, opts ...grafanatest.Option) *grafanatest.Server {
	t.Helper()
	opts = append([]grafanatest.Option{
		grafanatest.WithUser(fmUser, fmPassword, grafanatest.RoleServerAdmin),
		grafanatest.WithBearer(fmToken, grafanatest.RoleServerAdmin),
	}, opts...)
	s := grafanatest.New(opts...)
	t.Cleanup(s.Close)
	return s
}

// TestFaultMatrixThroughServiceAndCommandLine plays every fault of issue 6
// against an instance that was read once: the engine keeps the last good
// token (stale) and explains, the command line says what to do with the
// right exit code, no secret shows, and no goroutine outlives the row.
func TestFaultMatrixThroughServiceAndCommandLine(t *testing.T) {
	// signal.NotifyContext (renew, delete) starts the signal package's
	// lifelong watcher once; start it before counting.
	_, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	stop()
	baseline := fmSettled()

	for _, row := range fmRows() {
		t.Run(row.name, func(t *testing.T) {
			e := &fmEnv{srv: fmGrafana(t, row.server...)}
			good := app.Instance{ID: "prod-eu", Name: "Prod EU", URL: e.srv.URL + "/", Auth: app.AuthBasic, Username: fmUser, TimeoutSeconds: 5}
			secret := fmPassword
			if row.bearer {
				good.Auth, good.Username, secret = app.AuthBearer, "", fmToken
			}
			if row.slow {
				good.TimeoutSeconds = 1
			}
			if ca := e.srv.CACertPEM(); ca != nil {
				good.CAFile = filepath.Join(t.TempDir(), "ca.pem")
				if err := os.WriteFile(good.CAFile, ca, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			e.inst = good
			broken := good
			if row.edit != nil {
				row.edit(t, e, &broken)
			}

			fmService(t, e, row, good, broken, secret)
			fmCommandLine(t, e, row, broken, secret)
			if row.check != nil {
				row.check(t, e)
			}
		})
		fmNoLeak(t, row.name, baseline)
	}
}

// fmService reads the instance once, breaks it, and checks what the engine keeps and says.
func fmService(t *testing.T, e *fmEnv, row fmRow, good, broken app.Instance, secret string) {
	t.Helper()
	secrets := vault.NewMemory()
	svc, err := app.NewService(app.Config{StorePath: filepath.Join(t.TempDir(), "instances.json"), Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AddInstance(good, secret); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	first := svc.Refresh(ctx, good.ID)
	if first.Err != nil || first.Token == nil || first.Eval.State != client.StateOK {
		t.Fatalf("the first read should work: %v", first.Err)
	}
	if broken != good {
		if err := svc.UpdateInstance(broken, nil); err != nil {
			t.Fatal(err)
		}
	}
	if row.brk != nil {
		row.brk(t, e)
	}

	start := time.Now()
	var st app.Status
	switch row.action {
	case "renew":
		st, err = svc.Renew(ctx, good.ID)
	case "delete":
		st, err = svc.Delete(ctx, good.ID, fmWrongURL)
	default:
		st = svc.Refresh(ctx, good.ID)
		err = st.Err
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the engine took %v to give up", took)
	}
	fmNoSecret(t, "engine error", errText(err), secret)
	fmNoSecret(t, "engine message", st.Eval.Message, secret)

	if len(row.words) == 0 {
		if err != nil || st.Stale || st.Eval.State != client.StateOK {
			t.Fatalf("the engine should still read it: err %v, stale %v, state %v", err, st.Stale, st.Eval.State)
		}
		return
	}
	if err == nil {
		t.Fatal("the engine reported no error")
	}
	fmContains(t, "engine error", err.Error(), row.words...)

	now := svc.Status(good.ID)
	if now.Token == nil || now.Token.ID != first.Token.ID || !now.Token.LicenseExpiry.Equal(first.Token.LicenseExpiry) {
		t.Errorf("the last known token was not kept: %+v", now.Token)
	}
	if row.action == "" {
		if !st.Stale || st.Eval.State != client.StateUnknown {
			t.Errorf("status: stale %v, state %v; want stale and unknown", st.Stale, st.Eval.State)
		}
		fmContains(t, "status message", st.Eval.Message, append(row.words, "showing the token read on")...)
		if !st.Eval.License.At.Equal(first.Eval.License.At) {
			t.Errorf("the stale license expiry %v is not the one read before, %v", st.Eval.License.At, first.Eval.License.At)
		}
	}
}

// fmCommandLine runs the verb that meets the fault and checks its output and exit code.
func fmCommandLine(t *testing.T, e *fmEnv, row fmRow, broken app.Instance, secret string) {
	t.Helper()
	cfgFile := filepath.Join(t.TempDir(), "licensedesk", "instances.json")
	if err := config.NewStore(cfgFile).Save([]app.Instance{broken}); err != nil {
		t.Fatal(err)
	}
	secrets := vault.NewMemory()
	secrets.Set(vault.KeyFor(broken), secret)
	args := []string{"licensedesk", "--config", cfgFile}
	wantCode := 3 // check: unknown
	switch row.action {
	case "renew":
		args, wantCode = append(args, "renew", broken.ID), 1
	case "delete":
		args, wantCode = append(args, "delete", broken.ID, "--yes", "--root-url", fmWrongURL), 1
	default:
		args = append(args, "check")
	}
	if len(row.words) == 0 {
		wantCode = 0
	}
	var out, errOut bytes.Buffer
	code := cli.Main(args, nil, cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv:        func(string) string { return "" },
		UserConfigDir: func() (string, error) { return t.TempDir(), nil },
		Secrets:       secrets,
	})
	all := out.String() + errOut.String()
	fmNoSecret(t, "command-line output", all, secret)
	if code != wantCode {
		t.Fatalf("%s exited %d, want %d:\n%s", strings.Join(args[3:], " "), code, wantCode, all)
	}
	if len(row.words) > 0 {
		fmContains(t, "command-line output", all, row.words...)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func fmContains(t *testing.T, what, s string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(s, w) {
			t.Errorf("%s does not say %q:\n%s", what, w, s)
		}
	}
}

func fmNoSecret(t *testing.T, what, s, secret string) {
	t.Helper()
	if secret != "" && strings.Contains(s, secret) {
		t.Errorf("%s holds the secret: %s", what, s)
	}
}

// fmSettled waits briefly for earlier tests' goroutines to end and returns the count.
func fmSettled() int {
	n := runtime.NumGoroutine()
	for i := 0; i < 50; i++ {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return m
		}
		n = m
	}
	return n
}

// fmNoLeak waits, boundedly, for the goroutine count to fall back to
// baseline once a row's servers are closed, and shows what stayed.
func fmNoLeak(t *testing.T, row string, baseline int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("%s: %d goroutines remain, %d before:\n%s", row, runtime.NumGoroutine(), baseline, buf)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fmProxy is a small forward proxy for http:// targets that counts what it carried.
type fmProxy struct {
	URL string
	mu  sync.Mutex
	log []string
}

func (p *fmProxy) count(url string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, u := range p.log {
		if u == url {
			n++
		}
	}
	return n
}

func newFMProxy(t *testing.T) *fmProxy {
	t.Helper()
	p := &fmProxy{}
	upstream := &http.Transport{Proxy: nil}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.log = append(p.log, r.URL.String())
		p.mu.Unlock()
		if r.URL.Host == "" {
			http.Error(w, "this proxy forwards http:// requests only", http.StatusMethodNotAllowed)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		resp, err := upstream.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(func() {
		srv.Close()
		upstream.CloseIdleConnections()
	})
	p.URL = srv.URL
	return p
}
