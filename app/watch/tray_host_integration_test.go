//go:build integration && (linux || freebsd || openbsd || netbsd)

package watch

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"github.com/licensedesk/licensedesk/internal/dbustest"
)

// fakeWatcher owns org.kde.StatusNotifierWatcher on the session bus and
// says whether a host (a panel that draws tray icons) has registered.
func fakeWatcher(t *testing.T, hostRegistered bool) {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("no session bus (run through scripts/session.sh): %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	_, err = prop.Export(conn, sniWatcherPath, prop.Map{sniWatcherName: {
		"IsStatusNotifierHostRegistered": {Value: hostRegistered},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(sniWatcherName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("cannot own %s: %v (%v)", sniWatcherName, err, reply)
	}
}

func askTrayHost() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return TrayHostPresent(ctx)
}

func TestTrayHostPresentAsksTheSessionBus(t *testing.T) {
	dbustest.PrivateSessionBus(t)
	t.Run("no watcher: no tray", func(t *testing.T) {
		if askTrayHost() {
			t.Error("a tray is reported with no StatusNotifierWatcher on the bus")
		}
	})
	t.Run("a watcher without a host: no tray", func(t *testing.T) {
		fakeWatcher(t, false)
		if askTrayHost() {
			t.Error("a tray is reported though no host registered with the watcher")
		}
	})
	t.Run("a watcher with a host: a tray", func(t *testing.T) {
		fakeWatcher(t, true)
		if !askTrayHost() {
			t.Error("the registered host is not seen")
		}
	})
	t.Run("no session bus: no tray, and none is started", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
		if askTrayHost() {
			t.Error("a tray is reported without a session bus")
		}
	})
}
