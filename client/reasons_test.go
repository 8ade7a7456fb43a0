package client

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func codes(ev Evaluation) []ReasonCode {
	out := []ReasonCode{}
	for _, r := range ev.Reasons {
		out = append(out, r.Code)
	}
	return out
}

// reason returns the evaluation's reason with code, failing the test when it has none.
func reason(t *testing.T, ev Evaluation, code ReasonCode) Reason {
	t.Helper()
	for _, r := range ev.Reasons {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no %s among %v (%q)", code, codes(ev), ev.Message)
	return Reason{}
}

func TestEvaluateOKHasNoReasons(t *testing.T) {
	ev := Evaluate(healthy(), now, Policy{})
	if ev.State != StateOK || len(ev.Reasons) != 0 || !strings.HasPrefix(ev.Message, "License valid for 365 days") {
		t.Errorf("healthy: %v %v %q", ev.State, codes(ev), ev.Message)
	}
}

func TestEvaluateReasonsMostUrgentFirst(t *testing.T) {
	tok := healthy()
	tok.LicenseExpiry = now.Add(10 * days) // warning
	tok.TokenExpiry = now.Add(-2 * days)   // critical
	tok.IncludedUsers, tok.LimitBy = 10, "users"
	stats := &Stats{ActiveUsers: 12} // critical
	ev := EvaluateWithUsage(tok, stats, now, Policy{})

	want := []ReasonCode{ReasonTokenExpired, ReasonUsersOverLimit, ReasonLicenseExpiring}
	if got := codes(ev); !reflect.DeepEqual(got, want) {
		t.Fatalf("reasons %v, want %v", got, want)
	}
	if ev.State != StateCritical || ev.Message != ev.Reasons[0].Message {
		t.Errorf("state %v, message %q: want the first reason's", ev.State, ev.Message)
	}
	for _, r := range ev.Reasons {
		if r.Message == "" || (r.Code == ReasonLicenseExpiring) != (r.State == StateWarning) {
			t.Errorf("reason %+v", r)
		}
	}
}

func TestEvaluateUsersAgainstTheLimit(t *testing.T) {
	cases := []struct {
		active  int64
		want    State
		code    ReasonCode
		percent float64
	}{
		{79, StateOK, "", 79},
		{80, StateWarning, ReasonUsersNearLimit, 80},
		{100, StateWarning, ReasonUsersNearLimit, 100},
		{101, StateCritical, ReasonUsersOverLimit, 101},
	}
	for _, tc := range cases {
		t.Run(itoa(tc.active), func(t *testing.T) {
			tok := healthy()
			tok.LimitBy, tok.IncludedUsers = "users", 100
			ev := EvaluateWithUsage(tok, &Stats{ActiveUsers: tc.active, ActiveAnonymousDevices: 50}, now, Policy{})
			if ev.State != tc.want {
				t.Errorf("%d of 100: %v %q, want %v", tc.active, ev.State, ev.Message, tc.want)
			}
			want := []Usage{{Kind: UsageUsers, Active: tc.active, Included: 100, Percent: tc.percent, State: tc.want}}
			if !reflect.DeepEqual(ev.Usage, want) {
				t.Errorf("usage %+v, want %+v (anonymous devices count only with anonymousRatio > 0)", ev.Usage, want)
			}
			if tc.code == "" {
				if len(ev.Reasons) != 0 {
					t.Errorf("reasons %v", codes(ev))
				}
				return
			}
			r := reason(t, ev, tc.code)
			if wantMsg := "Users " + map[State]string{StateWarning: "near", StateCritical: "over"}[tc.want] +
				" the license limit — " + itoa(tc.active) + " active of 100 included (" + itoa(tc.active) + " %)"; r.Message != wantMsg {
				t.Errorf("message %q, want %q", r.Message, wantMsg)
			}
		})
	}
}

// TestUsageWordsAreTheReasons: the window's usage bars say a count as the
// reason does, in one set of words.
func TestUsageWordsAreTheReasons(t *testing.T) {
	tok := healthy()
	tok.LimitBy, tok.IncludedUsers, tok.AnonymousRatio = "users", 10, 10
	ev := EvaluateWithUsage(tok, &Stats{ActiveUsers: 9, ActiveAnonymousDevices: 30}, now, Policy{})
	u := ev.Usage[0]
	if u.Name() != "Users" || u.Count() != "12 active of 10 included (120 %), 3 of them counted for 30 anonymous devices" {
		t.Errorf("name %q, count %q", u.Name(), u.Count())
	}
	if r := reason(t, ev, ReasonUsersOverLimit); r.Message != "Users over the license limit — "+u.Count() {
		t.Errorf("the reason %q does not say the count as Count does", r.Message)
	}
	names := map[string]string{}
	for _, u := range usage(&Token{LimitBy: "role_users", IncludedAdmins: 3, IncludedViewers: 3}, &Stats{}) {
		names[u.Kind] = u.Name()
	}
	if names[UsageAdminsAndEditors] != "Admins and editors" || names[UsageViewers] != "Viewers" {
		t.Errorf("names %v", names)
	}
}

func TestEvaluateUsersCountAnonymousDevicesThroughTheRatio(t *testing.T) {
	tok := healthy()
	tok.LimitBy, tok.IncludedUsers = "users", 10
	stats := &Stats{ActiveUsers: 7, ActiveAnonymousDevices: 11}

	tok.AnonymousRatio = 0
	if ev := EvaluateWithUsage(tok, stats, now, Policy{}); ev.State != StateOK || ev.Usage[0].Active != 7 {
		t.Errorf("ratio 0: %v %+v, want 7 active, ok", ev.State, ev.Usage)
	}

	tok.AnonymousRatio = 3 // floor(11/3) = 3 more: 10 of 10
	ev := EvaluateWithUsage(tok, stats, now, Policy{})
	if u := ev.Usage[0]; ev.State != StateWarning || u.Active != 10 || u.Anonymous != 3 || u.AnonymousDevices != 11 || u.Percent != 100 {
		t.Errorf("ratio 3: %v %+v", ev.State, u)
	}
	if r := reason(t, ev, ReasonUsersNearLimit); !strings.HasSuffix(r.Message, "(100 %), 3 of them counted for 11 anonymous devices") {
		t.Errorf("message %q does not say how anonymous devices count", r.Message)
	}

	tok.AnonymousRatio = 0.5 // 22 more: 29 of 10
	if ev := EvaluateWithUsage(tok, stats, now, Policy{}); ev.State != StateCritical || ev.Usage[0].Active != 29 || ev.Usage[0].Percent != 290 {
		t.Errorf("ratio 0.5: %v %+v", ev.State, ev.Usage)
	}
}

func TestEvaluateRoleUsersEachAgainstItsOwnLimit(t *testing.T) {
	stats := &Stats{ActiveUsers: 300, ActiveAdminsAndEditors: 11, ActiveViewers: 79}
	for name, tok := range map[string]*Token{
		"role_users":                 {LimitBy: "role_users", IncludedAdmins: 10, IncludedViewers: 100, IncludedUsers: 1000},
		"Grafana 8 without limit_by": {IncludedAdmins: 10, IncludedViewers: 100},
	} {
		t.Run(name, func(t *testing.T) {
			tok.Status, tok.HasStatus = StatusValid, true
			tok.LicenseExpiry, tok.TokenExpiry = now.Add(365*days), now.Add(7*days)
			ev := EvaluateWithUsage(tok, stats, now, Policy{})
			want := []Usage{
				{Kind: UsageAdminsAndEditors, Active: 11, Included: 10, Percent: 110, State: StateCritical},
				{Kind: UsageViewers, Active: 79, Included: 100, Percent: 79, State: StateOK},
			}
			if !reflect.DeepEqual(ev.Usage, want) {
				t.Errorf("usage %+v, want %+v", ev.Usage, want)
			}
			if r := reason(t, ev, ReasonUsersOverLimit); ev.State != StateCritical || !strings.HasPrefix(r.Message, "Admins and editors over the license limit — 11 active of 10 included") {
				t.Errorf("%v %q", ev.State, r.Message)
			}
			if len(ev.Reasons) != 1 {
				t.Errorf("reasons %v: viewers at 79 %% need nothing", codes(ev))
			}
		})
	}
}

func TestEvaluateUsageNeedsCountsAndALimit(t *testing.T) {
	tok := healthy()
	tok.LimitBy, tok.IncludedUsers = "users", 10
	if ev := Evaluate(tok, now, Policy{}); ev.Usage != nil {
		t.Errorf("usage without counts: %+v", ev.Usage)
	}
	tok.IncludedUsers = 0
	if ev := EvaluateWithUsage(tok, &Stats{ActiveUsers: 1 << 40}, now, Policy{}); ev.Usage != nil || ev.State != StateOK {
		t.Errorf("no limit: %v %+v", ev.State, ev.Usage)
	}
	tok.IncludedUsers = 1 << 62
	if ev := EvaluateWithUsage(tok, &Stats{ActiveUsers: 1<<62 - 1, ActiveAnonymousDevices: 1 << 62}, now, Policy{}); ev.State != StateWarning {
		t.Errorf("huge counts: %v %+v", ev.State, ev.Usage)
	}
}

func TestEvaluateRenewalStalled(t *testing.T) {
	cases := []struct {
		name       string
		updateDays int
		since      time.Duration
		stalled    bool
	}{
		{"default period, exactly three", 0, 3 * days, false},
		{"default period, a second more", 0, 3*days + second, true},
		{"daily, exactly three", 1, 3 * days, false},
		{"daily, a second more", 1, 3*days + second, true},
		{"weekly, exactly three", 7, 21 * days, false},
		{"weekly, a second more", 7, 21*days + second, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := healthy()
			tok.UpdateDays, tok.IssuedAt = tc.updateDays, now.Add(-tc.since)
			tok.TokenExpiry = now.Add(30 * days)
			ev := Evaluate(tok, now, Policy{})
			if !tc.stalled {
				if ev.State != StateOK || len(ev.Reasons) != 0 {
					t.Errorf("%v %v %q", ev.State, codes(ev), ev.Message)
				}
				return
			}
			r := reason(t, ev, ReasonRenewalStalled)
			if ev.State != StateWarning || r.State != StateWarning {
				t.Errorf("state %v", ev.State)
			}
			every := "every day"
			if tc.updateDays == 7 {
				every = "every 7 days"
			}
			for _, want := range []string{"last renewed on " + FormatDate(tok.IssuedAt, now.Location()), every, "grafana.com", "proxy", "air-gapped", "upload"} {
				if !strings.Contains(r.Message, want) {
					t.Errorf("message %q lacks %q", r.Message, want)
				}
			}
		})
	}

	expired := healthy()
	expired.IssuedAt, expired.TokenExpiry = now.Add(-10*days), now.Add(-3*days)
	if ev := Evaluate(expired, now, Policy{}); !reflect.DeepEqual(codes(ev), []ReasonCode{ReasonTokenExpired}) {
		t.Errorf("an expired token says so, not that renewal stalled: %v", codes(ev))
	}
}

func TestEvaluateTrial(t *testing.T) {
	cases := []struct {
		name string
		end  time.Duration
		want State
		code ReasonCode
		msg  string
	}{
		{"ended a second ago", -second, StateCritical, ReasonTrialEnded, "Trial ended less than an hour ago — on "},
		{"ends now", 0, StateCritical, ReasonTrialEnded, "Trial ended less than an hour ago"},
		{"ends in a second", second, StateWarning, ReasonTrialEnding, "Trial ends in less than an hour — on "},
		{"ends in exactly the warn days", 30 * days, StateWarning, ReasonTrialEnding, "Trial ends in 30 days — on "},
		{"ends a second after the warn days", 30*days + second, StateOK, "", "Trial ends in 30 days — on "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := healthy()
			tok.Trial, tok.TrialExpiry = true, now.Add(tc.end)
			ev := Evaluate(tok, now, Policy{})
			if ev.State != tc.want || !ev.Trial.Reported() || !strings.HasPrefix(ev.Message, tc.msg) {
				t.Errorf("%v %q, want %v %q…", ev.State, ev.Message, tc.want, tc.msg)
			}
			if tc.code != "" {
				reason(t, ev, tc.code)
			} else if len(ev.Reasons) != 0 {
				t.Errorf("reasons %v", codes(ev))
			}
		})
	}
	// Its countdown is the trial's: it ends, it does not expire.
	tok := healthy()
	for end, want := range map[time.Duration]string{-3 * days: "ended 3 days ago", 12 * days: "in 12 days"} {
		tok.Trial, tok.TrialExpiry = true, now.Add(end)
		if got := Evaluate(tok, now, Policy{}).TrialCountdown(); got != want {
			t.Errorf("trial end %v: countdown %q, want %q", end, got, want)
		}
	}
	if got := Evaluate(healthy(), now, Policy{}).TrialCountdown(); got != "" {
		t.Errorf("not a trial, yet the countdown %q", got)
	}
	// The trial warns with the license's warn days, the user's included.
	tok = healthy()
	tok.Trial, tok.TrialExpiry = true, now.Add(40*days)
	if ev := Evaluate(tok, now, Policy{LicenseWarnDays: 45}); ev.Trial.State != StateWarning || ev.Trial.WarnDays != 45 {
		t.Errorf("policy: %+v", ev.Trial)
	}
	// Not a trial: trial_exp means nothing.
	tok.Trial = false
	if ev := Evaluate(tok, now, Policy{}); ev.Trial.Reported() {
		t.Errorf("not a trial, yet %+v", ev.Trial)
	}
}

func TestEvaluateAWSMarketplaceIsJudgedByItsToken(t *testing.T) {
	tok, err := ParseToken([]byte(`{"status":1,"jti":"x","iss":"AWS/Marketplace","sub":"","iat":` + itoa(now.Add(-20*days).Unix()) +
		`,"exp":` + itoa(now.Add(7*days).Unix()) + `,"lexp":0,"lid":"aws-1","account":"123456789012"}`))
	if err != nil {
		t.Fatal(err)
	}
	ev := Evaluate(tok, now, Policy{})
	if !tok.FromAWSMarketplace() || ev.State != StateOK || len(ev.Reasons) != 0 {
		t.Fatalf("%v %v %q", ev.State, codes(ev), ev.Message)
	}
	if !strings.HasPrefix(ev.Message, "AWS Marketplace license: token valid for 7 days — until ") {
		t.Errorf("message %q", ev.Message)
	}
	tok.TokenExpiry = now.Add(day)
	if ev := Evaluate(tok, now, Policy{}); ev.State != StateWarning || ev.Reasons[0].Code != ReasonTokenExpiring {
		t.Errorf("expiring AWS token: %v %v", ev.State, codes(ev))
	}
}

func TestImplausibleTimesMakeTheInstanceUnknown(t *testing.T) {
	exp := itoa(now.Add(7 * days).Unix())
	lexp := itoa(now.Add(365 * days).Unix())
	cases := []struct {
		field, value string
	}{
		{"lexp", "1795536000000"}, // milliseconds
		{"lexp", "-5"},
		{"lexp", "1795536000.5"},
		{"lexp", "1400000000"}, // 2014
		{"lexp", "7258118401"}, // a second after 2200
		{"lexp", `"soon"`},
		{"lexp", `{"at":1}`},
		{"exp", "1764150000000"},
		{"iat", "-1"},
		{"nbf", "1e300"},
		{"trial_exp", "1764150000000"},
	}
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.value, func(t *testing.T) {
			fields := map[string]string{"exp": exp, "lexp": lexp}
			fields[tc.field] = tc.value
			body := `{"status":1,"trial":true`
			for k, v := range fields {
				body += `,"` + k + `":` + v
			}
			tok, err := ParseToken([]byte(body + "}"))
			if err != nil {
				t.Fatal(err)
			}
			ev := Evaluate(tok, now, Policy{})
			r := reason(t, ev, ReasonUnreadable)
			if ev.State != StateUnknown || !strings.Contains(r.Message, strings.Trim(tc.value, `"`)) || !strings.Contains(r.Message, tc.field) {
				t.Errorf("%v %q: want unknown, naming %s and showing %s", ev.State, r.Message, tc.field, tc.value)
			}
		})
	}
	// Absent, null, empty and zero are "not reported", never implausible.
	for _, v := range []string{"0", "null", `""`, `"0"`, "7258118400", "1420070400"} {
		tok, err := ParseToken([]byte(`{"status":1,"exp":` + exp + `,"lexp":` + v + `}`))
		if err != nil {
			t.Fatal(err)
		}
		if ev := Evaluate(tok, now, Policy{}); ev.State == StateUnknown || len(tok.Implausible) != 0 {
			t.Errorf("lexp %s: %v %q", v, ev.State, ev.Message)
		}
	}
	// A long or hostile raw value is shown short, on one line, in UTF-8.
	tok, _ := ParseToken([]byte("{\"exp\":" + exp + ",\"lexp\":\"12\\n34\xff" + strings.Repeat("9", 100) + "\"}"))
	msg := Evaluate(tok, now, Policy{}).Message
	if strings.Contains(msg, "\n") || !utf8.ValidString(msg) || strings.Count(msg, "9") > 40 {
		t.Errorf("message %q", msg)
	}
}

func TestStatusOutsideGrafanasEnumIsUnknown(t *testing.T) {
	for _, body := range []string{`{"status":9`, `{"status":"abc"`, `{"status":1.5`, `{"status":[1]`} {
		tok, err := ParseToken([]byte(body + `,"exp":` + itoa(now.Add(7*days).Unix()) + `}`))
		if err != nil {
			t.Fatal(err)
		}
		ev := Evaluate(tok, now, Policy{})
		raw := strings.TrimPrefix(body, `{"status":`)
		if ev.State != StateUnknown || ev.Reasons[0].Code != ReasonUnreadable || !strings.Contains(ev.Message, "status "+raw) {
			t.Errorf("%s}: %v %q", body, ev.State, ev.Message)
		}
	}
	// Absent or null: a Grafana 7.x token, judged by its dates.
	tok, _ := ParseToken([]byte(`{"status":null,"exp":` + itoa(now.Add(7*days).Unix()) + `}`))
	if ev := Evaluate(tok, now, Policy{}); ev.State != StateOK {
		t.Errorf("null status: %v %q", ev.State, ev.Message)
	}
}

func TestLicenseInvalidKeepsTheStatusMeaning(t *testing.T) {
	for status, want := range map[TokenStatus]string{
		StatusInvalid: "The license token is invalid", StatusNotFound: "No license was found on this Grafana",
		StatusExpired: "The license has expired", StatusInvalidSubject: "License URL does not match this Grafana's root_url",
	} {
		tok := healthy()
		tok.Status = status
		ev := Evaluate(tok, now, Policy{})
		if r := reason(t, ev, ReasonLicenseInvalid); r.State != StateCritical || !strings.HasPrefix(r.Message, want) {
			t.Errorf("status %d: %+v", status, r)
		}
	}
}

func TestFailedAndGrafanaTooOld(t *testing.T) {
	for v, old := range map[string]bool{"7.3.10": true, "6.7": true, "7.4.0": false, "11.2.2": false, "": false, "v7": false} {
		r, ok := GrafanaTooOld(v)
		if ok != old || (ok && (r.Code != ReasonGrafanaTooOld || r.State != StateUnknown || !strings.Contains(r.Message, v))) {
			t.Errorf("%q: %+v %v", v, r, ok)
		}
	}
	tok := healthy()
	tok.LicenseExpiry = now.Add(-days)
	ev := Evaluate(tok, now, Policy{}).Failed(Unreadable("Grafana did not answer"))
	if ev.State != StateUnknown || ev.Message != "Grafana did not answer" || len(ev.Reasons) != 1 || !ev.License.Reported() {
		t.Errorf("failed read: %+v", ev)
	}
	if ev := Evaluate(nil, now, Policy{}); ev.State != StateUnknown || ev.Reasons[0].Code != ReasonUnreadable {
		t.Errorf("no token: %+v", ev)
	}
}

func TestPeers(t *testing.T) {
	node := func(jti string, age time.Duration) *Token {
		return &Token{ID: jti, Subject: "https://grafana.example.com/", LicenseID: "10500", IssuedAt: now.Add(-age)}
	}
	tokens := map[string]*Token{
		"a":     node("j1", 2*time.Hour),
		"b":     node("j0", days+2*time.Hour),        // exactly a day older than a: fine
		"c":     node("j9", days+2*time.Hour+second), // more than a day older: stale
		"d":     node("j1", 2*time.Hour),             // same token as the newest
		"other": {ID: "j5", Subject: "https://grafana.example.com/", LicenseID: "777", IssuedAt: now.Add(-30 * days)},
		"alone": {ID: "j6", Subject: "https://x.example.com/", LicenseID: "10500", IssuedAt: now.Add(-30 * days)},
		"nolid": {ID: "j7", Subject: "https://grafana.example.com/", IssuedAt: now.Add(-30 * days)},
		"nil":   nil,
	}
	if got, want := Peers(tokens), map[string][]string{
		"a": {"b", "c", "d"}, "b": {"a", "c", "d"}, "c": {"a", "b", "d"}, "d": {"a", "b", "c"},
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("Peers = %v, want %v", got, want)
	}
	got := PeerReasons(tokens, now)
	if len(got) != 1 {
		t.Fatalf("PeerReasons = %v, want only c", got)
	}
	r := got["c"]
	if r.Code != ReasonStaleToken || r.State != StateWarning || !strings.Contains(r.Message, "peer a") ||
		!strings.Contains(r.Message, "1 day before") || !strings.Contains(r.Message, "failover") {
		t.Errorf("c: %+v", r)
	}

	ev := Evaluate(healthy(), now, Policy{})
	ev.Add(r)
	if ev.State != StateWarning || ev.Message != r.Message || len(ev.Reasons) != 1 {
		t.Errorf("after Add: %+v", ev)
	}
	ev.Add(Reason{Code: ReasonLicenseExpired, State: StateCritical, Message: "x"})
	ev.Add(Reason{Code: ReasonUsersNearLimit, State: StateWarning, Message: "y"})
	if want := []ReasonCode{ReasonLicenseExpired, ReasonStaleToken, ReasonUsersNearLimit}; !reflect.DeepEqual(codes(ev), want) || ev.State != StateCritical {
		t.Errorf("order %v, want %v", codes(ev), want)
	}
}

func TestTokenJSONIsValidUTF8WhateverGrafanaSent(t *testing.T) {
	body := []byte("{\"status\":1,\"company\":\"Caf\xe9 \xff Ltd\",\"sub\":\"https://\xc3\xa9.example/\"}")
	tok, err := ParseToken(body)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(map[string]any{"token": tok, "company": tok.Company})
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out) || !json.Valid(out) {
		t.Fatalf("invalid output %q", out)
	}
	if !strings.Contains(string(out), "Caf\uFFFD \uFFFD Ltd") || !strings.Contains(string(out), "https://é.example/") {
		t.Errorf("invalid bytes not replaced, or the rest not kept: %s", out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestLicenseURL(t *testing.T) {
	for _, tc := range []struct {
		tok  *Token
		want string
	}{
		{&Token{DetailsURL: "https://grafana.com/orgs/ex/licenses/1", Issuer: "https://grafana.com", LicenseID: "9"}, "https://grafana.com/orgs/ex/licenses/1"},
		{&Token{Issuer: "https://grafana.com/", LicenseID: "10500"}, "https://grafana.com/licenses/10500"},
		{&Token{Issuer: "https://grafana.com", LicenseID: "a/b"}, "https://grafana.com/licenses/a%2Fb"},
		{&Token{Issuer: AWSMarketplaceIssuer, LicenseID: "aws-1"}, ""},
		{&Token{DetailsURL: "javascript:alert(1)"}, ""},
		{&Token{DetailsURL: "http://grafana.com/x"}, ""},
		{&Token{DetailsURL: "https://user:pw@grafana.com/x"}, ""},
		{&Token{Issuer: "https://grafana.com"}, ""},
		{nil, ""},
	} {
		if got := tc.tok.LicenseURL(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.tok, got, tc.want)
		}
	}
}

// A reason's headline and detail are kept apart where they are made, so no
// surface cuts a message to find its headline: a cause that holds " — "
// itself stays whole in the headline the tray and a row show.
func TestReasonsKeepTheirHeadlineApartFromTheirDetail(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	tok := &Token{LicenseExpiry: now.Add(-72 * time.Hour), TokenExpiry: now.Add(5 * 24 * time.Hour), HasStatus: true, Status: StatusValid}
	ev := Evaluate(tok, now, Policy{})
	if len(ev.Reasons) == 0 {
		t.Fatal("no reason for an expired license")
	}
	first := ev.Reasons[0]
	if first.Headline != "License expired 3 days ago" || first.Detail != "on 26 Nov 2026" || first.Message != first.Headline+" — "+first.Detail {
		t.Errorf("headline %q, detail %q, message %q", first.Headline, first.Detail, first.Message)
	}
	if ev.Headline != first.Headline {
		t.Errorf("the evaluation's headline %q is not its first reason's %q", ev.Headline, first.Headline)
	}

	cause := "Grafana answered 502 — Bad Gateway from the proxy"
	failed := ev.Failed(Unreadable(cause).WithDetail("showing the token read on 28 Nov 2026 10:00"))
	if failed.Headline != cause {
		t.Errorf("headline %q, want the whole cause %q", failed.Headline, cause)
	}
	if want := cause + " — showing the token read on 28 Nov 2026 10:00"; failed.Message != want {
		t.Errorf("message %q, want %q", failed.Message, want)
	}

	ok := Evaluate(&Token{LicenseExpiry: now.Add(400 * 24 * time.Hour), TokenExpiry: now.Add(5 * 24 * time.Hour), HasStatus: true, Status: StatusValid}, now, Policy{})
	if ok.Headline == "" || !strings.HasPrefix(ok.Message, ok.Headline+" — ") {
		t.Errorf("an instance that needs nothing: headline %q, message %q", ok.Headline, ok.Message)
	}
}
