package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// renewOutcome renews the selected instance through the window and returns
// what its pane says and in which colour.
func renewOutcome(t *testing.T, opts ...grafanatest.Option) (string, widget.Importance, *harness) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(opts...), "admin")
	h.open()
	h.selectInstance("prod")
	test.Tap(h.button(btnRenew))
	h.waitFor("the renewal", func() bool { return h.idle("prod") && h.desk.detail.outcomeWhat.Text != "" })
	d := h.desk.detail
	return d.outcomeWhat.Text + " " + d.outcomeDo.Text, d.outcomeWhat.Importance, h
}

func TestARenewalThatLeavesTroubleIsNotPaintedGreen(t *testing.T) {
	t.Run("the token is still expired", func(t *testing.T) {
		text, imp, h := renewOutcome(t, grafanatest.WithTokenLifetime(-time.Hour))
		if imp != widget.DangerImportance || !strings.Contains(text, "still expired") || strings.Contains(text, "Token renewed") {
			t.Errorf("the pane says %q in %v", text, imp)
		}
		entries, _, _ := h.svc.History().Scan("")
		if len(entries) != 1 || entries[0].Outcome != history.OutcomeUnresolved {
			t.Errorf("the history records %+v, not what the user saw", entries)
		}
	})
	t.Run("the token still expires soon", func(t *testing.T) {
		text, imp, _ := renewOutcome(t, grafanatest.WithTokenLifetime(30*time.Hour))
		if imp != widget.WarningImportance || !strings.Contains(text, "still expires soon") {
			t.Errorf("the pane says %q in %v", text, imp)
		}
	})
	t.Run("the license itself has ended", func(t *testing.T) {
		c := grafanatest.DefaultClaims(time.Now())
		c.LicenseExpiry = time.Now().Add(-3 * day)
		text, imp, _ := renewOutcome(t, grafanatest.WithClaims(c))
		if imp != widget.DangerImportance || !strings.Contains(text, "license itself has ended") ||
			!strings.Contains(text, "cannot change that: ask Grafana Labs for a renewed license") {
			t.Errorf("the pane says %q in %v", text, imp)
		}
	})
	t.Run("a healthy renewal is green", func(t *testing.T) {
		text, imp, _ := renewOutcome(t)
		if imp != widget.SuccessImportance || !strings.HasPrefix(text, "Token renewed: valid for") {
			t.Errorf("the pane says %q in %v", text, imp)
		}
	})
}
