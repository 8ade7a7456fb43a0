package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

// Refresh reads one instance's token now, with its health and usage
// statistics when they can be had.
func (s *Service) Refresh(ctx context.Context, id string) Status {
	inst, ok := s.Instance(id)
	if !ok {
		st := Status{Instance: Instance{ID: id}, Err: fmt.Errorf("%w: %q", ErrUnknownInstance, id)}
		st.Eval = verdict.Evaluate(st, s.cfg.Now(), s.Policy())
		return st
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.instanceTimeout(inst))
	defer cancel()

	s.mu.Lock()
	r := s.recordLocked(id)
	r.started++
	seq := r.started
	s.mu.Unlock()

	res := s.read(ctx, inst)

	if res.err != nil && errors.Is(parent.Err(), context.DeadlineExceeded) {
		// The caller's overall deadline cut the read short: its cause
		// (a *DeadlineError) says so better than a timeout of the instance.
		res.err = context.Cause(parent)
	}
	if errors.Is(parent.Err(), context.Canceled) {
		// The caller gave up (the window closed, the user cancelled): that
		// says nothing about the instance, so the last status stands.
		return s.Status(id)
	}
	s.mu.Lock()
	r = s.recordLocked(id)
	if seq > r.seq {
		r.seq = seq
		old := r.token
		res.applyTo(r)
		s.licenses.tokenChanged(id, old, r.token)
	}
	if _, still := s.find(id); !still {
		s.dropRecordLocked(id) // removed while it was being read
	}
	s.mu.Unlock()
	return s.publish(id)
}

func (s *Service) recordLocked(id string) *record {
	r := s.states[id]
	if r == nil {
		r = &record{}
		s.states[id] = r
	}
	return r
}

// readResult is one refresh's findings, applied to the record at once.
type readResult struct {
	at       time.Time
	token    *client.Token
	err      error
	status   int
	stats    *client.Stats
	health   *client.Health
	frontend *client.FrontendLicense
}

func (res readResult) applyTo(r *record) {
	r.checkedAt = res.at
	r.httpStatus = res.status
	r.err = res.err
	if res.err == nil {
		r.token, r.readAt = res.token, res.at
		r.frontend = nil
		r.readAfterUpload(res.token)
	}
	if res.frontend != nil {
		r.frontend = res.frontend
	}
	if res.stats != nil {
		r.stats = res.stats
	}
	if res.health != nil {
		r.health = res.health
	}
}

// read makes one refresh's calls. Health and statistics are best effort and
// run beside the token read, so they never slow or fail it.
func (s *Service) read(ctx context.Context, inst Instance) readResult {
	res := readResult{at: s.cfg.Now()}
	c, err := s.clientFor(inst)
	if err != nil {
		res.err = err
		return res
	}
	var wg sync.WaitGroup
	health := !s.cfg.TokenOnly && !s.cfg.SkipHealth
	if health {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if h, err := c.Health(ctx); err == nil {
				res.health = h
			}
		}()
	}
	if !s.cfg.TokenOnly {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if st, err := c.Stats(ctx); err == nil {
				res.stats = st
			}
		}()
	}
	tok, err := c.Token(ctx)
	res.token, res.err, res.status = tok, err, verdict.HTTPStatus(err)
	if err != nil {
		s.forgetClient(inst.ID, err)
		if client.IsStatus(err, 403) {
			if fl, ferr := c.FrontendLicense(ctx); ferr == nil {
				res.frontend = fl
			}
		}
	}
	wg.Wait()
	if !health && client.IsStatus(err, 404) {
		// No licensing API: the version tells whether Grafana is too old for one.
		if h, herr := c.Health(ctx); herr == nil {
			res.health = h
		}
	}
	return res
}

// RefreshAll reads the given instances (all when ids is empty) with bounded
// concurrency, each under its own timeout, calling progress (from any
// goroutine, one call at a time) as each finishes. The result is in the order
// of ids, or of the store. Concurrency workers take the instances in turn,
// so a fleet waiting to be read costs no goroutine per instance.
func (s *Service) RefreshAll(ctx context.Context, ids []string, progress func(done, total int, st Status)) []Status {
	if len(ids) == 0 {
		for _, inst := range s.Instances() {
			ids = append(ids, inst.ID)
		}
	}
	out := make([]Status, len(ids))
	var next atomic.Int64
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	for range min(s.concurrency(), len(ids)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				switch {
				case ctx.Err() == nil:
					out[i] = s.Refresh(ctx, ids[i])
				case errors.Is(ctx.Err(), context.DeadlineExceeded):
					out[i] = s.unread(ids[i], context.Cause(ctx))
				default:
					out[i] = s.Status(ids[i]) // cancelled before its turn: keep what is known
				}
				progressMu.Lock()
				done++
				if progress != nil {
					progress(done, len(ids), out[i])
				}
				progressMu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

// unread records that id was not read this time, for err (an overall
// deadline passed before its turn), so every later look at its status says
// why; the last good token is kept, as stale.
func (s *Service) unread(id string, err error) Status {
	s.mu.Lock()
	if _, ok := s.find(id); ok {
		r := s.recordLocked(id)
		r.err, r.httpStatus, r.checkedAt = err, 0, s.cfg.Now()
	}
	s.mu.Unlock()
	return s.publish(id)
}

// concurrency is how many instances RefreshAll reads at once.
func (s *Service) concurrency() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.Concurrency
}
