package app

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// evaluate applies client.EvaluateWithUsage, the one place that decides
// states, and turns a failed read into "unknown" with its reason while
// still showing the dates of the last good token.
func evaluate(st Status, now time.Time, p client.Policy) client.Evaluation {
	ev := client.EvaluateWithUsage(st.Token, st.Stats, now, p)
	if st.Err == nil {
		return ev
	}
	why := client.Unreadable(words.Capitalize(Reason(st.Err)))
	if client.IsLocal(st.Err) {
		// This computer ran out of files or ports: the instance is not to blame.
		why = client.LocalLimit(words.Capitalize(Reason(st.Err)))
	}
	if v := st.Health; v != nil && client.IsStatus(st.Err, 404) {
		if old, ok := client.GrafanaTooOld(v.Version); ok {
			why = old
		}
	}
	switch {
	case st.Token != nil && !st.ReadAt.IsZero():
		why.Message += fmt.Sprintf(" — showing the token read on %s", st.ReadAt.In(now.Location()).Format("2 Jan 2006 15:04"))
	case st.Frontend != nil && !st.Frontend.Expiry.IsZero():
		// Credentials without licensing:read still see the license expiry.
		fe := client.Evaluate(&client.Token{LicenseExpiry: st.Frontend.Expiry}, now, p)
		ev.License = fe.License
		why.Message += fmt.Sprintf(" — Grafana's settings say the license expires on %s", client.FormatDate(st.Frontend.Expiry, now.Location()))
	}
	return ev.Failed(why)
}

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
