// Package watch decides what deserves attention while Licensedesk keeps
// watching: the monitor that checks instances on a schedule with backoff,
// the notifier that says when (once per instance, state and day), and the
// tray's model (worst state, what needs attention, in what order).
package watch

import (
	"context"
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

// Refresher is what the monitor needs from the Service: the instance list
// and a read of one instance's token. It can read, never renew or delete.
type Refresher interface {
	Instances() []app.Instance
	Refresh(ctx context.Context, id string) app.Status
}

// Monitor defaults.
const (
	DefaultMonitorConcurrency = 4
	DefaultCheckTimeout       = 2 * time.Minute
)

// Backoff caps for an instance that keeps failing: its checks space out
// by doubling up to 8 intervals, and never more than 6 hours apart (unless
// the interval itself is longer).
const (
	maxBackoffFactor = 8
	maxBackoff       = 6 * time.Hour
)

// MonitorOptions configure a Monitor; zero values take the defaults.
type MonitorOptions struct {
	Interval    time.Duration    // between checks of a healthy instance; default 60 minutes
	Timeout     time.Duration    // for one instance's check; default 2 minutes
	Concurrency int              // instances checked at once; default 4
	Now         func() time.Time // default time.Now
	// Notifier, when set, observes every check; Notify receives what it
	// decides to send, from the monitor's goroutines.
	Notifier *Notifier
	Notify   func(Notification)
	// Checked, when set, is called after each check with its result, once
	// its notifications are out; the tray uses it, and tests wait on it.
	Checked func(app.Status)
}

// track is the monitor's memory of one instance.
type track struct {
	last  time.Time // when its last check finished; zero before the first
	fails int       // consecutive failed reads
	busy  bool      // a check is under way or waiting for a slot
}

// checked notes a check of the instance that ended at now with st: a
// success ends its backoff, a failure lengthens it. This computer running
// out of files says nothing of the instance, so only other failures count.
func (t *track) checked(st app.Status, now time.Time) {
	t.last = now
	switch {
	case st.Err == nil:
		t.fails = 0
	case !client.IsLocal(st.Err):
		t.fails++
	}
}

// Monitor reads every instance's token at start and then on a schedule,
// a few at a time, backing off from instances that keep failing. It only
// reads: the results reach the window through the Service's statuses, and
// the Notifier decides what deserves a notification.
type Monitor struct {
	svc  Refresher
	opts MonitorOptions

	mu       sync.Mutex
	interval time.Duration
	tracks   map[string]*track
	forceAll bool
	cancel   context.CancelFunc
	done     chan struct{}
	wake     chan struct{}
}

// NewMonitor builds a stopped monitor over svc.
func NewMonitor(svc Refresher, opts MonitorOptions) *Monitor {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultCheckTimeout
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultMonitorConcurrency
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Monitor{
		svc:      svc,
		opts:     opts,
		interval: clampInterval(opts.Interval),
		tracks:   map[string]*track{},
		wake:     make(chan struct{}, 1),
	}
}

func clampInterval(d time.Duration) time.Duration {
	if d <= 0 {
		return config.DefaultCheckInterval
	}
	return min(max(d, config.MinCheckInterval), config.MaxCheckInterval)
}

// Start checks every instance now and then keeps checking in the
// background until Stop or until ctx ends. Starting a running monitor
// does nothing; a stopped one may be started again.
func (m *Monitor) Start(ctx context.Context) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cancel != nil {
		return
	}
	m.forceAll = true
	ctx, m.cancel = context.WithCancel(ctx)
	m.done = make(chan struct{})
	go m.run(ctx, m.done)
}

// Stop ends the background checks, cancelling any in flight, and returns
// when they are over and the notifier's state is written. It may be called
// more than once.
func (m *Monitor) Stop() {
	m.mu.Lock()
	cancel, done := m.cancel, m.done
	m.cancel, m.done = nil, nil
	m.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
	if m.opts.Notifier != nil {
		m.opts.Notifier.Flush() // a failure stays in SaveError
	}
}

// SetInterval changes the time between checks of a healthy instance; it
// is kept between MinCheckInterval and MaxCheckInterval. Checks already
// scheduled move to the new interval.
func (m *Monitor) SetInterval(d time.Duration) {
	m.mu.Lock()
	m.interval = clampInterval(d)
	m.mu.Unlock()
	m.poke()
}

// Interval is the current time between checks of a healthy instance.
func (m *Monitor) Interval() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.interval
}

// CheckNow checks every instance as soon as possible, failing ones too.
func (m *Monitor) CheckNow() {
	m.mu.Lock()
	m.forceAll = true
	m.mu.Unlock()
	m.poke()
}

// NextCheck is when the next scheduled check is due; zero before the first
// check or when no instance is configured.
func (m *Monitor) NextCheck() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	var next time.Time
	for _, t := range m.tracks {
		if due := m.dueLocked(t); !t.busy && (next.IsZero() || due.Before(next)) {
			next = due
		}
	}
	return next
}

func (m *Monitor) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

func (m *Monitor) run(ctx context.Context, done chan struct{}) {
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		close(done)
	}()
	slots := make(chan struct{}, m.opts.Concurrency)
	for {
		m.dispatch(ctx, &wg, slots)
		timer := time.NewTimer(m.untilNext())
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-m.wake:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// delay is how long after its last check an instance with fails
// consecutive failures is checked again.
func delay(interval time.Duration, fails int) time.Duration {
	if fails <= 1 {
		return interval
	}
	factor := time.Duration(1) << min(fails-1, 3) // 2, 4, then 8
	return max(min(interval*min(factor, maxBackoffFactor), maxBackoff), interval)
}

func (m *Monitor) dueLocked(t *track) time.Time {
	if t.last.IsZero() {
		return time.Time{}
	}
	return t.last.Add(delay(m.interval, t.fails))
}

// untilNext is the wait before the earliest due check; at most one
// interval, so instances added meanwhile are picked up.
func (m *Monitor) untilNext() time.Duration {
	now := m.opts.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	wait := m.interval
	for _, t := range m.tracks {
		if !t.busy {
			wait = min(wait, m.dueLocked(t).Sub(now))
		}
	}
	return max(wait, 0)
}

// dispatch syncs the tracks with the instance list and starts a check of
// every due instance that is not being checked already. The checks wait
// their turn for one of Concurrency slots, so a slow instance delays no
// other's schedule.
func (m *Monitor) dispatch(ctx context.Context, wg *sync.WaitGroup, slots chan struct{}) {
	insts := m.svc.Instances()
	now := m.opts.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := make(map[string]bool, len(insts))
	var due []dueCheck
	for _, inst := range insts {
		seen[inst.ID] = true
		t := m.tracks[inst.ID]
		if t == nil {
			t = &track{}
			m.tracks[inst.ID] = t
		}
		if t.busy || (!m.forceAll && m.dueLocked(t).After(now)) {
			continue
		}
		t.busy = true
		due = append(due, dueCheck{inst: inst, t: t})
	}
	m.forceAll = false
	for id := range m.tracks {
		if !seen[id] {
			delete(m.tracks, id)
			if m.opts.Notifier != nil {
				m.opts.Notifier.Forget(id)
			}
		}
	}
	if len(due) > 0 {
		wg.Go(func() { m.feed(ctx, wg, slots, due) })
	}
}

// dueCheck is an instance waiting for a slot, and its track.
type dueCheck struct {
	inst app.Instance
	t    *track
}

// feed starts the checks of due as slots free up. Instances waiting their
// turn cost an entry here, not a goroutine each: a first pass over ten
// thousand instances runs Concurrency goroutines, not ten thousand.
func (m *Monitor) feed(ctx context.Context, wg *sync.WaitGroup, slots chan struct{}, due []dueCheck) {
	for i, d := range due {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			m.mu.Lock()
			for _, rest := range due[i:] {
				rest.t.busy = false
			}
			m.mu.Unlock()
			return
		}
		wg.Go(func() {
			defer func() { <-slots }()
			m.check(ctx, d.inst)
		})
	}
}

// check reads one instance and notes when it is due next. That is at least
// an interval away, and the run loop wakes within an interval anyway, so
// it need not be woken: waking it would sync the whole instance list after
// every check, a pass over the fleet per instance.
func (m *Monitor) check(ctx context.Context, inst app.Instance) {
	id := inst.ID
	cctx, cancel := context.WithTimeout(ctx, m.opts.Timeout)
	st := m.svc.Refresh(cctx, id)
	cancel()
	now := m.opts.Now()
	m.mu.Lock()
	t := m.tracks[id]
	if t != nil {
		t.busy = false
	}
	if ctx.Err() != nil || t == nil {
		m.mu.Unlock()
		return // stopped, so the failure is ours; or the instance was removed meanwhile
	}
	t.checked(st, now)
	m.mu.Unlock()

	if st.Instance.ID == "" {
		st.Instance = inst
	}
	m.announce(st, now)
}

// Observe takes a read made outside the schedule (the window's Refresh
// and Refresh all) as a check: what it finds is notified exactly as a
// scheduled check's would be, under the same once-per-day rule, and the
// instance's next check is due one interval after it.
func (m *Monitor) Observe(st app.Status) {
	if st.Instance.ID == "" || st.Removed {
		return
	}
	now := m.opts.Now()
	m.mu.Lock()
	if t := m.tracks[st.Instance.ID]; t != nil && !t.busy {
		t.checked(st, now) // due an interval later: the run loop need not wake
	}
	m.mu.Unlock()
	m.announce(st, now)
}

// announce hands a check's result to the notifier, then to Checked.
func (m *Monitor) announce(st app.Status, now time.Time) {
	if m.opts.Notifier != nil {
		for _, n := range m.opts.Notifier.Observe(st, now) {
			if m.opts.Notify != nil {
				m.opts.Notify(n)
			}
		}
	}
	if m.opts.Checked != nil {
		m.opts.Checked(st)
	}
}
