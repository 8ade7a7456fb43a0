package app

import (
	"errors"
	"fmt"

	"github.com/licensedesk/licensedesk/app/vault"
)

// KeepSecretForSession keeps an instance's secret in memory until the app
// quits, for when the keyring is unavailable; it is never written anywhere.
func (s *Service) KeepSecretForSession(id, secret string) error {
	inst, ok := s.Instance(id)
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	}
	if secret == "" {
		return errors.New("there is no secret to keep")
	}
	s.secrets.session.Set(vault.KeyFor(inst), secret)
	s.dropClient(id)
	s.publish(id)
	return nil
}

// layeredSecrets reads secrets kept for this session first, then the
// configured store (the keyring); it writes to the store.
type layeredSecrets struct {
	session *vault.Memory
	store   vault.Store
	adopt   bool // bind legacy secrets (see Config.AdoptLegacySecrets)
}

// Get prefers the session's secret, which exists only when the store failed.
func (l layeredSecrets) Get(k vault.Key) (string, error) {
	if v, err := l.session.Get(k); err == nil {
		return v, nil
	}
	v, err := l.store.Get(k)
	var legacy *vault.LegacySecretError
	if adopter, ok := l.store.(vault.Adopter); ok && l.adopt && errors.As(err, &legacy) {
		return adopter.Adopt(k)
	}
	return v, err
}

// Set writes to the store.
func (l layeredSecrets) Set(k vault.Key, secret string) error {
	if err := l.store.Set(k, secret); err != nil {
		return err
	}
	l.session.Delete(k) // the store holds the newer one now
	return nil
}

// Delete forgets the secret everywhere.
func (l layeredSecrets) Delete(k vault.Key) error {
	l.session.Delete(k)
	return l.store.Delete(k)
}

// Move rebinds the secret stored for from to to; with none stored, it does nothing.
func (l layeredSecrets) Move(from, to vault.Key) error {
	if v, err := l.session.Get(from); err == nil {
		l.session.Delete(from)
		l.session.Set(to, v)
	}
	v, err := l.Get(from)
	if errors.Is(err, vault.ErrNoSecret) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := l.store.Set(to, v); err != nil {
		return err
	}
	return l.store.Delete(from)
}

// overlaySecrets answers one key with a secret not yet stored.
type overlaySecrets struct {
	vault.Store
	key    vault.Key
	secret string
}

// Get answers the overlaid key with the unsaved secret.
func (o overlaySecrets) Get(k vault.Key) (string, error) {
	if k == o.key {
		return o.secret, nil
	}
	return o.Store.Get(k)
}
