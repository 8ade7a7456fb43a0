package app

import (
	"time"

	"github.com/licensedesk/licensedesk/client"
)

// peerFindings are the HA peers of a fleet and the stale_token reasons
// among them, judged by client.Peers and client.PeerReasons.
type peerFindings struct {
	peers   map[string][]string
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
	} else {
		// Every read publishes one status: compare tokens first, as most
		// instances share no license, and look up only the few that do.
		for id, r := range s.states {
			if fresh(r) && like.SharesLicenseWith(r.token) {
				if _, ok := s.find(id); ok {
					tokens[id] = r.token
				}
			}
		}
	}
	return peerFindings{peers: client.Peers(tokens), reasons: client.PeerReasons(tokens, now)}
}

// apply gives st its peers and, when its own read succeeded, its stale_token reason.
func (f peerFindings) apply(st *Status) {
	st.Peers = f.peers[st.Instance.ID]
	if r, ok := f.reasons[st.Instance.ID]; ok && st.Err == nil {
		st.Eval.Add(r)
	}
}
