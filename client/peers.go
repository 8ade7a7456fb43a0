package client

import (
	"fmt"
	"slices"
	"time"
)

// peerKey is what HA nodes of one license share, as SharesLicenseWith says:
// the licensed URL and the license id.
type peerKey struct{ sub, lid string }

// SharesLicenseWith says whether t and o are tokens of one license as HA
// nodes share it: the same licensed URL (sub) and license id (lid).
func (t *Token) SharesLicenseWith(o *Token) bool {
	return t != nil && o != nil && t.LicenseID != "" && t.LicenseID == o.LicenseID && t.Subject == o.Subject
}

// peerGroups groups the ids of tokens that share sub and lid, each group
// sorted, leaving out instances alone with their license.
func peerGroups(tokens map[string]*Token) [][]string {
	byKey := map[peerKey][]string{}
	for id, t := range tokens {
		if t == nil || t.LicenseID == "" {
			continue
		}
		k := peerKey{t.Subject, t.LicenseID}
		byKey[k] = append(byKey[k], id)
	}
	var groups [][]string
	for _, ids := range byKey {
		if len(ids) > 1 {
			slices.Sort(ids)
			groups = append(groups, ids)
		}
	}
	return groups
}

// Peers finds the instances whose tokens share sub and lid: nodes of one
// license, as several Grafana nodes behind one root_url (HA) are. It maps
// each instance that has peers to the ids of its peers, sorted; tokens is
// keyed by instance id.
func Peers(tokens map[string]*Token) map[string][]string {
	out := map[string][]string{}
	for _, ids := range peerGroups(tokens) {
		for _, id := range ids {
			out[id] = slices.DeleteFunc(slices.Clone(ids), func(o string) bool { return o == id })
		}
	}
	return out
}

// PeerReasons returns a stale_token reason for each instance that serves a
// different token (jti) than its newest peer, issued more than a day before
// that peer's: after a failover a node can keep loading an old token from
// disk. tokens is keyed by instance id; dates are shown in now's location.
func PeerReasons(tokens map[string]*Token, now time.Time) map[string]Reason {
	out := map[string]Reason{}
	for _, ids := range peerGroups(tokens) {
		newest := ""
		for _, id := range ids {
			if t := tokens[id]; !t.IssuedAt.IsZero() && (newest == "" || t.IssuedAt.After(tokens[newest].IssuedAt)) {
				newest = id
			}
		}
		if newest == "" {
			continue
		}
		n := tokens[newest]
		for _, id := range ids {
			t := tokens[id]
			if t.IssuedAt.IsZero() || t.ID == n.ID || n.IssuedAt.Sub(t.IssuedAt) <= day {
				continue
			}
			out[id] = newReason(ReasonStaleToken, StateWarning, "Serves an older token than its peer "+newest, fmt.Sprintf(
				"issued on %s, %s before the peer's; it may be loading an old token from disk after a failover: "+
					"restart it, or upload the current token",
				FormatDate(t.IssuedAt, now.Location()), Days(int(n.IssuedAt.Sub(t.IssuedAt)/day))))
		}
	}
	return out
}
