package bench

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// windowFleetLimit is the bound issue 11 sets on the whole window holding
// ten thousand read instances.
const windowFleetLimit = 400 // MiB

func windowFleetSize() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_WINDOW_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// BenchmarkWindowFleet runs the real licensedesk window (Fyne's GL driver
// under Xvfb, in a D-Bus session of its own, with a throwaway HOME) over
// BENCH_WINDOW_N (default 10,000) emulated Grafanas in this process, each
// answering after scaleLatency, until every one has served its token to the
// window; then it lets the window settle for scaleIdle and reads the
// window's peak resident size (VmHWM), its resident size then and its
// descriptors. Section 4's engine figure is this without Fyne.
func BenchmarkWindowFleet(b *testing.B) {
	for _, tool := range []string{"Xvfb", "dbus-run-session"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Fatalf("%s is missing; run make deps", tool)
		}
	}
	load := loadAverage()
	n := windowFleetSize()
	raiseFileLimit(b, n+4096)
	bin := buildLicensedesk(b)
	servers, cfg := startScaleFleet(b, n)
	b.ResetTimer()
	for range b.N {
		r := runWindowFleet(b, bin, cfg, servers)
		bound := time.Duration(math.Ceil(float64(n)/watch.DefaultMonitorConcurrency)) * scaleLatency
		ratio := r.pass.Seconds() / bound.Seconds()
		b.ReportMetric(r.pass.Seconds(), "first-pass-s")
		b.ReportMetric(mibOfKiB(r.peakKiB), "peak-MiB")
		b.ReportMetric(mibOfKiB(r.settledKiB), "settled-MiB")
		fmt.Printf("the window over %d instances answering after %v, monitor concurrency %d (load %s)\n",
			n, scaleLatency, watch.DefaultMonitorConcurrency, load)
		fmt.Printf("  first pass          %6.1f s     ideal ceil(%d/%d) × %v = %.1f s; ratio %.2f× (target ≤ 1.25×); every instance read %.1f s after the start\n",
			r.pass.Seconds(), n, watch.DefaultMonitorConcurrency, scaleLatency, bound.Seconds(), ratio, r.started.Seconds())
		fmt.Printf("  peak resident       %6.1f MiB   (target ≤ %d MiB); %s later %.1f MiB, %d descriptors (peak %d)\n",
			mibOfKiB(r.peakKiB), windowFleetLimit, scaleIdle, mibOfKiB(r.settledKiB), r.settledFDs, r.peakFDs)
		if err := Record("windowfleet", map[string]string{
			"n": strconv.Itoa(n), "latency_ms": strconv.Itoa(int(scaleLatency / time.Millisecond)),
			"concurrency": strconv.Itoa(watch.DefaultMonitorConcurrency),
			"pass_s":      fmt.Sprintf("%.1f", r.pass.Seconds()), "bound_s": fmt.Sprintf("%.1f", bound.Seconds()),
			"started_s": fmt.Sprintf("%.1f", r.started.Seconds()),
			"ratio":     fmt.Sprintf("%.2f", ratio),
			"peak_mib":  fmt.Sprintf("%.1f", mibOfKiB(r.peakKiB)), "limit_mib": strconv.Itoa(windowFleetLimit),
			"settle_s":    strconv.Itoa(int(scaleIdle / time.Second)),
			"settled_mib": fmt.Sprintf("%.1f", mibOfKiB(r.settledKiB)),
			"peak_fds":    strconv.Itoa(r.peakFDs), "settled_fds": strconv.Itoa(r.settledFDs),
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// windowRun is what one run of the window measured.
type windowRun struct {
	// pass is the monitor's first pass: from the first request any
	// emulator received to the answer of the last instance's first token
	// read. started is from the start of the process to that answer.
	pass, started time.Duration
	peakKiB       int64 // VmHWM once settled
	settledKiB    int64 // VmRSS once settled: the largest of three reads
	peakFDs       int
	settledFDs    int
}

// runWindowFleet starts Xvfb and the window over cfg, waits until every
// server has served its token once and the window has settled, and stops both.
func runWindowFleet(b *testing.B, bin, cfg string, servers []*grafanatest.Server) windowRun {
	home := b.TempDir()
	for _, dir := range []string{"run", "config", "data"} {
		if err := os.Mkdir(filepath.Join(home, dir), 0o700); err != nil {
			b.Fatal(err)
		}
	}
	display := startXvfb(b, home)
	pidFile := filepath.Join(home, "pid")
	logFile, err := os.Create(filepath.Join(home, "app.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer logFile.Close()
	// The shell writes its pid, then becomes the window: that pid is the
	// window's, inside the session dbus-run-session starts.
	cmd := exec.Command("dbus-run-session", "--", "sh", "-c", `echo $$ >"$0"; exec "$@"`, pidFile, bin, "--config", cfg)
	cmd.Env = []string{"HOME=" + home, "XDG_RUNTIME_DIR=" + filepath.Join(home, "run"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"DISPLAY=" + display, "LANG=C.UTF-8", "PATH=" + os.Getenv("PATH"), scalePassword + "=admin"}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// A group of its own: a window that does not end is killed with the
	// session's D-Bus daemon, which would otherwise outlive the benchmark.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	killAll := func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	failed := func(format string, args ...any) {
		killAll()
		<-exited
		log, _ := os.ReadFile(logFile.Name())
		b.Fatalf(format+"\nthe window's output: %s", append(args, tail(string(log)))...)
	}
	pid := 0
	for pid == 0 {
		if data, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(data), "\n") {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		}
		select {
		case err := <-exited:
			exited <- err
			failed("the window's session ended before it started: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	proc := fmt.Sprintf("/proc/%d/", pid)
	var peakFDs atomic.Int64
	stopSampling := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if ents, err := os.ReadDir(proc + "fd"); err == nil && int64(len(ents)) > peakFDs.Load() {
				peakFDs.Store(int64(len(ents)))
			}
			select {
			case <-stopSampling:
				return
			case <-tick.C:
			}
		}
	})
	defer func() { close(stopSampling); wg.Wait() }()

	// Every instance has its own server: it is read once its server has
	// served a token.
	deadline := time.After(time.Duration(math.Ceil(float64(len(servers))/watch.DefaultMonitorConcurrency))*scaleLatency*4 + 2*time.Minute)
	for {
		read := 0
		for _, s := range servers {
			if s.RequestCount("/api/licensing/token") > 0 {
				read++
			}
		}
		if read == len(servers) {
			break
		}
		select {
		case err := <-exited:
			exited <- err
			failed("the window ended after %d of %d instances were read: %v", read, len(servers), err)
		case <-deadline:
			failed("the window read only %d of %d instances in time", read, len(servers))
		case <-time.After(250 * time.Millisecond):
		}
	}
	time.Sleep(scaleIdle)
	var r windowRun
	first, last := firstPass(servers)
	r.pass, r.started = last.Sub(first), last.Sub(start)
	for range 3 {
		r.settledKiB = max(r.settledKiB, statusKiB(proc+"status", "VmRSS:"))
		time.Sleep(500 * time.Millisecond)
	}
	r.peakKiB = statusKiB(proc+"status", "VmHWM:")
	if ents, err := os.ReadDir(proc + "fd"); err == nil {
		r.settledFDs = len(ents)
	}
	r.peakFDs = int(peakFDs.Load())
	if r.peakKiB == 0 {
		failed("the window was gone before it could be measured")
	}
	// SIGTERM ends Fyne's loop as closing the window would.
	syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		killAll()
		<-exited
	}
	return r
}

// firstPass finds, in the servers' request logs, when the first request of
// all arrived and when the last instance's first token read was answered
// (one scaleLatency after it arrived).
func firstPass(servers []*grafanatest.Server) (first, last time.Time) {
	for _, s := range servers {
		tokenRead := false
		for _, req := range s.Requests() {
			if first.IsZero() || req.Time.Before(first) {
				first = req.Time
			}
			if !tokenRead && req.Method == "GET" && req.Path == "/api/licensing/token" {
				tokenRead = true
				if at := req.Time.Add(scaleLatency); at.After(last) {
					last = at
				}
			}
		}
	}
	return first, last
}

// startXvfb starts a virtual display of its own choosing for one run and
// returns its name; the display stops when the benchmark ends.
func startXvfb(b *testing.B, dir string) string {
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	log, err := os.Create(filepath.Join(dir, "xvfb.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	// -displayfd: Xvfb picks a free display and writes its number on fd 3.
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	x.Stdout, x.Stderr = log, log
	if err := x.Start(); err != nil {
		b.Fatal(err)
	}
	w.Close()
	b.Cleanup(func() {
		x.Process.Signal(syscall.SIGTERM)
		x.Wait()
	})
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		out, _ := os.ReadFile(log.Name())
		b.Fatalf("Xvfb did not start: %v\n%s", err, out)
	}
	return ":" + strings.TrimSpace(line)
}
