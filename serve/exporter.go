// Package serve is Licensedesk's fleet mode, `licensedesk serve`: it checks every instance on a schedule and serves the results to Prometheus from memory.
package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/licensedesk/licensedesk/app"
)

// Defaults of the serve verb.
const (
	DefaultListen   = "127.0.0.1:9731" // clear of the well-known exporters' ports
	DefaultInterval = 5 * time.Minute
	// jitter spreads each wait by up to this share of the interval either
	// way, so replicas and restarted services do not read the fleet in step.
	jitter = 0.1
	// stopBudget is how long a stop waits for scrapes in flight before it
	// closes their connections: together with the cancelled reads it keeps
	// a stop under a second.
	stopBudget = 500 * time.Millisecond
)

// Options configure an Exporter; zero values take the defaults.
type Options struct {
	// Interval is the time between the starts of two full checks, jittered.
	Interval time.Duration
	// StorePath is the instance file, reloaded when it changes; "" watches nothing.
	StorePath string
	// WebConfigFile is an exporter-toolkit web configuration (TLS, basic
	// auth) for the listener; "" serves plain HTTP.
	WebConfigFile string
	// Logger receives what a service log should hold; default: discarded.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Exporter checks every instance of a Service on a schedule and keeps the
// last results in memory for /metrics and /api/v1/instances: a scrape never
// makes a request to Grafana.
type Exporter struct {
	svc  *app.Service
	opts Options
	reg  *prometheus.Registry
	own  ownMetrics

	snap atomic.Pointer[snapshot] // nil until the first full check is done

	mu      sync.Mutex
	pending map[string]bool // instances added or changed by a reload, to read before the next cycle
	wake    chan struct{}
	reload  chan chan error
	lastRaw []byte // the instance file as last loaded, to skip reloads that change nothing
	// refused says a reload refused the file since it last loaded: the file
	// then put back exactly as it was is a change to load, not nothing.
	refused bool
}

// New builds an exporter over svc, whose instances were loaded from
// o.StorePath (app.Command.Service builds it so).
func New(svc *app.Service, o Options) *Exporter {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	e := &Exporter{
		svc:     svc,
		opts:    o,
		reg:     prometheus.NewRegistry(),
		pending: map[string]bool{},
		wake:    make(chan struct{}, 1),
		reload:  make(chan chan error),
	}
	e.own = registerOwn(e.reg, o.Now())
	e.lastRaw = readRaw(o.StorePath)
	return e
}

// Ready says whether the first full check is done, so every instance has a result.
func (e *Exporter) Ready() bool { return e.snap.Load() != nil }

// Run checks every instance now and then every interval, reloads the
// instance file when it changes or Reload is called, and serves HTTP on ln,
// until ctx ends. Then it cancels the reads in flight, lets scrapes in
// flight finish for a moment, and returns; ln is closed.
func (e *Exporter) Run(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	srv, err := e.serve(ln, served)
	if err != nil {
		ln.Close()
		return err
	}
	var wg sync.WaitGroup
	wg.Go(func() { e.watch(ctx) })
	wg.Go(func() { e.schedule(ctx) })

	select {
	case <-ctx.Done():
	case err = <-served: // the listener failed: stop the rest
		cancel()
	}
	stopCtx, stop := context.WithTimeout(context.Background(), stopBudget)
	defer stop()
	if srv.Shutdown(stopCtx) != nil {
		srv.Close()
	}
	wg.Wait()
	if errors.Is(err, errServerClosed) {
		err = nil
	}
	return err
}

// Reload reads the instance file again now, as SIGHUP asks, and returns
// why it was refused, if it was; the previous list then keeps running.
func (e *Exporter) Reload(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case e.reload <- done:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// schedule runs the checks: a full one, then a wait of about one interval,
// and between them quick reads of the instances a reload brought in.
func (e *Exporter) schedule(ctx context.Context) {
	for {
		e.cycle(ctx)
		timer := time.NewTimer(e.wait())
	waiting:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
				break waiting
			case <-e.wake:
				e.readPending(ctx)
			}
		}
	}
}

// wait is the interval give or take up to 10 %.
func (e *Exporter) wait() time.Duration {
	spread := (rand.Float64()*2 - 1) * jitter
	return time.Duration(float64(e.opts.Interval) * (1 + spread))
}

// cycle reads every instance, as check does, and publishes the results.
func (e *Exporter) cycle(ctx context.Context) {
	e.takePending() // a full check reads them anyway
	start := time.Now()
	e.svc.RefreshAll(ctx, nil, nil)
	if ctx.Err() != nil {
		return // stopping: what was cut short says nothing about the instances
	}
	e.own.cycleDuration.Observe(time.Since(start).Seconds())
	first := !e.Ready()
	e.publish()
	if first {
		e.opts.Logger.Info("ready: every instance was checked once",
			"instances", len(e.svc.Instances()), "seconds", fmt.Sprintf("%.2f", time.Since(start).Seconds()))
	}
	e.readPending(ctx) // brought in by a reload during the cycle
}

// readPending reads the instances a reload added or changed, then publishes.
func (e *Exporter) readPending(ctx context.Context) {
	ids := e.takePending()
	if len(ids) > 0 {
		e.svc.RefreshAll(ctx, ids, nil)
		if ctx.Err() != nil {
			return
		}
	}
	if e.Ready() {
		e.publish()
	}
}

func (e *Exporter) takePending() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ids := make([]string, 0, len(e.pending))
	for id := range e.pending {
		ids = append(ids, id)
	}
	clear(e.pending)
	return ids
}

// publish makes the newest statuses what scrapes see.
func (e *Exporter) publish() {
	now := e.opts.Now()
	var checked []app.Status
	for _, st := range e.svc.Statuses() {
		if !st.CheckedAt.IsZero() { // added by a reload and not read yet: no result to show
			checked = append(checked, st)
		}
	}
	snap, err := newSnapshot(checked, now)
	if err != nil {
		// check's own writers failed on these statuses: keep serving the
		// last good results rather than none, and say why.
		e.opts.Logger.Error("could not build the metrics; the previous results stay", "err", err)
		return
	}
	e.snap.Store(snap)
}

// applyReload adopts the instance file as it is now. force reloads even
// when the file's bytes did not change (SIGHUP).
func (e *Exporter) applyReload(force bool) error {
	raw := readRaw(e.opts.StorePath)
	e.mu.Lock()
	// After a refusal, a file put back as it last loaded is read again, so
	// licensedesk_config_last_reload_successful returns to 1.
	unchanged := raw != nil && bytes.Equal(raw, e.lastRaw) && !e.refused
	e.mu.Unlock()
	if unchanged && !force {
		return nil
	}
	now := e.opts.Now()
	r, err := e.svc.ReloadInstances()
	if err != nil {
		e.mu.Lock()
		e.refused = true
		e.mu.Unlock()
		e.own.reloadOK.Set(0)
		e.opts.Logger.Error("the instance list was not reloaded; the previous list keeps running",
			"file", e.opts.StorePath, "err", err)
		return err
	}
	e.own.reloadOK.Set(1)
	e.own.reloadTime.Set(float64(now.UnixNano()) / 1e9)
	e.mu.Lock()
	e.lastRaw = raw
	wasRefused := e.refused
	e.refused = false
	for _, id := range append(r.Added, r.Changed...) {
		e.pending[id] = true
	}
	e.mu.Unlock()
	// After a refusal the log says the file loads again, even when the list
	// is the one that kept running: the refusal is not the last word.
	if !r.Empty() || wasRefused {
		e.opts.Logger.Info("reloaded the instance list", "file", e.opts.StorePath,
			"added", len(r.Added), "removed", len(r.Removed), "changed", len(r.Changed))
	}
	select {
	case e.wake <- struct{}{}: // read what came in, drop what left
	default:
	}
	return nil
}
