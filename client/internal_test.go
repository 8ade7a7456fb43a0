package client

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"2", 2 * time.Second, true},
		{" 10 ", 10 * time.Second, true},
		{"0", 0, true},
		{"99999999999", 24 * time.Hour, true},
		{at.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{at.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
		{"1.5", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, at)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffStaysWithinItsBounds(t *testing.T) {
	c := &Client{opts: withDefaults(Options{Retry: RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}})}
	for attempt := 1; attempt <= 40; attempt++ {
		step := min(100*time.Millisecond<<min(attempt-1, 20), time.Second)
		for range 50 {
			if d := c.backoff(attempt, ""); d < step/2 || d > step {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, d, step/2, step)
			}
		}
	}
	if d := c.backoff(1, "30"); d != time.Second {
		t.Errorf("Retry-After 30 under MaxDelay 1s: %v", d)
	}
	if d := c.backoff(1, "garbage"); d > 100*time.Millisecond {
		t.Errorf("an unreadable Retry-After falls back to backoff; got %v", d)
	}
}

func TestRedactWord(t *testing.T) {
	cases := []struct{ s, secret, want string }{
		{`"included_admins":5`, "admin", `"included_admins":5`},
		{"user admin failed", "admin", "user [redacted] failed"},
		{`{"password":"admin"}`, "admin", `{"password":"[redacted]"}`},
		{"admin", "admin", "[redacted]"},
		{"administrators and admin", "admin", "administrators and [redacted]"},
		{"xxPa55-w0rd-SECRET-4f2ayy", "Pa55-w0rd-SECRET-4f2a", "xx[redacted]yy"},
		{"a=s3cr3t-token&b=s3cr3t-token", "s3cr3t-token", "a=[redacted]&b=[redacted]"},
		{"no secret here", "", "no secret here"},
		{"ünïcödé wörd!", "wörd", "ünïcödé [redacted]!"},
		{"swörds", "wörd", "swörds"},
		{"pässwördx", "pässwörd", "[redacted]x"}, // 10 bytes: long enough to redact anywhere
	}
	for _, tc := range cases {
		if got := redactWord(tc.s, tc.secret); got != tc.want {
			t.Errorf("redactWord(%q, %q) = %q, want %q", tc.s, tc.secret, got, tc.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	same := [][2]string{
		{"http://grafana.example.com/a", "http://GRAFANA.example.com:80/b?x=1"},
		{"https://grafana.example.com/", "https://grafana.example.com:443/grafana/"},
		{"http://127.0.0.1:3000/", "http://127.0.0.1:3000/login"},
	}
	different := [][2]string{
		{"https://grafana.example.com/", "http://grafana.example.com/"},
		{"http://127.0.0.1:3000/", "http://127.0.0.2:3000/"},
		{"http://127.0.0.1:3000/", "http://127.0.0.1:3001/"},
		{"https://grafana.example.com/", "https://grafana.example.com.evil.test/"},
	}
	for _, pair := range same {
		if origin(mustURL(t, pair[0])) != origin(mustURL(t, pair[1])) {
			t.Errorf("%s and %s should share an origin", pair[0], pair[1])
		}
	}
	for _, pair := range different {
		if origin(mustURL(t, pair[0])) == origin(mustURL(t, pair[1])) {
			t.Errorf("%s and %s should differ in origin", pair[0], pair[1])
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPrintable(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"  hello \n\t world  ", 100, "hello world"},
		{"bell\x07and\x00nul", 100, "bell and nul"},
		{"bad \xff utf8", 100, "bad � utf8"},
		{"abcdef", 3, "abc…"},
		{"abc", 3, "abc"},
		{"", 10, ""},
	}
	for _, tc := range cases {
		if got := printable(tc.in, tc.n); got != tc.want {
			t.Errorf("printable(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	if got := excerpt("text/html", []byte("<html><body><h1>Sign in</h1><script>var x = 1;</script><p>to  Grafana</p></body></html>")); got != "Sign in to Grafana" {
		t.Errorf("HTML without a title: %q", got)
	}
	if got := excerpt("", []byte("<!DOCTYPE html><title>Log in &amp; out</title>")); got != "title: Log in & out" {
		t.Errorf("HTML title: %q", got)
	}
	long := excerpt("application/json", []byte(strings.Repeat("x", 5000)))
	if len([]rune(long)) != 201 || !strings.HasSuffix(long, "…") {
		t.Errorf("long excerpt has %d runes", len([]rune(long)))
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes", 3 << 20: "3 MiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
