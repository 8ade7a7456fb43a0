package vault

import "errors"

// Layered reads secrets kept for this session first, then the configured
// store (the keyring); it writes to the store. With Adopt, a legacy secret
// (stored under the id alone) is bound to the key that asks for it: only
// the user's own instance list sets it.
type Layered struct {
	Session *Memory
	Store   Store
	Adopt   bool
}

// Get prefers the session's secret, which exists only when the store failed.
func (l Layered) Get(k Key) (string, error) {
	if v, err := l.Session.Get(k); err == nil {
		return v, nil
	}
	v, err := l.Store.Get(k)
	var legacy *LegacySecretError
	if adopter, ok := l.Store.(Adopter); ok && l.Adopt && errors.As(err, &legacy) {
		return adopter.Adopt(k)
	}
	return v, err
}

// Set writes to the store.
func (l Layered) Set(k Key, secret string) error {
	if err := l.Store.Set(k, secret); err != nil {
		return err
	}
	l.Session.Delete(k) // the store holds the newer one now
	return nil
}

// Delete forgets the secret everywhere.
func (l Layered) Delete(k Key) error {
	l.Session.Delete(k)
	return l.Store.Delete(k)
}

// Move rebinds the secret stored for from to to; with none stored, it does nothing.
func (l Layered) Move(from, to Key) error {
	if v, err := l.Session.Get(from); err == nil {
		l.Session.Delete(from)
		l.Session.Set(to, v)
	}
	v, err := l.Get(from)
	if errors.Is(err, ErrNoSecret) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := l.Store.Set(to, v); err != nil {
		return err
	}
	return l.Store.Delete(from)
}

// Overlay answers one key with a secret not yet stored (a connection test
// of an unsaved instance), and every other from Store.
type Overlay struct {
	Store
	Key    Key
	Secret string
}

// Get answers the overlaid key with the unsaved secret.
func (o Overlay) Get(k Key) (string, error) {
	if k == o.Key {
		return o.Secret, nil
	}
	return o.Store.Get(k)
}
