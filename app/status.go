package app

import (
	"time"

	"github.com/licensedesk/licensedesk/app/verdict"
)

// Status returns the last known status of one instance.
func (s *Service) Status(id string) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, ok := s.find(id)
	if !ok {
		inst = Instance{ID: id}
	}
	now := s.cfg.Now()
	var peers peerFindings
	if r := s.states[id]; r != nil && r.err == nil && r.token != nil {
		peers = s.peersLocked(r.token, now)
	}
	return s.statusLocked(inst, now, peers)
}

// Statuses returns the last known status of every instance, in store order.
func (s *Service) Statuses() []Status {
	return s.StatusesOf(nil)
}

// StatusesOf returns the last known status of the given instances (all when
// ids is empty), judging HA peers across the whole fleet at once.
func (s *Service) StatusesOf(ids []string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	peers := s.peersLocked(nil, now)
	list := s.instances
	if len(ids) > 0 {
		list = make([]Instance, 0, len(ids))
		for _, id := range ids {
			inst, ok := s.find(id)
			if !ok {
				inst = Instance{ID: id}
			}
			list = append(list, inst)
		}
	}
	out := make([]Status, 0, len(list))
	for _, inst := range list {
		out = append(out, s.statusLocked(inst, now, peers))
	}
	return out
}

// statusLocked builds a Status from what is remembered, evaluating it at now
// so that a date crossing a warn threshold shows without a new read.
func (s *Service) statusLocked(inst Instance, now time.Time, peers peerFindings) Status {
	st := Status{Instance: inst}
	if r := s.states[inst.ID]; r != nil {
		st.Token, st.Err, st.HTTPStatus = r.token, r.err, r.httpStatus
		st.CheckedAt, st.ReadAt = r.checkedAt, r.readAt
		st.Stats, st.Health, st.Frontend = r.stats, r.health, r.frontend
		st.Stale = r.err != nil && r.token != nil
		if r.upload != nil {
			u := *r.upload
			st.Upload = &u
		}
	}
	st.Eval = verdict.Evaluate(st, now, s.policy)
	peers.apply(&st)
	return st
}

// Subscribe registers fn to be called (from any goroutine) whenever a status
// changes, including when an instance is added, edited or removed. Calls
// come one at a time, newest last; fn must return quickly and must not call
// the service's changing methods itself (hand such work to a goroutine, as
// fyne.Do does). The returned function unsubscribes.
func (s *Service) Subscribe(fn func(Status)) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

// publish tells subscribers the newest status of id and returns it. The
// statuses of every instance sharing its license follow: a read judges them
// too (a newer token makes a peer's older one stale, a failed read stops
// judging the others by its token), and a peer read earlier would otherwise
// keep showing what it was judged by then.
func (s *Service) publish(id string) Status {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	st := s.Status(id)
	s.send(st)
	for _, peer := range s.licenseGroup(id) {
		s.send(s.Status(peer))
	}
	return st
}

// licenseGroup is every other instance whose last token, fresh or not,
// shares the license of id's last token.
func (s *Service) licenseGroup(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.states[id]
	if r == nil || r.token == nil {
		return nil
	}
	var out []string
	for _, other := range s.licenses.sharing(r.token) {
		if o := s.states[other]; other != id && o != nil && o.token != nil && r.token.SharesLicenseWith(o.token) {
			if _, ok := s.find(other); ok {
				out = append(out, other)
			}
		}
	}
	return out
}

// send calls every subscriber with st; the caller holds notifyMu.
func (s *Service) send(st Status) {
	s.mu.Lock()
	fns := make([]func(Status), 0, len(s.subs))
	for _, fn := range s.subs {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn(st)
	}
}
