package app

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
)

// ReadImport reads and checks an exported list; it writes nothing. If any
// entry is invalid the whole list is refused.
func (s *Service) ReadImport(r io.Reader) (*ImportPlan, error) {
	list, err := config.ReadList(r)
	if err != nil {
		return nil, err
	}
	return config.PlanList(list, s.Instances()), nil
}

// ApplyImport adds a plan's instances and stores the secrets it carries,
// all or nothing: when an id was taken since the plan was read, or a secret
// cannot be stored (no keyring), nothing is added and no secret is kept.
// It returns how many instances were added.
func (s *Service) ApplyImport(plan *ImportPlan) (int, error) {
	var stored []vault.Key // written before the list, to undo
	err := s.update(func(list []Instance) ([]Instance, error) {
		out, err := plan.Merge(list)
		if err != nil {
			return nil, err
		}
		for _, inst := range plan.Add {
			secret := plan.Secrets[inst.ID]
			if secret == "" {
				continue
			}
			k := vault.KeyFor(inst)
			if err := s.secrets.Set(k, secret); err != nil {
				return nil, fmt.Errorf("the secret of %q could not be stored: %w", inst.ID, err)
			}
			stored = append(stored, k)
		}
		return out, nil
	})
	if err != nil {
		for _, k := range stored {
			_ = s.secrets.Delete(k) // nothing was added: take the secrets back too
		}
		return 0, err
	}
	for _, inst := range plan.Add {
		s.publish(inst.ID)
	}
	return len(plan.Add), nil
}

// ExportInstances writes the instance list, never a secret.
func (s *Service) ExportInstances(w io.Writer) error {
	f := config.File{Version: config.StoreVersion, Instances: s.Instances()}
	if f.Instances == nil {
		f.Instances = []Instance{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}
