//go:build integration

package main

// These tests run the real binary in a real desktop session: a private
// D-Bus session bus and an Xvfb display, as scripts/session.sh provides.
// The test process plays the desktop's tray host (a StatusNotifierWatcher
// with a host registered) and watches the bus for notifications, which
// dunst, a real notification daemon, shows.

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/assets"
	"github.com/licensedesk/licensedesk/client/grafanatest"
	"github.com/licensedesk/licensedesk/internal/dbustest"
)

// trayWait bounds every wait for the app; the runs themselves take seconds.
const trayWait = 60 * time.Second

// TestTray builds the binary once and runs it in each situation.
func TestTray(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" || os.Getenv("DISPLAY") == "" {
		t.Fatal("needs a D-Bus session and a display: run it through scripts/session.sh")
	}
	dbustest.PrivateSessionBus(t)
	bin := filepath.Join(t.TempDir(), "licensedesk")
	if out, err := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("demo shows the tray, notifies and hides to it", func(t *testing.T) { trayDemo(t, bin) })
	t.Run("entering warning notifies once, and not again after a restart", func(t *testing.T) { trayEnteringWarning(t, bin) })
	t.Run("closing quits when no tray host is there", func(t *testing.T) { trayWithoutHost(t, bin) })
	t.Run("start minimized stays in the tray only where there is one", func(t *testing.T) { trayStartMinimized(t, bin) })
}

func trayDemo(t *testing.T, bin string) {
	s := newTraySession(t, bin)
	host := s.startHost()
	notes := s.watchNotifications()
	ld := s.start("--demo")

	item := host.waitItem(ld)
	if !s.nameOwned(fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", ld.cmd.Process.Pid)) {
		t.Errorf("no org.kde.StatusNotifierItem-%d-1 on the bus", ld.cmd.Process.Pid)
	}

	// The demo starts with instances in warning and critical: the start
	// check lists them in the tray, shows the critical icon and announces them.
	menu := item.waitMenu("an attention entry for Prod US", func(m trayMenu) bool {
		return m.has("Open Licensedesk") && m.has("Quit") && m.hasPrefix("Prod US — license expires in")
	})
	if !menu.hasPrefix("Legacy DC — license expired") {
		t.Errorf("the menu lacks the expired Legacy DC: %q", menu.labels())
	}
	if menu.hasPrefix("Prod EU") {
		t.Errorf("the healthy Prod EU is in the menu: %q", menu.labels())
	}
	if got := item.icon(); got != "critical" {
		t.Errorf("the tray icon is %s, want critical", got)
	}
	notes.waitFor("a notification naming Prod US", func(n notification) bool { return n.mentions("Prod US") })
	// The first check's summary names the expired Legacy DC: it is sent as
	// Licensedesk, with critical urgency, and stays until dismissed.
	notes.waitFor("the summary, critical, from Licensedesk", func(n notification) bool {
		return n.mentions("Legacy DC") && n.app == "Licensedesk" && n.urgency == 2 && n.timeout == 0
	})

	// Closing the window hides it to the tray; the app keeps running.
	s.pressOnWindow("ctrl+w")
	s.waitFor("the window to hide", func() bool { return !s.windowVisible() })
	if ld.exited() {
		t.Fatalf("closing the window quit the app although a tray host is present:\n%s", ld.output())
	}
	item.click("Open Licensedesk")
	s.waitFor("the window to show again", s.windowVisible)

	if n := notes.count(func(n notification) bool { return n.mentions("Prod US") }); n != 1 {
		t.Errorf("%d notifications named Prod US, want one", n)
	}
	item.click("Quit")
	ld.waitExit(0)
}

func trayEnteringWarning(t *testing.T, bin string) {
	s := newTraySession(t, bin)
	host := s.startHost()
	notes := s.watchNotifications()

	srv := grafanatest.New(grafanatest.WithClaims(trayClaims(40 * 24 * time.Hour)))
	t.Cleanup(srv.Close)
	cfgFile := filepath.Join(t.TempDir(), "instances.json")
	err := config.NewStore(cfgFile).Save([]app.Instance{{
		ID: "prod", Name: "Prod", URL: srv.URL + "/", Auth: app.AuthBasic, Username: "admin",
		PasswordEnv: "LICENSEDESK_TEST_PASSWORD", TimeoutSeconds: 15,
	}})
	if err != nil {
		t.Fatal(err)
	}

	ld := s.start("--config", cfgFile)
	item := host.waitItem(ld)
	item.waitMenu("the first check", func(m trayMenu) bool { return m.has("The instance is OK") })
	if got := item.icon(); got != "ok" {
		t.Errorf("the tray icon is %s, want ok", got)
	}

	// When the license enters its warning period and Refresh all is picked
	// in the tray, then the icon, the menu and one notification say so.
	srv.SetClaims(trayClaims(10*24*time.Hour + time.Hour))
	item.click("Refresh all")
	item.waitMenu("the warning entry", func(m trayMenu) bool { return m.has("Prod — license expires in 10 days") })
	if got := item.icon(); got != "warning" {
		t.Errorf("the tray icon is %s, want warning", got)
	}
	notes.waitFor("the warning notification", func(n notification) bool { return n.title == "Prod: license expires in 10 days" })
	if n := notes.last(); n.app != "Licensedesk" || n.urgency != 1 || n.timeout <= 0 || len(n.actions) == 0 || n.actions[0] != "default" {
		t.Errorf("the warning was sent as %+v: want from Licensedesk, normal urgency, a timeout and a default action", n)
	}
	item.click("Refresh all") // the same warning again says nothing new
	item.waitMenu("the second check", func(m trayMenu) bool { return m.has("Prod — license expires in 10 days") })
	time.Sleep(3 * time.Second) // longer than the notifications' gathering
	if n := notes.count(func(notification) bool { return true }); n != 1 {
		t.Errorf("%d notifications, want exactly one: %q", n, notes.titles())
	}
	item.click("Quit")
	ld.waitExit(0)
	if _, err := os.Stat(watch.NotifyStatePath(cfgFile)); err != nil {
		t.Fatalf("no notification state beside the store: %v", err)
	}

	// Given a restart, when its start check finds the same warning, then
	// nothing is announced again.
	ld = s.start("--config", cfgFile)
	item = host.waitItem(ld)
	item.waitMenu("the restart's first check", func(m trayMenu) bool { return m.has("Prod — license expires in 10 days") })
	time.Sleep(3 * time.Second)
	if n := notes.count(func(notification) bool { return true }); n != 1 {
		t.Errorf("the restart notified again: %q", notes.titles())
	}
	item.click("Quit")
	ld.waitExit(0)
}

func trayWithoutHost(t *testing.T, bin string) {
	s := newTraySession(t, bin)
	ld := s.start("--demo")
	s.waitFor("the window", s.windowVisible)
	// Fyne registers its tray item all the same; nobody draws it.
	s.waitFor("the tray item on the bus", func() bool {
		return s.nameOwned(fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", ld.cmd.Process.Pid))
	})
	s.pressOnWindow("ctrl+w")
	ld.waitExit(0)
}

func trayStartMinimized(t *testing.T, bin string) {
	s := newTraySession(t, bin)
	// Fyne keeps the window's preferences under XDG_CONFIG_HOME.
	s.env = []string{"XDG_CONFIG_HOME=" + t.TempDir()}
	prefs := filepath.Join(strings.TrimPrefix(s.env[0], "XDG_CONFIG_HOME="), "fyne", app.GUIContext{Demo: true}.AppID(), "preferences.json")
	if err := os.MkdirAll(filepath.Dir(prefs), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prefs, []byte(`{"tray.start_minimized":true}`), 0o600); err != nil {
		t.Fatal(err)
	}

	// Without a tray host the window opens all the same.
	ld := s.start("--demo")
	s.waitFor("the window", s.windowVisible)
	s.pressOnWindow("ctrl+q")
	ld.waitExit(0)

	// With one, the app starts in the tray until asked.
	host := s.startHost()
	ld = s.start("--demo")
	item := host.waitItem(ld)
	item.waitMenu("the first check", func(m trayMenu) bool { return m.hasPrefix("Prod US — ") })
	if s.windowVisible() {
		t.Error("the window opened although the user chose to start minimized")
	}
	item.click("Open Licensedesk")
	s.waitFor("the window to show", s.windowVisible)
	item.click("Quit")
	ld.waitExit(0)
}

// trayClaims is a healthy-looking license that ends after left.
func trayClaims(left time.Duration) grafanatest.Claims {
	c := grafanatest.DefaultClaims(time.Now())
	c.LicenseExpiry = time.Now().Add(left)
	c.TokenExpiry = time.Now().Add(20 * 24 * time.Hour)
	return c
}

// traySession is the desktop session the binary runs in.
type traySession struct {
	t   *testing.T
	bin string
	bus *dbus.Conn
	env []string // added to each run's environment
	cur *trayApp // the latest run, for diagnostics
}

func newTraySession(t *testing.T, bin string) *traySession {
	t.Helper()
	bus, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Close() })
	return &traySession{t: t, bin: bin, bus: bus}
}

func (s *traySession) waitFor(what string, cond func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(trayWait)
	for !cond() {
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s\n%s", what, s.diagnose())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// diagnose says what the display and the latest run look like.
func (s *traySession) diagnose() string {
	names, _ := exec.Command("xdotool", "search", "--name", ".", "getwindowname", "%@").CombinedOutput()
	visible, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", ".", "getwindowname", "%@").CombinedOutput()
	d := fmt.Sprintf("windows: %q; visible: %q", names, visible)
	if a := s.cur; a != nil {
		d += fmt.Sprintf("\nthe app (exited %v) wrote:\n%s", a.exited(), a.output())
	}
	return d
}

func (s *traySession) nameOwned(name string) bool {
	var owned bool
	err := s.bus.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned)
	return err == nil && owned
}

// trayApp is one run of the binary.
type trayApp struct {
	s    *traySession
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
	err  error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (s *traySession) start(args ...string) *trayApp {
	s.t.Helper()
	a := &trayApp{s: s, out: &lockedBuffer{}, done: make(chan struct{})}
	a.cmd = exec.Command(s.bin, args...)
	a.cmd.Env = append(append(os.Environ(), "LICENSEDESK_TEST_PASSWORD=admin"), s.env...)
	a.cmd.Stdout, a.cmd.Stderr = a.out, a.out
	if err := a.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	go func() { a.err = a.cmd.Wait(); close(a.done) }()
	s.cur = a
	s.t.Cleanup(func() {
		if !a.exited() {
			_ = a.cmd.Process.Kill()
			<-a.done
		}
	})
	return a
}

func (a *trayApp) exited() bool {
	select {
	case <-a.done:
		return true
	default:
		return false
	}
}

func (a *trayApp) output() string { return a.out.String() }

func (a *trayApp) waitExit(code int) {
	a.s.t.Helper()
	select {
	case <-a.done:
	case <-time.After(trayWait):
		a.s.t.Fatalf("the app did not quit; its output:\n%s", a.output())
	}
	if got := a.cmd.ProcessState.ExitCode(); got != code {
		a.s.t.Fatalf("the app exited %d, want %d; its output:\n%s", got, code, a.output())
	}
}

// windowVisible says whether the main window is mapped on the display.
func (s *traySession) windowVisible() bool {
	return exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Licensedesk").Run() == nil
}

// pressOnWindow types keys into the main window, as a user does.
func (s *traySession) pressOnWindow(keys string) {
	s.t.Helper()
	s.waitFor("the window", s.windowVisible)
	ids, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Licensedesk").Output()
	if err != nil {
		s.t.Fatal(err)
	}
	id := strings.Fields(string(ids))[0]
	for _, args := range [][]string{{"mousemove", "640", "400"}, {"windowfocus", "--sync", id}, {"key", keys}} {
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			s.t.Fatalf("xdotool %v: %v %s", args, err, out)
		}
	}
}

// trayHost plays the desktop's panel: a StatusNotifierWatcher that says a
// host is registered and records the items that register.
type trayHost struct {
	s     *traySession
	mu    sync.Mutex
	items []string // the unique bus names of registered items
}

const watcherIface = "org.kde.StatusNotifierWatcher"

// RegisterStatusNotifierItem is called by each tray item, with its object path.
func (h *trayHost) RegisterStatusNotifierItem(sender dbus.Sender, _ string) *dbus.Error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.items = append(h.items, string(sender))
	return nil
}

// RegisterStatusNotifierHost is called by hosts; the test is the only one.
func (h *trayHost) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

func (s *traySession) startHost() *trayHost {
	s.t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { conn.Close() })
	h := &trayHost{s: s}
	if err := conn.Export(h, "/StatusNotifierWatcher", watcherIface); err != nil {
		s.t.Fatal(err)
	}
	_, err = prop.Export(conn, "/StatusNotifierWatcher", prop.Map{watcherIface: {
		"IsStatusNotifierHostRegistered": {Value: true},
		"ProtocolVersion":                {Value: int32(0)},
		"RegisteredStatusNotifierItems":  {Value: []string{}},
	}})
	if err != nil {
		s.t.Fatal(err)
	}
	reply, err := conn.RequestName(watcherIface, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		s.t.Fatalf("cannot own %s: %v (reply %v)", watcherIface, err, reply)
	}
	return h
}

// waitItem waits for a's tray item to register with the host.
func (h *trayHost) waitItem(a *trayApp) *trayItem {
	h.s.t.Helper()
	var pidOwner string
	h.s.waitFor("the app's tray item to register", func() bool {
		if a.exited() {
			h.s.t.Fatalf("the app quit early:\n%s", a.output())
		}
		var pid uint32
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, name := range h.items {
			if h.s.bus.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, name).Store(&pid) == nil &&
				int(pid) == a.cmd.Process.Pid {
				pidOwner = name
				return true
			}
		}
		return false
	})
	return &trayItem{s: h.s, app: a, name: pidOwner}
}

// trayItem is the app's StatusNotifierItem, read as a panel reads it.
type trayItem struct {
	s    *traySession
	app  *trayApp
	name string
}

// trayMenu is one layout of the item's menu.
type trayMenu []trayMenuEntry

type trayMenuEntry struct {
	id    int32
	label string
}

func (m trayMenu) labels() (out []string) {
	for _, e := range m {
		out = append(out, e.label)
	}
	return out
}

func (m trayMenu) has(label string) bool { return slices.Contains(m.labels(), label) }

func (m trayMenu) hasPrefix(prefix string) bool {
	return slices.ContainsFunc(m.labels(), func(l string) bool { return strings.HasPrefix(l, prefix) })
}

// menu reads the menu through com.canonical.dbusmenu, as the panel does.
func (it *trayItem) menu() (trayMenu, error) {
	obj := it.s.bus.Object(it.name, "/StatusNotifierMenu")
	var rev uint32
	var root struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	if err := obj.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
		return nil, err
	}
	var m trayMenu
	for _, c := range root.Children {
		fields, ok := c.Value().([]any)
		if len(fields) < 2 || !ok {
			continue
		}
		id, _ := fields[0].(int32)
		props, _ := fields[1].(map[string]dbus.Variant)
		if t, ok := props["type"]; ok && t.Value() == "separator" {
			continue
		}
		label, _ := props["label"].Value().(string)
		m = append(m, trayMenuEntry{id: id, label: strings.ReplaceAll(label, "__", "_")})
	}
	return m, nil
}

func (it *trayItem) waitMenu(what string, cond func(trayMenu) bool) trayMenu {
	it.s.t.Helper()
	var last trayMenu
	deadline := time.Now().Add(trayWait)
	for {
		if m, err := it.menu(); err == nil {
			last = m
			if cond(m) {
				return m
			}
		}
		if time.Now().After(deadline) || it.app.exited() {
			it.s.t.Fatalf("the tray menu never showed %s; last %q; the app's output:\n%s", what, last.labels(), it.app.output())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// click picks a menu entry, as a user does in the panel.
func (it *trayItem) click(label string) {
	it.s.t.Helper()
	m := it.waitMenu(label, func(m trayMenu) bool { return m.has(label) })
	for _, e := range m {
		if e.label == label {
			err := it.s.bus.Object(it.name, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.Event", 0,
				e.id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err
			if err != nil {
				it.s.t.Fatalf("clicking %q: %v", label, err)
			}
			return
		}
	}
}

// icon names the asset the item shows: ok, warning, critical or unknown.
func (it *trayItem) icon() string {
	it.s.t.Helper()
	v, err := it.s.bus.Object(it.name, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.IconPixmap")
	if err != nil {
		it.s.t.Fatal(err)
	}
	var pixmaps []struct {
		W, H int32
		Pix  []byte
	}
	if err := dbus.Store([]any{v.Value()}, &pixmaps); err != nil || len(pixmaps) == 0 {
		it.s.t.Fatalf("unreadable IconPixmap %v: %v", v, err)
	}
	for name, png := range map[string][]byte{
		"ok": assets.TrayOK, "warning": assets.TrayWarning, "critical": assets.TrayCritical, "unknown": assets.TrayUnknown,
	} {
		if bytes.Equal(argb(it.s.t, png), pixmaps[0].Pix) {
			return name
		}
	}
	return "another icon"
}

// argb is a PNG's pixels as the StatusNotifierItem IconPixmap carries them.
func argb(t *testing.T, data []byte) []byte {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	out := make([]byte, 0, b.Dx()*b.Dy()*4)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			out = append(out, byte(a), byte(r), byte(g), byte(bl))
		}
	}
	return out
}

// notification is one Notify call seen on the bus.
type notification struct {
	title, body, app string
	urgency          byte
	timeout          int32
	actions          []string
}

func (n notification) mentions(s string) bool {
	return strings.Contains(n.title, s) || strings.Contains(n.body, s)
}

// notificationLog is every org.freedesktop.Notifications.Notify call on the bus.
type notificationLog struct {
	s    *traySession
	mu   sync.Mutex
	seen []notification
}

// watchNotifications starts dunst, a real notification daemon, and
// monitors the bus for the calls that reach it.
func (s *traySession) watchNotifications() *notificationLog {
	s.t.Helper()
	if !s.nameOwned("org.freedesktop.Notifications") {
		dunst := exec.Command("dunst")
		if err := dunst.Start(); err != nil {
			s.t.Fatalf("cannot start dunst (make deps installs it): %v", err)
		}
		s.t.Cleanup(func() { _ = dunst.Process.Kill(); _ = dunst.Wait() })
		s.waitFor("dunst to own org.freedesktop.Notifications", func() bool { return s.nameOwned("org.freedesktop.Notifications") })
	}
	mon, err := dbus.ConnectSessionBus()
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { mon.Close() })
	rule := "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"
	if err := mon.BusObject().Call("org.freedesktop.DBus.Monitoring.BecomeMonitor", 0, []string{rule}, uint32(0)).Err; err != nil {
		s.t.Fatalf("cannot monitor the bus: %v", err)
	}
	ch := make(chan *dbus.Message, 64)
	mon.Eavesdrop(ch)
	l := &notificationLog{s: s}
	go func() {
		for msg := range ch {
			if len(msg.Body) < 5 {
				continue
			}
			n := notification{}
			n.app, _ = msg.Body[0].(string)
			n.title, _ = msg.Body[3].(string)
			n.body, _ = msg.Body[4].(string)
			if len(msg.Body) >= 8 {
				n.actions, _ = msg.Body[5].([]string)
				if hints, ok := msg.Body[6].(map[string]dbus.Variant); ok {
					n.urgency, _ = hints["urgency"].Value().(byte)
				}
				n.timeout, _ = msg.Body[7].(int32)
			}
			l.mu.Lock()
			l.seen = append(l.seen, n)
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *notificationLog) count(match func(notification) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, x := range l.seen {
		if match(x) {
			n++
		}
	}
	return n
}

// last is the newest notification seen.
func (l *notificationLog) last() notification {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) == 0 {
		return notification{}
	}
	return l.seen[len(l.seen)-1]
}

func (l *notificationLog) titles() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, x := range l.seen {
		out = append(out, x.title)
	}
	return out
}

func (l *notificationLog) waitFor(what string, match func(notification) bool) {
	l.s.t.Helper()
	l.s.waitFor(what, func() bool { return l.count(match) > 0 })
}
