//go:build linux || freebsd || openbsd || netbsd

package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// The portal's names on the session bus.
const (
	desktopName   = "org.freedesktop.portal.Desktop"
	desktopPath   = dbus.ObjectPath("/org/freedesktop/portal/desktop")
	chooserIface  = "org.freedesktop.portal.FileChooser"
	requestIface  = "org.freedesktop.portal.Request"
	responseName  = requestIface + ".Response"
	requestPrefix = "/org/freedesktop/portal/desktop/request/"
)

// probeTimeout bounds the question "is there a file chooser portal?"; the
// chooser itself stays open as long as the user needs.
const probeTimeout = 3 * time.Second

// OpenFile asks the user for a file to open and returns its path; "" when
// the user cancelled. It blocks until the user chooses, so it runs off the
// UI goroutine; ErrUnavailable means there is no portal to ask.
func OpenFile(ctx context.Context, r Request) (string, error) {
	opts := options(r)
	opts["multiple"] = dbus.MakeVariant(false)
	return ask(ctx, "OpenFile", r, opts)
}

// SaveFile asks the user where to save and returns that path; "" when the
// user cancelled.
func SaveFile(ctx context.Context, r Request) (string, error) {
	opts := options(r)
	if r.Name != "" {
		opts["current_name"] = dbus.MakeVariant(r.Name)
	}
	return ask(ctx, "SaveFile", r, opts)
}

// filter is a portal filter: a name and (kind, pattern) pairs, kind 0 a glob.
type filter struct {
	Name     string
	Patterns []pattern
}

type pattern struct {
	Kind uint32
	Glob string
}

func options(r Request) map[string]dbus.Variant {
	opts := map[string]dbus.Variant{"modal": dbus.MakeVariant(true)}
	if r.Accept != "" {
		opts["accept_label"] = dbus.MakeVariant(r.Accept)
	}
	if r.Folder != "" {
		opts["current_folder"] = dbus.MakeVariant(append([]byte(r.Folder), 0))
	}
	if len(r.Extensions) > 0 {
		f := filter{Name: r.FilterName}
		for _, g := range globs(r.Extensions) {
			f.Patterns = append(f.Patterns, pattern{Glob: g})
		}
		all := filter{Name: "All files", Patterns: []pattern{{Glob: "*"}}}
		opts["filters"] = dbus.MakeVariant([]filter{f, all})
		opts["current_filter"] = dbus.MakeVariant(f)
	}
	return opts
}

// ask calls method on the portal and waits for its Response on the request
// object the call names. A private connection carries it, so no other
// signal on the app's shared bus connection can be taken for the answer.
func ask(ctx context.Context, method string, r Request, opts map[string]dbus.Variant) (string, error) {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return "", ErrUnavailable
	}
	defer conn.Close()
	if conn.Auth(nil) != nil || conn.Hello() != nil {
		return "", ErrUnavailable
	}
	if !hasChooser(ctx, conn) {
		return "", ErrUnavailable
	}

	token, err := randomToken()
	if err != nil {
		return "", err
	}
	opts["handle_token"] = dbus.MakeVariant(token)
	// The portal answers on a path made of our bus name and the token;
	// listen there before asking, so a quick answer is not missed.
	sender := strings.ReplaceAll(strings.TrimPrefix(conn.Names()[0], ":"), ".", "_")
	want := dbus.ObjectPath(requestPrefix + sender + "/" + token)
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	match := []dbus.MatchOption{dbus.WithMatchInterface(requestIface), dbus.WithMatchMember("Response")}
	if err := conn.AddMatchSignal(match...); err != nil {
		return "", fmt.Errorf("cannot listen to the file chooser: %w", err)
	}

	var handle dbus.ObjectPath
	err = conn.Object(desktopName, desktopPath).CallWithContext(ctx, chooserIface+"."+method, 0,
		r.Parent, r.Title, opts).Store(&handle)
	if err != nil {
		return "", fmt.Errorf("the file chooser did not open: %w", err)
	}
	for {
		select {
		case <-ctx.Done():
			_ = conn.Object(desktopName, handle).Call(requestIface+".Close", dbus.FlagNoReplyExpected).Err
			return "", ctx.Err()
		case s, ok := <-signals:
			if !ok {
				return "", errors.New("the file chooser went away")
			}
			if s.Name != responseName || (s.Path != handle && s.Path != want) {
				continue
			}
			return answer(s.Body)
		}
	}
}

// answer reads a Response: (code, results); code 0 chose, 1 cancelled.
func answer(body []any) (string, error) {
	if len(body) != 2 {
		return "", errors.New("the file chooser gave an answer Licensedesk cannot read")
	}
	code, _ := body[0].(uint32)
	switch code {
	case 0:
	case 1:
		return "", nil
	default:
		return "", errors.New("the file chooser closed without a file")
	}
	results, _ := body[1].(map[string]dbus.Variant)
	uris, _ := results["uris"].Value().([]string)
	if len(uris) == 0 {
		return "", nil
	}
	return pathOf(uris[0])
}

// hasChooser says whether a portal with a FileChooser answers; asking
// starts the portal if the bus can (it is usually started on demand).
func hasChooser(ctx context.Context, conn *dbus.Conn) bool {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var v dbus.Variant
	err := conn.Object(desktopName, desktopPath).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		chooserIface, "version").Store(&v)
	return err == nil
}

func randomToken() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "licensedesk_" + hex.EncodeToString(b), nil
}
