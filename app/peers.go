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
	for _, inst := range s.instances {
		r := s.states[inst.ID]
		if r == nil || r.token == nil || r.err != nil || (like != nil && !like.SharesLicenseWith(r.token)) {
			continue
		}
		tokens[inst.ID] = r.token
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
