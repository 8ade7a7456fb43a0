package client_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// Credentials distinctive enough that finding them in an error means a leak.
const (
	userName       = "ops"
	secretPassword = "Pa55-w0rd-SECRET-4f2a"
	secretToken    = "glsa_SECRETtoken_7d1c9e0b2a"
)

var secretStrings = []string{
	secretPassword,
	secretToken,
	base64.StdEncoding.EncodeToString([]byte(userName + ":" + secretPassword)),
}

// newGrafana starts an emulated Grafana that knows the test credentials as a
// Server Admin, stopped when the test ends.
func newGrafana(t *testing.T, opts ...grafanatest.Option) *grafanatest.Server {
	t.Helper()
	opts = append([]grafanatest.Option{
		grafanatest.WithUser(userName, secretPassword, grafanatest.RoleServerAdmin),
		grafanatest.WithBearer(secretToken, grafanatest.RoleServerAdmin),
	}, opts...)
	s := grafanatest.New(opts...)
	t.Cleanup(s.Close)
	return s
}

// waits records the waits between retries instead of spending them.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

func (w *waits) list() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

var basicAuth = client.Auth{Username: userName, Password: secretPassword}

// newClient builds a client with Basic auth unless o says otherwise, whose
// retry waits are recorded, not spent.
func newClient(t *testing.T, o client.Options) (*client.Client, *waits) {
	t.Helper()
	if o.Auth == (client.Auth{}) {
		o.Auth = basicAuth
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	c, err := client.New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	w := &waits{}
	client.SetSleep(c, w.sleep)
	return c, w
}

// noSecret fails the test when err's text, or that of anything it wraps,
// holds a credential.
func noSecret(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, s := range secretStrings {
			if strings.Contains(e.Error(), s) {
				t.Errorf("error text leaks a credential: %s", e.Error())
			}
		}
	}
}

func asAPIError(t *testing.T, err error) *client.APIError {
	t.Helper()
	noSecret(t, err)
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an APIError, got %T: %v", err, err)
	}
	return ae
}

func asNetworkError(t *testing.T, err error) *client.NetworkError {
	t.Helper()
	noSecret(t, err)
	var ne *client.NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("want a NetworkError, got %T: %v", err, err)
	}
	return ne
}

func asBadResponse(t *testing.T, err error) *client.BadResponseError {
	t.Helper()
	noSecret(t, err)
	var be *client.BadResponseError
	if !errors.As(err, &be) {
		t.Fatalf("want a BadResponseError, got %T: %v", err, err)
	}
	return be
}

func contains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s %q does not mention %q", what, s, sub)
		}
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func TestEveryEndpointWorksUnderSubPathWithBasicAndBearer(t *testing.T) {
	for _, auth := range []struct {
		name string
		auth client.Auth
	}{
		{"basic", basicAuth},
		{"bearer", client.Auth{Token: secretToken}},
		{"bearer pasted with its scheme", client.Auth{Token: " Bearer " + secretToken + "\n"}},
	} {
		for _, slash := range []string{"", "/"} {
			t.Run(auth.name+" base"+map[string]string{"": " without", "/": " with"}[slash]+" trailing slash", func(t *testing.T) {
				// Given Grafana served under /grafana/ behind a proxy
				s := newGrafana(t, grafanatest.WithSubPath("/grafana/"))
				c, _ := newClient(t, client.Options{BaseURL: s.URL + slash, Auth: auth.auth, UserAgent: "licensedesk/1.2.3"})

				// When each endpoint is called, then each answers as Grafana said
				tok, err := c.Token(ctx(t))
				if err != nil {
					t.Fatalf("Token: %v", err)
				}
				claims, _ := s.Claims()
				if tok.Status != client.StatusValid || !tok.HasStatus {
					t.Errorf("status = %v, want Valid", tok.Status)
				}
				if tok.Subject != s.RootURL() || !tok.LicenseExpiry.Equal(claims.LicenseExpiry) ||
					!tok.TokenExpiry.Equal(claims.TokenExpiry) || tok.IncludedUsers != claims.IncludedUsers {
					t.Errorf("token = %+v, want the server's claims %+v", tok, claims)
				}

				if ok, err := c.Check(ctx(t)); err != nil || !ok {
					t.Errorf("Check = %v, %v; want true", ok, err)
				}
				st, err := c.Stats(ctx(t))
				if err != nil || *st != (client.Stats{ActiveUsers: 42, ActiveAdminsAndEditors: 7, ActiveViewers: 35}) {
					t.Errorf("Stats = %+v, %v", st, err)
				}
				h, err := c.Health(ctx(t))
				if err != nil || h.Version != "11.2.2" || h.Database != "ok" || h.Commit == "" {
					t.Errorf("Health = %+v, %v", h, err)
				}
				fl, err := c.FrontendLicense(ctx(t))
				if err != nil || !fl.Expiry.Equal(claims.LicenseExpiry) || fl.Edition != "Enterprise" {
					t.Errorf("FrontendLicense = %+v, %v", fl, err)
				}

				renewed, err := c.Renew(ctx(t))
				if err != nil {
					t.Fatalf("Renew: %v", err)
				}
				if renewed.ID == tok.ID {
					t.Errorf("renewed token kept the old id %q", tok.ID)
				}

				up := grafanatest.DefaultClaims(time.Now())
				up.Subject, up.Company = s.RootURL(), "Uploaded Corp"
				uploaded, err := c.Upload(ctx(t), "\n"+grafanatest.IssueJWT(up)+"\n")
				if err != nil || uploaded.Company != "Uploaded Corp" {
					t.Fatalf("Upload = %+v, %v", uploaded, err)
				}

				if err := c.Delete(ctx(t), s.RootURL()); err != nil {
					t.Fatalf("Delete: %v", err)
				}
				if _, loaded := s.Claims(); loaded {
					t.Error("the license is still loaded after Delete")
				}
				gone, err := c.Token(ctx(t))
				if err != nil || gone.Status != client.StatusNotFound {
					t.Errorf("Token after delete = %+v, %v; want status NotFound", gone, err)
				}
				if ok, err := c.Check(ctx(t)); err != nil || ok {
					t.Errorf("Check after delete = %v, %v; want false", ok, err)
				}

				// And every request went to the sub-path, signed in except health
				for _, r := range s.Requests() {
					if !strings.HasPrefix(r.Path, "/grafana/api/") || strings.Contains(r.Path, "//") {
						t.Errorf("request went to %s", r.Path)
					}
					if wantAuth := r.Path != "/grafana/api/health"; r.HasAuth != wantAuth {
						t.Errorf("%s %s carried auth = %v, want %v", r.Method, r.Path, r.HasAuth, wantAuth)
					}
					if r.UserAgent != "licensedesk/1.2.3" {
						t.Errorf("User-Agent = %q", r.UserAgent)
					}
				}
			})
		}
	}
}

func TestDefaultUserAgent(t *testing.T) {
	s := newGrafana(t)
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	if _, err := c.Health(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := s.Requests()[0].UserAgent; got != "licensedesk/dev" {
		t.Errorf("User-Agent = %q, want licensedesk/dev", got)
	}
}

func TestLegacyTokenShapeAndUnknownFieldsComeThrough(t *testing.T) {
	s := newGrafana(t, grafanatest.WithLegacyShape(), grafanatest.WithExtraField("future_field", map[string]int{"x": 1}))
	claims, _ := s.Claims()
	claims.IncludedAdmins, claims.IncludedViewers = 5, 10
	s.SetClaims(claims)
	c, _ := newClient(t, client.Options{BaseURL: s.URL})

	tok, err := c.Token(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if tok.HasStatus || tok.IncludedAdmins != 5 || tok.IncludedViewers != 10 {
		t.Errorf("legacy token = %+v", tok)
	}
	v, ok := tok.Field("future_field")
	if !ok || string(v) != `{"x":1}` {
		t.Errorf("unknown field = %s, %v", v, ok)
	}
	if last := tok.Fields[len(tok.Fields)-1].Name; last != "future_field" {
		t.Errorf("last field = %s; fields must stay in Grafana's order", last)
	}
}

func TestStatusCodes(t *testing.T) {
	reader := client.Auth{Username: "reader", Password: "reader"}
	fault := func(status int, path string) func(*grafanatest.Server) {
		return func(s *grafanatest.Server) {
			s.SetFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: status, Path: path})
		}
	}
	token := func(c *client.Client) error { _, err := c.Token(context.Background()); return err }
	renew := func(c *client.Client) error { _, err := c.Renew(context.Background()); return err }
	upload := func(jwt string) func(c *client.Client) error {
		return func(c *client.Client) error { _, err := c.Upload(context.Background(), jwt); return err }
	}
	validJWT := grafanatest.IssueJWT(grafanatest.DefaultClaims(time.Now()))
	stats := func(c *client.Client) error { _, err := c.Stats(context.Background()); return err }

	cases := []struct {
		name   string
		server []grafanatest.Option
		setup  func(*grafanatest.Server)
		auth   client.Auth
		call   func(c *client.Client) error
		delete bool // call Delete with the server's root URL, or a wrong one when wrongURL
		wrong  bool
		status int
		hint   string
	}{
		{name: "token 401", auth: client.Auth{Username: userName, Password: "wrong"}, call: token, status: 401, hint: "username or password"},
		{name: "token 403", auth: client.Auth{Username: "viewer", Password: "viewer"}, call: token, status: 403, hint: "Server Admin"},
		{name: "renew 401", auth: client.Auth{Token: "glsa_unknown"}, call: renew, status: 401, hint: "not valid"},
		{name: "renew 403", auth: reader, call: renew, status: 403, hint: "licensing permissions"},
		{name: "renew 404 no license", server: []grafanatest.Option{grafanatest.WithNoLicense()}, call: renew, status: 404, hint: "upload"},
		{name: "renew 500 offline", server: []grafanatest.Option{grafanatest.WithOffline()}, call: renew, status: 500, hint: "grafana.com"},
		{name: "upload 400", call: upload("not-a-jwt"), status: 400, hint: "refused the token"},
		{name: "upload 401", auth: client.Auth{Username: userName, Password: "wrong"}, call: upload(validJWT), status: 401, hint: "credentials"},
		{name: "upload 403", auth: reader, call: upload(validJWT), status: 403, hint: "Server Admin"},
		{name: "upload 500", setup: fault(500, "/api/licensing/token"), call: upload(validJWT), status: 500, hint: "try again later"},
		{name: "delete 400", setup: fault(400, "/api/licensing/token"), delete: true, status: 400},
		{name: "delete 401", auth: client.Auth{Username: userName, Password: "wrong"}, delete: true, status: 401, hint: "credentials"},
		{name: "delete 403", auth: reader, delete: true, status: 403, hint: "Server Admin"},
		{name: "delete 422", delete: true, wrong: true, status: 422, hint: "https://wrong.example.com/"},
		{name: "delete 500", setup: fault(500, "/api/licensing/token"), delete: true, status: 500, hint: "try again later"},
		{name: "refresh-stats 500", setup: fault(500, "/api/licensing/refresh-stats"), call: stats, status: 500, hint: "try again later"},
		{name: "not Enterprise 404", server: []grafanatest.Option{grafanatest.WithEdition("Open Source")}, call: token, status: 404, hint: "Grafana Enterprise"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newGrafana(t, tc.server...)
			if tc.setup != nil {
				tc.setup(s)
			}
			c, w := newClient(t, client.Options{BaseURL: s.URL, Auth: tc.auth})
			var err error
			switch {
			case tc.delete && tc.wrong:
				err = c.Delete(ctx(t), "https://wrong.example.com/")
			case tc.delete:
				err = c.Delete(ctx(t), s.RootURL())
			default:
				err = tc.call(c)
			}
			ae := asAPIError(t, err)
			if ae.StatusCode != tc.status || !client.IsStatus(err, tc.status) {
				t.Fatalf("status = %d, want %d: %v", ae.StatusCode, tc.status, err)
			}
			if ae.Message == "" {
				t.Errorf("Grafana's message was lost: %+v", ae)
			}
			contains(t, "error", err.Error(), ae.Message, tc.hint)
			if ae.Attempts != 1 || len(w.list()) != 0 {
				t.Errorf("a %d was retried: %d attempts, waits %v", tc.status, ae.Attempts, w.list())
			}
		})
	}
}

func TestUnauthorizedInEachGrafanaShape(t *testing.T) {
	s := newGrafana(t, grafanatest.WithExpiredBearer("glsa_expired_0000"))
	cases := []struct {
		name      string
		auth      client.Auth
		messageID string
		hint      string
	}{
		{"no credentials", client.Auth{}, "", "Check the instance's credentials"},
		{"wrong password", client.Auth{Username: userName, Password: secretPassword + "x"}, "password-auth.failed", "username or password"},
		{"invalid key", client.Auth{Token: secretToken + "x"}, "api-key.invalid", "not valid"},
		{"expired key", client.Auth{Token: "glsa_expired_0000"}, "api-key.expired", "has expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := client.New(client.Options{BaseURL: s.URL, Auth: tc.auth})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, err = c.Token(ctx(t))
			ae := asAPIError(t, err)
			if ae.StatusCode != 401 || ae.MessageID != tc.messageID {
				t.Errorf("got %d %q, want 401 %q", ae.StatusCode, ae.MessageID, tc.messageID)
			}
			contains(t, "hint", ae.Hint(), tc.hint)
			for _, leak := range []string{secretPassword + "x", secretToken + "x"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error leaks the credential sent: %v", err)
				}
			}
		})
	}
}

func TestForbiddenKeepsGrafanasAccessDetails(t *testing.T) {
	s := newGrafana(t)
	c, _ := newClient(t, client.Options{BaseURL: s.URL, Auth: client.Auth{Username: "reader", Password: "reader"}})
	_, err := c.Renew(ctx(t))
	ae := asAPIError(t, err)
	if ae.Title != "Access denied" || !strings.HasPrefix(ae.AccessErrorID, "ACE") {
		t.Errorf("403 details lost: %+v", ae)
	}
	contains(t, "message", ae.Message, "licensing:write")
	contains(t, "error", err.Error(), "403", "Server Admin")
}

func TestFrontendLicenseNeedsNoLicensingPermission(t *testing.T) {
	s := newGrafana(t)
	claims, _ := s.Claims()
	c, _ := newClient(t, client.Options{BaseURL: s.URL, Auth: client.Auth{Username: "viewer", Password: "viewer"}})
	if _, err := c.Token(ctx(t)); !client.IsStatus(err, 403) {
		t.Fatalf("a viewer read the token: %v", err)
	}
	fl, err := c.FrontendLicense(ctx(t))
	if err != nil || !fl.Expiry.Equal(claims.LicenseExpiry) {
		t.Errorf("FrontendLicense = %+v, %v; want the license expiry", fl, err)
	}
}

func TestDelete422NamesTheURLSentAndKeepsTheLicense(t *testing.T) {
	s := newGrafana(t)
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	err := c.Delete(ctx(t), "https://grafana.example.com/")
	ae := asAPIError(t, err)
	if ae.StatusCode != 422 || ae.SentInstance != "https://grafana.example.com/" {
		t.Errorf("got %+v", ae)
	}
	contains(t, "error", err.Error(), "https://grafana.example.com/", "root_url")
	if _, loaded := s.Claims(); !loaded {
		t.Error("a refused delete removed the license")
	}
}

func TestRenewOfflineSuggestsUpload(t *testing.T) {
	s := newGrafana(t, grafanatest.WithOffline())
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	_, err := c.Renew(ctx(t))
	contains(t, "error", asAPIError(t, err).Hint(), "grafana.com", "air-gapped", "uploaded by hand")
	if n := s.RequestCount("/api/licensing/token/renew"); n != 1 {
		t.Errorf("a 500 was retried: %d requests", n)
	}
}

func TestEmptyInputsAreRefusedBeforeSending(t *testing.T) {
	s := newGrafana(t)
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	if _, err := c.Upload(ctx(t), "  \n"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("Upload of nothing: %v", err)
	}
	if err := c.Delete(ctx(t), " "); err == nil || !strings.Contains(err.Error(), "root URL") {
		t.Errorf("Delete without a root URL: %v", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

func TestRetries(t *testing.T) {
	const tokenPath = "/api/licensing/token"
	fast := client.RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: 3 * time.Second, MaxTotal: 10 * time.Second}

	t.Run("429 and 503 honour Retry-After, then succeed", func(t *testing.T) {
		for _, status := range []int{429, 503} {
			s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{
				Kind: grafanatest.FaultRetryAfter, Status: status, RetryAfter: 2, Times: 2, Path: tokenPath}))
			c, w := newClient(t, client.Options{BaseURL: s.URL, Retry: fast})
			if _, err := c.Token(ctx(t)); err != nil {
				t.Fatalf("%d: %v", status, err)
			}
			if n := s.RequestCount(tokenPath); n != 3 {
				t.Errorf("%d: %d requests, want 3", status, n)
			}
			if got := w.list(); len(got) != 2 || got[0] != 2*time.Second || got[1] != 2*time.Second {
				t.Errorf("%d: waits %v, want the 2s Grafana asked for, twice", status, got)
			}
		}
	})

	t.Run("Retry-After is capped by MaxDelay", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{
			Kind: grafanatest.FaultRetryAfter, RetryAfter: 3600, Times: 1, Path: tokenPath}))
		c, w := newClient(t, client.Options{BaseURL: s.URL, Retry: fast})
		if _, err := c.Token(ctx(t)); err != nil {
			t.Fatal(err)
		}
		if got := w.list(); len(got) != 1 || got[0] != fast.MaxDelay {
			t.Errorf("waits %v, want one of MaxDelay %v", got, fast.MaxDelay)
		}
	})

	t.Run("Retry-After as an HTTP date", func(t *testing.T) {
		var mu sync.Mutex
		calls := 0
		srv := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Write([]byte("true"))
		})
		c, w := newClient(t, client.Options{BaseURL: srv.URL, Retry: fast})
		if ok, err := c.Check(ctx(t)); err != nil || !ok {
			t.Fatalf("Check = %v, %v", ok, err)
		}
		if got := w.list(); len(got) != 1 || got[0] != fast.MaxDelay {
			t.Errorf("waits %v, want the hour-away date capped to %v", got, fast.MaxDelay)
		}
	})

	t.Run("502, 504 and connection resets back off exponentially, then succeed", func(t *testing.T) {
		for _, f := range []grafanatest.Fault{
			{Kind: grafanatest.FaultStatus, Status: 502, Times: 2, Path: tokenPath},
			{Kind: grafanatest.FaultStatus, Status: 504, Times: 2, Path: tokenPath},
			{Kind: grafanatest.FaultReset, Times: 2, Path: tokenPath},
		} {
			s := newGrafana(t, grafanatest.WithFault(f))
			c, w := newClient(t, client.Options{BaseURL: s.URL, Retry: fast})
			tok, err := c.Token(ctx(t))
			if err != nil || tok.Status != client.StatusValid {
				t.Fatalf("%v %d: %+v, %v", f.Kind, f.Status, tok, err)
			}
			if n := s.RequestCount(tokenPath); n != 3 {
				t.Errorf("%v %d: %d requests, want 3", f.Kind, f.Status, n)
			}
			got := w.list()
			// Jitter keeps each wait between half and all of BaseDelay·2^n.
			if len(got) != 2 || got[0] < 50*time.Millisecond || got[0] > 100*time.Millisecond ||
				got[1] < 100*time.Millisecond || got[1] > 200*time.Millisecond {
				t.Errorf("%v %d: waits %v", f.Kind, f.Status, got)
			}
		}
	})

	t.Run("renew and upload are retried", func(t *testing.T) {
		s := newGrafana(t)
		c, _ := newClient(t, client.Options{BaseURL: s.URL, Retry: fast})
		s.SetFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 503, Times: 1, Path: "/api/licensing/token/renew"})
		if _, err := c.Renew(ctx(t)); err != nil {
			t.Fatalf("Renew: %v", err)
		}
		s.SetFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 502, Times: 1, Path: tokenPath})
		claims := grafanatest.DefaultClaims(time.Now())
		claims.Subject = s.RootURL()
		if _, err := c.Upload(ctx(t), grafanatest.IssueJWT(claims)); err != nil {
			t.Fatalf("Upload: %v", err)
		}
		if r, u := s.RequestCount("/api/licensing/token/renew"), s.RequestCount(tokenPath); r != 2 || u != 2 {
			t.Errorf("renew %d, upload %d requests; want 2 each", r, u)
		}
	})

	t.Run("delete is never retried", func(t *testing.T) {
		for _, f := range []grafanatest.Fault{
			{Kind: grafanatest.FaultRetryAfter, Status: 503, RetryAfter: 1, Path: tokenPath},
			{Kind: grafanatest.FaultStatus, Status: 502, Path: tokenPath},
			{Kind: grafanatest.FaultReset, Path: tokenPath},
		} {
			s := newGrafana(t, grafanatest.WithFault(f))
			c, w := newClient(t, client.Options{BaseURL: s.URL, Retry: fast})
			err := c.Delete(ctx(t), s.RootURL())
			if err == nil {
				t.Fatalf("%v: delete succeeded through a fault", f.Kind)
			}
			noSecret(t, err)
			if n := s.RequestCount(tokenPath); n != 1 || len(w.list()) != 0 {
				t.Errorf("%v: %d requests, waits %v; want 1 and none", f.Kind, n, w.list())
			}
		}
	})

	t.Run("gives up after MaxAttempts", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 503, Path: tokenPath}))
		c, w := newClient(t, client.Options{BaseURL: s.URL, Retry: fast})
		_, err := c.Token(ctx(t))
		ae := asAPIError(t, err)
		if ae.StatusCode != 503 || ae.Attempts != 3 || s.RequestCount(tokenPath) != 3 || len(w.list()) != 2 {
			t.Errorf("got %v after %d requests, waits %v", err, s.RequestCount(tokenPath), w.list())
		}
		contains(t, "error", err.Error(), "after 3 attempts")
	})

	t.Run("gives up when the next wait would pass MaxTotal", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{
			Kind: grafanatest.FaultRetryAfter, RetryAfter: 2, Path: tokenPath}))
		policy := client.RetryPolicy{MaxAttempts: 10, MaxDelay: 5 * time.Second, MaxTotal: 5 * time.Second}
		c, w := newClient(t, client.Options{BaseURL: s.URL, Retry: policy})
		_, err := c.Token(ctx(t))
		if !client.IsStatus(err, 429) {
			t.Fatalf("want the last 429, got %v", err)
		}
		if n := s.RequestCount(tokenPath); n != 3 || len(w.list()) != 2 {
			t.Errorf("%d requests, waits %v; want 3 requests and 2s+2s of waiting within 5s", n, w.list())
		}
	})

	t.Run("one attempt when MaxAttempts is 1", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 503, Path: tokenPath}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL, Retry: client.RetryPolicy{MaxAttempts: 1}})
		if _, err := c.Token(ctx(t)); !client.IsStatus(err, 503) || s.RequestCount(tokenPath) != 1 {
			t.Errorf("got %v after %d requests", err, s.RequestCount(tokenPath))
		}
	})

	t.Run("a refused connection is retried", func(t *testing.T) {
		c, w := newClient(t, client.Options{BaseURL: closedPortURL(t), Retry: fast})
		_, err := c.Token(ctx(t))
		ne := asNetworkError(t, err)
		if ne.Kind != client.NetRefused || ne.Attempts != 3 || len(w.list()) != 2 {
			t.Errorf("got kind %v after %d attempts, waits %v: %v", ne.Kind, ne.Attempts, w.list(), err)
		}
		contains(t, "error", err.Error(), "refused", "running")
	})

	t.Run("cancelling during a wait stops at once", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 503, Path: tokenPath}))
		c, err := client.New(client.Options{BaseURL: s.URL, Auth: basicAuth, Retry: fast})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		cctx, cancel := context.WithCancel(ctx(t))
		client.SetSleep(c, func(ctx context.Context, d time.Duration) error {
			cancel()
			<-ctx.Done() // the real wait must end with the context
			return ctx.Err()
		})
		_, err = c.Token(cctx)
		if !errors.Is(err, context.Canceled) || asNetworkError(t, err).Kind != client.NetCanceled {
			t.Errorf("want a recognisable cancellation, got %v", err)
		}
		if n := s.RequestCount(tokenPath); n != 1 {
			t.Errorf("%d requests after cancelling", n)
		}
	})
}

func TestRealRetryWaitEndsWithTheContext(t *testing.T) {
	// The default sleep, not the recording one: a long Retry-After must not
	// outlive the caller's context.
	s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultRetryAfter, RetryAfter: 3600}))
	c, err := client.New(client.Options{BaseURL: s.URL, Auth: basicAuth,
		Retry: client.RetryPolicy{MaxDelay: time.Hour, MaxTotal: 2 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cctx, cancel := context.WithCancel(ctx(t))
	go func() {
		for s.RequestCount("/api/licensing/token") == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	if _, err := c.Token(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("want context.Canceled, got %v", err)
	}
}

func TestHungServer(t *testing.T) {
	t.Run("times out with a NetworkError that says raise the timeout", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL, Timeout: 200 * time.Millisecond})
		_, err := c.Token(ctx(t))
		ne := asNetworkError(t, err)
		if ne.Kind != client.NetTimeout {
			t.Errorf("kind = %v, want NetTimeout: %v", ne.Kind, err)
		}
		contains(t, "error", err.Error(), "did not answer in time", "raise its timeout", "200ms")
	})

	t.Run("the caller's cancellation stays recognisable", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		cctx, cancel := context.WithCancel(ctx(t))
		go func() {
			for s.RequestCount("/api/licensing/token") == 0 {
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
		}()
		_, err := c.Token(cctx)
		if !errors.Is(err, context.Canceled) || asNetworkError(t, err).Kind != client.NetCanceled {
			t.Errorf("want context.Canceled in a NetCanceled error, got %v", err)
		}
	})

	t.Run("the caller's deadline stays recognisable", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		dctx, cancel := context.WithTimeout(ctx(t), 100*time.Millisecond)
		defer cancel()
		_, err := c.Token(dctx)
		if !errors.Is(err, context.DeadlineExceeded) || asNetworkError(t, err).Kind != client.NetTimeout {
			t.Errorf("want context.DeadlineExceeded in a NetTimeout error, got %v", err)
		}
	})
}

func TestTLS(t *testing.T) {
	s := newGrafana(t, grafanatest.WithTLS())
	caFile := writeCA(t, s)
	otherCA := writeCA(t, newGrafana(t, grafanatest.WithTLS()))

	t.Run("an unknown CA is a NetTLS error suggesting a CA file", func(t *testing.T) {
		for _, ca := range []string{"", otherCA} {
			c, w := newClient(t, client.Options{BaseURL: s.URL, CAFile: ca})
			_, err := c.Token(ctx(t))
			ne := asNetworkError(t, err)
			if ne.Kind != client.NetTLS {
				t.Errorf("CA %q: kind = %v, want NetTLS: %v", ca, ne.Kind, err)
			}
			contains(t, "error", err.Error(), "TLS", "CA file")
			if len(w.list()) != 0 {
				t.Errorf("a certificate failure was retried: waits %v", w.list())
			}
		}
	})

	t.Run("the server's CA file makes it work", func(t *testing.T) {
		c, _ := newClient(t, client.Options{BaseURL: s.URL, CAFile: caFile})
		if _, err := c.Token(ctx(t)); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("skip-verify makes it work", func(t *testing.T) {
		c, _ := newClient(t, client.Options{BaseURL: s.URL, InsecureSkipVerify: true})
		if _, err := c.Token(ctx(t)); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("https to a plain HTTP server says to use http://", func(t *testing.T) {
		plain := newGrafana(t)
		c, _ := newClient(t, client.Options{BaseURL: strings.Replace(plain.URL, "http://", "https://", 1)})
		_, err := c.Token(ctx(t))
		asNetworkError(t, err)
		contains(t, "error", err.Error(), "http://")
	})

	t.Run("a bad or missing CA file is a clear error from New", func(t *testing.T) {
		garbage := filepath.Join(t.TempDir(), "garbage.pem")
		if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
			t.Fatal(err)
		}
		missing := filepath.Join(t.TempDir(), "missing.pem")
		for file, want := range map[string]string{garbage: "no PEM certificate", missing: "could not read the CA file"} {
			_, err := client.New(client.Options{BaseURL: s.URL, CAFile: file})
			if err == nil {
				t.Fatalf("%s: New accepted it", file)
			}
			contains(t, "error", err.Error(), want, file)
		}
	})
}

func TestRedirects(t *testing.T) {
	t.Run("to another host is refused and the credentials stay home", func(t *testing.T) {
		target := newGrafana(t, grafanatest.WithListenAddr("127.0.0.2:0"))
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{
			Kind: grafanatest.FaultRedirect, Location: target.URL + "/api/licensing/token?sig=" + secretToken}))
		for _, auth := range []client.Auth{basicAuth, {Token: secretToken}} {
			c, w := newClient(t, client.Options{BaseURL: s.URL, Auth: auth})
			_, err := c.Token(ctx(t))
			noSecret(t, err)
			var re *client.RedirectError
			if !errors.As(err, &re) {
				t.Fatalf("want a RedirectError, got %T: %v", err, err)
			}
			if re.Target != target.URL {
				t.Errorf("target = %q, want %q", re.Target, target.URL)
			}
			contains(t, "error", err.Error(), "127.0.0.2", "another host")
			if strings.Contains(err.Error(), "sig=") {
				t.Errorf("error shows the target's query: %v", err)
			}
			if len(w.list()) != 0 {
				t.Errorf("a refused redirect was retried")
			}
		}
		for _, r := range target.Requests() {
			t.Errorf("the other host saw %s %s (auth %v)", r.Method, r.Path, r.HasAuth)
		}
	})

	t.Run("to another port of the same host is refused", func(t *testing.T) {
		target := newGrafana(t)
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{
			Kind: grafanatest.FaultRedirect, Location: target.URL + "/api/licensing/token"}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		_, err := c.Token(ctx(t))
		var re *client.RedirectError
		if !errors.As(err, &re) || len(target.Requests()) != 0 {
			t.Errorf("got %v; the other port saw %d requests", err, len(target.Requests()))
		}
	})

	t.Run("within Grafana's own origin is followed with the credentials", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithSubPath("/grafana"))
		s.SetFault(grafanatest.Fault{Kind: grafanatest.FaultRedirect, Times: 1, Status: 307,
			Path: "/api/licensing/token", Location: "/grafana/api/licensing/token"})
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		if _, err := c.Token(ctx(t)); err != nil {
			t.Fatal(err)
		}
		if n := s.RequestCount("/api/licensing/token"); n != 2 {
			t.Errorf("%d requests, want the redirect and its target", n)
		}
	})
}

func TestBadAnswers(t *testing.T) {
	t.Run("an HTML login page with status 200", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHTML}))
		c, w := newClient(t, client.Options{BaseURL: s.URL})
		_, err := c.Token(ctx(t))
		be := asBadResponse(t, err)
		contains(t, "reason", be.Reason, "HTML page")
		contains(t, "content type", be.ContentType, "text/html")
		contains(t, "excerpt", be.Excerpt, "Grafana")
		contains(t, "error", err.Error(), "HTML page", "text/html", "root URL")
		if len(w.list()) != 0 {
			t.Error("a bad answer was retried")
		}
		for _, call := range []func() error{
			func() error { _, err := c.Check(ctx(t)); return err },
			func() error { _, err := c.Stats(ctx(t)); return err },
			func() error { _, err := c.Health(ctx(t)); return err },
			func() error { _, err := c.FrontendLicense(ctx(t)); return err },
			func() error { _, err := c.Renew(ctx(t)); return err },
		} {
			contains(t, "reason", asBadResponse(t, call()).Reason, "HTML page")
		}
	})

	t.Run("the API doc's own invalid JSON", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultMalformedJSON}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		_, err := c.Token(ctx(t))
		be := asBadResponse(t, err)
		contains(t, "reason", be.Reason, "invalid JSON", "after object key:value pair")
		contains(t, "excerpt", be.Excerpt, `"sub":"https://play.grafana.org/" "lid":"1"`)
		contains(t, "error", err.Error(), "application/json", "invalid JSON")
	})

	t.Run("valid JSON under a wrong content type is accepted", func(t *testing.T) {
		s := newGrafana(t)
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		want, err := c.Token(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		s.SetFault(grafanatest.Fault{Kind: grafanatest.FaultWrongContentType, Body: string(want.Raw)})
		got, err := c.Token(ctx(t))
		if err != nil || got.ID != want.ID {
			t.Errorf("Token = %+v, %v", got, err)
		}
	})

	t.Run("plain text under a wrong content type", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultWrongContentType}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		_, err := c.Token(ctx(t))
		be := asBadResponse(t, err)
		if be.Reason != "not JSON" || !strings.HasPrefix(be.ContentType, "text/plain") {
			t.Errorf("got %+v", be)
		}
		contains(t, "excerpt", be.Excerpt, "This is not Grafana's API")
	})

	t.Run("JSON that is not a token", func(t *testing.T) {
		for _, body := range []string{`{"message":"OK"}`, `[]`, `null`, `"token"`} {
			s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 200, Body: body}))
			c, _ := newClient(t, client.Options{BaseURL: s.URL})
			_, err := c.Token(ctx(t))
			contains(t, "reason", asBadResponse(t, err).Reason, "not a license token")
		}
	})

	t.Run("check answers neither true nor false", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 200, Body: `{"valid":true}`}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		_, err := c.Check(ctx(t))
		contains(t, "reason", asBadResponse(t, err).Reason, "true or false")
	})

	t.Run("frontend settings without licenseInfo", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 200, Body: `{"appUrl":"x"}`}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		_, err := c.FrontendLicense(ctx(t))
		contains(t, "reason", asBadResponse(t, err).Reason, "licenseInfo")
	})

	t.Run("an error page from a proxy keeps the status and a short excerpt", func(t *testing.T) {
		page := "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>" +
			strings.Repeat("<!-- padding -->", 500) + "</body></html>"
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 502, Body: page, ContentType: "text/html"}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL, Retry: client.RetryPolicy{MaxAttempts: 1}})
		_, err := c.Token(ctx(t))
		ae := asAPIError(t, err)
		if ae.StatusCode != 502 || ae.Body != "title: 502 Bad Gateway" {
			t.Errorf("got %d %q", ae.StatusCode, ae.Body)
		}
		if len(err.Error()) > 400 {
			t.Errorf("error is %d characters long: %s", len(err.Error()), err)
		}
	})
}

func TestHugeBodies(t *testing.T) {
	t.Run("a streamed body over 1 MiB is refused", func(t *testing.T) {
		s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHugeBody, Size: 64 << 20}))
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		_, err := c.Token(ctx(t))
		be := asBadResponse(t, err)
		contains(t, "reason", be.Reason, "over 1 MiB")
	})

	for _, declared := range []bool{false, true} {
		name := map[bool]string{false: "chunked", true: "with a Content-Length"}[declared]
		t.Run("a "+name+" body is not read whole", func(t *testing.T) {
			const total = 256 << 20
			written := make(chan int64, 1)
			srv := testServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if declared {
					w.Header().Set("Content-Length", "268435456")
				}
				chunk := []byte(`{"status":1,"x":"` + strings.Repeat("x", 32<<10) + `"},`)
				var n int64
				defer func() { written <- n }()
				for n < total {
					m, err := w.Write(chunk)
					n += int64(m)
					if err != nil {
						return
					}
				}
			})
			c, _ := newClient(t, client.Options{BaseURL: srv.URL})
			_, err := c.Token(ctx(t))
			contains(t, "reason", asBadResponse(t, err).Reason, "over 1 MiB")
			// The client hung up: the server could not push much past the
			// socket buffers, far from the whole body.
			if n := <-written; n >= total/4 {
				t.Errorf("the server wrote %d of %d bytes: the client read on", n, total)
			}
		})
	}

	t.Run("exactly MaxBodyBytes is accepted, one byte less is refused", func(t *testing.T) {
		s := newGrafana(t)
		c, _ := newClient(t, client.Options{BaseURL: s.URL})
		tok, err := c.Token(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		size := int64(len(tok.Raw))
		exact, _ := newClient(t, client.Options{BaseURL: s.URL, MaxBodyBytes: size})
		if _, err := exact.Token(ctx(t)); err != nil {
			t.Errorf("a %d-byte body under a %d-byte cap: %v", size, size, err)
		}
		under, _ := newClient(t, client.Options{BaseURL: s.URL, MaxBodyBytes: size - 1})
		_, err = under.Token(ctx(t))
		contains(t, "reason", asBadResponse(t, err).Reason, "over", "bytes")
	})
}

func TestLargeFrontendSettingsAreStillRead(t *testing.T) {
	// A Grafana with many data sources and plugins sends settings over 1 MiB.
	padding := strings.Repeat("x", 3<<20)
	srv := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"datasources":{"big":"` + padding + `"},"licenseInfo":{"expiry":1795536000,"edition":"Enterprise","stateInfo":""}}`))
	})
	c, _ := newClient(t, client.Options{BaseURL: srv.URL})
	fl, err := c.FrontendLicense(ctx(t))
	if err != nil || !fl.Expiry.Equal(time.Unix(1795536000, 0)) || fl.Edition != "Enterprise" {
		t.Errorf("FrontendLicense = %+v, %v", fl, err)
	}
}

func TestProxy(t *testing.T) {
	t.Run("an explicit proxy carries the requests", func(t *testing.T) {
		s := newGrafana(t)
		p := newProxy(t)
		c, _ := newClient(t, client.Options{BaseURL: s.URL, Proxy: "http://proxyuser:proxy-SECRET-99@" + strings.TrimPrefix(p.URL, "http://")})
		if _, err := c.Token(ctx(t)); err != nil {
			t.Fatal(err)
		}
		seen := p.seen()
		if len(seen) != 1 || seen[0].url != s.URL+"/api/licensing/token" || !seen[0].proxyAuth {
			t.Errorf("the proxy saw %+v", seen)
		}
		if n := s.RequestCount("/api/licensing/token"); n != 1 {
			t.Errorf("Grafana saw %d requests", n)
		}
	})

	t.Run("without one, HTTP_PROXY from the environment is used", func(t *testing.T) {
		s := newGrafana(t)
		p := newProxyTo(t, strings.TrimPrefix(s.URL, "http://"))
		// Loopback addresses are never proxied, so name a host only the proxy knows.
		t.Setenv("HTTP_PROXY", p.URL)
		t.Setenv("NO_PROXY", "")
		c, _ := newClient(t, client.Options{BaseURL: "http://grafana.test:3000"})
		if _, err := c.Token(ctx(t)); err != nil {
			t.Fatal(err)
		}
		if seen := p.seen(); len(seen) != 1 || seen[0].url != "http://grafana.test:3000/api/licensing/token" {
			t.Errorf("the proxy saw %+v", seen)
		}
	})

	t.Run("a proxy that is down is a NetProxy error without its password", func(t *testing.T) {
		s := newGrafana(t)
		proxyURL := strings.Replace(closedPortURL(t), "http://", "http://proxyuser:proxy-SECRET-99@", 1)
		c, _ := newClient(t, client.Options{BaseURL: s.URL, Proxy: proxyURL})
		_, err := c.Token(ctx(t))
		ne := asNetworkError(t, err)
		if ne.Kind != client.NetProxy {
			t.Errorf("kind = %v, want NetProxy: %v", ne.Kind, err)
		}
		contains(t, "error", err.Error(), "proxy")
		if strings.Contains(err.Error(), "proxy-SECRET-99") {
			t.Errorf("error leaks the proxy password: %v", err)
		}
		if n := len(s.Requests()); n != 0 {
			t.Errorf("Grafana saw %d requests that bypassed the proxy", n)
		}
	})

	t.Run("a bad proxy URL is a clear error from New", func(t *testing.T) {
		for _, bad := range []string{"ftp://proxy:21", "://nohost", "proxy.example.com:3128"} {
			_, err := client.New(client.Options{BaseURL: "https://grafana.example.com", Proxy: bad})
			if err == nil {
				t.Errorf("New accepted proxy %q", bad)
				continue
			}
			contains(t, "error", err.Error(), "proxy URL")
		}
	})
}

func TestNewChecksTheBaseURL(t *testing.T) {
	cases := map[string]string{
		"":                                "empty",
		"grafana.example.com":             "https://",
		"ftp://grafana.example.com":       "https://",
		"https://":                        "name a host",
		"https://grafana.example.com/?x=": "query",
		"https://ops:" + secretPassword + "@grafana.example.com/": "username or password",
		"https://grafana example.com/":                            "not a valid URL",
	}
	for raw, want := range cases {
		_, err := client.New(client.Options{BaseURL: raw})
		if err == nil {
			t.Errorf("New accepted %q", raw)
			continue
		}
		noSecret(t, err)
		contains(t, "error", err.Error(), want)
	}
	if _, err := client.New(client.Options{BaseURL: "https://grafana.example.com", Auth: client.Auth{Token: "glsa_a b"}}); err == nil {
		t.Error("New accepted a token with a space inside")
	}
}

func TestSecretsNeverReachErrorText(t *testing.T) {
	// A misbehaving server echoes the credentials it received in its error bodies.
	srv := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		_, password, _ := r.BasicAuth()
		token := strings.TrimPrefix(header, "Bearer ")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"message":"bad credentials ` + header + ` (password ` + password + `, token ` + token +
			`)","title":"` + password + token + `"}`))
	})
	for _, a := range []client.Auth{basicAuth, {Token: secretToken}} {
		c, _ := newClient(t, client.Options{BaseURL: srv.URL, Auth: a})
		_, err := c.Renew(ctx(t))
		ae := asAPIError(t, err)
		for _, s := range secretStrings {
			for _, field := range []string{ae.Message, ae.Title, ae.Body} {
				if strings.Contains(field, s) {
					t.Errorf("APIError field leaks a credential: %q", field)
				}
			}
		}
		contains(t, "message", ae.Message, "bad credentials", "[redacted]")
	}
}

func TestSanitizeURL(t *testing.T) {
	got := client.SanitizeURL("https://ops:" + secretPassword + "@grafana.example.com:8443/grafana/api?token=" + secretToken + "#frag")
	if got != "https://grafana.example.com:8443/grafana/api" {
		t.Errorf("SanitizeURL = %q", got)
	}
}

func TestConcurrentCalls(t *testing.T) {
	s := newGrafana(t)
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			_, err := c.Token(ctx(t))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func BenchmarkToken(b *testing.B) {
	s := grafanatest.New(grafanatest.WithUser(userName, secretPassword, grafanatest.RoleServerAdmin))
	defer s.Close()
	c, err := client.New(client.Options{BaseURL: s.URL, Auth: basicAuth})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for b.Loop() {
		if _, err := c.Token(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseToken(b *testing.B) {
	body := []byte(`{"status":1,"jti":"abc","iss":"https://grafana.com","sub":"https://g.example.com/","iat":1764000000,` +
		`"exp":1764604800,"nbf":1761408000,"lexp":1795536000,"lid":"10500","limit_by":"users","included_users":100,` +
		`"lic_exp_warn_days":30,"tok_exp_warn_days":2,"update_days":1,"prod":["grafana-enterprise"],"company":"Example",` +
		`"account":"ex","slug":"ex","usage_billing":false,"max_concurrent_user_sessions":0,"details_url":"","trial":false,` +
		`"trial_exp":0,"anonymousRatio":0}`)
	for b.Loop() {
		if _, err := client.ParseToken(body); err != nil {
			b.Fatal(err)
		}
	}
}
