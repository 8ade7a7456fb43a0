package watch

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// fakeRefresher stands in for the Service until a test needs the real one:
// it records when each instance was read and answers with read.
type fakeRefresher struct {
	mu          sync.Mutex
	insts       []app.Instance
	read        func(ctx context.Context, inst app.Instance) app.Status
	start       time.Time
	calls       map[string][]time.Duration // offsets from start
	inflight    int
	maxInflight int
}

func newFakeRefresher(ids ...string) *fakeRefresher {
	f := &fakeRefresher{start: time.Now(), calls: map[string][]time.Duration{}}
	for _, id := range ids {
		f.insts = append(f.insts, app.Instance{ID: id, Name: "Grafana " + id})
	}
	f.read = func(_ context.Context, inst app.Instance) app.Status { return licenseStatus(inst, 300*oneDay) }
	return f
}

func (f *fakeRefresher) Instances() []app.Instance {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.insts)
}

func (f *fakeRefresher) Refresh(ctx context.Context, id string) app.Status {
	f.mu.Lock()
	var inst app.Instance
	for _, i := range f.insts {
		if i.ID == id {
			inst = i
		}
	}
	f.calls[id] = append(f.calls[id], time.Since(f.start))
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	read := f.read
	f.mu.Unlock()

	st := read(ctx, inst)

	f.mu.Lock()
	f.inflight--
	f.mu.Unlock()
	return st
}

func (f *fakeRefresher) setRead(read func(ctx context.Context, inst app.Instance) app.Status) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.read = read
}

func (f *fakeRefresher) callsOf(id string) []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls[id])
}

const oneDay = 24 * time.Hour

// licenseStatus is a successful read of a license that expires in left,
// evaluated by the product's own rules.
func licenseStatus(inst app.Instance, left time.Duration) app.Status {
	now := time.Now()
	tok := &client.Token{
		Status: client.StatusValid, HasStatus: true, ID: "jti-" + inst.ID,
		LicenseExpiry: now.Add(left).Truncate(time.Second),
		TokenExpiry:   now.Add(20 * oneDay).Truncate(time.Second),
	}
	return app.Status{Instance: inst, Token: tok, Eval: client.Evaluate(tok, now, client.Policy{}), HTTPStatus: 200, CheckedAt: now, ReadAt: now}
}

var errUnreachable = errors.New("could not read the license token at https://grafana.example.com/: the connection was refused; check the URL and port, and that Grafana is running")

func failedStatus(inst app.Instance) app.Status {
	return app.Status{Instance: inst, Err: errUnreachable, Eval: client.Evaluation{State: client.StateUnknown, Message: errUnreachable.Error()}, CheckedAt: time.Now()}
}

func hours(hs ...float64) []time.Duration {
	var out []time.Duration
	for _, h := range hs {
		out = append(out, time.Duration(h*float64(time.Hour)))
	}
	return out
}

func assertCalls(t *testing.T, f *fakeRefresher, id string, want []time.Duration) {
	t.Helper()
	if got := f.callsOf(id); !slices.Equal(got, want) {
		t.Errorf("%s was checked at %v after start, want %v", id, got, want)
	}
}

func TestMonitorChecksAtStartThenEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("prod", "staging")
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour})
		m.Start(t.Context())
		defer m.Stop()

		time.Sleep(3*time.Hour + 30*time.Minute)
		synctest.Wait()
		assertCalls(t, f, "prod", hours(0, 1, 2, 3))
		assertCalls(t, f, "staging", hours(0, 1, 2, 3))
		if next := m.NextCheck(); !next.Equal(f.start.Add(4 * time.Hour)) {
			t.Errorf("next check at %v, want 4h after start", next.Sub(f.start))
		}
	})
}

func TestMonitorDefaultsToHourlyChecks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("prod")
		m := NewMonitor(f, MonitorOptions{})
		if m.Interval() != time.Hour {
			t.Fatalf("default interval %v, want 1h", m.Interval())
		}
		m.Start(t.Context())
		defer m.Stop()
		time.Sleep(2*time.Hour + time.Minute)
		synctest.Wait()
		assertCalls(t, f, "prod", hours(0, 1, 2))
	})
}

func TestMonitorBacksOffAFailingInstanceAndResumesOnSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("good", "down")
		f.setRead(func(_ context.Context, inst app.Instance) app.Status {
			if inst.ID == "down" {
				return failedStatus(inst)
			}
			return licenseStatus(inst, 300*oneDay)
		})
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour})
		m.Start(t.Context())
		defer m.Stop()

		// 1h, then 2h, 4h, and at most 6h apart.
		time.Sleep(26 * time.Hour)
		synctest.Wait()
		assertCalls(t, f, "down", hours(0, 1, 3, 7, 13, 19, 25))
		if n := len(f.callsOf("good")); n != 27 {
			t.Errorf("the healthy instance was checked %d times in 26h, want 27 (hourly)", n)
		}

		// Back up: checked at its next backed-off time, then hourly again.
		f.setRead(func(_ context.Context, inst app.Instance) app.Status { return licenseStatus(inst, 300*oneDay) })
		time.Sleep(7*time.Hour + 30*time.Minute)
		synctest.Wait()
		assertCalls(t, f, "down", hours(0, 1, 3, 7, 13, 19, 25, 31, 32, 33))
	})
}

func TestMonitorDoesNotBackOffAnInstanceWhenThisComputerRunsOutOfFiles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Given an instance this computer cannot read because it has run
		// out of file descriptors
		f := newFakeRefresher("prod")
		outOfFiles := &client.LocalError{Op: client.OpToken, URL: "https://grafana.example.com/api/licensing/token",
			Err: errors.New("socket: too many open files")}
		f.setRead(func(_ context.Context, inst app.Instance) app.Status {
			return app.Status{Instance: inst, Err: outOfFiles, Eval: client.Evaluation{State: client.StateUnknown}, CheckedAt: time.Now()}
		})
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour})
		m.Start(t.Context())
		defer m.Stop()

		// Then it is still checked every interval, as the fault is not its own
		time.Sleep(4*time.Hour + 30*time.Minute)
		synctest.Wait()
		assertCalls(t, f, "prod", hours(0, 1, 2, 3, 4))
	})
}

func TestMonitorBackoffIsCappedAtEightIntervals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("down")
		f.setRead(func(_ context.Context, inst app.Instance) app.Status { return failedStatus(inst) })
		m := NewMonitor(f, MonitorOptions{Interval: 10 * time.Minute})
		m.Start(t.Context())
		defer m.Stop()

		time.Sleep(5 * time.Hour)
		synctest.Wait()
		var want []time.Duration
		for _, min := range []int{0, 10, 30, 70, 150, 230} {
			want = append(want, time.Duration(min)*time.Minute)
		}
		assertCalls(t, f, "down", want)
	})
}

func TestMonitorChecksAFewInstancesAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var ids []string
		for i := range 10 {
			ids = append(ids, string(rune('a'+i)))
		}
		f := newFakeRefresher(ids...)
		f.setRead(func(_ context.Context, inst app.Instance) app.Status {
			time.Sleep(30 * time.Second) // a slow Grafana
			return licenseStatus(inst, 300*oneDay)
		})
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour, Concurrency: 3})
		m.Start(t.Context())
		defer m.Stop()

		time.Sleep(10 * time.Minute)
		synctest.Wait()
		for _, id := range ids {
			if n := len(f.callsOf(id)); n != 1 {
				t.Errorf("%s checked %d times, want 1", id, n)
			}
		}
		if f.maxInflight != 3 {
			t.Errorf("%d instances were read at once, want at most (and here exactly) 3", f.maxInflight)
		}
	})
}

func TestMonitorGivesEachInstanceItsOwnTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("hung", "fine")
		var hungFor time.Duration
		f.setRead(func(ctx context.Context, inst app.Instance) app.Status {
			if inst.ID != "hung" {
				return licenseStatus(inst, 300*oneDay)
			}
			start := time.Now()
			<-ctx.Done() // a Grafana that never answers
			hungFor = time.Since(start)
			return app.Status{Instance: inst, Err: ctx.Err()}
		})
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour, Timeout: 90 * time.Second})
		m.Start(t.Context())
		defer m.Stop()

		time.Sleep(2*time.Hour + 30*time.Minute)
		synctest.Wait()
		if hungFor != 90*time.Second {
			t.Errorf("the hung check was given up after %v, want the 90s timeout", hungFor)
		}
		// The hung one failed at 1m30s, so it is next due an hour after
		// that, then backs off; it holds up no other instance.
		assertCalls(t, f, "hung", []time.Duration{0, time.Hour + 90*time.Second})
		assertCalls(t, f, "fine", hours(0, 1, 2))
	})
}

func TestMonitorCheckNowReadsEveryInstanceAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("good", "down")
		f.setRead(func(_ context.Context, inst app.Instance) app.Status {
			if inst.ID == "down" {
				return failedStatus(inst)
			}
			return licenseStatus(inst, 300*oneDay)
		})
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour})
		m.Start(t.Context())
		defer m.Stop()

		time.Sleep(3*time.Hour + 10*time.Minute) // "down" is backed off until 7h
		m.CheckNow()
		synctest.Wait()
		at := 3*time.Hour + 10*time.Minute
		assertCalls(t, f, "down", append(hours(0, 1, 3), at))
		assertCalls(t, f, "good", append(hours(0, 1, 2, 3), at))
	})
}

func TestMonitorSetIntervalReschedules(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("prod")
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour})
		m.Start(t.Context())
		defer m.Stop()

		time.Sleep(10 * time.Minute)
		m.SetInterval(15 * time.Minute)
		time.Sleep(40 * time.Minute)
		synctest.Wait()
		assertCalls(t, f, "prod", []time.Duration{0, 15 * time.Minute, 30 * time.Minute, 45 * time.Minute})

		m.SetInterval(time.Second) // too eager: held at the minimum
		if m.Interval() != config.MinCheckInterval {
			t.Errorf("interval %v, want it held at %v", m.Interval(), config.MinCheckInterval)
		}
	})
}

func TestMonitorFollowsTheInstanceList(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("old")
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour})
		m.Start(t.Context())
		defer m.Stop()

		time.Sleep(30 * time.Minute)
		f.mu.Lock()
		f.insts = []app.Instance{{ID: "new", Name: "New"}}
		f.mu.Unlock()
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		assertCalls(t, f, "old", hours(0))
		assertCalls(t, f, "new", hours(1, 2))
	})
}

func TestMonitorStopCancelsAndEndsChecks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("hung")
		cancelled := false
		f.setRead(func(ctx context.Context, inst app.Instance) app.Status {
			<-ctx.Done()
			cancelled = true
			return app.Status{Instance: inst, Err: ctx.Err()}
		})
		n, _ := LoadNotifyState("")
		n.SetSettings(app.Settings{Notifications: true, UnreadableAfter: 1})
		var sent []Notification
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour, Notifier: n, Notify: func(x Notification) { sent = append(sent, x) }})
		m.Start(t.Context())
		time.Sleep(10 * time.Second)
		m.Stop()
		if !cancelled {
			t.Fatal("Stop returned while a check was still running")
		}
		m.Stop() // twice is harmless
		time.Sleep(5 * time.Hour)
		synctest.Wait()
		assertCalls(t, f, "hung", hours(0))
		if len(sent) != 0 {
			t.Errorf("stopping the monitor was reported as a failing instance: %+v", sent)
		}
	})
}

func TestMonitorRestartsWithAFullCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeRefresher("a", "b", "c")
		f.setRead(func(ctx context.Context, inst app.Instance) app.Status {
			select { // slow enough that some wait for a slot when stopped
			case <-time.After(time.Minute):
				return licenseStatus(inst, 300*oneDay)
			case <-ctx.Done():
				return app.Status{Instance: inst, Err: ctx.Err()}
			}
		})
		m := NewMonitor(f, MonitorOptions{Interval: time.Hour, Concurrency: 1})
		m.Start(t.Context())
		time.Sleep(90 * time.Second) // one done, one in flight, one waiting for its slot
		m.Stop()
		before := 0
		for _, id := range []string{"a", "b", "c"} {
			before += len(f.callsOf(id))
		}
		if before != 2 {
			t.Fatalf("%d checks started before Stop, want 2", before)
		}
		time.Sleep(10 * time.Minute)
		restart := time.Since(f.start)
		m.Start(t.Context())
		defer m.Stop()
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		for _, id := range []string{"a", "b", "c"} {
			calls := f.callsOf(id)
			if len(calls) == 0 || calls[len(calls)-1] < restart {
				t.Errorf("%s was not checked after the restart: %v", id, calls)
			}
		}
	})
}

func TestMonitorNotifiesOncePerDayAcrossRestarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		statePath := filepath.Join(t.TempDir(), NotifyStateFile)
		f := newFakeRefresher("prod")
		f.setRead(func(_ context.Context, inst app.Instance) app.Status { return licenseStatus(inst, 5*oneDay) })
		var mu sync.Mutex
		var sent []Notification
		notify := func(n Notification) { mu.Lock(); sent = append(sent, n); mu.Unlock() }

		start := func() *Monitor {
			n, err := LoadNotifyState(statePath)
			if err != nil {
				t.Fatal(err)
			}
			m := NewMonitor(f, MonitorOptions{Interval: time.Hour, Notifier: n, Notify: notify})
			m.Start(t.Context())
			return m
		}
		m := start()
		time.Sleep(5 * time.Hour) // five more checks, same oneDay
		m.Stop()
		m = start() // the app restarts: no repeat
		time.Sleep(time.Hour)
		synctest.Wait()
		mu.Lock()
		if len(sent) != 1 {
			t.Fatalf("got %d notifications on the first oneDay, want 1: %+v", len(sent), sent)
		}
		if sent[0].Title != "Grafana prod: license expires in 5 days" || sent[0].State != client.StateWarning {
			t.Errorf("notification %+v", sent[0])
		}
		mu.Unlock()

		time.Sleep(oneDay) // the next oneDay: reminded once
		m.Stop()
		mu.Lock()
		defer mu.Unlock()
		if len(sent) != 2 {
			t.Fatalf("got %d notifications by the second oneDay, want 2: %+v", len(sent), sent)
		}
	})
}

// monitorRig runs a Monitor over the real Service and the Grafana emulator,
// and lets a test wait for each round of checks.
type monitorRig struct {
	t       *testing.T
	svc     *app.Service
	state   string
	checked chan app.Status
	sent    chan Notification
}

func newMonitorRig(t *testing.T, list []app.Instance) *monitorRig {
	t.Helper()
	dir := t.TempDir()
	store := filepath.Join(dir, "instances.json")
	if err := config.NewStore(store).Save(list); err != nil {
		t.Fatal(err)
	}
	secrets := vault.NewMemory()
	for _, inst := range list {
		if err := secrets.Set(vault.KeyFor(inst), "admin"); err != nil {
			t.Fatal(err)
		}
	}
	svc, err := app.NewService(app.Config{StorePath: store, Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	return &monitorRig{t: t, svc: svc, state: NotifyStatePath(store), checked: make(chan app.Status, 100), sent: make(chan Notification, 100)}
}

// start runs a fresh Notifier and Monitor, as a new app process would.
func (r *monitorRig) start(s app.Settings) *Monitor {
	n, err := LoadNotifyState(r.state)
	if err != nil {
		r.t.Fatal(err)
	}
	n.SetSettings(s)
	m := NewMonitor(r.svc, MonitorOptions{
		Notifier: n,
		Notify:   func(x Notification) { r.sent <- x },
		Checked:  func(st app.Status) { r.checked <- st },
	})
	m.Start(context.Background())
	r.t.Cleanup(m.Stop)
	return m
}

// round waits for n checks and returns the notifications they produced.
func (r *monitorRig) round(n int) map[string]Notification {
	r.t.Helper()
	for range n {
		select {
		case <-r.checked:
		case <-time.After(time.Minute): // a hang guard, not a speed assertion
			r.t.Fatal("the monitor's checks did not finish")
		}
	}
	got := map[string]Notification{}
	for {
		select {
		case x := <-r.sent:
			if _, dup := got[x.InstanceID]; dup {
				r.t.Errorf("two notifications for %s in one round", x.InstanceID)
			}
			got[x.InstanceID] = x
		default:
			return got
		}
	}
}

func TestMonitorOverTheRealServiceNotifiesAndOnlyReads(t *testing.T) {
	claims := grafanatest.DefaultClaims(time.Now())
	claims.LicenseExpiry = time.Now().Add(5*oneDay + time.Hour)
	expiring := grafanatest.New(grafanatest.WithClaims(claims))
	defer expiring.Close()
	healthy := grafanatest.New()
	defer healthy.Close()
	broken := grafanatest.New(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 500, Path: "/api/licensing/token"}))
	defer broken.Close()
	servers := []*grafanatest.Server{expiring, healthy, broken}

	rig := newMonitorRig(t, []app.Instance{
		{ID: "prod-eu", Name: "Prod EU", URL: expiring.URL + "/", Auth: app.AuthBasic, Username: "admin"},
		{ID: "prod-us", Name: "Prod US", URL: healthy.URL + "/", Auth: app.AuthBasic, Username: "admin"},
		{ID: "lab", Name: "Lab", URL: broken.URL + "/", Auth: app.AuthBasic, Username: "admin"},
	})
	settings := config.DefaultSettings()
	settings.UnreadableAfter = 2

	m := rig.start(settings)
	got := rig.round(3)
	if len(got) != 1 || got["prod-eu"].Title != "Prod EU: license expires in 5 days" {
		t.Fatalf("first round: %+v", got)
	}
	// The window sees the same state through the Service.
	if st := rig.svc.Status("prod-eu"); st.Eval.State != client.StateWarning || st.CheckedAt.IsZero() {
		t.Errorf("the Service's status of prod-eu: %v, checked %v", st.Eval.State, st.CheckedAt)
	}

	m.CheckNow()
	got = rig.round(3)
	if len(got) != 1 || got["lab"].Title != "Lab: license could not be read" || !strings.Contains(got["lab"].Body, "500") {
		t.Fatalf("second round: %+v", got)
	}

	m.Stop()
	m = rig.start(settings) // a restart the same day repeats nothing
	if got = rig.round(3); len(got) != 0 {
		t.Fatalf("after a restart: %+v", got)
	}
	m.Stop()

	renewed := grafanatest.DefaultClaims(time.Now())
	expiring.SetClaims(renewed)
	broken.ClearFaults()
	m = rig.start(settings)
	got = rig.round(3)
	if len(got) != 2 || got["prod-eu"].Title != "Prod EU: license OK again" || got["lab"].Title != "Lab: license OK again" {
		t.Fatalf("after the fixes: %+v", got)
	}

	for _, srv := range servers {
		for _, req := range srv.Requests() {
			if req.Method != "GET" {
				t.Errorf("the monitor sent %s %s; it must only read", req.Method, req.Path)
			}
		}
	}
}
