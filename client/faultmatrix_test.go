package client_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// faultEnv is what one row of the fault matrix plays against: an emulated
// Grafana, the client's options, and whatever else the row started.
type faultEnv struct {
	srv   *grafanatest.Server
	opts  client.Options
	other *grafanatest.Server // a second host, for the redirect row
	proxy *proxy              // for the proxy row
}

// faultCase is one row: how to break things, which call to make, and what
// the administrator must read in the error (nil words: the call must work).
type faultCase struct {
	name   string
	server []grafanatest.Option
	setup  func(t *testing.T, e *faultEnv)
	call   func(ctx context.Context, c *client.Client, e *faultEnv) error
	kind   any      // the error type wanted: *client.APIError, *client.NetworkError…
	words  []string // words that tell what to do
	check  func(t *testing.T, e *faultEnv, err error, waits []time.Duration)
}

func readToken(ctx context.Context, c *client.Client, _ *faultEnv) error {
	_, err := c.Token(ctx)
	return err
}

func renewToken(ctx context.Context, c *client.Client, _ *faultEnv) error {
	_, err := c.Renew(ctx)
	return err
}

func deleteWrongRoot(ctx context.Context, c *client.Client, _ *faultEnv) error {
	return c.Delete(ctx, "https://not-this-grafana.example.com/")
}

func fault(f grafanatest.Fault) func(*testing.T, *faultEnv) {
	return func(_ *testing.T, e *faultEnv) { e.srv.SetFault(f) }
}

// waitsAre checks that every retry wait was exactly d and that the call was
// tried attempts times.
func waitsAre(d time.Duration, attempts int) func(*testing.T, *faultEnv, error, []time.Duration) {
	return func(t *testing.T, e *faultEnv, err error, waits []time.Duration) {
		t.Helper()
		if len(waits) != attempts-1 {
			t.Errorf("waited %v between attempts, want %d waits", waits, attempts-1)
		}
		for _, w := range waits {
			if d > 0 && w != d {
				t.Errorf("waited %v, want Retry-After's %v", w, d)
			}
		}
		if n := e.srv.RequestCount("/api/licensing/token"); n != attempts {
			t.Errorf("Grafana saw %d attempts, want %d", n, attempts)
		}
	}
}

// faultMatrix is issue 6's list of faults, each played through the client.
func faultMatrix() []faultCase {
	netErr, apiErr, badErr := (*client.NetworkError)(nil), (*client.APIError)(nil), (*client.BadResponseError)(nil)
	short := func(_ *testing.T, e *faultEnv) { e.opts.Timeout = 300 * time.Millisecond }
	return []faultCase{
		{
			name: "hang", call: readToken, kind: netErr,
			setup: func(t *testing.T, e *faultEnv) {
				short(t, e)
				e.srv.SetFault(grafanatest.Fault{Kind: grafanatest.FaultHang})
			},
			words: []string{"did not answer in time", "raise its timeout"},
		},
		{
			name: "slow answer past the timeout", call: readToken, kind: netErr,
			setup: func(t *testing.T, e *faultEnv) {
				short(t, e)
				e.srv.SetLatency(3 * time.Second)
			},
			words: []string{"did not answer in time", "raise its timeout"},
		},
		{
			name: "401 wrong password", call: readToken, kind: apiErr,
			setup: func(_ *testing.T, e *faultEnv) { e.opts.Auth.Password = "not-the-password" },
			words: []string{"401", "Invalid username or password", "check the instance's credentials"},
		},
		{
			name: "401 invalid API key", call: readToken, kind: apiErr,
			setup: func(_ *testing.T, e *faultEnv) { e.opts.Auth = client.Auth{Token: "glsa_unknown_token_0000"} },
			words: []string{"401", "not valid", "Basic auth with a Grafana Server Admin"},
		},
		{
			name: "401 expired API key", call: readToken, kind: apiErr,
			setup: func(_ *testing.T, e *faultEnv) {
				e.srv.ExpireBearer(secretToken)
				e.opts.Auth = client.Auth{Token: secretToken}
			},
			words: []string{"401", "expired", "switch the instance to Basic auth"},
		},
		{
			name: "401 bare Unauthorized", call: readToken, kind: apiErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 401, Body: `{"message":"Unauthorized"}`}),
			words: []string{"401", "Unauthorized", "Check the instance's credentials"},
		},
		{
			name: "403 missing permission", call: readToken, kind: apiErr,
			setup: func(_ *testing.T, e *faultEnv) { e.opts.Auth = client.Auth{Username: "viewer", Password: "viewer"} },
			words: []string{"403", "licensing:read", "Server Admin", "grant the licensing roles"},
		},
		{
			name: "404 on renew", server: []grafanatest.Option{grafanatest.WithNoLicense()}, call: renewToken, kind: apiErr,
			words: []string{"404", "No license is loaded", "upload a license token first"},
		},
		{
			name: "422 on delete", call: deleteWrongRoot, kind: apiErr,
			words: []string{"422", "https://not-this-grafana.example.com/", "not this Grafana's root_url", "send the root_url"},
			check: func(t *testing.T, e *faultEnv, _ error, _ []time.Duration) {
				if _, loaded := e.srv.Claims(); !loaded {
					t.Error("a refused delete removed the license")
				}
			},
		},
		{
			name: "429 with Retry-After", call: readToken, kind: apiErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultRetryAfter, Status: 429, RetryAfter: 1}),
			words: []string{"429", "after 3 attempts", "try again later"},
			check: waitsAre(time.Second, 3),
		},
		{
			name: "503 with Retry-After", call: readToken, kind: apiErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultRetryAfter, Status: 503, RetryAfter: 2}),
			words: []string{"503", "after 3 attempts", "try again later"},
			check: waitsAre(2*time.Second, 3),
		},
		{
			name: "500", call: readToken, kind: apiErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 500}),
			words: []string{"500", "try again later"},
			check: waitsAre(0, 1),
		},
		{
			name: "502", call: readToken, kind: apiErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 502}),
			words: []string{"502", "after 3 attempts", "try again later"},
			check: waitsAre(0, 3),
		},
		{
			name: "504", call: readToken, kind: apiErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 504}),
			words: []string{"504", "after 3 attempts", "try again later"},
			check: waitsAre(0, 3),
		},
		{
			name: "connection refused", call: readToken, kind: netErr,
			// Port 1, not the emulator's closed port, which another test's
			// server could take over and answer on.
			setup: func(_ *testing.T, e *faultEnv) { e.opts.BaseURL = "http://127.0.0.1:1" },
			words: []string{"connection was refused", "check the URL and port", "Grafana is running"},
		},
		{
			name: "reset mid-body", call: readToken, kind: netErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultReset}),
			words: []string{"connection failed", "check the URL and the network"},
		},
		{
			name: "invalid JSON, the API doc's own example", call: readToken, kind: badErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultMalformedJSON}),
			words: []string{"invalid JSON", "check the URL"},
		},
		{
			name: "HTML login page with status 200", call: readToken, kind: badErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultHTML}),
			words: []string{"an HTML page", "login page", "check the URL", "root URL"},
		},
		{
			name: "body over the size cap", call: readToken, kind: badErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultHugeBody, Size: 32 << 20}),
			words: []string{"over 1 MiB", "not read", "check the URL"},
		},
		{
			name: "wrong content type", call: readToken, kind: badErr,
			setup: fault(grafanatest.Fault{Kind: grafanatest.FaultWrongContentType}),
			words: []string{"text/plain", "not JSON", "check the URL"},
		},
		{
			name: "TLS with a self-signed certificate", server: []grafanatest.Option{grafanatest.WithTLS()},
			call: readToken, kind: netErr,
			words: []string{"TLS", "certificate", "set the instance's CA file"},
		},
		{
			name: "TLS with the CA file set", server: []grafanatest.Option{grafanatest.WithTLS()}, call: readToken,
			setup: func(t *testing.T, e *faultEnv) { e.opts.CAFile = writeCA(t, e.srv) },
		},
		{
			name: "TLS with skip-verify", server: []grafanatest.Option{grafanatest.WithTLS()}, call: readToken,
			setup: func(_ *testing.T, e *faultEnv) { e.opts.InsecureSkipVerify = true },
		},
		{
			name: "redirect to another host", call: readToken, kind: (*client.RedirectError)(nil),
			setup: func(t *testing.T, e *faultEnv) {
				e.other = newGrafana(t, grafanatest.WithListenAddr("127.0.0.2:0"))
				e.srv.SetFault(grafanatest.Fault{Kind: grafanatest.FaultRedirect, Location: e.other.URL + "/api/licensing/token"})
			},
			words: []string{"redirected to another host", "127.0.0.2", "credentials were not sent", "set it as the instance's URL"},
			check: func(t *testing.T, e *faultEnv, _ error, _ []time.Duration) {
				for _, r := range e.other.Requests() {
					t.Errorf("the other host saw %s %s (Authorization: %v)", r.Method, r.Path, r.HasAuth)
				}
			},
		},
		{
			name: "an explicit proxy", call: readToken,
			setup: func(t *testing.T, e *faultEnv) {
				e.proxy = newProxy(t)
				e.opts.Proxy = e.proxy.URL
			},
			check: func(t *testing.T, e *faultEnv, _ error, _ []time.Duration) {
				if seen := e.proxy.seen(); len(seen) != 1 || seen[0].url != e.srv.URL+"/api/licensing/token" {
					t.Errorf("the proxy carried %+v, want the one token read", seen)
				}
			},
		},
		{
			name: "an explicit proxy that is down", call: readToken, kind: netErr,
			setup: func(t *testing.T, e *faultEnv) { e.opts.Proxy = closedPortURL(t) },
			words: []string{"proxy failed", "check the instance's proxy setting"},
			check: func(t *testing.T, e *faultEnv, _ error, _ []time.Duration) {
				if n := len(e.srv.Requests()); n != 0 {
					t.Errorf("Grafana saw %d requests that went around the proxy", n)
				}
			},
		},
	}
}

func writeCA(t *testing.T, s *grafanatest.Server) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(name, s.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestFaultMatrix plays every fault of issue 6 through the client: the error
// is of the right kind, says what to do, holds no credential, nothing panics,
// and once the servers are closed no goroutine is left behind.
func TestFaultMatrix(t *testing.T) {
	baseline := settledGoroutines()
	for _, tc := range faultMatrix() {
		t.Run(tc.name, func(t *testing.T) {
			e := &faultEnv{srv: newGrafana(t, tc.server...)}
			e.opts = client.Options{BaseURL: e.srv.URL, Auth: basicAuth, Timeout: 5 * time.Second}
			if tc.setup != nil {
				tc.setup(t, e)
			}
			c, w := newClient(t, e.opts)
			start := time.Now()
			err := tc.call(t.Context(), c, e)
			took := time.Since(start)
			noSecret(t, err)

			switch {
			case tc.kind == nil && err != nil:
				t.Fatalf("want it to work, got %v", err)
			case tc.kind != nil && err == nil:
				t.Fatal("want an error, got none")
			case tc.kind != nil:
				if !errorIsKind(err, tc.kind) {
					t.Errorf("error is %T, want %T: %v", err, tc.kind, err)
				}
				contains(t, "error", err.Error(), tc.words...)
			}
			// A timed-out call gives up near its timeout, not after the hang.
			if took > 4*time.Second {
				t.Errorf("the call took %v", took)
			}
			if tc.check != nil {
				tc.check(t, e, err, w.list())
			}
		})
		noLeak(t, tc.name, baseline)
	}
}

func errorIsKind(err error, kind any) bool {
	switch kind.(type) {
	case *client.NetworkError:
		var e *client.NetworkError
		return errors.As(err, &e)
	case *client.APIError:
		var e *client.APIError
		return errors.As(err, &e)
	case *client.BadResponseError:
		var e *client.BadResponseError
		return errors.As(err, &e)
	case *client.RedirectError:
		var e *client.RedirectError
		return errors.As(err, &e)
	}
	return false
}

// settledGoroutines waits briefly for goroutines of earlier tests to end and
// returns how many remain.
func settledGoroutines() int {
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

// noLeak waits (boundedly) for the goroutine count to come back to baseline
// after a row's servers and connections are closed, and shows the stacks of
// whatever stayed.
func noLeak(t *testing.T, row string, baseline int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("%s: %d goroutines remain, %d before; stacks:\n%s", row, runtime.NumGoroutine(), baseline, bytes.TrimSpace(buf))
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
