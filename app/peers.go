package app

import (
	"maps"
	"slices"
	"time"

	"github.com/licensedesk/licensedesk/client"
)

// peerFindings are the HA peers of a fleet and the stale_token reasons
// among them, judged by client.Peers and client.PeerReasons. For one
// instance's status only its license's group is judged (group), and its
// peers are taken from it, so each read costs the size of its group.
type peerFindings struct {
	peers   map[string][]string
	group   []string // sorted ids sharing one license; set instead of peers
	reasons map[string]client.Reason
}

// peersLocked judges the fresh tokens of the fleet; with like set, only
// those sharing its license, which is all one instance's status needs.
// Tokens of failed reads are left out: they may be old. s.mu must be held.
func (s *Service) peersLocked(like *client.Token, now time.Time) peerFindings {
	tokens := map[string]*client.Token{}
	fresh := func(r *record) bool { return r != nil && r.token != nil && r.err == nil }
	if like == nil {
		for _, inst := range s.instances {
			if r := s.states[inst.ID]; fresh(r) {
				tokens[inst.ID] = r.token
			}
		}
		return peerFindings{peers: client.Peers(tokens), reasons: client.PeerReasons(tokens, now)}
	}
	// Every read publishes one status: look up only the few instances
	// whose tokens share its license, by the index.
	for _, id := range s.licenses.sharing(like) {
		if r := s.states[id]; fresh(r) && like.SharesLicenseWith(r.token) {
			if _, ok := s.find(id); ok {
				tokens[id] = r.token
			}
		}
	}
	group := slices.Sorted(maps.Keys(tokens))
	return peerFindings{group: group, reasons: client.PeerReasons(tokens, now)}
}

// apply gives st its peers and, when its own read succeeded, its stale_token reason.
func (f peerFindings) apply(st *Status) {
	id := st.Instance.ID
	st.Peers = f.peers[id]
	if f.group != nil && slices.Contains(f.group, id) && len(f.group) > 1 {
		st.Peers = slices.DeleteFunc(slices.Clone(f.group), func(o string) bool { return o == id })
	}
	if r, ok := f.reasons[id]; ok && st.Err == nil {
		st.Eval.Add(r)
	}
}
