package app

import (
	"context"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// TestPreviewUploadUsesTheUsersWarnDays: a license 45 days from expiry is
// in warning under a 60-day policy in the preview, as it will be once read.
func TestPreviewUploadUsesTheUsersWarnDays(t *testing.T) {
	srv := emulator(t)
	svc, _ := newTestService(t, "admin", basicInstance("x", "X", srv))
	svc.SetPolicy(client.Policy{LicenseWarnDays: 60})
	c := grafanatest.DefaultClaims(time.Now())
	c.LicenseExpiry = time.Now().Add(45 * 24 * time.Hour)
	c.Subject = srv.RootURL()

	pre, err := svc.PreviewUpload("x", grafanatest.IssueJWT(c))

	if err != nil || pre.Eval.License.State != client.StateWarning || pre.SubjectWarning != "" {
		t.Fatalf("preview = %v, %q, %v; want a warning by the user's 60 days and no URL warning", pre.Eval.License.State, pre.SubjectWarning, err)
	}
}

// TestRenewAllRenewsAFewAtATime: the service, not the window, bounds renew-all.
func TestRenewAllRenewsAFewAtATime(t *testing.T) {
	srv := emulator(t, grafanatest.WithLatency(100*time.Millisecond))
	var list []Instance
	for i := range 10 {
		list = append(list, basicInstance("i"+itoa(int64(i)), "I", srv))
	}
	svc, _ := newTestService(t, "admin", list...)
	ids := make([]string, len(list))
	for i, inst := range list {
		ids[i] = inst.ID
	}
	stop := make(chan struct{})
	peak := make(chan int)
	go func() {
		most := 0
		for {
			select {
			case <-stop:
				peak <- most
				return
			default:
				most = max(most, srv.InFlight())
				time.Sleep(2 * time.Millisecond)
			}
		}
	}()
	calls := 0
	got := svc.RenewAll(context.Background(), ids, func(done, total int, r verdict.RenewResult) { calls++ })
	close(stop)

	if most := <-peak; most > renewConcurrency {
		t.Errorf("%d renewals in flight at once; want at most %d", most, renewConcurrency)
	}
	if calls != len(ids) || srv.RequestCount("/api/licensing/token/renew") != len(ids) {
		t.Errorf("progress calls %d, renewals %d; want %d", calls, srv.RequestCount("/api/licensing/token/renew"), len(ids))
	}
	for _, r := range got {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Status.Instance.ID, r.Err)
		}
	}
}
