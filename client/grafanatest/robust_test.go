package grafanatest

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
)

// FuzzRequests sends arbitrary methods, paths, credentials and bodies: the
// server must answer each with a status and never fail.
func FuzzRequests(f *testing.F) {
	f.Add("POST", "/api/licensing/token", "Basic YWRtaW46YWRtaW4=", `{"token":"a.b.c"}`)
	f.Add("DELETE", "/api/licensing/token", "Basic YWRtaW46YWRtaW4=", `{"instance":["x"]}`)
	f.Add("POST", "/api/licensing/token", "Bearer glsa_admin_00000000", `{"token":"e30.e30.e30"}`)
	f.Add("POST", "/api/licensing/token", "Bearer glsa_admin_00000000", `{"token":"e30.eyJsZXhwIjoxZTMwMCwicHJvZCI6MX0.e30"}`)
	f.Add("GET", "/api/licensing/token", "Basic !!!", "")
	f.Add("GET", "/api/frontend/settings", "Basic", "")
	f.Add("POST", "/api/licensing/token/renew", "Bearer ", "\x00\xff")
	s := New()
	defer s.Close()
	c := s.Client()
	f.Fuzz(func(t *testing.T, method, path, auth, body string) {
		if !validMethod(method) || !strings.HasPrefix(path, "/") || !printable(path+auth) || strings.ContainsAny(path, " ?#%") {
			return // inputs net/http's client refuses to send
		}
		req, err := http.NewRequest(method, s.URL+path, bytes.NewReader([]byte(body)))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", auth)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 && resp.StatusCode != 500 {
			t.Errorf("%s %s: %d", method, path, resp.StatusCode)
		}
	})
}

func printable(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func validMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "DELETE", "PATCH":
		return true
	}
	return false
}

func TestUploadedOddClaimsReadAsZero(t *testing.T) {
	s := New()
	defer s.Close()
	// lexp absurdly large, prod not a list, company a number, anonymousRatio a string.
	jwt := "eyJhbGciOiJIUzI1NiJ9." + b64(`{"lexp":1e300,"prod":1,"company":7,"anonymousRatio":"x","sub":"`+s.URL+`"}`) + ".c2ln"
	a := call(t, s, "POST", "/api/licensing/token", admin, `{"token":"`+jwt+`"}`)
	if a.status != 200 {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	m := object(t, a.body)
	if num(t, m, "lexp") != 0 || m["prod"] != nil || m["company"] != "7" || num(t, m, "status") != StatusExpired {
		t.Errorf("got %s", a.body)
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func BenchmarkToken(b *testing.B) {
	s := New()
	defer s.Close()
	c := s.Client()
	for b.Loop() {
		req, _ := http.NewRequest("GET", s.URL+"/api/licensing/token", nil)
		req.SetBasicAuth("admin", "admin")
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
