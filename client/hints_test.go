package client_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// explained checks that Explain splits err into its what-part and its
// hint, whole: the two sentences together hold the error's words, and the
// hint is the error's Hint.
func explained(t *testing.T, err error) (what, hint string) {
	t.Helper()
	what, hint = client.Explain(err)
	if what == "" || hint == "" {
		t.Fatalf("Explain(%v) = %q, %q; want both parts", err, what, hint)
	}
	if !strings.HasSuffix(what, ".") || !strings.HasSuffix(hint, ".") {
		t.Errorf("Explain gives sentences: %q, %q", what, hint)
	}
	if h := client.Hint(err); h == "" || !strings.HasPrefix(hint, h) {
		t.Errorf("Explain's hint %q is not Hint's %q", hint, h)
	}
	if strings.Contains(what, strings.TrimSuffix(hint, ".")) {
		t.Errorf("the what-part repeats the hint: %q", what)
	}
	return what, hint
}

func TestEveryErrorTypeHasAHint(t *testing.T) {
	s := newGrafana(t)
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	refused, _ := newClient(t, client.Options{BaseURL: closedPortURL(t), Retry: client.RetryPolicy{MaxAttempts: 1}})
	target := newGrafana(t, grafanatest.WithListenAddr("127.0.0.2:0"))
	redirecting := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{
		Kind: grafanatest.FaultRedirect, Location: target.URL + "/api/licensing/token"}))
	redirected, _ := newClient(t, client.Options{BaseURL: redirecting.URL})
	html := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHTML}))
	login, _ := newClient(t, client.Options{BaseURL: html.URL})

	s.SetFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 403})
	_, apiErr := c.Token(ctx(t))
	_, netErr := refused.Token(ctx(t))
	_, redirectErr := redirected.Token(ctx(t))
	_, badErr := login.Token(ctx(t))
	_, settingErr := client.New(client.Options{BaseURL: "grafana.example.com"})
	uploadErr := func() error { _, err := c.Upload(ctx(t), " "); return err }()
	localErr := error(&client.LocalError{Op: client.OpToken, URL: "https://grafana.example.com",
		Err: errors.New("socket: too many open files")})

	for name, err := range map[string]error{
		"API": apiErr, "network": netErr, "redirect": redirectErr, "bad answer": badErr,
		"setting": settingErr, "empty upload": uploadErr, "local": localErr,
	} {
		t.Run(name, func(t *testing.T) {
			if err == nil {
				t.Fatal("no error")
			}
			noSecret(t, err)
			what, hint := explained(t, err)
			// Error is the same two parts, joined.
			for _, part := range []string{strings.TrimSuffix(what[1:], "."), strings.TrimSuffix(hint[1:], ".")} {
				contains(t, "error", err.Error(), part)
			}
		})
	}
}

func TestExplainKeepsAContentTypeWhole(t *testing.T) {
	// Given an HTML login page answered as "text/html; charset=UTF-8"
	s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHTML}))
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	_, err := c.Token(ctx(t))

	// When a front-end shows it in two parts
	what, hint := explained(t, err)

	// Then the content type is not cut at its semicolon
	contains(t, "what", what, "text/html; charset=UTF-8", "an HTML page", "title: ")
	if hint != "Check the URL: it should be Grafana's root URL, not a login page or proxy." {
		t.Errorf("hint = %q", hint)
	}
}

func TestExplainKeepsTheCallersWords(t *testing.T) {
	s := newGrafana(t, grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHTML}))
	c, _ := newClient(t, client.Options{BaseURL: s.URL})
	_, err := c.Token(ctx(t))
	wrapped := fmt.Errorf("instance %q: %w", "prod-eu", err)

	what, hint := explained(t, wrapped)
	if !strings.HasPrefix(what, `Instance "prod-eu": could not read the license token`) {
		t.Errorf("what = %q", what)
	}
	if _, want := client.Explain(err); hint != want {
		t.Errorf("hint = %q, want %q", hint, want)
	}

	plain := errors.New("the keyring is locked")
	if what, hint := client.Explain(plain); what != "The keyring is locked." || hint != "" {
		t.Errorf("Explain(plain) = %q, %q", what, hint)
	}
}

func TestCertificateErrorsGetAdviceThatFitsTheirKind(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name  string
		opts  []grafanatest.Option
		noCA  bool
		want  client.CertProblem
		words func(s *grafanatest.Server) []string
	}{
		{name: "unknown authority", noCA: true, want: client.CertUnknownAuthority,
			words: func(*grafanatest.Server) []string { return []string{"set the instance's CA file"} }},
		{name: "name mismatch", opts: []grafanatest.Option{grafanatest.WithCertNames("grafana.example.com", "10.1.2.3")},
			want: client.CertNameMismatch,
			words: func(*grafanatest.Server) []string {
				return []string{"grafana.example.com, 10.1.2.3", "not 127.0.0.1", "use a URL with one of those names"}
			}},
		{name: "expired", opts: []grafanatest.Option{grafanatest.WithCertValidity(now.AddDate(0, -2, 0), now.AddDate(0, 0, -3))},
			want: client.CertExpired,
			words: func(*grafanatest.Server) []string {
				return []string{"expired on " + client.FormatDate(now.AddDate(0, 0, -3), time.Local), "renew it on the server"}
			}},
		{name: "not yet valid", opts: []grafanatest.Option{grafanatest.WithCertValidity(now.AddDate(0, 0, 2), now.AddDate(0, 2, 0))},
			want: client.CertNotYetValid,
			words: func(*grafanatest.Server) []string {
				return []string{"valid only from " + client.FormatDate(now.AddDate(0, 0, 2), time.Local), "this computer's clock"}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newGrafana(t, append([]grafanatest.Option{grafanatest.WithTLS()}, tc.opts...)...)
			o := client.Options{BaseURL: s.URL}
			if !tc.noCA {
				o.CAFile = writeCA(t, s)
			}
			c, w := newClient(t, o)
			_, err := c.Token(ctx(t))
			ne := asNetworkError(t, err)
			if ne.Kind != client.NetTLS || ne.Cert != tc.want {
				t.Fatalf("kind %v, certificate problem %v; want NetTLS, %v: %v", ne.Kind, ne.Cert, tc.want, err)
			}
			_, hint := explained(t, err)
			contains(t, "hint", hint, tc.words(s)...)
			if tc.want != client.CertUnknownAuthority && strings.Contains(hint, "CA file") {
				t.Errorf("a certificate that is %s is advised about the CA file: %q", tc.name, hint)
			}
			if len(w.list()) != 0 {
				t.Errorf("a refused certificate was retried")
			}
		})
	}
}

func TestRefusedBearerTokenSaysThisAPIWantsBasicAuth(t *testing.T) {
	s := newGrafana(t, grafanatest.WithExpiredBearer("glsa_expired_0000"))
	cases := []struct {
		name   string
		auth   client.Auth
		status int
		basic  bool // signed in with a token, so want the Basic-auth advice
	}{
		{"unknown token", client.Auth{Token: "glsa_unknown_0000"}, 401, true},
		{"expired token", client.Auth{Token: "glsa_expired_0000"}, 401, true},
		{"token without the licensing role", client.Auth{Token: "glsa_viewer_00000000"}, 403, true},
		{"wrong password", client.Auth{Username: userName, Password: "wrong"}, 401, false},
		{"user without the licensing role", client.Auth{Username: "viewer", Password: "viewer"}, 403, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newClient(t, client.Options{BaseURL: s.URL, Auth: tc.auth})
			_, err := c.Token(ctx(t))
			ae := asAPIError(t, err)
			if ae.StatusCode != tc.status || ae.Bearer != tc.basic {
				t.Fatalf("got %d (bearer %v): %v", ae.StatusCode, ae.Bearer, err)
			}
			hint := client.Hint(err)
			says := strings.Contains(hint, "HTTP Basic auth with a Grafana Server Admin") &&
				strings.Contains(hint, "never accepts service account tokens")
			if says != tc.basic {
				t.Errorf("hint %q: says Basic auth = %v, want %v", hint, says, tc.basic)
			}
			if strings.Contains(hint, "grant the licensing roles to the service account") {
				t.Errorf("hint suggests a service account: %q", hint)
			}
		})
	}
}
