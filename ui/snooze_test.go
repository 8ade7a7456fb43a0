package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// expiringSoon is a harness with one instance whose license ends in 12 days.
func expiringSoon(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	claims := grafanatest.DefaultClaims(time.Now())
	claims.LicenseExpiry = time.Now().Add(12 * 24 * time.Hour)
	h.add("prod", "Prod", h.server(grafanatest.WithClaims(claims)), "admin")
	h.open()
	h.desk.act.refresh("prod")
	h.waitFor("the first read", func() bool { return h.idle("prod") && h.svc.Status("prod").Eval.State == client.StateWarning })
	h.selectInstance("prod")
	return h
}

// menuItem finds an item of a menu by its label.
func findItem(t *testing.T, m *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	var labels []string
	for _, it := range m.Items {
		labels = append(labels, it.Label)
	}
	t.Fatalf("no %q in the menu %q", label, labels)
	return nil
}

func TestSnoozeAWarningFromTheDetailPane(t *testing.T) {
	h := expiringSoon(t)
	d := h.desk
	warning := watch.Notification{InstanceID: "prod", State: client.StateWarning}
	if h.env.hushed(warning) || d.trayView().State != client.StateWarning {
		t.Fatal("setup: the warning should be announced and in the tray")
	}

	test.Tap(d.detail.buttons[btnSnooze])
	for _, span := range watch.SnoozeSpans {
		if !h.shows(span.Label()) {
			t.Errorf("the snooze menu does not offer %q", span.Label())
		}
	}
	h.win.Canvas().Overlays().Top().Hide()
	reasons := snoozable(h.svc.Status("prod"), nil)
	d.snooze("prod", reasons[0], watch.SnoozeFiveDays)
	h.waitFor("the snooze", func() bool { return h.shows("Snoozed until") })

	if !h.env.hushed(warning) {
		t.Error("the snoozed warning is still announced")
	}
	if got := d.trayView().State; got != client.StateOK {
		t.Errorf("the tray still counts the snoozed warning: %s", got)
	}
	if got := d.detail.badge.Text(); got != "Warning" {
		t.Errorf("the window hides the state behind the snooze: %q", got)
	}
	if !slices.ContainsFunc(texts(h.win.Canvas()), func(s string) bool { return strings.Contains(s, "snoozed") }) {
		t.Error("the list does not say the instance is snoozed")
	}
	if !d.detail.buttons[btnSnooze].Disabled() {
		t.Error("Snooze… still offers the only reason, already snoozed")
	}

	test.Tap(h.button("Wake"))
	h.waitFor("the wake", func() bool { return !h.shows("Snoozed until") })
	if h.env.hushed(warning) || d.trayView().State != client.StateWarning {
		t.Error("after Wake the warning is still quiet")
	}
}

func TestSnoozeMenusOfferTheSpans(t *testing.T) {
	h := expiringSoon(t)
	st := h.svc.Status("prod")
	var got []string
	m := snoozeMenu(snoozable(st, nil), func(r client.Reason, span watch.SnoozeSpan) { got = append(got, span.Label()) })
	for _, span := range watch.SnoozeSpans {
		findItem(t, m, span.Label()).Action()
	}
	if len(got) != 3 {
		t.Errorf("the menu snoozed %v", got)
	}
}

func TestSnoozeFromTheTray(t *testing.T) {
	h := expiringSoon(t)
	d := h.desk
	tr := &tray{snooze: d.traySnooze, open: func(string) {}, refresh: func() {}, quit: func() {}}
	v := d.trayView()
	sub := findItem(t, tr.menu(v), traySnoozeSub).ChildMenu
	entry := findItem(t, sub, menuLabel(v.Entries[0].Label)).ChildMenu
	findItem(t, entry, watch.SnoozeOneDay.Label()).Action()
	h.waitFor("the snooze", func() bool { return h.env.hushed(watch.Notification{InstanceID: "prod", State: client.StateWarning}) })
	if got := d.trayView(); got.State != client.StateOK || len(got.Entries) != 0 {
		t.Errorf("after snoozing from the tray it shows %s with %d entries", got.State, len(got.Entries))
	}
}
