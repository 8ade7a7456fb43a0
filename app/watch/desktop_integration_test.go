//go:build integration && (linux || freebsd || openbsd || netbsd)

package watch

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/dbustest"
)

// notifyCall is one Notify call as a notification server receives it.
type notifyCall struct {
	app, icon, title, body string
	actions                []string
	hints                  map[string]dbus.Variant
	timeout                int32
}

// fakeServer owns org.freedesktop.Notifications on a private session bus,
// records every Notify and can play a click on a notification.
type fakeServer struct {
	conn  *dbus.Conn
	caps  []string
	mu    sync.Mutex
	calls []notifyCall
}

func (f *fakeServer) GetCapabilities() ([]string, *dbus.Error) { return f.caps, nil }

func (f *fakeServer) Notify(app string, replaces uint32, icon, title, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, notifyCall{app, icon, title, body, actions, hints, timeout})
	return uint32(len(f.calls)), nil
}

func (f *fakeServer) click(id uint32) error {
	return f.conn.Emit(notifyPath, notifyIface+".ActionInvoked", id, "default")
}

func startFakeServer(t *testing.T, caps ...string) *fakeServer {
	t.Helper()
	dbustest.PrivateSessionBus(t)
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakeServer{conn: conn, caps: caps}
	if err := conn.Export(f, notifyPath, notifyIface); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(notifyName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("cannot own %s: %v (%v)", notifyName, err, reply)
	}
	return f
}

func TestDesktopNotificationsComeFromLicensedeskWithUrgencyAndAClick(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	f := startFakeServer(t, "body", "actions")
	opened := make(chan string, 1)
	d, err := OpenDesktop([]byte("\x89PNG icon"), func(id string) { opened <- id })
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	if err := d.Send(Message{Title: "Legacy DC: license expired 3 days ago", Body: "…", State: client.StateCritical, InstanceID: "legacy"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Send(Message{Title: "Prod US: license expires in 12 days", State: client.StateWarning, InstanceID: "prod-us"}); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	calls := append([]notifyCall(nil), f.calls...)
	f.mu.Unlock()
	if len(calls) != 2 {
		t.Fatalf("%d Notify calls, want 2", len(calls))
	}
	crit, warn := calls[0], calls[1]
	if crit.app != "Licensedesk" || warn.app != "Licensedesk" {
		t.Errorf("sent as %q and %q, want Licensedesk", crit.app, warn.app)
	}
	if data, err := os.ReadFile(crit.icon); err != nil || string(data) != "\x89PNG icon" {
		t.Errorf("the icon %q does not hold the app icon (%v)", crit.icon, err)
	}
	if u := crit.hints["urgency"].Value(); u != UrgencyCritical || crit.timeout != 0 {
		t.Errorf("critical: urgency %v, timeout %d; want critical and staying until dismissed", u, crit.timeout)
	}
	if u := warn.hints["urgency"].Value(); u != UrgencyNormal || warn.timeout <= 0 {
		t.Errorf("warning: urgency %v, timeout %d; want normal with a timeout", u, warn.timeout)
	}
	if len(crit.actions) != 2 || crit.actions[0] != "default" {
		t.Errorf("actions %q, want a default action", crit.actions)
	}

	// Clicking the critical one opens the window on its instance.
	if err := f.click(1); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-opened:
		if id != "legacy" {
			t.Errorf("the click opened %q, want legacy", id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the click did not open the window")
	}
}

// A server without actions gets none offered.
func TestDesktopOffersNoActionWhereTheServerHasNone(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	f := startFakeServer(t, "body")
	d, err := OpenDesktop(nil, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Send(Message{Title: "x", State: client.StateWarning}); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	calls := append([]notifyCall(nil), f.calls...)
	f.mu.Unlock()
	if len(calls) != 1 {
		t.Fatalf("%d Notify calls, want 1", len(calls))
	}
	if c := calls[0]; len(c.actions) != 0 {
		t.Errorf("actions %q offered to a server without them", c.actions)
	}
}
