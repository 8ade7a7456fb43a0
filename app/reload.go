package app

import (
	"fmt"
	"os"
)

// Reload is what ReloadInstances changed.
type Reload struct {
	Added, Removed, Changed []string // instance ids
}

// Empty says whether the new list is the one that was running.
func (r Reload) Empty() bool {
	return len(r.Added)+len(r.Removed)+len(r.Changed) == 0
}

// ReloadInstances reads the instance list again, as serve does on SIGHUP and
// when the file changes, without writing, moving or locking it. A file that
// cannot be read whole and valid leaves the running list as it was and
// returns why. An instance whose settings changed forgets what was read at
// its old settings, so a token from the old URL is never shown for the new.
func (s *Service) ReloadInstances() (Reload, error) {
	// Unlike at start, a missing file is not an empty list: it is gone
	// for a moment (rm, then cp) or by mistake, and the fleet stays.
	if _, err := os.Stat(s.store.Path()); err != nil {
		return Reload{}, fmt.Errorf("cannot read the instance list: %w", err)
	}
	list, err := s.store.ReadValid()
	if err != nil {
		return Reload{}, err
	}
	var r Reload
	s.mu.Lock()
	old := make(map[string]Instance, len(s.instances))
	for _, inst := range s.instances {
		old[inst.ID] = inst
	}
	for _, inst := range list {
		prev, had := old[inst.ID]
		switch {
		case !had:
			r.Added = append(r.Added, inst.ID)
		case prev != inst:
			r.Changed = append(r.Changed, inst.ID)
			s.dropRecordLocked(inst.ID)
		}
		delete(old, inst.ID)
	}
	for _, inst := range s.instances {
		if _, gone := old[inst.ID]; gone {
			r.Removed = append(r.Removed, inst.ID)
			s.dropRecordLocked(inst.ID)
		}
	}
	s.setInstancesLocked(list)
	s.mu.Unlock()
	for _, id := range append(r.Changed, r.Removed...) {
		s.dropClient(id) // its pooled connections are released
	}
	return r, nil
}

// Rescan adopts the instance list as instances.json holds it now, after
// another program (the command line, a second window) changed it, and tells
// the subscribers: added and edited instances are announced and returned,
// so the window reads them at once; removed ones are announced as Removed.
// A file that cannot be read whole and valid changes nothing.
func (s *Service) Rescan() (changed []string, err error) {
	r, err := s.ReloadInstances()
	if err != nil {
		return nil, err
	}
	changed = append(r.Added, r.Changed...)
	for _, id := range changed {
		s.publish(id)
	}
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	for _, id := range r.Removed {
		s.send(Status{Instance: Instance{ID: id}, Removed: true})
	}
	return changed, nil
}
