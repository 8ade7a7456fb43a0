package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name under which secrets sit in the OS
// keyring; the account (user) is the instance id, and the entry holds every
// secret saved for that id, each bound to its address and user (see bound).
const KeyringService = "licensedesk"

// defaultKeyringTimeout bounds one keyring call. It is generous because an
// unlock prompt may be waiting for the user to type the keyring's password.
const defaultKeyringTimeout = 2 * time.Minute

// Keyring keeps secrets in the OS keyring: the Secret Service (GNOME
// Keyring, KWallet) on Linux, the Keychain on macOS, the Credential Manager
// on Windows. Errors never contain a secret.
type Keyring struct {
	service string
	timeout time.Duration
	// mu serialises calls so that many parallel reads of a locked keyring
	// raise one unlock prompt, not one per instance.
	mu    sync.Mutex
	rmw   sync.Mutex  // orders bound's read-modify-writes of one entry
	stuck atomic.Bool // a call timed out and has not returned yet
}

// NewKeyring returns the OS keyring under the service "licensedesk".
func NewKeyring() *Keyring {
	return &Keyring{service: KeyringService, timeout: defaultKeyringTimeout}
}

func (k *Keyring) bound() bound { return bound{raw: k, mu: &k.rmw} }

// Get returns the secret stored for key, or an error wrapping ErrNoSecret
// (ElsewhereError when the id's secrets are for other addresses) or
// ErrKeyringUnavailable.
func (k *Keyring) Get(key Key) (string, error) { return k.bound().Get(key) }

// Set stores secret for key, replacing any earlier one for the same key.
func (k *Keyring) Set(key Key, secret string) error {
	err := k.bound().Set(key, secret)
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return fmt.Errorf("the secret of %q is too long for the system keyring", key.ID)
	}
	return err
}

// Delete removes key's secret, leaving the id's secrets for other addresses.
func (k *Keyring) Delete(key Key) error { return k.bound().Delete(key) }

// Adopt binds a secret stored by an earlier version under key's id alone to key.
func (k *Keyring) Adopt(key Key) (string, error) { return k.bound().Adopt(key) }

func (k *Keyring) getOne(id string) (string, bool, error) {
	var value string
	err := k.call(func() (err error) {
		value, err = keyring.Get(k.service, id)
		return err
	})
	if errors.Is(err, keyring.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, k.explain("read the secret of "+strconv.Quote(id)+" from", err, "")
	}
	return value, true, nil
}

func (k *Keyring) setOne(id, value string) error {
	err := k.call(func() error { return keyring.Set(k.service, id, value) })
	if err != nil && !errors.Is(err, keyring.ErrSetDataTooBig) {
		return k.explain("save the secret of "+strconv.Quote(id)+" in", err, value)
	}
	return err
}

func (k *Keyring) deleteOne(id string) error {
	err := k.call(func() error { return keyring.Delete(k.service, id) })
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return k.explain("remove the secret of "+strconv.Quote(id)+" from", err, "")
}

// errKeyringTimeout is the cause given when the keyring does not answer.
var errKeyringTimeout = errors.New("the keyring did not answer in time (an unlock prompt may be waiting)")

// call runs op unless no session bus exists at all.
func (k *Keyring) call(op func() error) error {
	if err := sessionBusMissing(); err != nil {
		return err
	}
	return k.run(op)
}

// run runs op with the keyring lock held and gives up after k.timeout: a
// keyring stuck on a prompt nobody can see must not hang the app. Until the
// stuck call returns, later calls fail at once instead of queueing behind it.
func (k *Keyring) run(op func() error) error {
	if k.stuck.Load() {
		return errKeyringTimeout
	}
	done := make(chan error, 1)
	go func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		done <- op()
	}()
	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		k.stuck.Store(true)
		go func() { <-done; k.stuck.Store(false) }()
		return errKeyringTimeout
	}
}

// errNoSessionBus is the cause given when there is no D-Bus session at all.
var errNoSessionBus = errors.New("no D-Bus session bus is running")

// sessionBusMissing fails fast where the Secret Service is used and no
// session bus can be found: the D-Bus library would otherwise try to
// autolaunch a bus daemon that outlives the app.
func sessionBusMissing() error {
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "android":
		return nil
	}
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return nil
	}
	run := "/run/user/" + strconv.Itoa(os.Getuid())
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(run + "/" + name); err == nil {
			return nil
		}
	}
	return errNoSessionBus
}

// explain wraps ErrKeyringUnavailable with what failed, why in plain words,
// and what to do. The cause is dropped if it somehow quotes the secret.
func (k *Keyring) explain(action string, cause error, value string) error {
	why := keyringReason(cause)
	detail := cause.Error()
	for _, secret := range secretsIn(value) {
		if strings.Contains(detail, secret) {
			detail = "details withheld"
		}
	}
	return fmt.Errorf("%w: could not %s it: %s (%s). %s",
		ErrKeyringUnavailable, action, why, detail, keyringAdvice())
}

// secretsIn lists every secret an entry's value holds, and the value itself.
func secretsIn(value string) []string {
	if value == "" {
		return nil
	}
	out := []string{value}
	var e boundEntry
	if json.Unmarshal([]byte(value), &e) == nil {
		for _, s := range e.Store {
			out = append(out, s.Secret)
		}
		out = append(out, e.Unbound)
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

// keyringReason turns the keyring library's and D-Bus's errors into words.
func keyringReason(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, errNoSessionBus):
		return "this session has no D-Bus session bus (a headless or SSH login?)"
	case errors.Is(err, errKeyringTimeout):
		return "it did not answer; unlock it if a prompt is waiting"
	case strings.Contains(msg, "ServiceUnknown") || strings.Contains(msg, "was not provided by any .service files"):
		return "no Secret Service (GNOME Keyring or KWallet) is running"
	case strings.Contains(msg, "IsLocked") || strings.Contains(msg, "failed to unlock") || strings.Contains(msg, "dismissed"):
		return "the default keyring is locked or missing and was not unlocked"
	case strings.Contains(msg, "NoSuchObject") || strings.Contains(msg, "Object does not exist"):
		return "the keyring has no default collection (create or unlock a \"login\" keyring)"
	case strings.Contains(msg, "dbus:") || strings.Contains(msg, "connect"):
		return "the D-Bus session bus could not be reached"
	}
	return "the system keyring refused the request"
}

// keyringAdvice says what the user can do instead, per platform.
func keyringAdvice() string {
	switch runtime.GOOS {
	case "darwin":
		return "Unlock the login Keychain, or keep the secret for this session only, " +
			"or name an environment variable in the instance's password_env or token_env."
	case "windows":
		return "Check that Windows Credential Manager is available, or keep the secret for this session only, " +
			"or name an environment variable in the instance's password_env or token_env."
	}
	return "Start and unlock GNOME Keyring or KWallet, or keep the secret for this session only, " +
		"or, for headless use, name an environment variable in the instance's password_env or token_env."
}
