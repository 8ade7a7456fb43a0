package launch

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// One window per instance list: a second launch on the same instances.json
// asks the running window to come forward and ends, instead of starting a
// second tray icon and a second monitor over the same instances. The
// window holds a file lock beside the store (held until it quits, released
// by the system if it crashes) and listens on a local socket, which works
// on Linux, macOS and Windows 10 and later; where the socket cannot be
// made, a second launch is still stopped by the lock and says so.

// handoffWait bounds a second launch's wait for the running window's answer.
const handoffWait = 3 * time.Second

// showRequest is what a second launch sends; the window answers showAck.
const (
	showRequest = "show"
	showAck     = "ok"
)

// RunningError is a second launch on an instance list another Licensedesk
// window already shows.
type RunningError struct {
	// Shown says the running window was asked to come forward and agreed.
	Shown bool
	Err   error // why it could not be asked, when Shown is false
}

func (e *RunningError) Error() string {
	if e.Shown {
		return "Licensedesk is already running on this instance list; its window was brought forward"
	}
	return fmt.Sprintf("Licensedesk is already running on this instance list, but its window could not be asked to come forward (%v): "+
		"open it from the tray, or quit it first", e.Err)
}

// WindowLock is held by the one window of an instance list.
type WindowLock struct {
	lock  *flock.Flock
	ln    net.Listener
	sock  string
	raise chan struct{}
}

// ClaimWindow takes the window lock of the instance list at storePath. When
// another window holds it, that window is asked to come forward and the
// error is a *RunningError. A lock that cannot be taken for another reason
// (a read-only folder) returns (nil, nil): the window runs without the
// guard rather than not at all.
func ClaimWindow(storePath string) (*WindowLock, error) {
	if err := os.MkdirAll(filepath.Dir(storePath), 0o700); err != nil {
		return nil, nil
	}
	fl := flock.New(storePath + ".window.lock")
	got, err := fl.TryLock()
	if err != nil {
		return nil, nil
	}
	sock := socketPath(storePath)
	if !got {
		err := askToShow(sock)
		return nil, &RunningError{Shown: err == nil, Err: err}
	}
	w := &WindowLock{lock: fl, sock: sock, raise: make(chan struct{}, 1)}
	_ = os.Remove(sock) // a crashed window's; the lock says none runs now
	if ln, err := net.Listen("unix", sock); err == nil {
		_ = os.Chmod(sock, 0o600)
		w.ln = ln
		go w.serve()
	}
	return w, nil
}

// Raised delivers a value each time a second launch asks this window to
// come forward; nil (never ready) on a nil lock.
func (w *WindowLock) Raised() <-chan struct{} {
	if w == nil {
		return nil
	}
	return w.raise
}

// Release gives the instance list up, when the window quits.
func (w *WindowLock) Release() {
	if w == nil {
		return
	}
	if w.ln != nil {
		_ = w.ln.Close()
		_ = os.Remove(w.sock)
	}
	_ = w.lock.Unlock()
}

func (w *WindowLock) serve() {
	for {
		conn, err := w.ln.Accept()
		if err != nil {
			return // closed by Release
		}
		go func() {
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(handoffWait))
			line, _ := bufio.NewReader(conn).ReadString('\n')
			if strings.TrimSpace(line) != showRequest {
				return
			}
			select {
			case w.raise <- struct{}{}:
			default: // one is pending already
			}
			_, _ = conn.Write([]byte(showAck + "\n"))
		}()
	}
}

// askToShow asks the window listening on sock to come forward.
func askToShow(sock string) error {
	allowForeground()
	conn, err := net.DialTimeout("unix", sock, handoffWait)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(handoffWait))
	if _, err := conn.Write([]byte(showRequest + "\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != showAck {
		return errors.New("the window gave no answer")
	}
	return nil
}

// socketPath is a short path for the window's socket (Unix sockets allow
// about 100 bytes): in the user's runtime folder, named by a hash of the
// store's absolute path, so each instance list has its own.
func socketPath(storePath string) string {
	abs, err := filepath.Abs(storePath)
	if err != nil {
		abs = storePath
	}
	sum := sha256.Sum256([]byte(abs))
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "licensedesk-"+hex.EncodeToString(sum[:6])+".sock")
}
