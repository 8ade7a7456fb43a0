package app

import (
	"slices"

	"github.com/licensedesk/licensedesk/client"
)

// licenseIndex finds the records whose tokens share a license, so that one
// instance's status (every read publishes one) judges its HA peers without
// a scan of the whole fleet: over ten thousand instances that scan made a
// first pass cost a hundred million steps.
type licenseIndex map[licenseKey][]string // ids whose record holds a token of that license

// licenseKey is what HA peers share (client.Token.SharesLicenseWith).
type licenseKey struct{ sub, lid string }

func keyOf(t *client.Token) (licenseKey, bool) {
	if t == nil || t.LicenseID == "" {
		return licenseKey{}, false
	}
	return licenseKey{t.Subject, t.LicenseID}, true
}

// dropRecordLocked forgets what is known of id; s.mu must be held.
func (s *Service) dropRecordLocked(id string) {
	if r := s.states[id]; r != nil {
		s.licenses.tokenChanged(id, r.token, nil)
	}
	delete(s.states, id)
}

// tokenChanged notes that id's record now holds to instead of from.
func (x *licenseIndex) tokenChanged(id string, from, to *client.Token) {
	if from == to {
		return
	}
	if k, ok := keyOf(from); ok {
		ids := slices.DeleteFunc((*x)[k], func(o string) bool { return o == id })
		if len(ids) == 0 {
			delete(*x, k)
		} else {
			(*x)[k] = ids
		}
	}
	if k, ok := keyOf(to); ok {
		if *x == nil {
			*x = licenseIndex{}
		}
		(*x)[k] = append((*x)[k], id)
	}
}

// sharing lists the ids whose records hold a token of t's license, t's own
// among them; nil when t names no license.
func (x licenseIndex) sharing(t *client.Token) []string {
	if k, ok := keyOf(t); ok {
		return x[k]
	}
	return nil
}
