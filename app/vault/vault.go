// Package vault keeps instance secrets (passwords, tokens), each bound to
// what it was given for (the instance id, the URL's origin and the user):
// in the OS keyring, in memory for a session, or read from LICENSEDESK_
// environment variables. It never hands a secret to another address.
package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/licensedesk/licensedesk/app/config"
)

// ErrNoSecret means no secret is stored for the instance.
var ErrNoSecret = errors.New("no secret stored for this instance")

// ErrKeyringUnavailable means the OS keyring (Secret Service, Keychain,
// Credential Manager) cannot be reached.
var ErrKeyringUnavailable = errors.New("the system keyring is not available")

// Key is what one stored secret was given for: an instance id, the
// origin (scheme://host:port) of the instance's URL and, for basic auth, the
// username. A secret is only ever handed out for the same three, so an
// instance file from elsewhere (another --config, a team's list, an import)
// that reuses an id can never send it to another address.
type Key struct {
	ID       string
	Origin   string
	Username string
}

// KeyFor is the key of inst's secret as its settings stand.
func KeyFor(inst config.Instance) Key {
	k := Key{ID: inst.ID, Origin: config.Origin(inst.URL)}
	if inst.Auth != config.AuthBearer {
		k.Username = inst.Username
	}
	return k
}

// Address words the key's origin and user for people: the default port is
// left out, as users write URLs.
func (k Key) Address() string {
	addr := k.Origin
	for _, def := range []string{"https://:443", "http://:80"} {
		scheme, port, _ := strings.Cut(def, "//")
		if strings.HasPrefix(addr, scheme+"//") && strings.HasSuffix(addr, port) {
			addr = strings.TrimSuffix(addr, port)
		}
	}
	if k.Username != "" {
		addr += " as " + strconv.Quote(k.Username)
	}
	return addr
}

// ElsewhereError means secrets are stored for the instance's id, but only
// for other addresses or users: the one asked for is never handed out.
type ElsewhereError struct {
	Key    Key
	Stored []Key
}

func (e *ElsewhereError) Error() string {
	addrs := make([]string, len(e.Stored))
	for i, k := range e.Stored {
		addrs[i] = k.Address()
	}
	return fmt.Sprintf("the keyring's secret for %q was saved for %s, not for %s; "+
		"Licensedesk never sends a secret to an address other than the one it was saved for",
		e.Key.ID, strings.Join(addrs, " and "), e.Key.Address())
}

// Unwrap makes errors.Is(err, ErrNoSecret) hold: nothing usable is stored.
func (e *ElsewhereError) Unwrap() error { return ErrNoSecret }

// LegacySecretError means an earlier Licensedesk stored the id's secret
// without the address it was for. Only the user's own instance list adopts
// it (Service's AdoptLegacySecrets); any other list is refused it.
type LegacySecretError struct{ Key Key }

func (e *LegacySecretError) Error() string {
	return fmt.Sprintf("the keyring's secret for %q was saved by an earlier Licensedesk without the address it was for, "+
		"so only your own instance list may use it", e.Key.ID)
}

// Unwrap makes errors.Is(err, ErrNoSecret) hold: nothing usable is stored.
func (e *LegacySecretError) Unwrap() error { return ErrNoSecret }

// Store keeps secrets (passwords, tokens) bound to what they were given
// for. Get returns ErrNoSecret (or an error wrapping it: ElsewhereError,
// LegacySecretError) when none is stored for exactly k; Delete removes only
// k's secret, and deleting a missing one is not an error.
type Store interface {
	Get(k Key) (string, error)
	Set(k Key, secret string) error
	Delete(k Key) error
}

// Adopter is a Store that can bind a secret stored by an earlier
// version (under the id alone) to k.
type Adopter interface {
	Adopt(k Key) (string, error)
}

// rawEntries is a backend holding one opaque value per instance id: the OS
// keyring, or memory. bound stores a boundEntry there.
type rawEntries interface {
	getRaw(id string) (value string, found bool, err error)
	setRaw(id, value string) error
	deleteRaw(id string) error
}

// entryVersion marks an entry holding bound secrets; any other value under
// an id is a legacy secret from before secrets were bound.
const entryVersion = 2

// boundEntry is what sits under one id: every secret saved for it, each
// with the origin and user it was saved for.
type boundEntry struct {
	Version int           `json:"licensedesk_secrets"`
	Store   []boundSecret `json:"secrets"`
	// Unbound is a legacy secret not adopted yet, kept until it is.
	Unbound string `json:"unbound,omitempty"`
}

type boundSecret struct {
	Origin   string `json:"origin"`
	Username string `json:"username,omitempty"`
	Secret   string `json:"secret"`
}

func (e *boundEntry) find(k Key) int {
	for i, s := range e.Store {
		if s.Origin == k.Origin && s.Username == k.Username {
			return i
		}
	}
	return -1
}

// bound implements Store over rawEntries; mu orders its read-modify-writes.
type bound struct {
	raw rawEntries
	mu  *sync.Mutex
}

// load reads the id's entry; a value that is not one is a legacy secret.
func (v bound) load(id string) (boundEntry, bool, error) {
	raw, found, err := v.raw.getRaw(id)
	if err != nil || !found {
		return boundEntry{}, found, err
	}
	var e boundEntry
	if strings.HasPrefix(raw, "{") && json.Unmarshal([]byte(raw), &e) == nil && e.Version == entryVersion {
		return e, true, nil
	}
	return boundEntry{Version: entryVersion, Unbound: raw}, true, nil
}

func (v bound) save(id string, e boundEntry) error {
	if len(e.Store) == 0 && e.Unbound == "" {
		return v.raw.deleteRaw(id)
	}
	e.Version = entryVersion
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return v.raw.setRaw(id, string(data))
}

func (v bound) Get(k Key) (string, error) {
	e, found, err := v.load(k.ID)
	switch {
	case err != nil:
		return "", err
	case !found:
		return "", ErrNoSecret
	}
	if i := e.find(k); i >= 0 {
		return e.Store[i].Secret, nil
	}
	if e.Unbound != "" {
		return "", &LegacySecretError{Key: k}
	}
	if len(e.Store) == 0 {
		return "", ErrNoSecret
	}
	stored := make([]Key, len(e.Store))
	for i, s := range e.Store {
		stored[i] = Key{ID: k.ID, Origin: s.Origin, Username: s.Username}
	}
	return "", &ElsewhereError{Key: k, Stored: stored}
}

func (v bound) Set(k Key, secret string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, _, err := v.load(k.ID)
	if err != nil {
		return err
	}
	if i := e.find(k); i >= 0 {
		e.Store[i].Secret = secret
	} else {
		e.Store = append(e.Store, boundSecret{Origin: k.Origin, Username: k.Username, Secret: secret})
	}
	return v.save(k.ID, e)
}

func (v bound) Delete(k Key) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, found, err := v.load(k.ID)
	if err != nil || !found {
		return err
	}
	i := e.find(k)
	if i < 0 {
		return nil // another address's secret is not ours to delete
	}
	e.Store = append(e.Store[:i], e.Store[i+1:]...)
	return v.save(k.ID, e)
}

// Adopt binds a legacy secret stored under k's id alone to k.
func (v bound) Adopt(k Key) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, found, err := v.load(k.ID)
	switch {
	case err != nil:
		return "", err
	case !found || e.Unbound == "":
		return "", ErrNoSecret
	}
	secret := e.Unbound
	e.Unbound = ""
	if i := e.find(k); i < 0 {
		e.Store = append(e.Store, boundSecret{Origin: k.Origin, Username: k.Username, Secret: secret})
	} else {
		secret = e.Store[i].Secret // a secret entered since is newer
	}
	return secret, v.save(k.ID, e)
}

// Memory keeps secrets in memory for this session only: demo mode,
// and the "keep for this session only" choice when the keyring is missing.
// It is safe for concurrent use. The zero value is ready to use.
type Memory struct {
	mu  sync.Mutex // guards m
	rmw sync.Mutex // orders bound's read-modify-writes
	m   map[string]string
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{} }

func (s *Memory) bound() bound { return bound{raw: s, mu: &s.rmw} }

// Get returns the secret kept for k, or an error wrapping ErrNoSecret.
func (s *Memory) Get(k Key) (string, error) { return s.bound().Get(k) }

// Set keeps secret for k, replacing any earlier one.
func (s *Memory) Set(k Key, secret string) error { return s.bound().Set(k, secret) }

// Delete forgets the secret for k; forgetting one never kept is not an error.
func (s *Memory) Delete(k Key) error { return s.bound().Delete(k) }

// Adopt binds a legacy secret kept under k's id alone to k.
func (s *Memory) Adopt(k Key) (string, error) { return s.bound().Adopt(k) }

func (s *Memory) getRaw(id string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[id]
	return v, ok, nil
}

func (s *Memory) setRaw(id, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]string)
	}
	s.m[id] = value
	return nil
}

func (s *Memory) deleteRaw(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
