package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// The fleet at scale: BENCH_SCALE_N instances (default 10,000), each an
// emulated Grafana of its own answering after scaleLatency. This process
// holds the emulators; what is measured runs in a child process, so its
// resident size and descriptors are its own.
const (
	scaleLatency  = 50 * time.Millisecond
	scaleFileCap  = 1024 // the check's descriptor limit (ulimit -n)
	scalePassword = "LICENSEDESK_BENCH_PASSWORD"
	// scaleIdle is how long the watching child stays idle after its first
	// pass before it counts its descriptors again: past the client's idle
	// connection timeout, so kept-alive connections should be gone.
	scaleIdle = 15 * time.Second
)

// Environment of the watching child (the bench test binary run again).
const (
	scaleChildEnv  = "LICENSEDESK_BENCH_SCALE_CHILD" // the instance list's path
	scaleChildSize = "LICENSEDESK_BENCH_SCALE_N"
)

// TestMain runs the watching child when scaleChildEnv names an instance
// list, and the benchmarks otherwise.
func TestMain(m *testing.M) {
	if path := os.Getenv(scaleChildEnv); path != "" {
		os.Exit(watchChild(path))
	}
	os.Exit(m.Run())
}

func scaleSize() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_SCALE_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// BenchmarkFleetScale measures the two ways of reading a fleet of 10,000
// Grafanas that each answer after 50 ms: the window's engine (app.Service
// and watch.Monitor at the monitor's concurrency with its notifier, every
// status kept as the window's list keeps it) through its first pass, and `licensedesk check`
// (the real binary) under `ulimit -n 1024`. Each runs in a child process;
// this one samples the child's open descriptors and resident high-water
// mark (VmHWM).
func BenchmarkFleetScale(b *testing.B) {
	n := scaleSize()
	raiseFileLimit(b, n+4096)
	_, cfg := startScaleFleet(b, n)
	b.ResetTimer()
	for range b.N {
		w := runWatchChild(b, cfg, n)
		c := runCheckChild(b, cfg, n)
		b.ReportMetric(w.pass.Seconds(), "watch-first-pass-s")
		b.ReportMetric(mibOfKiB(w.peakKiB), "watch-peak-MiB")
		b.ReportMetric(float64(w.peakFDs), "watch-peak-fds")
		b.ReportMetric(c.wall.Seconds(), "check-wall-s")
		b.ReportMetric(mibOfKiB(c.peakKiB), "check-peak-MiB")
		b.ReportMetric(float64(c.peakFDs), "check-peak-fds")
		recordScale(b, n, w, c)
	}
}

// startScaleFleet starts n emulators and writes the instance list that
// points at them, one instance each; every instance signs in with the
// password in scalePassword.
func startScaleFleet(b *testing.B, n int) ([]*grafanatest.Server, string) {
	list := make([]app.Instance, n)
	servers := make([]*grafanatest.Server, n)
	for i := range list {
		s, err := grafanatest.Start(grafanatest.WithLatency(scaleLatency))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(s.Close)
		servers[i] = s
		list[i] = app.Instance{ID: fmt.Sprintf("grafana-%05d", i), Name: fmt.Sprintf("Grafana %s %d", region(i), i),
			URL: s.URL + "/", Auth: app.AuthBasic, Username: "admin", PasswordEnv: scalePassword}
	}
	cfg := filepath.Join(b.TempDir(), "instances.json")
	if err := config.NewStore(cfg).Save(list); err != nil {
		b.Fatal(err)
	}
	return servers, cfg
}

// childRun is what one child's run measured.
type childRun struct {
	wall    time.Duration // from start to exit, as this process saw it
	peakKiB int64         // the child's peak resident size (VmHWM)
	peakFDs int           // the most descriptors it held at one sample
	lines   map[string]string
	stdout  []byte
}

// runChild runs cmd, sampling its open descriptors and its resident
// high-water mark every few milliseconds. The kernel's ru_maxrss would not
// do: os/exec starts the child sharing this process's memory until it
// executes, and the high-water mark of that (this process, with its ten
// thousand emulators) is carried over into the child's.
func runChild(b *testing.B, cmd *exec.Cmd) childRun {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	stop := make(chan struct{})
	var peak, hwm atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		proc := fmt.Sprintf("/proc/%d/", cmd.Process.Pid)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			if ents, err := os.ReadDir(proc + "fd"); err == nil && int64(len(ents)) > peak.Load() {
				peak.Store(int64(len(ents)))
			}
			if kib := statusKiB(proc+"status", "VmHWM:"); kib > hwm.Load() {
				hwm.Store(kib)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	err := cmd.Wait()
	wall := time.Since(start)
	close(stop)
	wg.Wait()
	if err != nil {
		b.Fatalf("%s: %v\nstderr: %s", filepath.Base(cmd.Path), err, tail(stderr.String()))
	}
	r := childRun{wall: wall, peakFDs: int(peak.Load()), peakKiB: hwm.Load(), stdout: stdout.Bytes(), lines: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(stdout.Bytes()))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			r.lines[k] = v
		}
	}
	return r
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// watchRun is the watching child's figures.
type watchRun struct {
	childRun
	pass        time.Duration
	concurrency int
	heldKiB     int64 // resident after the pass
	idleFDs     int   // descriptors after scaleIdle without a read
	idleKiB     int64 // resident then
}

// runWatchChild runs this test binary again as the window's engine.
func runWatchChild(b *testing.B, cfg string, n int) watchRun {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), scaleChildEnv+"="+cfg, scaleChildSize+"="+strconv.Itoa(n), scalePassword+"=admin")
	r := watchRun{childRun: runChild(b, cmd)}
	if r.lines["ok"] != strconv.Itoa(n) {
		b.Fatalf("the window's engine read %s of %d instances as ok:\n%s", r.lines["ok"], n, r.stdout)
	}
	pass, err := time.ParseDuration(r.lines["first_pass"])
	if err != nil {
		b.Fatalf("the watching child said %q", r.stdout)
	}
	r.pass = pass
	r.concurrency, _ = strconv.Atoi(r.lines["concurrency"])
	r.heldKiB, _ = strconv.ParseInt(r.lines["held_kib"], 10, 64)
	r.idleKiB, _ = strconv.ParseInt(r.lines["idle_kib"], 10, 64)
	r.idleFDs, _ = strconv.Atoi(r.lines["idle_fds"])
	return r
}

// watchChild is the child: the window's engine over the instance list at
// path, with its notifier, and a subscriber keeping every status as the
// window's list does.
// It prints its figures as key=value lines.
func watchChild(path string) int {
	n, _ := strconv.Atoi(os.Getenv(scaleChildSize))
	svc, err := app.NewService(app.Config{StorePath: path})
	if err != nil || svc.LoadWarning() != "" {
		fmt.Fprintln(os.Stderr, err, svc.LoadWarning())
		return 1
	}
	var mu sync.Mutex
	held := make(map[string]app.Status, n)
	svc.Subscribe(func(st app.Status) {
		mu.Lock()
		held[st.Instance.ID] = st
		mu.Unlock()
	})
	// The notifier keeps its state beside the list, as the window's does.
	notes, err := watch.LoadNotifyState(watch.NotifyStatePath(path))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var checked atomic.Int64
	passed := make(chan struct{})
	mon := watch.NewMonitor(svc, watch.MonitorOptions{Notifier: notes, Notify: func(watch.Notification) {},
		Checked: func(app.Status) {
			if checked.Add(1) == int64(n) {
				close(passed)
			}
		}})
	start := time.Now()
	mon.Start(context.Background())
	<-passed
	pass := time.Since(start)
	ok := 0
	mu.Lock()
	for _, st := range held {
		if st.Eval.State == client.StateOK && st.Err == nil {
			ok++
		}
	}
	mu.Unlock()
	heldKiB := statusKiB("/proc/self/status", "VmRSS:")
	time.Sleep(scaleIdle)
	idleFDs := selfFDs()
	runtime.GC()
	idleKiB := statusKiB("/proc/self/status", "VmRSS:")
	mon.Stop()
	fmt.Printf("first_pass=%s\nok=%d\nconcurrency=%d\nheld_kib=%d\nidle_fds=%d\nidle_kib=%d\n",
		pass, ok, watch.DefaultMonitorConcurrency, heldKiB, idleFDs, idleKiB)
	runtime.KeepAlive(held)
	return 0
}

// statusKiB reads one size (VmRSS:, VmHWM:) from a /proc status file in
// KiB; 0 when the process is gone.
func statusKiB(path, field string) int64 {
	data, _ := os.ReadFile(path)
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kib, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kib
		}
	}
	return 0
}

// selfFDs counts this process's open descriptors, less the one reading them.
func selfFDs() int {
	ents, _ := os.ReadDir("/proc/self/fd")
	return len(ents) - 1
}

// checkRun is the check child's figures.
type checkRun struct {
	childRun
	ok int
}

// runCheckChild builds licensedesk and runs `check --format json
// --deadline 0` over the list under `ulimit -n 1024`.
func runCheckChild(b *testing.B, cfg string, n int) checkRun {
	bin := buildLicensedesk(b)
	home := b.TempDir()
	cmd := exec.Command("bash", "-c", fmt.Sprintf(`ulimit -n %d || exit 97; exec "$0" "$@"`, scaleFileCap),
		// No overall deadline: the figure is the time the whole fleet takes.
		bin, "--config", cfg, "check", "--format", "json", "--deadline", "0")
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", scalePassword + "=admin"}
	r := checkRun{childRun: runChild(b, cmd)}
	var doc struct {
		Instances []struct{ State string } `json:"instances"`
	}
	if err := json.Unmarshal(r.stdout, &doc); err != nil {
		b.Fatalf("check's JSON: %v", err)
	}
	for _, inst := range doc.Instances {
		if inst.State == "ok" {
			r.ok++
		}
	}
	if r.ok != n {
		b.Fatalf("check found %d of %d instances ok under ulimit -n %d", r.ok, n, scaleFileCap)
	}
	return r
}

func mibOfKiB(k int64) float64 { return float64(k) / 1024 }

// recordScale prints the figures and hands them to report.sh.
func recordScale(b *testing.B, n int, w watchRun, c checkRun) {
	watchBound := time.Duration(math.Ceil(float64(n)/float64(w.concurrency))) * scaleLatency
	checkBound := time.Duration(math.Ceil(float64(n)/fleetConcurrency)) * scaleLatency
	watchRatio := w.pass.Seconds() / watchBound.Seconds()
	checkRatio := c.wall.Seconds() / checkBound.Seconds()
	fmt.Printf("fleet at scale: %d instances answering after %v\n", n, scaleLatency)
	fmt.Printf("  window's engine, concurrency %d: first pass %.1f s (ideal %.1f s, %.2f×); peak %.1f MiB, %d descriptors; "+
		"after the pass %.1f MiB; %s idle later %d descriptors, %.1f MiB\n",
		w.concurrency, w.pass.Seconds(), watchBound.Seconds(), watchRatio, mibOfKiB(w.peakKiB), w.peakFDs,
		mibOfKiB(w.heldKiB), scaleIdle, w.idleFDs, mibOfKiB(w.idleKiB))
	fmt.Printf("  licensedesk check under ulimit -n %d, concurrency %d: %.1f s (ideal %.1f s, %.2f×); peak %.1f MiB, %d descriptors\n",
		scaleFileCap, fleetConcurrency, c.wall.Seconds(), checkBound.Seconds(), checkRatio, mibOfKiB(c.peakKiB), c.peakFDs)
	if err := Record("scale", map[string]string{
		"n": strconv.Itoa(n), "latency_ms": strconv.Itoa(int(scaleLatency / time.Millisecond)),
		"watch_concurrency": strconv.Itoa(w.concurrency),
		"watch_pass_s":      fmt.Sprintf("%.1f", w.pass.Seconds()), "watch_bound_s": fmt.Sprintf("%.1f", watchBound.Seconds()),
		"watch_ratio":    fmt.Sprintf("%.2f", watchRatio),
		"watch_peak_mib": fmt.Sprintf("%.1f", mibOfKiB(w.peakKiB)), "watch_peak_fds": strconv.Itoa(w.peakFDs),
		"watch_held_mib": fmt.Sprintf("%.1f", mibOfKiB(w.heldKiB)),
		"watch_idle_s":   strconv.Itoa(int(scaleIdle / time.Second)), "watch_idle_fds": strconv.Itoa(w.idleFDs),
		"watch_idle_mib":    fmt.Sprintf("%.1f", mibOfKiB(w.idleKiB)),
		"check_limit":       strconv.Itoa(scaleFileCap),
		"check_concurrency": strconv.Itoa(fleetConcurrency),
		"check_wall_s":      fmt.Sprintf("%.1f", c.wall.Seconds()), "check_bound_s": fmt.Sprintf("%.1f", checkBound.Seconds()),
		"check_ratio":    fmt.Sprintf("%.2f", checkRatio),
		"check_peak_mib": fmt.Sprintf("%.1f", mibOfKiB(c.peakKiB)), "check_peak_fds": strconv.Itoa(c.peakFDs),
	}); err != nil {
		b.Fatal(err)
	}
}
