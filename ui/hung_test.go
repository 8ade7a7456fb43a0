package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// hanging is an instance whose token read never answers.
func hanging(t *testing.T) (*harness, *grafanatest.Server) {
	h := newHarness(t)
	srv := h.server(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang, Path: "/api/licensing/token"}))
	h.add("stuck", "Stuck", srv, "admin")
	h.open()
	h.selectInstance("stuck")
	test.Tap(h.button(btnRefresh))
	h.waitFor("the read to hang", func() bool { return srv.InFlight() > 0 })
	return h, srv
}

func TestAHungReadCanBeCancelledFromItsPane(t *testing.T) {
	h, _ := hanging(t)
	for _, name := range []string{btnEdit, btnRemoveInst} {
		if h.desk.detail.buttons[name].Disabled() {
			t.Errorf("%s is disabled while the read hangs", name)
		}
	}
	if !h.desk.detail.buttons[btnRenew].Disabled() {
		t.Error("Renew is enabled while a call is in flight")
	}
	test.Tap(h.button(btnCancel))
	h.waitFor("the read to end", func() bool { return h.idle("stuck") })
	if got := h.desk.detail.outcomeWhat.Text; !strings.HasPrefix(got, "Read cancelled") {
		t.Errorf("after Cancel the pane says %q", got)
	}
	if h.desk.detail.cancelBtn.Visible() || h.desk.detail.buttons[btnRefresh].Disabled() {
		t.Error("Cancel stays, or Refresh stays disabled, after the read ended")
	}
}

func TestAHungInstanceCanBeRemovedAndEdited(t *testing.T) {
	h, srv := hanging(t)
	test.Tap(h.desk.detail.buttons[btnEdit])
	if h.desk.form == nil || !h.shows("Edit Stuck") {
		t.Fatal("Edit does not open the form while the read hangs")
	}
	h.desk.form.dlg.Hide()

	test.Tap(h.desk.detail.buttons[btnRemoveInst])
	test.Tap(h.button("Remove instance"))
	h.waitFor("the instance to go from the list", func() bool {
		_, listed := h.desk.list.Status("stuck")
		return !listed && h.idle("stuck") && h.desk.detail.id == ""
	})
	if _, ok := h.svc.Instance("stuck"); ok {
		t.Error("the instance is still configured")
	}
	h.waitFor("the hung request to be dropped", func() bool { return srv.InFlight() == 0 })
}

// Saving an edit of a hung instance reads it with the new settings, not
// after the old read gives up.
func TestEditingAHungInstanceReadsItAfresh(t *testing.T) {
	h, srv := hanging(t)
	good := h.server()
	test.Tap(h.desk.detail.buttons[btnEdit])
	f := h.desk.form
	f.url.SetText(good.URL + "/")
	test.Tap(h.button("Save"))
	h.waitFor("the new read", func() bool { return h.idle("stuck") && h.readOnce("stuck") })
	if srv.InFlight() != 0 {
		t.Error("the old read still hangs")
	}
}
