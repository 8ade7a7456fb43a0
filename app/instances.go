package app

import (
	"errors"
	"fmt"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
)

// AddInstance validates and saves a new instance with its secret, all or
// nothing: when the secret cannot be stored (no keyring) the instance is not
// saved either, and the error says how to go on. An empty id gets one made
// from the name. An empty secret stores none.
func (s *Service) AddInstance(inst Instance, secret string) error {
	return s.addInstance(inst, secret, false)
}

// AddInstanceForSession saves a new instance and keeps its secret in memory
// until the app quits, for when the keyring is unavailable; the secret is
// never written anywhere.
func (s *Service) AddInstanceForSession(inst Instance, secret string) error {
	return s.addInstance(inst, secret, true)
}

func (s *Service) addInstance(inst Instance, secret string, sessionOnly bool) error {
	autoID := inst.ID == ""
	if autoID {
		inst.ID = config.NewID(inst.Name, s.Instances())
	}
	if err := inst.Validate(); err != nil {
		return err
	}
	var stored *vault.Key // the secret written before the instance, to undo
	err := s.update(func(list []Instance) ([]Instance, error) {
		if autoID {
			// Another process may have taken the id since: pick again from the saved list.
			inst.ID = config.NewID(inst.Name, list)
		}
		for _, other := range list {
			if other.ID == inst.ID {
				return nil, fmt.Errorf("an instance with the id %q already exists", inst.ID)
			}
		}
		if secret != "" && !sessionOnly && stored == nil {
			k := vault.KeyFor(inst)
			if err := s.secrets.Set(k, secret); err != nil {
				return nil, fmt.Errorf("%q was not added, because its secret could not be stored: %w", inst.ID, err)
			}
			stored = &k
		}
		return append(list, inst), nil
	})
	if err != nil {
		if stored != nil {
			_ = s.secrets.Delete(*stored) // nothing was added: take the secret back too
		}
		return err
	}
	if secret != "" && sessionOnly {
		s.secrets.Session.Set(vault.KeyFor(inst), secret)
	}
	s.publish(inst.ID)
	return nil
}

// UpdateInstance saves an edited instance; a nil secret keeps the stored one,
// an empty one removes it. When the edit changes the address or user the
// secret was saved for, the stored secret moves with it: the user chose the
// new address in their own list.
func (s *Service) UpdateInstance(inst Instance, secret *string) error {
	if err := inst.Validate(); err != nil {
		return err
	}
	var before Instance
	err := s.update(func(list []Instance) ([]Instance, error) {
		for i, other := range list {
			if other.ID == inst.ID {
				before = other
				out := append([]Instance(nil), list...)
				out[i] = inst
				return out, nil
			}
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownInstance, inst.ID)
	})
	if err != nil {
		return err
	}
	oldKey, newKey := vault.KeyFor(before), vault.KeyFor(inst)
	switch {
	case secret != nil && *secret == "":
		err = errors.Join(s.secrets.Delete(oldKey), s.secrets.Delete(newKey))
	case secret != nil:
		err = s.secrets.Set(newKey, *secret)
		if err == nil && oldKey != newKey {
			err = s.secrets.Delete(oldKey)
		}
	case oldKey != newKey:
		err = s.secrets.Move(oldKey, newKey)
	}
	if err != nil {
		err = fmt.Errorf("the instance was saved but its secret was not: %w", err)
	}
	s.dropClient(inst.ID) // the secret may have changed: sign in afresh
	s.publish(inst.ID)
	return err
}

// SetSecret stores or replaces the secret of an existing instance, bound to
// its address and user as they stand.
func (s *Service) SetSecret(id, secret string) error {
	inst, ok := s.Instance(id)
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	}
	if secret == "" {
		return errors.New("there is no secret to store")
	}
	if err := s.secrets.Set(vault.KeyFor(inst), secret); err != nil {
		return err
	}
	s.dropClient(id)
	s.publish(id)
	return nil
}

// RemoveInstance deletes an instance and its secret; secrets the keyring
// holds for the same id at other addresses (another instance list's) stay.
func (s *Service) RemoveInstance(id string) error {
	var removed Instance
	err := s.update(func(list []Instance) ([]Instance, error) {
		for i, other := range list {
			if other.ID == id {
				removed = other
				out := append([]Instance(nil), list[:i]...)
				return append(out, list[i+1:]...), nil
			}
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.dropRecordLocked(id)
	s.mu.Unlock()
	s.dropClient(id)
	err = s.secrets.Delete(vault.KeyFor(removed))
	if errors.Is(err, vault.ErrNoSecret) {
		err = nil
	}
	if err != nil {
		err = fmt.Errorf("the instance was removed but its secret could not be deleted from the keyring: %w", err)
	}
	s.notifyMu.Lock()
	s.send(Status{Instance: removed, Removed: true})
	s.notifyMu.Unlock()
	return err
}
