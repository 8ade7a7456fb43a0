package ui

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

func TestAnEmptyWindowOffersAFirstStep(t *testing.T) {
	h := newHarness(t)
	h.open()
	var demos atomic.Int32 // the demo starts off the UI goroutine
	h.env.launchDemo = func() error { demos.Add(1); return nil }

	for _, name := range []string{btnFirstAdd, btnFirstImport, btnTryDemo} {
		h.button(name) // fails the test when missing
	}
	if !h.shows(firstStepTitle) || h.shows("Select an instance on the left") {
		t.Error("the empty window does not lead with the first step")
	}
	for _, name := range []string{tbRefreshAll, tbRenewAll, tbExport} {
		if !h.desk.toolbar[name].Disabled() {
			t.Errorf("%s is enabled with nothing to act on", name)
		}
	}
	test.Tap(h.button(btnTryDemo))
	h.waitFor("the demo to start", func() bool { return demos.Load() == 1 })

	// Adding the first instance from there leaves the first step behind.
	test.Tap(h.button(btnFirstAdd))
	f := h.desk.form
	if f == nil {
		t.Fatal("Add your first Grafana opens no form")
	}
	srv := h.server()
	test.Type(f.name, "Prod")
	test.Type(f.url, srv.URL+"/")
	test.Type(f.username, "admin")
	test.Type(f.password, "admin")
	test.Tap(h.button("Save"))
	h.waitFor("the new instance to be read", func() bool { return h.idle("prod") && h.readOnce("prod") })
	if h.shows(firstStepTitle) {
		t.Error("the first step stays after the first instance was added")
	}
	for _, name := range []string{tbRefreshAll, tbRenewAll, tbExport} {
		if h.desk.toolbar[name].Disabled() {
			t.Errorf("%s stays disabled with an instance to act on", name)
		}
	}
}

func TestExportSaysWhereItSaved(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	h.open()
	path := filepath.Join(t.TempDir(), "team.json")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	h.desk.writeExport(w, "The instance list (1 instance, without passwords or tokens)", h.svc.ExportInstances)
	h.waitFor("the report", func() bool { return h.shows("was saved to") })
	if !h.shows("The instance list (1 instance, without passwords or tokens) was saved to " + path + ".") {
		t.Errorf("the window does not say where the list went:\n%s", strings.Join(texts(h.win.Canvas()), "\n"))
	}
	if data, err := os.ReadFile(path); err != nil || !strings.Contains(string(data), `"prod"`) {
		t.Errorf("the file holds %q (%v)", data, err)
	}
}

func TestRenewAllEndsWithASummary(t *testing.T) {
	h := newHarness(t)
	ended := grafanatest.DefaultClaims(time.Now())
	ended.LicenseExpiry = time.Now().Add(-3 * day)
	h.add("prod", "Prod", h.server(), "admin")
	h.add("legacy", "Legacy DC", h.server(grafanatest.WithClaims(ended)), "admin")
	h.add("plant", "Plant", h.server(grafanatest.WithOffline()), "admin")
	h.open()
	test.Tap(h.desk.toolbar[tbRenewAll])
	h.waitFor("the summary", func() bool { return h.desk.act.bulk == nil && h.shows("Renewed 1 of 3 instances.") })
	for _, want := range []string{"1 failed: Plant.", "1 still expired or expiring, or beside an ended license: Legacy DC."} {
		if !h.shows(want) {
			t.Errorf("the summary lacks %q:\n%s", want, strings.Join(texts(h.win.Canvas()), "\n"))
		}
	}
}

func TestSavingAfterAFailedTestAsksFirst(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.open()
	test.Tap(h.desk.toolbar[tbAdd])
	f := h.desk.form
	test.Type(f.name, "Prod")
	test.Type(f.url, srv.URL+"/")
	test.Type(f.username, "admin")
	test.Type(f.password, "wrong")
	test.Tap(h.button("Test connection"))
	h.waitFor("the failed test", func() bool { return f.tested != nil })
	test.Tap(h.button("Save"))
	if !h.shows("Save although the test failed?") {
		t.Fatal("saving after a failed test does not ask")
	}
	if len(h.svc.Instances()) != 0 {
		t.Fatal("the instance was saved before the user answered")
	}
	test.Tap(h.button("Save anyway"))
	h.waitFor("the save", func() bool { return len(h.svc.Instances()) == 1 })
}
