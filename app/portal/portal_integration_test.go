//go:build integration && (linux || freebsd || openbsd || netbsd)

package portal

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"

	"github.com/licensedesk/licensedesk/internal/dbustest"
)

// fakePortal is a desktop portal's file chooser on a private session bus:
// it answers each call as a user would, with pick ("" cancels), and keeps
// what it was asked.
type fakePortal struct {
	conn   *dbus.Conn
	mu     sync.Mutex // the bus calls the portal on its own goroutine
	pick   string
	method string
	title  string
	opts   map[string]dbus.Variant
}

func (p *fakePortal) answer(method string, sender dbus.Sender, title string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.method, p.title, p.opts = method, title, opts
	token, _ := opts["handle_token"].Value().(string)
	handle := dbus.ObjectPath(requestPrefix + strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_") + "/" + token)
	code, results := uint32(1), map[string]dbus.Variant{}
	if p.pick != "" {
		code, results["uris"] = 0, dbus.MakeVariant([]string{"file://" + p.pick})
	}
	go func() {
		time.Sleep(50 * time.Millisecond) // the user looks, then chooses
		_ = p.conn.Emit(handle, responseName, code, results)
	}()
	return handle, nil
}

// OpenFile is the portal's method.
func (p *fakePortal) OpenFile(sender dbus.Sender, parent, title string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	return p.answer("OpenFile", sender, title, opts)
}

// SaveFile is the portal's method.
func (p *fakePortal) SaveFile(sender dbus.Sender, parent, title string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	return p.answer("SaveFile", sender, title, opts)
}

// choose sets what the user will pick.
func (p *fakePortal) choose(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pick = path
}

// asked is what the portal was last asked.
func (p *fakePortal) asked() (method, title string, opts map[string]dbus.Variant) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.method, p.title, p.opts
}

func startFakePortal(t *testing.T) *fakePortal {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	p := &fakePortal{conn: conn}
	if err := conn.Export(p, desktopPath, chooserIface); err != nil {
		t.Fatal(err)
	}
	if _, err := prop.Export(conn, desktopPath, prop.Map{chooserIface: {"version": {Value: uint32(4)}}}); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(desktopName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("cannot own %s: %v", desktopName, err)
	}
	return p
}

func within(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestNoPortalMeansUnavailable(t *testing.T) {
	dbustest.PrivateSessionBus(t)
	if _, err := OpenFile(within(t), Request{Title: "Choose"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("with no portal on the bus: %v, want ErrUnavailable", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	if _, err := SaveFile(within(t), Request{Title: "Save"}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("with no session bus: %v, want ErrUnavailable", err)
	}
}

func TestThePortalChoosesTheFile(t *testing.T) {
	dbustest.PrivateSessionBus(t)
	p := startFakePortal(t)

	t.Run("open", func(t *testing.T) {
		const pick = "/home/ada/licenses/prod eu.jwt"
		p.choose(pick)
		got, err := OpenFile(within(t), Request{Title: "Upload license token", Folder: "/home/ada/licenses",
			FilterName: "License tokens", Extensions: []string{".jwt", ".txt"}})
		if err != nil || got != pick {
			t.Fatalf("OpenFile = %q, %v; want %q", got, err, pick)
		}
		method, title, opts := p.asked()
		if method != "OpenFile" || title != "Upload license token" {
			t.Errorf("the portal was asked %s %q", method, title)
		}
		if folder, _ := opts["current_folder"].Value().([]byte); string(folder) != "/home/ada/licenses\x00" {
			t.Errorf("the chooser starts in %q", folder)
		}
		if f := opts["filters"].String(); !strings.Contains(f, "*.jwt") || !strings.Contains(f, "*.JWT") || !strings.Contains(f, "License tokens") {
			t.Errorf("the filters offered are %s", f)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		p.choose("")
		got, err := OpenFile(within(t), Request{Title: "Choose"})
		if err != nil || got != "" {
			t.Errorf("a cancelled chooser gives %q, %v; want nothing", got, err)
		}
	})
	t.Run("save", func(t *testing.T) {
		const pick = "/home/ada/licensedesk-instances.json"
		p.choose(pick)
		got, err := SaveFile(within(t), Request{Title: "Export", Name: "licensedesk-instances.json"})
		if err != nil || got != pick {
			t.Fatalf("SaveFile = %q, %v", got, err)
		}
		_, _, opts := p.asked()
		if name, _ := opts["current_name"].Value().(string); name != "licensedesk-instances.json" {
			t.Errorf("the suggested name is %q", name)
		}
	})
}
