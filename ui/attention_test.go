package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// The tray and the first notification count the same instances, and the
// summary says why some that could not be read are not named yet.
func TestTrayAndNotificationsAgreeOnWhatNeedsAttention(t *testing.T) {
	h := newHarness(t)
	expired := claimsLeft(-3 * day)
	h.add("ok", "Healthy", h.server(), "admin")
	h.add("w1", "Prod US", h.server(grafanatest.WithClaims(claimsLeft(12*day+time.Hour))), "admin")
	h.add("w2", "Prod APAC", h.server(grafanatest.WithClaims(claimsLeft(20*day+time.Hour))), "admin")
	h.add("w3", "Staging", h.server(grafanatest.WithClaims(claimsLeft(25*day+time.Hour))), "admin")
	h.add("c1", "Legacy DC", h.server(grafanatest.WithClaims(expired)), "admin")
	h.add("u1", "Dev Sandbox", h.server(), "not-the-password")
	h.add("u2", "Reporting", h.server(), "not-the-password")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	var tooltip string
	h.desk.tray.tooltip = func(s string) { tooltip = s }
	w.waitChecks(7)
	w.waitFor("the tray to count them", func() bool { return w.tray.has("6 of 7 instances need attention") })

	sent := w.stopWatch()
	tray := watch.TrayModel(h.svc.Statuses()).Summary
	if len(sent) != 1 || sent[0].Title != tray || tray != "6 of 7 instances need attention" {
		t.Fatalf("notifications %q, want one summary titled as the tray counts (%q)", notifyTitles(sent), tray)
	}
	if !strings.Contains(sent[0].Body, "2 more instances not named here could not be read: an instance that cannot be read is announced after 3 failed checks in a row.") {
		t.Errorf("the summary does not explain the failed-reads rule:\n%s", sent[0].Body)
	}
	h.waitFor("the tooltip", func() bool { return tooltip != "" && !h.desk.trayLater.pending })
	h.desk.scheduleTray()
	h.waitFor("the tray update", func() bool { return !h.desk.trayLater.pending })
	if want := "Licensedesk: 6 of 7 instances need attention (1 critical, 2 could not be read, 3 warning)"; tooltip != want {
		t.Errorf("the tray's tooltip is %q, want %q", tooltip, want)
	}
}
