package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/client"
)

// valueBeside finds, in c, the value label of the first form row whose
// label is name, starting after the label after.
func valueBeside(c fyne.Canvas, after, name string) *widget.Label {
	seen := after == ""
	var last *widget.Label
	for _, o := range objects(c) {
		switch v := o.(type) {
		case *canvas.Text: // a card's title
			seen = seen || v.Text == after
		case *widget.Label:
			if seen && last != nil && last.Text == name {
				return v
			}
			last = v
		}
	}
	return nil
}

func TestFieldsCountFollowsTheShownInstance(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.add("new", "New", h.server(), "admin")
	h.open()
	h.selectInstance("prod")
	test.Tap(h.button(btnRefresh))
	h.waitFor("the read", func() bool { return h.idle("prod") && h.svc.Status("prod").Token != nil })
	n := len(h.svc.Status("prod").Token.Fields)
	if got := h.desk.detail.more.Items[0].Title; got != "All fields Grafana returned ("+itoa(n)+")" {
		t.Fatalf("the read instance's title is %q", got)
	}

	// When an instance not read yet is shown, its title counts nothing,
	// and "None yet." lies above the next header, not over it.
	h.selectInstance("new")
	if got := h.desk.detail.more.Items[0].Title; got != "All fields Grafana returned" {
		t.Errorf("an unread instance keeps the previous count: %q", got)
	}
	h.desk.detail.more.Open(0)
	var none, raw fyne.CanvasObject
	for _, o := range objects(h.win.Canvas()) {
		switch v := o.(type) {
		case *widget.Label:
			if v.Text == "None yet." {
				none = v
			}
		case *widget.Button:
			if v.Text == "Raw JSON" {
				raw = v
			}
		}
	}
	if none == nil || raw == nil {
		t.Fatal("the pane shows no \"None yet.\" or no Raw JSON header")
	}
	d := fyne.CurrentApp().Driver()
	if bottom := d.AbsolutePositionForObject(none).Y + none.Size().Height; bottom > d.AbsolutePositionForObject(raw).Y {
		t.Errorf("\"None yet.\" ends at %v, below the Raw JSON header's top at %v: drawn over it", bottom, d.AbsolutePositionForObject(raw).Y)
	}
}

func TestAnExpiryNotReportedIsNotColouredAsAState(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")
	test.Tap(h.button(btnRemoveLicense))
	test.Type(h.dialogEntries()[1], "Prod")
	test.Tap(h.button("Remove license"))
	h.waitFor("the removal", func() bool { return h.idle("prod") && h.shows("License removed") })

	for _, card := range []string{"License", "Token"} {
		v := valueBeside(h.win.Canvas(), card, "Expires")
		if v == nil {
			t.Fatalf("the %s card has no Expires row", card)
		}
		if strings.Contains(v.Text, notReported) && v.Importance != widget.LowImportance {
			t.Errorf("the %s card's %q has importance %v, want the faint not-reported one", card, v.Text, v.Importance)
		}
	}
	if st := h.svc.Status("prod"); st.Eval.License.Reported() || st.Eval.State != client.StateCritical {
		t.Fatalf("setup: the removed license should report no expiry and be critical: %+v", st.Eval)
	}
}
