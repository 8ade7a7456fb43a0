package grafanatest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFaultAnswers(t *testing.T) {
	cases := []struct {
		name        string
		fault       Fault
		status      int
		contentType string
		check       func(t *testing.T, a answer)
	}{
		{"status default", Fault{Kind: FaultStatus}, 500, "application/json", func(t *testing.T, a answer) {
			if a.body != `{"message":"Internal Server Error"}` {
				t.Errorf("body %s", a.body)
			}
		}},
		{"status 502 text", Fault{Kind: FaultStatus, Status: 502, Body: "Bad Gateway\n"}, 502, "text/plain; charset=utf-8", nil},
		{"retry after 429", Fault{Kind: FaultRetryAfter, RetryAfter: 3}, 429, "application/json", func(t *testing.T, a answer) {
			if a.header.Get("Retry-After") != "3" {
				t.Errorf("Retry-After %q", a.header.Get("Retry-After"))
			}
		}},
		{"retry after 503", Fault{Kind: FaultRetryAfter, Status: 503}, 503, "application/json", func(t *testing.T, a answer) {
			if a.header.Get("Retry-After") != "0" {
				t.Errorf("Retry-After %q", a.header.Get("Retry-After"))
			}
		}},
		{"malformed JSON", Fault{Kind: FaultMalformedJSON}, 200, "application/json", func(t *testing.T, a answer) {
			if json.Valid([]byte(a.body)) {
				t.Error("the malformed example is valid JSON")
			}
			if !strings.Contains(a.body, `"sub":"https://play.grafana.org/" "lid":"1"`) {
				t.Errorf("not the doc's example: %s", a.body)
			}
		}},
		{"HTML", Fault{Kind: FaultHTML}, 200, "text/html; charset=UTF-8", func(t *testing.T, a answer) {
			if !strings.HasPrefix(a.body, "<!DOCTYPE html>") || !strings.Contains(a.body, "<title>Grafana</title>") {
				t.Errorf("body %s", a.body)
			}
		}},
		{"wrong content type", Fault{Kind: FaultWrongContentType}, 200, "text/plain; charset=utf-8", func(t *testing.T, a answer) {
			if json.Valid([]byte(a.body)) || a.body == "" {
				t.Errorf("body %q", a.body)
			}
		}},
		{"huge body", Fault{Kind: FaultHugeBody}, 200, "application/json", func(t *testing.T, a answer) {
			if len(a.body) != DefaultHugeBodySize {
				t.Errorf("len %d, want %d", len(a.body), DefaultHugeBodySize)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(WithFault(tc.fault))
			defer s.Close()
			a := call(t, s, "GET", "/api/licensing/token", admin, "")
			if a.status != tc.status || a.header.Get("Content-Type") != tc.contentType {
				t.Fatalf("got %d %q, want %d %q: %.200s", a.status, a.header.Get("Content-Type"), tc.status, tc.contentType, a.body)
			}
			if tc.check != nil {
				tc.check(t, a)
			}
		})
	}
}

func TestMalformedExampleLacksOnlyTheComma(t *testing.T) {
	fixed := strings.Replace(MalformedExample, `"https://play.grafana.org/" "lid"`, `"https://play.grafana.org/", "lid"`, 1)
	if json.Valid([]byte(MalformedExample)) || !json.Valid([]byte(fixed)) {
		t.Errorf("the example should be invalid only for the comma after sub: %s", MalformedExample)
	}
}

func TestFaultTimesAndPath(t *testing.T) {
	s := New()
	defer s.Close()
	s.SetFault(Fault{Kind: FaultStatus, Status: 503, Path: "/api/licensing/token", Times: 2})

	if a := call(t, s, "GET", "/api/licensing/check", admin, ""); a.status != 200 {
		t.Errorf("other path faulted: %d", a.status)
	}
	for i := range 2 {
		if a := call(t, s, "GET", "/api/licensing/token", admin, ""); a.status != 503 {
			t.Errorf("attempt %d: %d, want 503", i+1, a.status)
		}
	}
	if a := call(t, s, "GET", "/api/licensing/token", admin, ""); a.status != 200 {
		t.Errorf("after Times ran out: %d", a.status)
	}
	if n := s.RequestCount("/api/licensing/token"); n != 3 {
		t.Errorf("RequestCount = %d, want 3", n)
	}

	s.SetFault(Fault{Kind: FaultStatus})
	if a := call(t, s, "GET", "/api/health", "", ""); a.status != 500 {
		t.Errorf("fault without Times or Path: %d", a.status)
	}
	s.ClearFaults()
	if a := call(t, s, "GET", "/api/health", "", ""); a.status != 200 {
		t.Errorf("after ClearFaults: %d", a.status)
	}
}

func TestRedirectToAnotherHostLogsCredentials(t *testing.T) {
	target := New(WithListenAddr("127.0.0.2:0"))
	defer target.Close()
	s := New(WithFault(Fault{Kind: FaultRedirect, Location: target.URL + "/api/licensing/token"}))
	defer s.Close()

	// A client that follows blindly: Go drops Authorization on a host change.
	a := call(t, s, "GET", "/api/licensing/token", admin, "")
	if a.status != 401 {
		t.Fatalf("got %d %s, want the target's 401", a.status, a.body)
	}
	if !strings.HasPrefix(target.URL, "http://127.0.0.2:") {
		t.Fatalf("target URL %s", target.URL)
	}
	reqs := target.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/api/licensing/token" || reqs[0].HasAuth {
		t.Errorf("target saw %+v, want one request without credentials", reqs)
	}
	if got := s.Requests(); len(got) != 1 || !got[0].HasAuth || got[0].Method != "GET" {
		t.Errorf("origin saw %+v", got)
	}

	// Not following shows the 302 itself.
	c := s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(s.URL + "/api/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 302 || resp.Header.Get("Location") != target.URL+"/api/licensing/token" {
		t.Errorf("got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestResetBreaksTheAnswer(t *testing.T) {
	for _, opts := range [][]Option{nil, {WithTLS()}} {
		s := New(append(opts, WithFault(Fault{Kind: FaultReset}))...)
		resp, err := s.Client().Get(s.URL + "/api/health")
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		if err == nil {
			t.Errorf("%s: a reset connection read cleanly", s.URL)
		}
		s.Close()
	}
}

func TestHangEndsWhenTheClientGivesUp(t *testing.T) {
	s := New(WithFault(Fault{Kind: FaultHang}))
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", s.URL+"/api/licensing/token/renew", strings.NewReader("{}"))
	_, err := s.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
	waitIdle(t, s)
}

// waitIdle waits until the server handles no request, failing after a
// generous bound so a leaked handler cannot hang the suite.
func waitIdle(t *testing.T, s *Server) {
	t.Helper()
	for range 3000 {
		if s.InFlight() == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d requests still being handled", s.InFlight())
}

func TestCloseEndsHungRequests(t *testing.T) {
	s := New(WithFault(Fault{Kind: FaultHang}))
	errc := make(chan error, 1)
	go func() {
		resp, err := s.Client().Get(s.URL + "/api/licensing/token")
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for s.RequestCount("/api/licensing/token") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close blocked on a hung request")
	}
	if err := <-errc; err == nil {
		t.Error("the hung request got an answer")
	}
	s.Close() // twice is fine
}

func TestCloseEndsAStalledHugeBody(t *testing.T) {
	s := New(WithFault(Fault{Kind: FaultHugeBody, Size: 1 << 30}))
	resp, err := s.Client().Get(s.URL + "/api/licensing/token")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// Read a little, then stall: the server's writes block until Close.
	if _, err := io.ReadFull(resp.Body, make([]byte, 1024)); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close blocked on a stalled body")
	}
}

func TestLatencyEndsWithTheClient(t *testing.T) {
	s := New(WithLatency(time.Hour))
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/health", nil)
	if _, err := s.Client().Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	waitIdle(t, s)
	s.SetLatency(0)
	if a := call(t, s, "GET", "/api/health", "", ""); a.status != 200 {
		t.Errorf("after SetLatency(0): %d", a.status)
	}
}

func TestTLS(t *testing.T) {
	s := New(WithTLS())
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s", s.URL)
	}
	// A client trusting only the CA file reads the token.
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, s.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	pem, _ := os.ReadFile(caFile)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest("GET", s.URL+"/api/licensing/token", nil)
	req.SetBasicAuth("admin", "admin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}

	// Without the CA, or with another server's, the handshake fails.
	other := New(WithTLS(), WithListenAddr("127.0.0.3:0"))
	defer other.Close()
	plain := &http.Client{Transport: &http.Transport{}}
	if _, err := plain.Get(s.URL + "/api/health"); err == nil {
		t.Error("system roots trusted the emulator")
	}
	pool2 := x509.NewCertPool()
	pool2.AppendCertsFromPEM(other.CACertPEM())
	c2 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool2}}}
	if _, err := c2.Get(s.URL + "/api/health"); err == nil {
		t.Error("another server's CA was accepted")
	}
	// The certificate covers the listen address too.
	if resp, err := other.Client().Get(other.URL + "/api/health"); err != nil {
		t.Errorf("127.0.0.3 over TLS: %v", err)
	} else {
		resp.Body.Close()
	}
}

func TestFaultMethodAndHeader(t *testing.T) {
	s := New()
	defer s.Close()
	s.SetFault(Fault{Kind: FaultRetryAfter, Status: 503, Method: "DELETE",
		Header: http.Header{"Retry-After": {"Wed, 21 Oct 2015 07:28:00 GMT"}}})
	if a := call(t, s, "GET", "/api/licensing/token", admin, ""); a.status != 200 {
		t.Errorf("GET faulted: %d", a.status)
	}
	a := call(t, s, "DELETE", "/api/licensing/token", admin, `{"instance":"`+s.URL+`"}`)
	if a.status != 503 || a.header.Get("Retry-After") != "Wed, 21 Oct 2015 07:28:00 GMT" {
		t.Errorf("DELETE: %d Retry-After %q", a.status, a.header.Get("Retry-After"))
	}
	if _, ok := s.Claims(); !ok {
		t.Error("a faulted delete removed the license")
	}
}
