package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/history"
)

// historyRows is the history table as shown: one line of cell texts per row.
func (h *harness) historyRows() []string {
	hv := h.desk.history
	var rows []string
	for r := range len(hv.shown) {
		var cells []string
		for c := range historyColumns {
			text, _ := historyCell(hv.shown[r], c, h.env.loc)
			cells = append(cells, text)
		}
		rows = append(rows, strings.Join(cells, " | "))
	}
	return rows
}

func TestHistoryListsActionsNewestFirstFollowsThemAndFilters(t *testing.T) {
	h := newHarness(t)
	good := h.server()
	bad := h.server()
	h.add("prod", "Prod", good, "admin")
	h.add("sandbox", "Dev Sandbox", bad, "not-the-password")
	h.open()

	test.Tap(h.desk.toolbar[tbHistory])
	hv := h.desk.history
	if hv == nil {
		t.Fatal("History opened nothing")
	}
	h.waitFor("the empty history to load", func() bool { return !hv.loading })
	if !strings.Contains(hv.detail.Text, "No renewals, uploads or removals yet") {
		t.Errorf("an empty history says %q", hv.detail.Text)
	}

	// When a renewal succeeds and another fails, with the history open,
	// then both appear, newest first, without reopening it.
	h.selectInstance("prod")
	test.Tap(h.button(btnRenew))
	h.waitFor("the renewal in the history", func() bool { return len(hv.shown) == 1 && !hv.loading })
	h.selectInstance("sandbox")
	test.Tap(h.button(btnRenew))
	h.waitFor("the failed renewal in the history", func() bool { return len(hv.shown) == 2 && !hv.loading })

	rows := h.historyRows()
	if !strings.Contains(rows[0], "Dev Sandbox | Renew | Failed | 401 | — | — | Window | Grafana answered 401 Unauthorized") {
		t.Errorf("the newest row reads %q", rows[0])
	}
	tok := h.svc.Status("prod").Token
	wantLic, wantTok := date(tok.LicenseExpiry, h.env.loc), date(tok.TokenExpiry, h.env.loc)
	if !strings.Contains(rows[1], "Prod | Renew | OK | 200 | "+wantLic+" | "+wantTok+" | Window | —") {
		t.Errorf("the renewal's row reads %q, want the new dates %s and %s", rows[1], wantLic, wantTok)
	}
	if hv.count.Text != "2 entries" {
		t.Errorf("the count says %q", hv.count.Text)
	}

	// Selecting a row shows all of it, advice included.
	hv.table.Select(widget.TableCellID{Row: 0, Col: 1})
	if !strings.Contains(hv.detail.Text, "Renew of Dev Sandbox (sandbox) from the window: failed, HTTP 401.") ||
		!strings.Contains(hv.detail.Text, "Could not renew the license token") {
		t.Errorf("the selected row's detail reads %q", hv.detail.Text)
	}

	// Filtering by instance narrows the list.
	if got := hv.filter.Options; strings.Join(got, ",") != "All instances,Prod,Dev Sandbox" {
		t.Errorf("the filter offers %q", got)
	}
	hv.filter.SetSelected("Prod")
	if rows := h.historyRows(); len(rows) != 1 || !strings.HasPrefix(strings.SplitN(rows[0], " | ", 3)[1], "Prod") {
		t.Errorf("filtered to Prod, the history shows %q", rows)
	}
	if hv.count.Text != "1 entry of 2" {
		t.Errorf("the filtered count says %q", hv.count.Text)
	}

	// A removed instance's entries stay, and the filter still names it.
	test.Tap(h.button(btnRemoveInst))
	test.Tap(h.button("Remove instance"))
	h.waitFor("the instance to go", func() bool { _, ok := h.svc.Instance("sandbox"); return !ok })
	hv.reload()
	h.waitFor("the history to reload", func() bool { return !hv.loading })
	if !strings.Contains(strings.Join(hv.filter.Options, ","), "Dev Sandbox (removed)") {
		t.Errorf("the filter lost the removed instance: %q", hv.filter.Options)
	}
}

func TestHistorySaysWhenLinesAreDamaged(t *testing.T) {
	h := newHarness(t)
	h.open()
	hist := h.svc.History()
	if err := hist.Append(hEntry("prod", "Prod")); err != nil {
		t.Fatal(err)
	}
	appendRaw(t, h, "this is not json\n")
	test.Tap(h.desk.toolbar[tbHistory])
	hv := h.desk.history
	h.waitFor("the history to load", func() bool { return len(hv.all) == 1 })
	if !strings.Contains(hv.detail.Text, "1 line of the history file could not be read and was skipped.") {
		t.Errorf("the damaged line is not mentioned: %q", hv.detail.Text)
	}
}

func hEntry(id, name string) history.Entry {
	return history.NewEntry(time.Now(), id, name, history.ActionRenew, 200, nil, nil)
}

// appendRaw writes a line into the history file as a damaged disk might.
func appendRaw(t *testing.T, h *harness, line string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(h.dir, history.HistoryFile), os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line); err != nil {
		t.Fatal(err)
	}
}

// fakeHistory is a history window's whole view of the engine: a log file
// and the instance list, with no service behind them.
type fakeHistory struct {
	hist  *history.History
	insts []app.Instance
}

func (f fakeHistory) History() *history.History { return f.hist }
func (f fakeHistory) Instances() []app.Instance { return f.insts }

// TestHistoryWindowOverAFakeSource: the history screen depends only on its
// small interface, so it shows a log without any service.
func TestHistoryWindowOverAFakeSource(t *testing.T) {
	h := newHarness(t)
	h.open()
	fake := fakeHistory{
		hist:  history.OpenHistory(filepath.Join(t.TempDir(), history.HistoryFile)),
		insts: []app.Instance{{ID: "edge", Name: "Edge"}},
	}
	if err := fake.hist.Append(hEntry("edge", "Edge")); err != nil {
		t.Fatal(err)
	}

	hv := newHistoryView(h.env, fake)
	hv.reload()
	h.waitFor("the fake's history", func() bool { return !hv.loading && len(hv.all) == 1 })

	if !slices.Contains(hv.filter.Options, "Edge") {
		t.Errorf("the filter does not offer the fake's instance: %q", hv.filter.Options)
	}
	if got, _ := historyCell(hv.shown[0], 1, h.env.loc); got != "Edge" {
		t.Errorf("the table shows %q, want the fake's entry", got)
	}
}
