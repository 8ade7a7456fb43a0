package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// fakeTray stands in for the desktop's tray, which the test driver lacks:
// it keeps the menu and icon last set, as the real one shows them.
type fakeTray struct {
	fyne.App
	menu   *fyne.Menu
	icon   fyne.Resource
	builds int
}

func (f *fakeTray) SetSystemTrayMenu(m *fyne.Menu)     { f.menu = m; f.builds++ }
func (f *fakeTray) SetSystemTrayIcon(r fyne.Resource)  { f.icon = r }
func (f *fakeTray) SetSystemTrayWindow(fyne.Window)    {}
func (f *fakeTray) labels() (out []string)             { return menuLabels(f.menu) }
func (f *fakeTray) item(label string) *fyne.MenuItem   { return menuItem(f.menu, label) }
func (f *fakeTray) iconState() string                  { return iconName(f.icon) }
func (f *fakeTray) has(label string) bool              { return f.item(label) != nil }
func (f *fakeTray) hasPrefix(prefix string) bool       { return itemWithPrefix(f.menu, prefix) != nil }
func (f *fakeTray) entry(prefix string) *fyne.MenuItem { return itemWithPrefix(f.menu, prefix) }

func menuLabels(m *fyne.Menu) (out []string) {
	if m == nil {
		return nil
	}
	for _, it := range m.Items {
		if !it.IsSeparator {
			out = append(out, it.Label)
		}
	}
	return out
}

func menuItem(m *fyne.Menu, label string) *fyne.MenuItem {
	if m == nil {
		return nil
	}
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
	}
	return nil
}

func itemWithPrefix(m *fyne.Menu, prefix string) *fyne.MenuItem {
	if m == nil {
		return nil
	}
	for _, it := range m.Items {
		if strings.HasPrefix(it.Label, prefix) {
			return it
		}
	}
	return nil
}

func iconName(r fyne.Resource) string {
	if r == nil {
		return ""
	}
	return r.Name()
}

// shownWindow is the test driver's window, which keeps no "shown" state,
// with that state kept.
type shownWindow struct {
	fyne.Window
	shown bool
}

func (w *shownWindow) Show() { w.shown = true; w.Window.Show() }
func (w *shownWindow) Hide() { w.shown = false; w.Window.Hide() }

// watched is a harness whose window watches its instances as Run does:
// a tray, a monitor and the notifications it sends.
type watched struct {
	*harness
	tray    *fakeTray
	win     *shownWindow
	sent    chan watch.Message
	checked chan app.Status
	quits   int
	host    bool
}

// openWatched opens the window over the configured instances with the
// monitor started on notes, as Run does.
func (h *harness) openWatched(notes *watch.Notifier) *watched {
	h.t.Helper()
	w := &watched{harness: h, sent: make(chan watch.Message, 64), checked: make(chan app.Status, 64), host: true}
	h.open()
	w.win = &shownWindow{Window: h.win, shown: true}
	h.env.win = w.win
	h.env.quit = func() { w.quits++ }
	h.env.trayHost = func() bool { return w.host }
	w.tray = &fakeTray{App: h.app}
	h.desk.setupTray(w.tray)
	h.desk.watch = startWatch(h.env, notes, func(n watch.Message) { w.sent <- n }, func(st app.Status) { w.checked <- st },
		func() { h.env.do(func() { h.desk.reloadStore(true, nil) }) })
	h.t.Cleanup(func() {
		if h.desk.watch != nil {
			h.desk.watch.stop()
		}
	})
	return w
}

// waitChecks waits for n checks by the monitor, running UI updates meanwhile.
func (w *watched) waitChecks(n int) {
	w.t.Helper()
	got := 0
	w.waitFor(itoa(n)+" checks", func() bool {
		for {
			select {
			case <-w.checked:
				got++
				continue
			default:
			}
			return got >= n
		}
	})
}

// stopWatch stops the monitor and returns every notification it sent:
// stopping delivers what was still gathering.
func (w *watched) stopWatch() []watch.Message {
	w.desk.watch.stop()
	w.desk.watch = nil
	var out []watch.Message
	for {
		select {
		case n := <-w.sent:
			out = append(out, n)
		default:
			return out
		}
	}
}

func notifyTitles(ns []watch.Message) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Title)
	}
	return out
}

// claimsLeft is a license that ends after left, with a token valid for 20 days.
func claimsLeft(left time.Duration) grafanatest.Claims {
	c := grafanatest.DefaultClaims(time.Now())
	c.LicenseExpiry = time.Now().Add(left)
	c.TokenExpiry = time.Now().Add(20 * 24 * time.Hour)
	return c
}

const day = 24 * time.Hour

func TestMonitorStartCheckFillsTheListTrayAndNotifies(t *testing.T) {
	h := newHarness(t)
	us := h.server(grafanatest.WithClaims(claimsLeft(12*day + time.Hour)))
	eu := h.server(grafanatest.WithClaims(claimsLeft(300 * day)))
	h.add("prod-us", "Prod US", us, "admin")
	h.add("prod-eu", "Prod EU", eu, "admin")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)

	// Given nothing pressed, when the monitor's start check ends, then the
	// rows, the tray and a notification show the warning.
	w.waitFor("the Prod US row to show the warning", func() bool { return h.shows("Warning · license expires in 12 days") })
	w.waitFor("the tray to show the warning", func() bool { return w.tray.iconState() == "tray-warning.png" })
	if !w.tray.has("Prod US — license expires in 12 days") {
		t.Errorf("the tray menu lacks the Prod US entry: %q", w.tray.labels())
	}
	if w.tray.hasPrefix("Prod EU") {
		t.Errorf("the healthy instance is in the tray menu: %q", w.tray.labels())
	}
	for _, want := range []string{"1 of 2 instances needs attention", trayRefreshAll, trayOpen, trayQuit} {
		if !w.tray.has(want) {
			t.Errorf("the tray menu lacks %q: %q", want, w.tray.labels())
		}
	}
	sent := w.stopWatch()
	if titles := notifyTitles(sent); len(titles) != 1 || titles[0] != "Prod US: license expires in 12 days" {
		t.Errorf("notifications %q, want one for Prod US", titles)
	}
	// The start check is the only read: the window does not read again.
	if n := us.RequestCount("/api/licensing/token"); n != 1 {
		t.Errorf("Prod US's token was read %d times at start, want once", n)
	}
}

func TestEnteringWarningNotifiesOnceAndARestartDoesNotRepeatIt(t *testing.T) {
	h := newHarness(t)
	srv := h.server(grafanatest.WithClaims(claimsLeft(40 * day)))
	h.add("prod", "Prod", srv, "admin")
	statePath := filepath.Join(t.TempDir(), watch.NotifyStateFile)
	notes, err := watch.LoadNotifyState(statePath)
	if err != nil {
		t.Fatal(err)
	}
	w := h.openWatched(notes)
	w.waitChecks(1)
	w.waitFor("the tray to show OK", func() bool { return w.tray.iconState() == "tray-ok.png" })

	// When the license moves into its warning period and the tray's
	// Refresh all is picked, then the icon, the menu and one notification say so.
	srv.SetClaims(claimsLeft(10*day + time.Hour))
	w.tray.item(trayRefreshAll).Action()
	w.waitChecks(1)
	w.waitFor("the tray to show the warning", func() bool { return w.tray.iconState() == "tray-warning.png" })
	if !w.tray.has("Prod — license expires in 10 days") {
		t.Errorf("the tray menu lacks the entry: %q", w.tray.labels())
	}
	w.tray.item(trayRefreshAll).Action() // a second check finds the same warning
	w.waitChecks(1)
	sent := w.stopWatch()
	if titles := notifyTitles(sent); len(titles) != 1 || titles[0] != "Prod: license expires in 10 days" {
		t.Fatalf("notifications %q, want exactly one for Prod", titles)
	}

	// Given the same notification state, when the app starts again, then
	// its start check finds the warning but says nothing new.
	again, err := watch.LoadNotifyState(statePath)
	if err != nil {
		t.Fatal(err)
	}
	w2 := newHarnessOver(t, h.svc).openWatched(again)
	w2.waitChecks(1)
	w2.waitFor("the tray to show the warning", func() bool { return w2.tray.iconState() == "tray-warning.png" })
	if sent := w2.stopWatch(); len(sent) != 0 {
		t.Errorf("the restart repeated %q", notifyTitles(sent))
	}
}

// newHarnessOver is a second window over the same engine, as after a restart.
func newHarnessOver(t *testing.T, svc *app.Service) *harness {
	h := newHarness(t)
	h.svc = svc
	return h
}

func TestTrayEntryOpensTheWindowOnItsInstance(t *testing.T) {
	h := newHarness(t)
	bad := h.server()
	good := h.server()
	h.add("prod-eu", "Prod EU", good, "admin")
	h.add("sandbox", "Dev Sandbox", bad, "not-the-password")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	w.waitFor("the tray entry", func() bool { return w.tray.hasPrefix("Dev Sandbox — ") })
	if got := w.tray.entry("Dev Sandbox — ").Label; got != "Dev Sandbox — could not be read (HTTP 401)" {
		t.Errorf("the entry reads %q", got)
	}

	// Given the window hidden and the list filtered to another instance,
	// when the entry is picked, then the window shows the instance.
	test.Type(h.desk.list.filter, "prod")
	w.win.Hide()
	w.tray.entry("Dev Sandbox — ").Action()
	if !w.win.shown {
		t.Error("the window stays hidden")
	}
	if h.desk.list.Selected() != "sandbox" || h.desk.detail.id != "sandbox" {
		t.Errorf("selected %q, detail on %q; want sandbox", h.desk.list.Selected(), h.desk.detail.id)
	}
	if h.desk.list.filter.Text != "" {
		t.Errorf("the filter still hides the instance: %q", h.desk.list.filter.Text)
	}
	if !h.shows("Dev Sandbox") || h.desk.detail.badge.Text() != "Unknown" {
		t.Error("the detail pane does not show Dev Sandbox")
	}

	w.tray.item(trayQuit).Action()
	if w.quits != 1 {
		t.Errorf("Quit ended the app %d times, want once", w.quits)
	}
}

func TestClosingHidesToTheTrayOnlyWhenTheDesktopDrawsOne(t *testing.T) {
	h := newHarness(t)
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)

	// Given a tray host, closing hides the window and the app runs on.
	w.host = true
	h.desk.closeWindow()
	w.waitFor("the window to hide", func() bool { return !w.win.shown })
	if w.quits != 0 {
		t.Error("with a tray host, closing quit the app")
	}
	w.tray.item(trayOpen).Action()
	if !w.win.shown {
		t.Error("Open Licensedesk does not show the window again")
	}

	// Given no tray host, closing quits and the window is not hidden.
	w.host = false
	h.desk.closeWindow()
	w.waitFor("the app to quit", func() bool { return w.quits == 1 })
	if !w.win.shown {
		t.Error("the window was hidden into a tray nobody draws")
	}

	// Given no system tray at all, closing quits at once.
	h.desk.tray = nil
	h.desk.closeWindow()
	if w.quits != 2 {
		t.Errorf("without a tray, closing quit %d times in all, want 2", w.quits)
	}
}

func TestTrayIsRebuiltOnlyWhenWhatItShowsChanges(t *testing.T) {
	h := newHarness(t)
	srv := h.server(grafanatest.WithClaims(claimsLeft(12*day + time.Hour)))
	h.add("prod", "Prod", srv, "admin")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	w.waitFor("the tray to show the warning", func() bool { return w.tray.iconState() == "tray-warning.png" })
	builds := w.tray.builds

	w.tray.item(trayRefreshAll).Action()
	w.waitChecks(1)
	w.waitFor("the tray update to run", func() bool { return !h.desk.trayLater.pending })
	if w.tray.builds != builds {
		t.Errorf("the same state rebuilt the tray menu (%d builds, then %d)", builds, w.tray.builds)
	}
}

func TestStatusLineSaysWhenTheNextCheckIs(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	w.waitChecks(1)
	next := h.desk.watch.mon.NextCheck()
	if next.IsZero() {
		t.Fatal("the monitor has no next check after its first")
	}
	want := "next check " + next.In(h.env.loc).Format("15:04")
	w.waitFor("the status line", func() bool { return strings.Contains(h.desk.statusTxt.Text, want) })
	if got := next.Sub(time.Now()); got < 55*time.Minute || got > time.Hour {
		t.Errorf("the next check is %v away, want about the default hour", got)
	}
}

func TestTheFirstCloseToTheTraySaysLicensedeskIsStillWatching(t *testing.T) {
	h := newHarness(t)
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	hints := func() int {
		n := 0
		for {
			select {
			case m := <-w.sent:
				if m.Title == trayHintTitle {
					n++
				}
			default:
				return n
			}
		}
	}

	h.desk.closeWindow()
	w.waitFor("the window to hide", func() bool { return !w.win.shown })
	got := 0
	w.waitFor("the word that Licensedesk still watches from the tray", func() bool { got += hints(); return got > 0 })

	// Said once: not on the next close, nor after a restart (the
	// preference stays).
	w.tray.item(trayOpen).Action()
	h.desk.closeWindow()
	w.waitFor("the window to hide again", func() bool { return !w.win.shown })
	for _, m := range w.stopWatch() { // stopping waits for every send under way
		if m.Title == trayHintTitle {
			got++
		}
	}
	if got != 1 {
		t.Errorf("closing to the tray twice said it %d times, want once", got)
	}
	if !h.env.prefs.ToldAboutTray() {
		t.Error("the hint is not remembered across restarts")
	}
}

func TestNoTrayHintWhenNotificationsAreOff(t *testing.T) {
	h := newHarness(t)
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	h.env.settings.cur.Notifications = false
	h.desk.closeWindow()
	w.waitFor("the window to hide", func() bool { return !w.win.shown })
	for _, m := range w.stopWatch() {
		if m.Title == trayHintTitle {
			t.Errorf("with notifications off, closing to the tray sent %q", m.Title)
		}
	}
	if h.env.prefs.ToldAboutTray() {
		t.Error("a hint never shown is remembered as said")
	}
}
