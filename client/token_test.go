package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseTokenGrafana7Shape(t *testing.T) {
	// Given the API doc's example with its missing comma restored: a 7.x
	// token, with included_admins/included_viewers and no status
	body := `{ "jti":"2", "iss":"https://grafana.com", "sub":"https://play.grafana.org/", "lid":"1",
		"included_admins":5, "included_viewers":10, "lic_exp_warn_days":30, "tok_exp_warn_days":2,
		"update_days":1, "prod":["grafana-enterprise"], "company":"Grafana Labs" }`
	tok, err := ParseToken([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if tok.HasStatus {
		t.Error("a token without status reports one")
	}
	if tok.IncludedAdmins != 5 || tok.IncludedViewers != 10 || tok.IncludedUsers != 0 {
		t.Errorf("user counts = %d/%d/%d", tok.IncludedAdmins, tok.IncludedViewers, tok.IncludedUsers)
	}
	if tok.ID != "2" || tok.Subject != "https://play.grafana.org/" || tok.Company != "Grafana Labs" ||
		tok.LicenseWarnDays != 30 || tok.TokenWarnDays != 2 || !reflect.DeepEqual(tok.Products, []string{"grafana-enterprise"}) {
		t.Errorf("token = %+v", tok)
	}
	if !tok.LicenseExpiry.IsZero() || !tok.TokenExpiry.IsZero() {
		t.Error("absent dates must stay zero")
	}
}

func TestParseTokenGrafana9Shape(t *testing.T) {
	body := `{"status":1,"jti":"abc","iss":"https://grafana.com","sub":"https://g.example.com/","iat":1764000000,
		"exp":1764604800,"nbf":1761408000,"lexp":1795536000,"lid":"10500","limit_by":"users","included_users":100,
		"lic_exp_warn_days":30,"tok_exp_warn_days":2,"update_days":1,"prod":["grafana-enterprise","grafana-reporting"],
		"company":"Example","account":"ex","slug":"ex","usage_billing":true,"max_concurrent_user_sessions":3,
		"details_url":"https://grafana.com/orgs/ex","trial":false,"trial_exp":0,"anonymousRatio":0.5}`
	tok, err := ParseToken([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := Token{
		Status: StatusValid, HasStatus: true, ID: "abc", Issuer: "https://grafana.com", Subject: "https://g.example.com/",
		IssuedAt: time.Unix(1764000000, 0).UTC(), TokenExpiry: time.Unix(1764604800, 0).UTC(),
		LicenseIssued: time.Unix(1761408000, 0).UTC(), LicenseExpiry: time.Unix(1795536000, 0).UTC(),
		LicenseID: "10500", LimitBy: "users", IncludedUsers: 100, LicenseWarnDays: 30, TokenWarnDays: 2, UpdateDays: 1,
		Products: []string{"grafana-enterprise", "grafana-reporting"}, Company: "Example", Account: "ex", Slug: "ex",
		UsageBilling: true, MaxConcurrentUserSessions: 3, DetailsURL: "https://grafana.com/orgs/ex", AnonymousRatio: 0.5,
	}
	got := *tok
	got.Fields, got.Raw = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("token =\n%+v\nwant\n%+v", got, want)
	}
	if len(tok.Fields) != 24 {
		t.Errorf("%d fields kept, want all 24", len(tok.Fields))
	}
}

func TestParseTokenKeepsEveryFieldAsSentInOrder(t *testing.T) {
	body := `{"zeta":1, "status":2, "alpha":{"nested":[1, 2]}, "prod":null, "jti":"x", "beta":"🙂"}`
	tok, err := ParseToken([]byte("\n" + body + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range tok.Fields {
		names = append(names, f.Name)
	}
	if want := []string{"zeta", "status", "alpha", "prod", "jti", "beta"}; !reflect.DeepEqual(names, want) {
		t.Errorf("field order = %v, want %v", names, want)
	}
	if v, _ := tok.Field("alpha"); string(v) != `{"nested":[1, 2]}` {
		t.Errorf("alpha = %s, want it byte for byte", v)
	}
	if v, ok := tok.Field("prod"); !ok || string(v) != "null" || tok.Products != nil {
		t.Errorf(`"prod": null gave %s, %v, products %v`, v, ok, tok.Products)
	}
	if _, ok := tok.Field("missing"); ok {
		t.Error("a field that was not sent is reported")
	}
	if string(tok.Raw) != body {
		t.Errorf("Raw = %s, want the body as sent", tok.Raw)
	}
	// encoding/json compacts what MarshalJSON returns; nothing else changes.
	var compact bytes.Buffer
	_ = json.Compact(&compact, []byte(body))
	if out, err := json.Marshal(tok); err != nil || string(out) != compact.String() {
		t.Errorf("MarshalJSON = %s, %v; want %s", out, err, compact.String())
	}
}

func TestParseTokenIsLenientWithTypes(t *testing.T) {
	body := `{"status":"5","jti":2,"exp":"1767225600","lexp":1.7952e9,"lic_exp_warn_days":"10",
		"included_users":" 100 ","anonymousRatio":"0.25","trial":"true","usage_billing":1,"prod":["a",1,null],"company":null}`
	tok, err := ParseToken([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Status != StatusExpired || !tok.HasStatus || tok.ID != "2" || tok.LicenseWarnDays != 10 || tok.IncludedUsers != 100 ||
		tok.AnonymousRatio != 0.25 || !tok.Trial || tok.Company != "" {
		t.Errorf("token = %+v", tok)
	}
	if !tok.TokenExpiry.Equal(time.Unix(1767225600, 0)) || !tok.LicenseExpiry.Equal(time.Unix(1795200000, 0)) {
		t.Errorf("exp %v, lexp %v", tok.TokenExpiry, tok.LicenseExpiry)
	}
	if want := []string{"a", "1", ""}; !reflect.DeepEqual(tok.Products, want) {
		t.Errorf("prod = %q, want %q", tok.Products, want)
	}
}

func TestParseTokenRefusesHostileValues(t *testing.T) {
	body := `{"status":null,"exp":1e300,"lexp":-5,"iat":0,"nbf":"NaN","trial_exp":253402300800,
		"included_users":1e19,"max_concurrent_user_sessions":9.223372036854775807e18,"update_days":"lots"}`
	tok, err := ParseToken([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, at := range map[string]time.Time{"exp": tok.TokenExpiry, "lexp": tok.LicenseExpiry, "iat": tok.IssuedAt,
		"nbf": tok.LicenseIssued, "trial_exp": tok.TrialExpiry} {
		if !at.IsZero() {
			t.Errorf("%s = %v, want not reported", name, at)
		}
	}
	if tok.HasStatus || tok.IncludedUsers != 0 || tok.MaxConcurrentUserSessions != 0 || tok.UpdateDays != 0 {
		t.Errorf("token = %+v", tok)
	}
}

func TestParseTokenRefusesWhatIsNotOneObject(t *testing.T) {
	for _, body := range []string{`[]`, `true`, `"token"`, `null`, `12`} {
		if _, err := ParseToken([]byte(body)); !errors.Is(err, ErrNotJSONObject) {
			t.Errorf("%s: err = %v, want ErrNotJSONObject", body, err)
		}
	}
	for _, body := range []string{``, "  \n", `{"a":1} x`, `{"a":1}}`, `{"a":1}{"b":2}`, `{"a":1},`, `{"a":1`,
		`{ "jti":"2", "sub":"https://play.grafana.org/" "lid":"1" }`} {
		if _, err := ParseToken([]byte(body)); err == nil {
			t.Errorf("%q was accepted", body)
		}
	}
	if _, err := ParseToken([]byte("{\"a\":1}\n\t ")); err != nil {
		t.Errorf("trailing whitespace refused: %v", err)
	}
}

func TestTokenStatusWords(t *testing.T) {
	if s := TokenStatus(42); s.String() != "Status42" || s.Meaning() != "unknown license status 42" {
		t.Errorf("status 42 = %s, %s", s, s.Meaning())
	}
	if StatusInvalidSubject.String() != "InvalidSubject" || !strings.Contains(StatusInvalidSubject.Meaning(), "root_url") {
		t.Error("status 6 words changed")
	}
}

func jwt(header, claims string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + ".c2ln"
}

func TestDecodeJWT(t *testing.T) {
	const header = `{"alg":"HS256","typ":"JWT"}`
	claims := `{"jti":"7","sub":"https://g.example.com/","lexp":1795536000,"custom":true}`

	tok, err := DecodeJWT("  " + jwt(header, claims) + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID != "7" || tok.Subject != "https://g.example.com/" || !tok.LicenseExpiry.Equal(time.Unix(1795536000, 0)) {
		t.Errorf("token = %+v", tok)
	}
	if _, ok := tok.Field("custom"); !ok {
		t.Error("an unknown claim was dropped")
	}

	// Some tools pad base64url; a padded token still reads.
	std := base64.URLEncoding
	padded := std.EncodeToString([]byte(header)) + "." + std.EncodeToString([]byte(claims+" ")) + ".c2ln"
	if _, err := DecodeJWT(padded); err != nil {
		t.Errorf("padded token: %v", err)
	}

	for name, bad := range map[string]string{
		"two parts":          "eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiI3In0",
		"empty claims":       base64.RawURLEncoding.EncodeToString([]byte(header)) + "..sig",
		"claims not base64":  base64.RawURLEncoding.EncodeToString([]byte(header)) + ".!!!.sig",
		"header not JSON":    jwt("not json", claims),
		"claims an array":    jwt(header, `[1,2]`),
		"claims invalid":     jwt(header, `{"jti":"7" "sub":"x"}`),
		"a file of garbage":  "hello world",
		"nothing":            "",
		"claims then junk":   jwt(header, claims+"junk"),
		"four parts":         jwt(header, claims) + ".more",
		"claims after a BOM": jwt(header, "\ufeff"+claims),
	} {
		_, err := DecodeJWT(bad)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "not a license token") {
			t.Errorf("%s: error %q does not say what is wrong in plain words", name, err)
		}
	}
}

func TestSubjectMatches(t *testing.T) {
	cases := []struct {
		sub, url            string
		matches, comparable bool
	}{
		{"https://grafana.example.com/", "https://grafana.example.com", true, true},
		{"https://Grafana.Example.com", "https://grafana.example.com/", true, true},
		{"https://*.example.com/", "https://eu.example.com/", true, true},
		{"grafana.example.com", "http://grafana.example.com/", true, true},
		{"https://grafana.example.com/", "https://other.example.com/", false, true},
		{"https://grafana.example.com/", "https://grafana.example.com/grafana/", false, true},
		{"https://grafana.example.com:443/", "https://grafana.example.com/", true, true},
		{"http://grafana.example.com/grafana/", "http://grafana.example.com:80/grafana", true, true},
		{"https://grafana.example.com:8443/", "https://grafana.example.com/", false, true},
		{"hmac:abc123", "https://grafana.example.com/", false, false},
		{"", "https://grafana.example.com/", false, false},
	}
	for _, tc := range cases {
		m, c := SubjectMatches(tc.sub, tc.url)
		if m != tc.matches || c != tc.comparable {
			t.Errorf("SubjectMatches(%q, %q) = %v, %v; want %v, %v", tc.sub, tc.url, m, c, tc.matches, tc.comparable)
		}
	}
}
