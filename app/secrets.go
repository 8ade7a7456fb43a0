package app

import "errors"

// ErrNoSecret means no secret is stored for the instance.
var ErrNoSecret = errors.New("no secret stored for this instance")

// ErrKeyringUnavailable means the OS keyring (Secret Service, Keychain,
// Credential Manager) cannot be reached.
var ErrKeyringUnavailable = errors.New("the system keyring is not available")

// Secrets stores one secret (password or token) per instance id.
type Secrets interface {
	Get(id string) (string, error)
	Set(id, secret string) error
	Delete(id string) error
}
