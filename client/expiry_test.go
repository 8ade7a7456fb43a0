package client

import (
	"strings"
	"testing"
	"time"
)

// now is in a zone far from UTC so dates show whose location they use.
var now = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))

const (
	second = time.Second
	days   = 24 * time.Hour
)

// healthy is a token whose license and token are far from expiry.
func healthy() *Token {
	return &Token{Status: StatusValid, HasStatus: true,
		LicenseExpiry: now.Add(365 * days), TokenExpiry: now.Add(7 * days)}
}

func TestEvaluateBoundaries(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Token)
		want State
		msg  string
	}{
		{"license one second past", func(t *Token) { t.LicenseExpiry = now.Add(-second) }, StateCritical, "License expired less than an hour ago"},
		{"license exactly now", func(t *Token) { t.LicenseExpiry = now }, StateCritical, "License expired"},
		{"license one second left", func(t *Token) { t.LicenseExpiry = now.Add(second) }, StateWarning, "License expires in less than an hour"},
		{"license 30 days minus a second", func(t *Token) { t.LicenseExpiry = now.Add(30*days - second) }, StateWarning, "License expires in 29 days"},
		{"license exactly 30 days", func(t *Token) { t.LicenseExpiry = now.Add(30 * days) }, StateWarning, "License expires in 30 days"},
		{"license 30 days and a second", func(t *Token) { t.LicenseExpiry = now.Add(30*days + second) }, StateOK, "License valid for 30 days"},
		{"token one second past", func(t *Token) { t.TokenExpiry = now.Add(-second) }, StateCritical, "Token expired less than an hour ago"},
		{"token exactly now", func(t *Token) { t.TokenExpiry = now }, StateCritical, "Token expired"},
		{"token one second left", func(t *Token) { t.TokenExpiry = now.Add(second) }, StateWarning, "Token expires in less than an hour"},
		{"token exactly 2 days", func(t *Token) { t.TokenExpiry = now.Add(2 * days) }, StateWarning, "Token expires in 2 days"},
		{"token 2 days and a second", func(t *Token) { t.TokenExpiry = now.Add(2*days + second) }, StateOK, "License valid for 365 days"},
		{"token expired 3 days ago", func(t *Token) { t.TokenExpiry = now.Add(-3*days - time.Hour) }, StateCritical, "Token expired 3 days ago"},
		{"license expired 1 day ago", func(t *Token) { t.LicenseExpiry = now.Add(-25 * time.Hour) }, StateCritical, "License expired 25 hours ago"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := healthy()
			tc.edit(tok)
			ev := Evaluate(tok, now, Policy{})
			if ev.State != tc.want || !strings.HasPrefix(ev.Message, tc.msg) {
				t.Errorf("got %v %q, want %v %q…", ev.State, ev.Message, tc.want, tc.msg)
			}
		})
	}
}

func TestEvaluateWorseOfTheTwo(t *testing.T) {
	tok := healthy()
	tok.LicenseExpiry = now.Add(10 * days) // warning
	tok.TokenExpiry = now.Add(-2 * days)   // critical
	ev := Evaluate(tok, now, Policy{})
	if ev.State != StateCritical || ev.License.State != StateWarning || ev.Token.State != StateCritical {
		t.Errorf("got %v (license %v, token %v)", ev.State, ev.License.State, ev.Token.State)
	}
	if !strings.HasPrefix(ev.Message, "Token expired 2 days ago") {
		t.Errorf("message %q does not put the most urgent fact first", ev.Message)
	}

	tok.TokenExpiry = now.Add(36 * time.Hour) // warning too: the license speaks
	if ev := Evaluate(tok, now, Policy{}); ev.State != StateWarning || !strings.HasPrefix(ev.Message, "License expires in 10 days") {
		t.Errorf("got %v %q", ev.State, ev.Message)
	}
}

func TestEvaluateAbsentOrZeroDatesAreNotReported(t *testing.T) {
	tok := healthy()
	tok.LicenseExpiry = time.Time{}
	ev := Evaluate(tok, now, Policy{})
	if ev.License.Reported() || ev.License.State != StateOK || ev.State != StateOK {
		t.Errorf("absent license expiry: %+v", ev)
	}
	if strings.Contains(ev.Message, "1970") || !strings.HasPrefix(ev.Message, "Token valid for 7 days") {
		t.Errorf("message %q", ev.Message)
	}

	// A zero Unix time from Grafana parses as not reported, never as 1970.
	parsed, err := ParseToken([]byte(`{"status":1,"exp":0,"lexp":0}`))
	if err != nil {
		t.Fatal(err)
	}
	ev = Evaluate(parsed, now, Policy{})
	if ev.State != StateUnknown || ev.License.Reported() || ev.Token.Reported() {
		t.Errorf("nothing reported: %+v", ev)
	}
	if !strings.Contains(ev.Message, "no expiry date") || strings.Contains(ev.Message, "1970") {
		t.Errorf("message %q", ev.Message)
	}

	legacy, _ := ParseToken([]byte(`{"jti":"2","sub":"https://g.example.com/"}`))
	if ev := Evaluate(legacy, now, Policy{}); ev.State != StateUnknown || !strings.Contains(ev.Message, "no license or token expiry") {
		t.Errorf("7.x token without dates: %v %q", ev.State, ev.Message)
	}

	if ev := Evaluate(nil, now, Policy{}); ev.State != StateUnknown || ev.Message == "" {
		t.Errorf("no token: %v %q", ev.State, ev.Message)
	}
}

func TestEvaluateEveryStatus(t *testing.T) {
	cases := []struct {
		status TokenStatus
		want   State
		msg    string
	}{
		{StatusNotLoaded, StateOK, "License valid"},
		{StatusValid, StateOK, "License valid"},
		{StatusLoaded, StateOK, "License valid"},
		{StatusInvalid, StateCritical, "The license token is invalid"},
		{StatusNotFound, StateCritical, "No license was found on this Grafana"},
		{StatusExpired, StateCritical, "The license has expired"},
		{StatusInvalidSubject, StateCritical, "License URL does not match this Grafana's root_url (licensed for https://other.example.com/)"},
		{TokenStatus(7), StateUnknown, "Grafana reported the license status 7, which is not one Grafana defines"},
		{TokenStatus(-1), StateUnknown, "Grafana reported the license status -1, which is not one Grafana defines"},
	}
	for _, tc := range cases {
		t.Run(tc.status.String(), func(t *testing.T) {
			tok := healthy()
			tok.Status, tok.Subject = tc.status, "https://other.example.com/"
			ev := Evaluate(tok, now, Policy{})
			if ev.State != tc.want || !strings.HasPrefix(ev.Message, tc.msg) {
				t.Errorf("got %v %q, want %v %q", ev.State, ev.Message, tc.want, tc.msg)
			}
		})
	}

	// Grafana 7.x sends no status: the zero value must not count as one.
	tok := healthy()
	tok.Status, tok.HasStatus = StatusNotLoaded, false
	if ev := Evaluate(tok, now, Policy{}); ev.State != StateOK {
		t.Errorf("7.x token: %v %q", ev.State, ev.Message)
	}

	// An expired license with its date says when, not only that.
	expired := healthy()
	expired.Status, expired.LicenseExpiry = StatusExpired, now.Add(-3*24*time.Hour-time.Hour)
	if ev := Evaluate(expired, now, Policy{}); ev.State != StateCritical || !strings.HasPrefix(ev.Message, "License expired 3 days ago — on ") {
		t.Errorf("expired with date: %v %q", ev.State, ev.Message)
	}

	notLoaded := &Token{Status: StatusNotLoaded, HasStatus: true}
	if ev := Evaluate(notLoaded, now, Policy{}); ev.State != StateUnknown || !strings.HasPrefix(ev.Message, "No license has been loaded yet") {
		t.Errorf("nothing loaded: %v %q", ev.State, ev.Message)
	}
}

func TestEvaluateWarnDays(t *testing.T) {
	cases := []struct {
		name             string
		licWarn, tokWarn int
		policy           Policy
		lexp, exp        time.Duration
		wantLic, wantTok State
		wantDays         [2]int
	}{
		{"absent: defaults 30 and 2, inside", 0, 0, Policy{}, 29 * days, 47 * time.Hour, StateWarning, StateWarning, [2]int{30, 2}},
		{"absent: defaults 30 and 2, outside", 0, 0, Policy{}, 31 * days, 49 * time.Hour, StateOK, StateOK, [2]int{30, 2}},
		{"negative reads as absent", -5, -1, Policy{}, 29 * days, 47 * time.Hour, StateWarning, StateWarning, [2]int{30, 2}},
		{"token's own, inside", 10, 5, Policy{}, 10 * days, 5 * days, StateWarning, StateWarning, [2]int{10, 5}},
		{"token's own, outside", 10, 5, Policy{}, 11 * days, 6 * days, StateOK, StateOK, [2]int{10, 5}},
		{"policy overrides the token", 10, 5, Policy{LicenseWarnDays: 60, TokenWarnDays: 1}, 59 * days, 36 * time.Hour, StateWarning, StateOK, [2]int{60, 1}},
		{"policy overrides the defaults", 0, 0, Policy{LicenseWarnDays: 7, TokenWarnDays: 3}, 8 * days, 3 * days, StateOK, StateWarning, [2]int{7, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := &Token{Status: StatusValid, HasStatus: true, LicenseWarnDays: tc.licWarn, TokenWarnDays: tc.tokWarn,
				LicenseExpiry: now.Add(tc.lexp), TokenExpiry: now.Add(tc.exp)}
			ev := Evaluate(tok, now, tc.policy)
			if ev.License.State != tc.wantLic || ev.Token.State != tc.wantTok {
				t.Errorf("license %v, token %v; want %v, %v", ev.License.State, ev.Token.State, tc.wantLic, tc.wantTok)
			}
			if got := [2]int{ev.License.WarnDays, ev.Token.WarnDays}; got != tc.wantDays {
				t.Errorf("warn days %v, want %v", got, tc.wantDays)
			}
			if ev.State != Worse(tc.wantLic, tc.wantTok) {
				t.Errorf("overall %v", ev.State)
			}
		})
	}
}

func TestEvaluateShowsTheDateInNowsLocation(t *testing.T) {
	tok := healthy()
	tok.LicenseExpiry = time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC) // 2 Dec, 05:00 in JST
	ev := Evaluate(tok, now, Policy{})
	if ev.Message != "License expires in 5 days — on 2 Dec 2026" {
		t.Errorf("message %q", ev.Message)
	}
	utc := Evaluate(tok, now.UTC(), Policy{})
	if !strings.HasSuffix(utc.Message, "on 1 Dec 2026") {
		t.Errorf("in UTC: %q", utc.Message)
	}
}

func TestDaysLeftRoundsDown(t *testing.T) {
	cases := map[time.Duration]int{
		0: 0, second: 0, days - second: 0, days: 1, 36 * time.Hour: 1, 30 * days: 30,
		-second: -1, -12 * time.Hour: -1, -days: -1, -days - second: -2,
	}
	for d, want := range cases {
		if got := DaysLeft(now.Add(d), now); got != want {
			t.Errorf("DaysLeft(now%+v) = %d, want %d", d, got, want)
		}
	}
}

func TestWords(t *testing.T) {
	for n, want := range map[int]string{0: "0 days", 1: "1 day", 2: "2 days", -1: "-1 day"} {
		if got := Days(n); got != want {
			t.Errorf("Days(%d) = %q", n, got)
		}
	}
	for s, want := range map[State]string{StateOK: "ok", StateWarning: "warning", StateUnknown: "unknown", StateCritical: "critical"} {
		if s.String() != want {
			t.Errorf("%d = %q, want %q", s, s, want)
		}
	}
	if Worse(StateWarning, StateUnknown) != StateUnknown || Worse(StateCritical, StateUnknown) != StateCritical || Worse(StateOK, StateOK) != StateOK {
		t.Error("Worse does not rank critical, unknown, warning, ok")
	}
}

func TestDaysAgoRoundsDownLikeTheMessage(t *testing.T) {
	tok := healthy()
	tok.LicenseExpiry = now.Add(-3*24*time.Hour - 20*time.Hour)
	ev := Evaluate(tok, now, Policy{})
	if ev.License.DaysAgo != 3 || !strings.Contains(ev.Message, "expired 3 days ago") {
		t.Errorf("3 days 20 hours past: DaysAgo %d, message %q; want 3 in both", ev.License.DaysAgo, ev.Message)
	}
	tok.LicenseExpiry = now
	if ev := Evaluate(tok, now, Policy{}); ev.License.DaysAgo != 0 || ev.License.State != StateCritical {
		t.Errorf("expiring right now: DaysAgo %d, state %v; want 0, critical", ev.License.DaysAgo, ev.License.State)
	}
}

// Near a threshold the words never look safer than the state: hours under
// two days, and days with hours where the whole days would equal the
// warning period.
func TestCountdownNearAThreshold(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		left  time.Duration
		state State
		msg   string
	}{
		{2*day + 23*time.Hour + 50*time.Minute, StateOK, "Token valid for 2 days 23 hours — until"},
		{2*day + time.Second, StateOK, "Token valid for 2 days — until"},
		{2 * day, StateWarning, "Token expires in 2 days — on"},
		{47*time.Hour + 59*time.Minute, StateWarning, "Token expires in 47 hours — on"},
		{25 * time.Hour, StateWarning, "Token expires in 25 hours — on"},
		{59 * time.Minute, StateWarning, "Token expires in less than an hour — on"},
		{-3 * time.Hour, StateCritical, "Token expired 3 hours ago — on"},
		{-50 * time.Hour, StateCritical, "Token expired 2 days ago — on"},
		{6*day + 5*time.Hour, StateOK, "Token valid for 6 days — until"},
	}
	for _, c := range cases {
		tok := &Token{LicenseExpiry: now.Add(300 * day), TokenExpiry: now.Add(c.left), TokenWarnDays: 2}
		ev := Evaluate(tok, now, Policy{})
		got := ev.TokenSentence(now)
		if ev.Token.State != c.state || !strings.HasPrefix(got, c.msg) {
			t.Errorf("%v left: %v %q, want %v %q", c.left, ev.Token.State, got, c.state, c.msg)
		}
	}
}
