package demo

import (
	"context"
	"os"
	"testing"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

func TestDemoInstancesReachTheirIntendedStates(t *testing.T) {
	ds, err := Start(nil)
	d, _ := ds.(*Demo)
	if err != nil {
		t.Fatal(err)
	}
	dir := d.dir
	t.Cleanup(func() { d.Close() })
	svc := d.Service()

	svc.RefreshAll(context.Background(), nil, nil)
	// HA peers are judged across the fleet: a node read before its peer
	// learns of it from the peer's read, so the statuses are taken after.
	statuses := svc.Statuses()

	if len(statuses) != len(demoInstances) {
		t.Fatalf("%d statuses for %d demo instances", len(statuses), len(demoInstances))
	}
	seen := map[client.State]bool{}
	for i, st := range statuses {
		spec := demoInstances[i]
		seen[st.Eval.State] = true
		if st.Eval.State != spec.want {
			t.Errorf("%s (%s): state %v, want %v — %s", spec.name, spec.why, st.Eval.State, spec.want, st.Eval.Message)
		}
	}
	for _, s := range []client.State{client.StateOK, client.StateWarning, client.StateCritical, client.StateUnknown} {
		if !seen[s] {
			t.Errorf("no demo instance shows %v", s)
		}
	}
	byID := map[string]app.Status{}
	for _, st := range statuses {
		byID[st.Instance.ID] = st
	}
	if st := byID["analytics-apac"]; st.Token == nil || st.Token.Status != client.StatusInvalidSubject {
		t.Errorf("analytics-apac should report status 6: %+v", st.Eval)
	}
	if st := byID["dev-sandbox"]; st.HTTPStatus != 401 {
		t.Errorf("dev-sandbox HTTP status %d, want 401", st.HTTPStatus)
	}
	if st := byID["reporting"]; st.HTTPStatus != 403 {
		t.Errorf("reporting HTTP status %d, want 403", st.HTTPStatus)
	}
	if st := byID["staging-us"]; st.Eval.Token.State != client.StateWarning || st.Eval.License.State != client.StateOK {
		t.Errorf("staging-us: token %v, license %v; want the token in warning only", st.Eval.Token.State, st.Eval.License.State)
	}

	// What Grafana itself judges, each case once.
	for id, code := range map[string]client.ReasonCode{
		"trial-lab":      client.ReasonTrialEnding,
		"support-portal": client.ReasonUsersOverLimit,
		"edge-proxy":     client.ReasonRenewalStalled,
		"prod-ha-b":      client.ReasonStaleToken,
	} {
		if st := byID[id]; len(st.Eval.Reasons) != 1 || st.Eval.Reasons[0].Code != code {
			t.Errorf("%s: reasons %+v, want %s alone", id, st.Eval.Reasons, code)
		}
	}
	if st := byID["trial-lab"]; st.Token == nil || !st.Token.Trial {
		t.Errorf("trial-lab is not a trial: %+v", st.Token)
	}
	if u := byID["support-portal"].Eval.Usage; len(u) != 1 || u[0].Active != 180 || u[0].Anonymous != 12 || u[0].Percent != 120 {
		t.Errorf("support-portal's usage %+v, want 180 of 150 with 12 for anonymous devices", u)
	}
	if st := byID["aws-analytics"]; !st.Token.FromAWSMarketplace() || st.Eval.State != client.StateOK || st.Eval.License.Reported() {
		t.Errorf("aws-analytics: %v %q", st.Eval.State, st.Eval.Message)
	}
	if a, b := byID["prod-ha-a"], byID["prod-ha-b"]; len(a.Peers) != 1 || a.Peers[0] != "prod-ha-b" || len(b.Peers) != 1 || b.Peers[0] != "prod-ha-a" {
		t.Errorf("the HA pair's peers: A %v, B %v", a.Peers, b.Peers)
	}

	ctx := context.Background()
	if _, err := svc.Renew(ctx, "plant-offline"); !client.IsStatus(err, 500) {
		t.Errorf("renewing the air-gapped instance: %v, want a 500", err)
	}
	jwt, err := os.ReadFile(d.LicenseFile())
	if err != nil {
		t.Fatal(err)
	}
	st, err := svc.Upload(ctx, "legacy-dc", string(jwt))
	if err != nil || st.Eval.State != client.StateOK {
		t.Errorf("uploading the demo license to legacy-dc: %v, state %v — %s", err, st.Eval.State, st.Eval.Message)
	}

	d.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the demo's folder outlived Close: %v", err)
	}
}
