//go:build linux || freebsd || openbsd || netbsd

package watch

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// The StatusNotifierItem host protocol: a tray shows items only when a
// watcher owns this name and a host (the panel) has registered with it.
const (
	sniWatcherName = "org.kde.StatusNotifierWatcher"
	sniWatcherPath = "/StatusNotifierWatcher"
)

// TrayHostPresent says whether the desktop shows tray icons. On Linux and
// the BSDs that is whether a StatusNotifierWatcher on the session bus has a
// host registered: Fyne registers its tray item even when none is there, and
// many desktops have none, so hiding the window to a tray that nobody draws
// would lose it. Any doubt (no session bus, no answer before ctx ends, a
// watcher that does not say) counts as no tray.
func TrayHostPresent(ctx context.Context) bool {
	// NoAutoStartup: asking must never launch a D-Bus daemon.
	conn, err := dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(ctx))
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false
	}
	if err := conn.Hello(); err != nil {
		return false
	}
	var owned bool
	// NameHasOwner, unlike a call to the watcher, activates nothing.
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, sniWatcherName).Store(&owned); err != nil || !owned {
		return false
	}
	var v dbus.Variant
	err = conn.Object(sniWatcherName, sniWatcherPath).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		sniWatcherName, "IsStatusNotifierHostRegistered").Store(&v)
	if err != nil {
		return false
	}
	registered, _ := v.Value().(bool)
	return registered
}
