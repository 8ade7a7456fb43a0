package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client/grafanatest"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// verdictFleet is one emulated instance of each shape issue 10 names, and their config.
type verdictFleet struct {
	env     *testEnv
	cfgFile string
	now     time.Time
	claims  map[string]grafanatest.Claims
}

func newVerdictFleet(t *testing.T) *verdictFleet {
	t.Helper()
	now := time.Now().Truncate(time.Second)
	f := &verdictFleet{env: newTestEnv(), now: now, claims: map[string]grafanatest.Claims{}}
	trial := grafanatest.TrialClaims(now, now.Add(5*24*time.Hour+time.Hour))
	over := grafanatest.DefaultClaims(now)
	over.IncludedUsers, over.AnonymousRatio = 10, 4
	roles := grafanatest.DefaultClaims(now)
	roles.LimitBy, roles.IncludedUsers, roles.IncludedAdmins, roles.IncludedViewers = "role_users", 0, 10, 100
	servers := map[string]*grafanatest.Server{
		"healthy": emulator(t),
		"trial":   emulator(t, grafanatest.WithClaims(trial), grafanatest.WithStats(grafanatest.Stats{ActiveUsers: 9})),
		"users": emulator(t, grafanatest.WithClaims(over),
			grafanatest.WithStats(grafanatest.Stats{ActiveUsers: 9, ActiveAnonymousDevices: 13})), // 9 + floor(13/4) = 12
		"roles": emulator(t, grafanatest.WithClaims(roles), grafanatest.WithLegacyShape(), // role limits are Grafana 8's
			grafanatest.WithStats(grafanatest.Stats{ActiveAdminsAndEditors: 8, ActiveViewers: 79})),
		"stalled": emulator(t, grafanatest.WithClaims(grafanatest.StalledRenewalClaims(now, 6*24*time.Hour)), grafanatest.WithOffline()),
		"aws":     emulator(t, grafanatest.WithClaims(grafanatest.AWSMarketplaceClaims(now))),
		"millis":  emulator(t, grafanatest.WithExtraField("lexp", json.RawMessage(`1795536000000`))),
		"latin1":  emulator(t, grafanatest.WithExtraField("company", json.RawMessage("\"Caf\xe9 \xff GmbH\""))),
		"status9": emulator(t),
	}
	servers["status9"].SetForcedStatus(9)
	// Two days apart: stale, though each still renewed within three periods.
	newest, stale := grafanatest.NewHAPair(now, 2*24*time.Hour)
	t.Cleanup(newest.Close)
	t.Cleanup(stale.Close)
	servers["ha-a"], servers["ha-b"] = newest, stale

	var list []app.Instance
	for _, id := range []string{"healthy", "trial", "users", "roles", "stalled", "aws", "ha-a", "ha-b", "millis", "latin1", "status9"} {
		inst := basicInstance(id, strings.ToUpper(id[:1])+id[1:], servers[id])
		list = append(list, inst)
		f.env.keep("admin", inst)
		f.claims[id], _ = servers[id].Claims()
	}
	f.cfgFile = saveConfig(t, list...)
	return f
}

type verdictReport struct {
	Instances []struct {
		ID            string `json:"id"`
		State         string `json:"state"`
		Message       string `json:"message"`
		TrialExpires  *string
		TrialDaysLeft *int    `json:"trial_days_left"`
		TokenIssued   *string `json:"token_issued"`
		Reasons       []struct {
			Code, State, Message string
		} `json:"reasons"`
		Usage []struct {
			Kind             string
			Active, Included int64
			Percent          float64
		} `json:"usage"`
		Peers []string        `json:"peers"`
		Raw   json.RawMessage `json:"token"`
	} `json:"instances"`
}

func TestCheckJudgesEveryShapeGrafanaDoes(t *testing.T) {
	f := newVerdictFleet(t)

	r := f.env.run(t, "check", "--config", f.cfgFile, "--format", "json")

	if r.code != 2 {
		t.Errorf("exit code %d, want 2: one instance is over its user limit\n%s", r.code, r.stderr)
	}
	if !utf8.ValidString(r.stdout) || !json.Valid([]byte(r.stdout)) {
		t.Fatalf("the report is not valid UTF-8 JSON:\n%q", r.stdout)
	}
	for _, key := range []string{`"reasons"`, `"trial_expires"`, `"trial_days_left"`, `"token_issued"`, `"usage"`} {
		if strings.Count(r.stdout, key) != 11 {
			t.Errorf("%s is not in each of the 11 instances", key)
		}
	}
	var doc verdictReport
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	type want struct {
		state   string
		codes   string // the reasons' codes, in order
		message string // the message starts so
	}
	wants := map[string]want{
		"healthy": {"ok", "", "License valid for "},
		"trial":   {"warning", "trial_ending users_near_limit", "Trial ends in 5 days — on "},
		"users":   {"critical", "users_over_limit", "Users over the license limit — 12 active of 10 included (120 %), 3 of them counted for 13 anonymous devices"},
		"roles":   {"warning", "users_near_limit", "Admins and editors near the license limit — 8 active of 10 included (80 %)"},
		"stalled": {"warning", "renewal_stalled", "Token not renewed for 6 days — last renewed on "},
		"aws":     {"ok", "", "AWS Marketplace license: token valid for "},
		"ha-a":    {"ok", "", "License valid for "},
		"ha-b":    {"warning", "stale_token", "Serves an older token than its peer ha-a — issued on "},
		"millis":  {"unknown", "unreadable", "Grafana reported an implausible license expiry (lexp): 1795536000000"},
		"latin1":  {"ok", "", "License valid for "},
		"status9": {"unknown", "unreadable", "Grafana reported the license status 9, which is not one Grafana defines"},
	}
	for _, inst := range doc.Instances {
		w, ok := wants[inst.ID]
		if !ok {
			t.Errorf("unexpected instance %q", inst.ID)
			continue
		}
		var codes []string
		for _, rs := range inst.Reasons {
			codes = append(codes, rs.Code)
			if rs.State == "" || rs.Message == "" {
				t.Errorf("%s: reason %+v lacks its state or message", inst.ID, rs)
			}
		}
		if inst.State != w.state || strings.Join(codes, " ") != w.codes || !strings.HasPrefix(inst.Message, w.message) {
			t.Errorf("%s: %s %v %q\nwant %s [%s] %q…", inst.ID, inst.State, codes, inst.Message, w.state, w.codes, w.message)
		}
		if inst.Reasons == nil {
			t.Errorf("%s: reasons is null, want an array", inst.ID)
		}
		if len(inst.Reasons) > 0 && (inst.Reasons[0].Message != inst.Message || inst.Reasons[0].State != inst.State) {
			t.Errorf("%s: the message and state are not the first reason's", inst.ID)
		}
	}

	get := func(id string) (out struct {
		TrialDaysLeft *int
		TokenIssued   *string
		Usage         string
		Peers         []string
	}) {
		for _, inst := range doc.Instances {
			if inst.ID == id {
				u, _ := json.Marshal(inst.Usage)
				out.TrialDaysLeft, out.TokenIssued, out.Usage, out.Peers = inst.TrialDaysLeft, inst.TokenIssued, string(u), inst.Peers
			}
		}
		return out
	}
	if d := get("trial").TrialDaysLeft; d == nil || *d != 5 {
		t.Errorf("trial_days_left %v, want 5", d)
	}
	if d := get("healthy").TrialDaysLeft; d != nil {
		t.Errorf("a license that is not a trial has trial_days_left %d, want null", *d)
	}
	if !strings.Contains(r.stdout, `"trial_expires": "`+f.claims["trial"].TrialExpiry.UTC().Format(time.RFC3339)+`"`) {
		t.Error("trial_expires is not the trial's end")
	}
	if got, want := get("stalled").TokenIssued, f.claims["stalled"].IssuedAt.UTC().Format(time.RFC3339); got == nil || *got != want {
		t.Errorf("token_issued %v, want %s", got, want)
	}
	for id, want := range map[string]string{
		"users":   `[{"Kind":"users","Active":12,"Included":10,"Percent":120}]`,
		"roles":   `[{"Kind":"admins_and_editors","Active":8,"Included":10,"Percent":80},{"Kind":"viewers","Active":79,"Included":100,"Percent":79}]`,
		"healthy": `[{"Kind":"users","Active":42,"Included":100,"Percent":42}]`,
		"aws":     `[{"Kind":"users","Active":42,"Included":100,"Percent":42}]`,
	} {
		if got := get(id).Usage; got != want {
			t.Errorf("%s usage %s, want %s", id, got, want)
		}
	}
	if p := get("ha-a").Peers; len(p) != 1 || p[0] != "ha-b" {
		t.Errorf("ha-a peers %v", p)
	}
	if !strings.Contains(r.stdout, "\"Caf\uFFFD \uFFFD GmbH\"") {
		t.Errorf("the server's invalid bytes are not replaced in the token, or the rest is lost")
	}
}

func TestCheckNoUsageSkipsTheUserCounts(t *testing.T) {
	f := newVerdictFleet(t)

	r := f.env.run(t, "check", "--config", f.cfgFile, "--format", "json", "--no-usage", "--instance", "users")

	if r.code != 0 || !strings.Contains(r.stdout, `"usage": null`) || !strings.Contains(r.stdout, `"reasons": []`) {
		t.Errorf("exit %d, want 0 with usage null and no reasons:\n%s", r.code, r.stdout)
	}
}

func TestCheckTextShowsTheFirstReasonAndCountsTheOthers(t *testing.T) {
	f := newVerdictFleet(t)

	r := f.env.run(t, "check", "--config", f.cfgFile)

	rows := map[string]string{}
	for _, line := range strings.Split(r.stdout, "\n") {
		if fields := strings.Fields(line); len(fields) > 0 {
			rows[fields[0]] = line
		}
	}
	for name, want := range map[string][]string{
		"Trial":   {"warning", "Trial ends in 5 days — on ", " (+1 more)"},
		"Users":   {"critical", "Users over the license limit — 12 active of 10 included (120 %)"},
		"Stalled": {"warning", "Token not renewed for 6 days"},
		"Aws":     {"ok", "AWS Marketplace", "AWS Marketplace license: token valid for"},
		"Ha-b":    {"warning", "Serves an older token than its peer ha-a"},
		"Millis":  {"unknown", "1795536000000"},
	} {
		for _, part := range want {
			if !strings.Contains(rows[name], part) {
				t.Errorf("row %q lacks %q", rows[name], part)
			}
		}
	}
	if strings.Contains(rows["Users"], "more)") {
		t.Errorf("row %q counts reasons it does not have", rows["Users"])
	}
	if !strings.Contains(r.stdout, "1 critical, 2 unknown, 4 warning, 4 ok") {
		t.Errorf("summary line:\n%s", r.stdout)
	}
}

func TestCheckPrometheusPassesAStrictParser(t *testing.T) {
	f := newVerdictFleet(t)

	r := f.env.run(t, "check", "--config", f.cfgFile, "--format", "prometheus")

	// node_exporter's textfile collector parses with this very parser.
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("a strict parser refuses the output: %v\n%s", err, r.stdout)
	}
	value := func(name string, labels map[string]string) (float64, bool) {
		fam := families[name]
		if fam == nil {
			return 0, false
		}
	next:
		for _, m := range fam.GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			if got["instance"] == "" || got["name"] == "" {
				t.Errorf("%s has a series without instance and name: %v", name, got)
			}
			for k, v := range labels {
				if got[k] != v {
					continue next
				}
			}
			return m.GetGauge().GetValue(), true
		}
		return 0, false
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"licensedesk_trial_expiry_timestamp_seconds", map[string]string{"instance": "trial"}, float64(f.claims["trial"].TrialExpiry.Unix())},
		{"licensedesk_token_issued_timestamp_seconds", map[string]string{"instance": "stalled"}, float64(f.claims["stalled"].IssuedAt.Unix())},
		{"licensedesk_users_active", map[string]string{"instance": "users", "kind": "users"}, 12},
		{"licensedesk_users_included", map[string]string{"instance": "users", "kind": "users"}, 10},
		{"licensedesk_users_active", map[string]string{"instance": "roles", "kind": "viewers"}, 79},
		{"licensedesk_users_included", map[string]string{"instance": "roles", "kind": "admins_and_editors"}, 10},
		{"licensedesk_instance_reason", map[string]string{"instance": "users", "code": "users_over_limit"}, 1},
		{"licensedesk_instance_reason", map[string]string{"instance": "trial", "code": "trial_ending"}, 1},
		{"licensedesk_instance_reason", map[string]string{"instance": "trial", "code": "users_near_limit"}, 1},
		{"licensedesk_instance_reason", map[string]string{"instance": "ha-b", "code": "stale_token"}, 1},
		{"licensedesk_instance_reason", map[string]string{"instance": "millis", "code": "unreadable"}, 1},
		{"licensedesk_instance_state", map[string]string{"instance": "users"}, 2},
	} {
		if got, ok := value(c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	for _, absent := range []struct {
		name   string
		labels map[string]string
	}{
		{"licensedesk_trial_expiry_timestamp_seconds", map[string]string{"instance": "healthy"}},
		{"licensedesk_instance_reason", map[string]string{"instance": "healthy"}},
		{"licensedesk_license_expiry_timestamp_seconds", map[string]string{"instance": "aws"}},
		{"licensedesk_license_expiry_timestamp_seconds", map[string]string{"instance": "millis"}},
	} {
		if _, ok := value(absent.name, absent.labels); ok {
			t.Errorf("%s%v is present", absent.name, absent.labels)
		}
	}
	for name, fam := range families {
		if fam.GetType() != dto.MetricType_GAUGE || fam.GetHelp() == "" {
			t.Errorf("%s: type %v, help %q", name, fam.GetType(), fam.GetHelp())
		}
	}
}
