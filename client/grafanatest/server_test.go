package grafanatest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// answer is what a test request got back.
type answer struct {
	status int
	header http.Header
	body   string
}

// call sends one request with Basic auth user:pass ("" user = no auth, a
// user starting "Bearer " = that header verbatim).
func call(t *testing.T, s *Server, method, path, auth, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case strings.HasPrefix(auth, "Bearer "):
		req.Header.Set("Authorization", auth)
	case auth != "":
		u, p, _ := strings.Cut(auth, ":")
		req.SetBasicAuth(u, p)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return answer{resp.StatusCode, resp.Header, string(b)}
}

const admin = "admin:admin"

// keys returns a JSON object's keys in order.
func keys(t *testing.T, body string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %q", body)
	}
	var out []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func object(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("not JSON: %v: %q", err, body)
	}
	return m
}

func num(t *testing.T, m map[string]any, k string) int64 {
	t.Helper()
	n, ok := m[k].(json.Number)
	if !ok {
		t.Fatalf("%s = %#v, want a number", k, m[k])
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%s = %v: %v", k, n, err)
	}
	return i
}

var tokenKeys = []string{"status", "jti", "iss", "sub", "iat", "exp", "nbf", "lexp", "lid", "limit_by",
	"included_users", "lic_exp_warn_days", "tok_exp_warn_days", "update_days", "prod", "company", "account",
	"slug", "usage_billing", "max_concurrent_user_sessions", "details_url", "trial", "trial_exp", "anonymousRatio"}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

var day0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

func TestTokenHasEveryFieldInGrafanasOrder(t *testing.T) {
	s := New(WithClock(fixedClock(day0)))
	defer s.Close()

	a := call(t, s, "GET", "/api/licensing/token", admin, "")
	if a.status != 200 || a.header.Get("Content-Type") != "application/json" {
		t.Fatalf("got %d %s: %s", a.status, a.header.Get("Content-Type"), a.body)
	}
	if got := keys(t, a.body); strings.Join(got, ",") != strings.Join(tokenKeys, ",") {
		t.Fatalf("keys\n got %v\nwant %v", got, tokenKeys)
	}
	m := object(t, a.body)
	if num(t, m, "status") != StatusValid {
		t.Errorf("status = %v, want 1", m["status"])
	}
	if m["sub"] != s.URL+"/" || m["company"] != "Example Corp" {
		t.Errorf("sub %v company %v", m["sub"], m["company"])
	}
	if got := num(t, m, "lexp"); got != day0.AddDate(1, 0, 0).Unix() {
		t.Errorf("lexp = %d, want a year after %d", got, day0.Unix())
	}
	if got := num(t, m, "exp"); got != day0.Add(7*24*time.Hour).Unix() {
		t.Errorf("exp = %d, want 7 days on", got)
	}
	if num(t, m, "included_users") != 100 || num(t, m, "lic_exp_warn_days") != 30 || num(t, m, "tok_exp_warn_days") != 2 {
		t.Errorf("defaults wrong: %s", a.body)
	}
	if p, _ := m["prod"].([]any); len(p) != 1 || p[0] != "grafana-enterprise" {
		t.Errorf("prod = %v", m["prod"])
	}
}

func TestStatusIsComputed(t *testing.T) {
	cases := []struct {
		name   string
		opts   []Option
		status int64
		check  string
	}{
		{"valid", nil, StatusValid, "true"},
		{"no license", []Option{WithNoLicense()}, StatusNotFound, "false"},
		{"expired", []Option{WithClaims(Claims{LicenseExpiry: day0})}, StatusExpired, "false"},
		{"other root URL", []Option{WithRootURL("https://grafana.example.com/")}, StatusValid, "true"},
		{"sub mismatch", []Option{WithClaims(Claims{Subject: "https://other.example.com/", LicenseExpiry: day0.AddDate(1, 0, 0)})}, StatusInvalidSubject, "false"},
		{"glob sub", []Option{WithClaims(Claims{Subject: "http://127.0.0.*/", LicenseExpiry: day0.AddDate(1, 0, 0)})}, StatusValid, "true"},
		{"sub differs in case and slash", []Option{WithRootURL("https://Grafana.Example.com:443"), WithClaims(Claims{Subject: "HTTPS://grafana.example.com/", LicenseExpiry: day0.AddDate(1, 0, 0)})}, StatusValid, "true"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(append([]Option{WithClock(fixedClock(day0))}, tc.opts...)...)
			defer s.Close()
			a := call(t, s, "GET", "/api/licensing/token", admin, "")
			if a.status != 200 {
				t.Fatalf("got %d: %s", a.status, a.body)
			}
			if got := num(t, object(t, a.body), "status"); got != tc.status {
				t.Errorf("status = %d, want %d: %s", got, tc.status, a.body)
			}
			if got := keys(t, a.body); len(got) != len(tokenKeys) {
				t.Errorf("keys = %v, want all %d", got, len(tokenKeys))
			}
			if c := call(t, s, "GET", "/api/licensing/check", admin, ""); c.status != 200 || c.body != tc.check {
				t.Errorf("check = %d %q, want %q", c.status, c.body, tc.check)
			}
		})
	}
}

func TestNoLicenseHasZeroFields(t *testing.T) {
	s := New(WithNoLicense())
	defer s.Close()
	m := object(t, call(t, s, "GET", "/api/licensing/token", admin, "").body)
	if num(t, m, "lexp") != 0 || num(t, m, "exp") != 0 || m["sub"] != "" || m["prod"] != nil {
		t.Errorf("want zero fields, got %v", m)
	}
}

func TestAuth(t *testing.T) {
	s := New(WithExpiredBearer("glsa_old"), WithUser("ops", "s3cret", RoleLicensingReader))
	defer s.Close()
	cases := []struct {
		name, method, path, auth string
		status                   int
		body                     string
	}{
		{"admin basic", "GET", "/api/licensing/token", admin, 200, ""},
		{"admin bearer", "GET", "/api/licensing/token", "Bearer glsa_admin_00000000", 200, ""},
		{"custom reader reads", "GET", "/api/licensing/refresh-stats", "ops:s3cret", 200, ""},
		{"no credentials", "GET", "/api/licensing/token", "", 401, `{"message":"Unauthorized"}`},
		{"bad password", "GET", "/api/licensing/token", "admin:nope", 401,
			`{"message":"Invalid username or password","messageId":"password-auth.failed","statusCode":401,"traceID":""}`},
		{"unknown user", "GET", "/api/licensing/token", "nobody:admin", 401,
			`{"message":"Invalid username or password","messageId":"password-auth.failed","statusCode":401,"traceID":""}`},
		{"unknown bearer", "GET", "/api/licensing/token", "Bearer glsa_nope", 401,
			`{"message":"Invalid API key","messageId":"api-key.invalid","statusCode":401,"traceID":""}`},
		{"expired bearer", "GET", "/api/licensing/token", "Bearer glsa_old", 401,
			`{"message":"Expired API key","messageId":"api-key.expired","statusCode":401,"traceID":""}`},
		{"health needs none", "GET", "/api/health", "", 200, ""},
		{"settings need sign-in", "GET", "/api/frontend/settings", "", 401, `{"message":"Unauthorized"}`},
		{"viewer reads settings", "GET", "/api/frontend/settings", "viewer:viewer", 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, s, tc.method, tc.path, tc.auth, "")
			if a.status != tc.status {
				t.Fatalf("got %d, want %d: %s", a.status, tc.status, a.body)
			}
			if tc.body != "" && a.body != tc.body {
				t.Errorf("body\n got %s\nwant %s", a.body, tc.body)
			}
		})
	}
}

func TestForbiddenNamesThePermission(t *testing.T) {
	s := New()
	defer s.Close()
	cases := []struct {
		method, path, auth, body, perm string
	}{
		{"GET", "/api/licensing/token", "viewer:viewer", "", "licensing:read"},
		{"GET", "/api/licensing/check", "Bearer glsa_viewer_00000000", "", "licensing:read"},
		{"GET", "/api/licensing/refresh-stats", "viewer:viewer", "", "licensing:read"},
		{"POST", "/api/licensing/token/renew", "reader:reader", "{}", "licensing:write"},
		{"POST", "/api/licensing/token", "reader:reader", `{"token":"a.b.c"}`, "licensing:write"},
		{"DELETE", "/api/licensing/token", "Bearer glsa_reader_00000000", `{"instance":"` + s.URL + `/"}`, "licensing:delete"},
	}
	for _, tc := range cases {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			a := call(t, s, tc.method, tc.path, tc.auth, tc.body)
			if a.status != 403 {
				t.Fatalf("got %d: %s", a.status, a.body)
			}
			if got := keys(t, a.body); strings.Join(got, ",") != "accessErrorId,message,title" {
				t.Errorf("keys %v", got)
			}
			m := object(t, a.body)
			want := "You'll need additional permissions to perform this action. Permissions needed: " + tc.perm
			if m["message"] != want || m["title"] != "Access denied" || !strings.HasPrefix(m["accessErrorId"].(string), "ACE") {
				t.Errorf("body %s", a.body)
			}
		})
	}
	if _, ok := s.Claims(); !ok {
		t.Error("a forbidden delete removed the license")
	}
}

func TestReaderReadsButCannotWrite(t *testing.T) {
	s := New()
	defer s.Close()
	if a := call(t, s, "GET", "/api/licensing/token", "reader:reader", ""); a.status != 200 {
		t.Errorf("reader read: %d", a.status)
	}
	if a := call(t, s, "POST", "/api/licensing/token/renew", "reader:reader", "{}"); a.status != 403 {
		t.Errorf("reader renew: %d", a.status)
	}
}

func TestHealthAndSettings(t *testing.T) {
	s := New(WithVersion("10.4.1"), WithClock(fixedClock(day0)))
	defer s.Close()
	h := object(t, call(t, s, "GET", "/api/health", "", "").body)
	if h["database"] != "ok" || h["version"] != "10.4.1" || h["commit"] == "" {
		t.Errorf("health %v", h)
	}
	s.SetVersion("11.3.0")
	if h := object(t, call(t, s, "GET", "/api/health", "", "").body); h["version"] != "11.3.0" {
		t.Errorf("SetVersion: %v", h)
	}
	a := call(t, s, "GET", "/api/frontend/settings", "Bearer glsa_viewer_00000000", "")
	var fs struct {
		LicenseInfo struct {
			Expiry    int64  `json:"expiry"`
			StateInfo string `json:"stateInfo"`
			Edition   string `json:"edition"`
		} `json:"licenseInfo"`
	}
	if err := json.Unmarshal([]byte(a.body), &fs); err != nil {
		t.Fatal(err)
	}
	if fs.LicenseInfo.Expiry != day0.AddDate(1, 0, 0).Unix() || fs.LicenseInfo.Edition != "Enterprise" {
		t.Errorf("licenseInfo %+v", fs.LicenseInfo)
	}
}

func TestStats(t *testing.T) {
	s := New()
	defer s.Close()
	s.SetStats(Stats{ActiveUsers: 9, ActiveViewers: 4, ActiveAdminsAndEditors: 5, ActiveAnonymousDevices: 2})
	a := call(t, s, "GET", "/api/licensing/refresh-stats", admin, "")
	want := `{"active_users":9,"active_admins_and_editors":5,"active_viewers":4,"active_anonymous_devices":2}`
	if a.status != 200 || a.body != want {
		t.Errorf("got %d %s", a.status, a.body)
	}
}

func TestOldOrOpenSourceGrafanaHasNoLicensingAPI(t *testing.T) {
	for _, opt := range []Option{WithVersion("7.3.10"), WithEdition("Open Source")} {
		s := New(opt)
		if a := call(t, s, "GET", "/api/licensing/token", admin, ""); a.status != 404 {
			t.Errorf("got %d, want 404", a.status)
		}
		if a := call(t, s, "GET", "/api/health", "", ""); a.status != 200 {
			t.Errorf("health %d", a.status)
		}
		s.Close()
	}
}

func TestSubPath(t *testing.T) {
	s := New(WithSubPath("/grafana/"))
	defer s.Close()
	if !strings.HasSuffix(s.URL, "/grafana") || s.RootURL() != s.URL+"/" {
		t.Fatalf("URL %q root %q", s.URL, s.RootURL())
	}
	a := call(t, s, "GET", "/api/licensing/token", admin, "")
	if a.status != 200 || num(t, object(t, a.body), "status") != StatusValid {
		t.Errorf("under sub-path: %d %s", a.status, a.body)
	}
	root := strings.TrimSuffix(s.URL, "/grafana")
	resp, err := s.Client().Get(root + "/api/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("outside sub-path: %d", resp.StatusCode)
	}
	if n := s.RequestCount("/api/licensing/token"); n != 1 {
		t.Errorf("RequestCount = %d", n)
	}
}

func TestLegacyShapeAndExtraFields(t *testing.T) {
	s := New(WithLegacyShape(), WithExtraField("future_field", map[string]int{"x": 1}),
		WithClaims(Claims{IncludedAdmins: 5, IncludedViewers: 10, LicenseExpiry: time.Now().AddDate(1, 0, 0)}))
	defer s.Close()
	a := call(t, s, "GET", "/api/licensing/token", admin, "")
	got := keys(t, a.body)
	joined := "," + strings.Join(got, ",") + ","
	for _, absent := range []string{",status,", ",included_users,"} {
		if strings.Contains(joined, absent) {
			t.Errorf("legacy shape has %s: %v", absent, got)
		}
	}
	if got[len(got)-1] != "future_field" || !strings.Contains(joined, ",included_admins,included_viewers,") {
		t.Errorf("keys %v", got)
	}
	m := object(t, a.body)
	if num(t, m, "included_admins") != 5 || num(t, m, "included_viewers") != 10 {
		t.Errorf("body %s", a.body)
	}
}

func TestRenew(t *testing.T) {
	now := day0
	s := New(WithClock(func() time.Time { return now }))
	defer s.Close()
	before := object(t, call(t, s, "GET", "/api/licensing/token", admin, "").body)

	now = day0.Add(3 * 24 * time.Hour)
	s.SetClock(func() time.Time { return now })
	a := call(t, s, "POST", "/api/licensing/token/renew", admin, "{}")
	if a.status != 200 {
		t.Fatalf("renew: %d %s", a.status, a.body)
	}
	after := object(t, a.body)
	if after["jti"] == before["jti"] {
		t.Error("renew kept the jti")
	}
	if num(t, after, "iat") != now.Unix() || num(t, after, "exp") != now.Add(DefaultTokenLifetime).Unix() {
		t.Errorf("renewed iat/exp: %s", a.body)
	}
	if num(t, after, "lexp") != num(t, before, "lexp") || after["sub"] != before["sub"] {
		t.Error("renew changed the license")
	}
	if got := object(t, call(t, s, "GET", "/api/licensing/token", admin, "").body); got["jti"] != after["jti"] {
		t.Error("a later read does not show the renewed token")
	}
}

func TestRenewOffline(t *testing.T) {
	s := New(WithOffline())
	defer s.Close()
	before, _ := s.Claims()
	a := call(t, s, "POST", "/api/licensing/token/renew", "Bearer glsa_admin_00000000", "{}")
	if a.status != 500 || object(t, a.body)["message"] != "Failed to renew token" {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	if after, _ := s.Claims(); after.ID != before.ID {
		t.Error("a failed renew changed the token")
	}
	s.SetOffline(false)
	if a := call(t, s, "POST", "/api/licensing/token/renew", admin, "{}"); a.status != 200 {
		t.Errorf("back online: %d", a.status)
	}
}

func TestDelete(t *testing.T) {
	s := New()
	defer s.Close()
	del := func(body string) answer { return call(t, s, "DELETE", "/api/licensing/token", admin, body) }

	for _, body := range []string{"", "{}", "not json", `{"instance":""}`, `{"instance":42}`} {
		if a := del(body); a.status != 400 || object(t, a.body)["message"] == "" {
			t.Errorf("body %q: got %d %s, want 400 with a message", body, a.status, a.body)
		}
	}
	if a := del(`{"instance":"https://other.example.com/"}`); a.status != 422 || object(t, a.body)["message"] == "" {
		t.Errorf("other instance: %d %s", a.status, a.body)
	}
	if _, ok := s.Claims(); !ok {
		t.Fatal("a refused delete removed the license")
	}
	// No trailing slash, upper-case host: still this Grafana.
	if a := del(`{"instance":"` + strings.ToUpper(s.URL[:7]) + s.URL[7:] + `"}`); a.status != 202 || a.body != "{}" {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	if m := object(t, call(t, s, "GET", "/api/licensing/token", admin, "").body); num(t, m, "status") != StatusNotFound {
		t.Errorf("after delete: %v", m)
	}
	if a := del(`{"instance":"` + s.URL + `/"}`); a.status != 202 {
		t.Errorf("delete again: %d", a.status)
	}
	if a := call(t, s, "POST", "/api/licensing/token/renew", admin, "{}"); a.status != 404 {
		t.Errorf("renew after delete: %d %s", a.status, a.body)
	}
}

func TestDeleteFollowsSetRootURL(t *testing.T) {
	s := New()
	defer s.Close()
	s.SetRootURL("https://grafana.example.com/")
	if m := object(t, call(t, s, "GET", "/api/licensing/token", admin, "").body); num(t, m, "status") != StatusInvalidSubject {
		t.Errorf("status after root URL change: %v", m["status"])
	}
	if a := call(t, s, "DELETE", "/api/licensing/token", admin, `{"instance":"`+s.URL+`/"}`); a.status != 422 {
		t.Errorf("old URL: %d", a.status)
	}
	if a := call(t, s, "DELETE", "/api/licensing/token", admin, `{"instance":"https://grafana.example.com"}`); a.status != 202 {
		t.Errorf("new URL: %d", a.status)
	}
}

func TestUpload(t *testing.T) {
	s := New(WithNoLicense(), WithClock(fixedClock(day0)))
	defer s.Close()
	up := func(body string) answer { return call(t, s, "POST", "/api/licensing/token", admin, body) }

	bad := []string{
		``, `{}`, `[]`, `{"token":12}`,
		`{"token":"not a jwt"}`,
		`{"token":"a.b"}`,
		`{"token":"!!!.eyJzdWIiOiJ4In0.c2ln"}`,
		`{"token":"eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"}`, // claims "not json"
		`{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0."}`, // no signature
	}
	for _, body := range bad {
		if a := up(body); a.status != 400 || object(t, a.body)["message"] == "" {
			t.Errorf("upload %q: %d %s, want 400 with a message", body, a.status, a.body)
		}
	}
	if _, ok := s.Claims(); ok {
		t.Fatal("a refused upload loaded a license")
	}

	c := DefaultClaims(day0)
	c.Subject = s.URL + "/"
	c.Company = "Uploaded Inc"
	a := up(`{"token":"` + IssueJWT(c) + `"}`)
	if a.status != 200 {
		t.Fatalf("upload: %d %s", a.status, a.body)
	}
	m := object(t, a.body)
	if num(t, m, "status") != StatusValid || m["company"] != "Uploaded Inc" || num(t, m, "lexp") != c.LicenseExpiry.Unix() {
		t.Errorf("uploaded: %s", a.body)
	}

	c.Subject = "https://elsewhere.example.com/"
	if m := object(t, up(`{"token":"`+IssueJWT(c)+`"}`).body); num(t, m, "status") != StatusInvalidSubject {
		t.Errorf("mismatched sub: status %v", m["status"])
	}
	got, _ := s.Claims()
	if got.Subject != c.Subject {
		t.Errorf("Claims().Subject = %q", got.Subject)
	}
}

func TestBodyIsBounded(t *testing.T) {
	s := New()
	defer s.Close()
	huge := `{"token":"` + strings.Repeat("a", 2<<20) + `"}`
	if a := call(t, s, "POST", "/api/licensing/token", admin, huge); a.status != 413 {
		t.Errorf("got %d", a.status)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	s := New()
	defer s.Close()
	if a := call(t, s, "GET", "/api/nope", admin, ""); a.status != 404 {
		t.Errorf("unknown route: %d", a.status)
	}
	if a := call(t, s, "PUT", "/api/licensing/token", admin, "{}"); a.status != 405 {
		t.Errorf("unknown method: %d", a.status)
	}
}

func TestIssueJWTShape(t *testing.T) {
	jwt := IssueJWT(DefaultClaims(day0))
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("%q", jwt)
	}
	c, err := parseJWT(jwt)
	if err != nil {
		t.Fatal(err)
	}
	if c.Company != "Example Corp" || !c.LicenseExpiry.Equal(day0.AddDate(1, 0, 0)) {
		t.Errorf("round trip: %+v", c)
	}
	if bytes.ContainsAny([]byte(jwt), "+/= ") {
		t.Errorf("not base64url: %q", jwt)
	}
}

func TestStartSaysWhyItCannotListen(t *testing.T) {
	// Given an address another server already listens on
	first := New()
	defer first.Close()
	taken := strings.TrimPrefix(first.URL, "http://")

	// When a second one starts there, it says why instead of panicking
	s, err := Start(WithListenAddr(taken))
	if err == nil {
		s.Close()
		t.Fatalf("a second server started on %s", taken)
	}
	if s != nil || !strings.Contains(err.Error(), "cannot listen on "+taken) {
		t.Errorf("Start = %v, %v", s, err)
	}
	// And a bad address is refused the same way
	if _, err := Start(WithListenAddr("not an address")); err == nil {
		t.Error("Start accepted a bad address")
	}
}

func TestConnectionsCountsWhatClientsOpen(t *testing.T) {
	s := New()
	defer s.Close()
	c := s.Client()
	for range 3 {
		resp, err := c.Get(s.URL + "/api/health")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if got := s.Connections(); got.Opened != 1 || got.Open != 1 {
		t.Errorf("three requests over one kept-alive connection: %+v", got)
	}
	c.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for s.Connections().Open != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := s.Connections(); got.Opened != 1 || got.Open != 0 {
		t.Errorf("after the client closed it: %+v", got)
	}
}
