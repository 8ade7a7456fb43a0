package app

import (
	"encoding/json"
	"io"

	"github.com/licensedesk/licensedesk/app/config"
)

// ImportPlan is an exported list read and checked, not yet written: Add
// holds the instances that would be added, Skipped the ids already here.
type ImportPlan struct {
	Add     []Instance
	Skipped []string
}

// ReadImport reads and checks an exported list; it writes nothing. If any
// entry is invalid the whole list is refused.
func (s *Service) ReadImport(r io.Reader) (*ImportPlan, error) {
	list, err := config.ReadList(r)
	if err != nil {
		return nil, err
	}
	plan := &ImportPlan{}
	have := map[string]bool{}
	for _, inst := range s.Instances() {
		have[inst.ID] = true
	}
	for _, inst := range list {
		if have[inst.ID] {
			plan.Skipped = append(plan.Skipped, inst.ID)
			continue
		}
		have[inst.ID] = true
		plan.Add = append(plan.Add, inst)
	}
	return plan, nil
}

// ApplyImport adds a plan's instances, returning how many were added; an id
// taken since the plan was read (by another process) is skipped.
func (s *Service) ApplyImport(plan *ImportPlan) (int, error) {
	var addedIDs []string
	err := s.update(func(list []Instance) ([]Instance, error) {
		addedIDs = nil
		have := map[string]bool{}
		for _, inst := range list {
			have[inst.ID] = true
		}
		out := append([]Instance(nil), list...)
		for _, inst := range plan.Add {
			if have[inst.ID] {
				continue
			}
			have[inst.ID] = true
			out = append(out, inst)
			addedIDs = append(addedIDs, inst.ID)
		}
		return out, nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range addedIDs {
		s.publish(id)
	}
	return len(addedIDs), nil
}

// ImportInstances reads and adds an exported list in one step (ReadImport,
// then ApplyImport), returning how many were added.
func (s *Service) ImportInstances(r io.Reader) (int, error) {
	plan, err := s.ReadImport(r)
	if err != nil {
		return 0, err
	}
	return s.ApplyImport(plan)
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
