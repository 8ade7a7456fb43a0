package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// envInstance is an instance of srv that takes its password from the
// environment, as one added by another program (or imported) does: the
// window's keyring holds nothing for it.
func envInstance(t *testing.T, id, name string, srv *grafanatest.Server) app.Instance {
	t.Setenv("LICENSEDESK_TEST_PASSWORD", "admin")
	return app.Instance{ID: id, Name: name, URL: srv.URL + "/", Auth: app.AuthBasic, Username: "admin",
		PasswordEnv: "LICENSEDESK_TEST_PASSWORD"}
}

// otherProgram is the command line working on the window's instances.json.
func (h *harness) otherProgram() *app.Service {
	h.t.Helper()
	cli, err := app.NewService(app.Config{StorePath: h.store, Secrets: vault.NewMemory()})
	if err != nil {
		h.t.Fatal(err)
	}
	return cli
}

func (h *harness) readOnce(id string) bool {
	st, ok := h.desk.list.Status(id)
	return ok && !st.ReadAt.IsZero()
}

func TestImportedInstancesAreReadAtOnce(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.open()
	inst := envInstance(t, "edge", "Edge", srv)
	plan := &app.ImportPlan{Add: []app.Instance{inst}}
	h.desk.confirmImport("team.json", plan, exportedListNote)
	test.Tap(h.button("Import"))
	h.waitFor("the imported instance to be read", func() bool { return h.readOnce("edge") })
	if n := srv.RequestCount("/api/licensing/token"); n != 1 {
		t.Errorf("the imported instance's token was read %d times, want once", n)
	}
}

func TestInstancesTheCommandLineAddsAppearAndAreRead(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	w.waitChecks(1)

	// When the command line adds an instance while the window is open, the
	// window lists it and reads it without being asked.
	edge := h.server()
	if err := h.otherProgram().AddInstance(envInstance(t, "edge", "Edge", edge), ""); err != nil {
		t.Fatal(err)
	}
	w.waitFor("the added instance to be listed and read", func() bool { return h.readOnce("edge") })

	// When it edits one, the window follows; when it removes one, it goes.
	cli := h.otherProgram()
	inst, _ := cli.Instance("edge")
	inst.Name = "Edge Berlin"
	if err := cli.UpdateInstance(inst, nil); err != nil {
		t.Fatal(err)
	}
	w.waitFor("the new name", func() bool { st, _ := h.desk.list.Status("edge"); return st.Instance.Name == "Edge Berlin" })
	if err := cli.RemoveInstance("edge"); err != nil {
		t.Fatal(err)
	}
	w.waitFor("the removed instance to go", func() bool { _, ok := h.desk.list.Status("edge"); return !ok })
}

func TestCtrlRPicksUpInstancesAddedElsewhere(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	h.open() // no file watch: Ctrl+R alone must find it
	if err := h.otherProgram().AddInstance(envInstance(t, "edge", "Edge", h.server()), ""); err != nil {
		t.Fatal(err)
	}
	h.desk.refreshAll()
	h.waitFor("the added instance to be listed and read", func() bool { return h.readOnce("edge") && h.desk.act.bulk == nil })
}

// A state found by a read the user asked for notifies as a scheduled check
// does, once a day.
func TestARefreshNotifiesWhatItFindsOnce(t *testing.T) {
	h := newHarness(t)
	srv := h.server(grafanatest.WithClaims(claimsLeft(40 * day)))
	h.add("prod", "Prod", srv, "admin")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	w.waitChecks(1)
	h.selectInstance("prod")

	srv.SetClaims(claimsLeft(10*day + time.Hour))
	for range 2 {
		test.Tap(h.button(btnRefresh))
		w.waitChecks(1)
	}
	test.Tap(h.desk.toolbar[tbRefreshAll])
	w.waitChecks(1)
	h.waitFor("the refresh to end", func() bool { return h.desk.act.bulk == nil })
	sent := w.stopWatch()
	if titles := notifyTitles(sent); len(titles) != 1 || !strings.HasPrefix(titles[0], "Prod: license expires in 10 days") {
		t.Errorf("notifications %q, want exactly one for the warning the refresh found", titles)
	}
}
