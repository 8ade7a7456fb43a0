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
	s.secrets.Session.Set(vault.KeyFor(inst), secret)
	s.dropClient(id)
	s.publish(id)
	return nil
}
