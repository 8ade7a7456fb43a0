package app

import (
	"context"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

func TestServiceJudgesUsersFromTheWindowsRefresh(t *testing.T) {
	c := grafanatest.DefaultClaims(time.Now())
	c.IncludedUsers = 40
	srv := emulator(t, grafanatest.WithClaims(c), grafanatest.WithStats(grafanatest.Stats{ActiveUsers: 42}))
	svc, _ := newTestService(t, "admin", basicInstance("x", "X", srv))

	st := svc.Refresh(context.Background(), "x")

	if st.Eval.State != client.StateCritical || st.Eval.Reasons[0].Code != client.ReasonUsersOverLimit || len(st.Eval.Usage) != 1 {
		t.Errorf("%v %q %+v", st.Eval.State, st.Eval.Message, st.Eval.Usage)
	}
	if got := svc.Statuses()[0]; got.Eval.State != client.StateCritical {
		t.Errorf("Statuses: %v", got.Eval.State)
	}
}

func TestServiceFindsAStaleHAPeerInEveryStatus(t *testing.T) {
	newest, stale := grafanatest.NewHAPair(time.Now(), 2*24*time.Hour)
	t.Cleanup(newest.Close)
	t.Cleanup(stale.Close)
	other := emulator(t)
	svc, _ := newTestService(t, "admin", basicInstance("a", "A", newest), basicInstance("b", "B", stale), basicInstance("c", "C", other))

	svc.RefreshAll(context.Background(), nil, nil)

	for _, st := range append(svc.Statuses(), svc.Status("b")) {
		switch st.Instance.ID {
		case "a":
			if st.Eval.State != client.StateOK || len(st.Peers) != 1 || st.Peers[0] != "b" {
				t.Errorf("a: %v %v", st.Eval.State, st.Peers)
			}
		case "b":
			if st.Eval.State != client.StateWarning || st.Eval.Reasons[0].Code != client.ReasonStaleToken || len(st.Peers) != 1 {
				t.Errorf("b: %v %q %v", st.Eval.State, st.Eval.Message, st.Peers)
			}
		case "c":
			if st.Eval.State != client.StateOK || st.Peers != nil {
				t.Errorf("c: %v %v", st.Eval.State, st.Peers)
			}
		}
	}

	// Once the stale node cannot be read, it is unknown for that, not stale.
	stale.SetFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 500})
	if st := svc.Refresh(context.Background(), "b"); st.Eval.Reasons[0].Code != client.ReasonUnreadable || len(st.Eval.Reasons) != 1 {
		t.Errorf("unreadable peer: %v %q", st.Eval.State, st.Eval.Message)
	}
}
