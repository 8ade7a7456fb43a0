//go:build linux || freebsd || openbsd || netbsd

package watch

import (
	"slices"
	"sync"

	"github.com/godbus/dbus/v5"
)

// The freedesktop notification server on the session bus.
const (
	notifyName  = "org.freedesktop.Notifications"
	notifyPath  = "/org/freedesktop/Notifications"
	notifyIface = "org.freedesktop.Notifications"
)

// Desktop sends notifications to the desktop's notification server itself,
// since Fyne 2.7's SendNotification names the app by its id, sets no
// urgency, never expires them and offers no action: here they come from
// "Licensedesk" with its icon, critical ones with critical urgency (they
// stay until dismissed), the others with a timeout, and, where the server
// supports actions, clicking one opens the window on its instance.
type Desktop struct {
	conn    *dbus.Conn
	icon    string
	actions bool
	onOpen  func(instanceID string)

	mu   sync.Mutex
	sent map[uint32]string // notification id → instance id ("" for a summary)
}

// OpenDesktop connects to the notification server; an error means there is
// none (no session bus, no server), and the caller falls back to Fyne's.
// iconPNG is written once to the user's cache folder, as servers take an
// icon by its path. onOpen hears, from another goroutine, which instance's
// notification was clicked ("" for a summary).
func OpenDesktop(iconPNG []byte, onOpen func(instanceID string)) (*Desktop, error) {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return nil, err
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, err
	}
	var caps []string
	if err := conn.Object(notifyName, notifyPath).Call(notifyIface+".GetCapabilities", 0).Store(&caps); err != nil {
		conn.Close()
		return nil, err
	}
	d := &Desktop{conn: conn, icon: writeIcon(iconPNG), onOpen: onOpen, sent: map[uint32]string{}}
	d.actions = slices.Contains(caps, "actions") && onOpen != nil
	if d.actions {
		err := conn.AddMatchSignal(dbus.WithMatchObjectPath(notifyPath), dbus.WithMatchInterface(notifyIface))
		if err != nil {
			d.actions = false
		} else {
			ch := make(chan *dbus.Signal, 16)
			conn.Signal(ch)
			go d.listen(ch)
		}
	}
	return d, nil
}

// Send shows m; a critical one stays until dismissed.
func (d *Desktop) Send(m Message) error {
	hints := map[string]dbus.Variant{
		"urgency":       dbus.MakeVariant(Urgency(m.State)),
		"desktop-entry": dbus.MakeVariant(DesktopEntry),
	}
	var actions []string
	if d.actions {
		label := "Open Licensedesk"
		if m.InstanceID != "" {
			label = "Show"
		}
		actions = []string{"default", label}
	}
	timeout := int32(Timeout(m.State).Milliseconds())
	var id uint32
	err := d.conn.Object(notifyName, notifyPath).Call(notifyIface+".Notify", 0,
		AppName, uint32(0), d.icon, m.Title, m.Body, actions, hints, timeout).Store(&id)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.sent[id] = m.InstanceID
	d.mu.Unlock()
	return nil
}

// listen turns a click on one of ours into onOpen, and forgets closed ones.
func (d *Desktop) listen(ch <-chan *dbus.Signal) {
	for sig := range ch {
		if len(sig.Body) == 0 {
			continue
		}
		id, ok := sig.Body[0].(uint32)
		if !ok {
			continue
		}
		d.mu.Lock()
		inst, ours := d.sent[id]
		if sig.Name == notifyIface+".NotificationClosed" {
			delete(d.sent, id)
		}
		d.mu.Unlock()
		if ours && sig.Name == notifyIface+".ActionInvoked" {
			d.onOpen(inst)
		}
	}
}

// Close disconnects from the session bus.
func (d *Desktop) Close() { _ = d.conn.Close() }
