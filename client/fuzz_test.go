package client_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// Seeds shared by the fuzz targets: real answers in each shape Grafana
// sends, and the API doc's own invalid example. More live in
// testdata/fuzz/<target>/.
var tokenSeeds = []string{
	`{"status":1,"jti":"a1","iss":"https://grafana.com","sub":"https://grafana.example.com/","iat":1700000000,"exp":1700604800,` +
		`"nbf":1690000000,"lexp":1731536000,"lid":"10500","limit_by":"users","included_users":100,"lic_exp_warn_days":30,` +
		`"tok_exp_warn_days":2,"update_days":1,"prod":["grafana-enterprise"],"company":"Example Corp","account":"example",` +
		`"slug":"example","usage_billing":false,"max_concurrent_user_sessions":0,"details_url":"","trial":false,"trial_exp":0,"anonymousRatio":0}`,
	`{"jti":"2","iss":"https://grafana.com","sub":"https://play.grafana.org/","lid":"1","included_admins":5,"included_viewers":10,` +
		`"lic_exp_warn_days":30,"tok_exp_warn_days":2,"update_days":1,"prod":["grafana-enterprise"],"company":"Grafana Labs"}`,
	grafanatest.MalformedExample,
	`{"status":"6","exp":"1700604800","lexp":1.7e9,"sub":"hmac:abc","prod":"grafana-enterprise","trial":"true","future_field":{"x":[1,2]}}`,
	`{"status":null,"exp":-1,"lexp":1e400,"included_users":9.3e18,"lic_exp_warn_days":-5,"prod":null}`,
	`{"lexp":253402300800,"exp":253402300799}`,
	"{\"status\":\"abc\",\"lexp\":1795536000000,\"iat\":1.5e9,\"trial\":true,\"trial_exp\":\"soon\",\"company\":\"Caf\xe9\"}",
	`{}`, `[]`, `true`, `null`, `{"a":1}}`, `{"a":1} {"b":2}`, "", " \n\t", `{"\ud800":"\ufffd"}`,
}

// FuzzParseToken: any bytes either parse into a token that keeps them
// exactly, or give an error; never a panic, never a time outside the years
// 1970–9999.
func FuzzParseToken(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := client.ParseToken(data)
		if err != nil {
			if tok != nil {
				t.Fatalf("an error and a token: %v", err)
			}
			return
		}
		trimmed := bytes.TrimSpace(data)
		if !json.Valid(trimmed) || trimmed[0] != '{' {
			t.Fatalf("accepted %q, which is not one JSON object", data)
		}
		if !bytes.Equal(tok.Raw, trimmed) {
			t.Fatalf("Raw %q is not the answer %q", tok.Raw, trimmed)
		}
		out, err := tok.MarshalJSON()
		if want := bytes.ToValidUTF8(trimmed, []byte("\uFFFD")); err != nil || !bytes.Equal(out, want) {
			t.Fatalf("MarshalJSON = %q, %v; want the answer as sent, in UTF-8", out, err)
		}
		for _, fl := range tok.Fields {
			if !json.Valid(fl.Value) {
				t.Fatalf("field %q holds invalid JSON %q", fl.Name, fl.Value)
			}
			if v, ok := tok.Field(fl.Name); !ok || v == nil {
				t.Fatalf("Field(%q) does not find a field that is there", fl.Name)
			}
		}
		for name, at := range map[string]time.Time{"iat": tok.IssuedAt, "exp": tok.TokenExpiry, "nbf": tok.LicenseIssued,
			"lexp": tok.LicenseExpiry, "trial_exp": tok.TrialExpiry} {
			if !at.IsZero() && (at.Year() < 1970 || at.Year() > 9999 || at.Location() != time.UTC) {
				t.Fatalf("%s = %v: out of range", name, at)
			}
		}
		if math.IsNaN(tok.AnonymousRatio) || math.IsInf(tok.AnonymousRatio, 0) {
			t.Fatalf("anonymousRatio = %v", tok.AnonymousRatio)
		}
		_ = tok.Status.String() + tok.Status.Meaning()
		client.Evaluate(tok, time.Unix(1_700_000_000, 0), client.Policy{})
	})
}

// FuzzDecodeJWT: any string either decodes or is refused in words that say
// it is not a license token; a well-formed JWT decodes exactly when its
// claims parse as a token object.
func FuzzDecodeJWT(f *testing.F) {
	f.Add(grafanatest.IssueJWT(grafanatest.DefaultClaims(time.Unix(1_700_000_000, 0))), []byte(tokenSeeds[0]))
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.sig", []byte(`{}`))
	f.Add("a.b", []byte(tokenSeeds[1]))
	f.Add("..", []byte(grafanatest.MalformedExample))
	f.Add(" eyJ9.eyJ9.x= \n", []byte(`[1]`))
	f.Add("not a token at all", []byte(""))
	f.Fuzz(func(t *testing.T, raw string, claims []byte) {
		tok, err := client.DecodeJWT(raw)
		if err != nil {
			if tok != nil || !strings.HasPrefix(err.Error(), "not a license token") {
				t.Fatalf("DecodeJWT(%q): token %v, error %q", raw, tok != nil, err)
			}
		} else if strings.Count(strings.TrimSpace(raw), ".") != 2 {
			t.Fatalf("DecodeJWT accepted %q, which has no three parts", raw)
		}

		enc := base64.RawURLEncoding
		jwt := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(claims) + ".c2ln"
		fromJWT, jwtErr := client.DecodeJWT(jwt)
		direct, directErr := client.ParseToken(claims)
		if len(claims) == 0 {
			// An empty middle part is not a JWT at all.
			if jwtErr == nil {
				t.Fatal("a JWT with empty claims was decoded")
			}
			return
		}
		if (jwtErr == nil) != (directErr == nil) {
			t.Fatalf("claims %q: DecodeJWT error %v, ParseToken error %v", claims, jwtErr, directErr)
		}
		if jwtErr == nil && !bytes.Equal(fromJWT.Raw, direct.Raw) {
			t.Fatalf("the JWT's claims %q differ from the direct parse %q", fromJWT.Raw, direct.Raw)
		}
	})
}

const fuzzDay = 24 * time.Hour

// FuzzEvaluate: on any token and any moment, Evaluate returns one of the
// four states with a message, follows DESIGN.md's rules exactly, and time
// only makes things worse: a later moment never shows a better state or
// more days left.
func FuzzEvaluate(f *testing.F) {
	now := int64(1_700_000_000)
	f.Add(now+400*86400, now+7*86400, 1, true, 30, 2, 0, 0, now, int64(86400))
	f.Add(now+12*86400, now+86400, 1, true, 0, 0, 0, 0, now, int64(3600))
	f.Add(now-1, now+86400, 5, true, 30, 2, 0, 0, now, int64(1))
	f.Add(int64(0), int64(0), 0, false, 0, 0, 0, 0, now, int64(0))
	f.Add(int64(0), int64(0), 1, true, 0, 0, 60, 7, now, int64(0))
	f.Add(now+100*86400, now+10*86400, 6, true, 30, 2, 0, 0, now, int64(400*86400))
	f.Add(int64(253402300799), int64(1), 1, true, 1<<30, -3, 200000, 0, int64(-62135596800), int64(1<<40))
	f.Add(now+30*86400, now+2*86400, 2, true, 30, 2, 0, 0, now, int64(-86400))
	f.Fuzz(func(t *testing.T, lexp, exp int64, status int, hasStatus bool, licWarn, tokWarn, polLic, polTok int, nowUnix, later int64) {
		tok := &client.Token{
			Status: client.TokenStatus(status), HasStatus: hasStatus,
			LicenseExpiry: fuzzTime(lexp), TokenExpiry: fuzzTime(exp),
			LicenseWarnDays: licWarn, TokenWarnDays: tokWarn, Subject: "https://grafana.example.com/",
		}
		p := client.Policy{LicenseWarnDays: polLic, TokenWarnDays: polTok}
		t1 := fuzzMoment(nowUnix)
		const maxLater = 200 * 365 * 86400 // seconds; a Duration holds 292 years
		t2 := t1.Add(time.Duration(min(max(later, 0), maxLater)) * time.Second)
		e1 := client.Evaluate(tok, t1, p)
		e2 := client.Evaluate(tok, t2, p)
		checkEvaluation(t, tok, t1, p, e1)
		checkEvaluation(t, tok, t2, p, e2)
		if e2.State < e1.State {
			t.Fatalf("state got better with time: %v at %v, %v at %v", e1.State, t1, e2.State, t2)
		}
		for _, pair := range [][2]client.Expiry{{e1.License, e2.License}, {e1.Token, e2.Token}} {
			if pair[0].Reported() && (pair[1].DaysLeft > pair[0].DaysLeft || pair[1].State < pair[0].State) {
				t.Fatalf("an expiry got better with time: %+v then %+v", pair[0], pair[1])
			}
		}
	})
}

// fuzzTime turns fuzz input into a token time the way ParseToken does: zero
// when absent or out of range.
func fuzzTime(v int64) time.Time {
	if v <= 0 || v > 253402300799 {
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

// fuzzMoment is any moment in the years 1–9999, in a fixed zone.
func fuzzMoment(v int64) time.Time {
	const lo, hi = -62135596800, 253402300799
	span := uint64(hi - lo)
	return time.Unix(lo+int64(uint64(v)%span), 0).In(time.FixedZone("X", 5*3600+1800))
}

func checkEvaluation(t *testing.T, tok *client.Token, now time.Time, p client.Policy, ev client.Evaluation) {
	t.Helper()
	switch ev.State {
	case client.StateOK, client.StateWarning, client.StateUnknown, client.StateCritical:
	default:
		t.Fatalf("state %d is none of the four", ev.State)
	}
	if strings.TrimSpace(ev.Message) == "" {
		t.Fatalf("no message for %v", ev.State)
	}
	checkExpiry(t, "license", tok.LicenseExpiry, now, pickWarn(p.LicenseWarnDays, tok.LicenseWarnDays, 30), ev.License)
	checkExpiry(t, "token", tok.TokenExpiry, now, pickWarn(p.TokenWarnDays, tok.TokenWarnDays, 2), ev.Token)

	if len(ev.Reasons) == 0 && ev.State != client.StateOK {
		t.Fatalf("%v without a reason", ev.State)
	}
	for i, r := range ev.Reasons {
		if r.Code == "" || r.Message == "" || (i == 0 && (r.State != ev.State || r.Message != ev.Message)) ||
			(i > 0 && r.State > ev.Reasons[i-1].State) {
			t.Fatalf("reasons out of order or not the verdict's: %+v for %v %q", ev.Reasons, ev.State, ev.Message)
		}
	}
	critical := tok.HasStatus && tok.Status >= 3 && tok.Status <= 6
	outside := tok.HasStatus && (tok.Status < 0 || tok.Status > 6)
	switch {
	case critical:
		if ev.State != client.StateCritical {
			t.Fatalf("status %v gives %v, want critical", tok.Status, ev.State)
		}
		if tok.Status == client.StatusInvalidSubject && !strings.Contains(ev.Message, "root_url") {
			t.Fatalf("status 6's message %q does not name root_url", ev.Message)
		}
	case !ev.License.Reported() && !ev.Token.Reported():
		if ev.State != client.StateUnknown || !strings.Contains(ev.Message, "no") {
			t.Fatalf("nothing reported gives %v %q, want unknown saying so", ev.State, ev.Message)
		}
	case outside:
		if want := client.Worse(client.StateUnknown, client.Worse(ev.License.State, ev.Token.State)); ev.State != want {
			t.Fatalf("status %d outside the enum gives %v, want %v", tok.Status, ev.State, want)
		}
	default:
		if want := client.Worse(ev.License.State, ev.Token.State); ev.State != want {
			t.Fatalf("state %v, want the worse of license %v and token %v", ev.State, ev.License.State, ev.Token.State)
		}
		if strings.Contains(ev.Message, "1970") && tok.LicenseExpiry.Year() != 1970 && tok.TokenExpiry.Year() != 1970 {
			t.Fatalf("message %q shows a 1970 date", ev.Message)
		}
	}
}

func pickWarn(override, fromToken, fallback int) int {
	if override > 0 {
		return override
	}
	if fromToken > 0 {
		return fromToken
	}
	return fallback
}

// checkExpiry applies DESIGN.md's rule in whole seconds, which cannot overflow.
func checkExpiry(t *testing.T, what string, at, now time.Time, warnDays int, e client.Expiry) {
	t.Helper()
	if at.IsZero() {
		if e.Reported() || e.State != client.StateOK {
			t.Fatalf("%s not reported, yet %+v", what, e)
		}
		return
	}
	if !e.At.Equal(at) || e.WarnDays != warnDays {
		t.Fatalf("%s: at %v warn %d, want %v and %d", what, e.At, e.WarnDays, at, warnDays)
	}
	left := at.Unix() - now.Unix() // seconds
	want := client.StateOK
	switch {
	case left <= 0:
		want = client.StateCritical
	case float64(left) <= float64(warnDays)*86400:
		want = client.StateWarning
	}
	// Beyond 100,000 days (274 years) a Duration nears its limit: there only
	// past or future is checked, and warn periods that long warn of any
	// future date.
	days := math.Floor(float64(left) / 86400)
	if math.Abs(days) >= 100_000 {
		if (left <= 0) != (e.State == client.StateCritical) {
			t.Fatalf("%s expiring in %d s is %v", what, left, e.State)
		}
		return
	}
	if e.State != want {
		t.Fatalf("%s expiring in %d s with %d warn days is %v, want %v", what, left, warnDays, e.State, want)
	}
	if float64(e.DaysLeft) != days {
		t.Fatalf("%s: %d days left, want %v", what, e.DaysLeft, days)
	}
}
