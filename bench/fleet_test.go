package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/cli"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// The fleet: BENCH_FLEET_N instances (default 1,000), each answering after
// fleetLatency, checked at check's default concurrency.
const (
	fleetLatency     = 50 * time.Millisecond
	fleetConcurrency = 16 // check's default; the benchmark passes no --concurrency
	curlSample       = 100
)

func fleetSize() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_FLEET_N")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// raiseFileLimit lifts RLIMIT_NOFILE to its hard limit: each instance holds
// a listener and a connection at both ends.
func raiseFileLimit(b *testing.B, need int) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Fatal(err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			b.Fatal(err)
		}
	}
	if lim.Cur < uint64(need) {
		b.Fatalf("only %d file descriptors may be open; the fleet needs about %d", lim.Cur, need)
	}
}

// BenchmarkFleetCheck times `licensedesk check` (the command line's run
// function, in process, reading usage beside the token as it does by
// default) over a fleet of emulated Grafanas that each answer
// after 50 ms, against the ideal ceil(N/16)×50 ms and against a sequential
// loop of real curl calls, one per instance (timed over 100, scaled to N).
func BenchmarkFleetCheck(b *testing.B) {
	load := loadAverage()
	n := fleetSize()
	raiseFileLimit(b, 4*n+256)
	servers := make([]*grafanatest.Server, n)
	list := make([]app.Instance, n)
	secrets := vault.NewMemory()
	for i := range servers {
		s := grafanatest.New(grafanatest.WithLatency(fleetLatency))
		b.Cleanup(s.Close)
		servers[i] = s
		id := fmt.Sprintf("grafana-%04d", i)
		list[i] = app.Instance{ID: id, Name: "Grafana " + strconv.Itoa(i), URL: s.URL + "/", Auth: app.AuthBasic, Username: "admin"}
		secrets.Set(vault.KeyFor(list[i]), "admin")
	}
	cfgFile := filepath.Join(b.TempDir(), "instances.json")
	if err := config.NewStore(cfgFile).Save(list); err != nil {
		b.Fatal(err)
	}

	// Each check is timed; the figure is their median, so one check slowed
	// by other work on the machine does not move it.
	walls := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		var out, errOut bytes.Buffer
		start := time.Now()
		code := cli.Main([]string{"licensedesk", "--config", cfgFile, "check", "--format", "json"}, nil, cli.Env{
			Stdout: &out, Stderr: &errOut, Secrets: secrets,
			Getenv:        func(string) string { return "" },
			UserConfigDir: func() (string, error) { return b.TempDir(), nil },
		})
		walls = append(walls, time.Since(start))
		if code != 0 {
			b.Fatalf("check exited %d: %s", code, errOut.String())
		}
		if ok := countOK(b, out.Bytes()); ok != n {
			b.Fatalf("check found %d of %d instances ok", ok, n)
		}
	}
	b.StopTimer()
	// check reads usage (refresh-stats) beside the token by default (issue
	// 10): the figure is for that default, so every instance must have
	// been asked for both.
	for i, s := range servers {
		if s.RequestCount("/api/licensing/token") < b.N || s.RequestCount("/api/licensing/refresh-stats") < b.N {
			b.Fatalf("instance %d was asked for its token %d and its usage %d times in %d checks", i,
				s.RequestCount("/api/licensing/token"), s.RequestCount("/api/licensing/refresh-stats"), b.N)
		}
	}
	slices.Sort(walls)
	wall := walls[len(walls)/2]

	bound := time.Duration(math.Ceil(float64(n)/fleetConcurrency)) * fleetLatency
	curl100 := curlLoop(b, servers[:min(curlSample, n)])
	curlN := curl100 * time.Duration(n) / time.Duration(min(curlSample, n))
	boundRatio := wall.Seconds() / bound.Seconds()
	speedup := curlN.Seconds() / wall.Seconds()

	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(boundRatio, "x-ideal")
	b.ReportMetric(speedup, "x-faster-than-curl")
	fmt.Printf("fleet check, usage read: %d instances answering after %v, concurrency %d (load %s)\n", n, fleetLatency, fleetConcurrency, load)
	fmt.Printf("  licensedesk check   %7.2f s   median of %d (%.2f to %.2f s)\n", wall.Seconds(), len(walls), walls[0].Seconds(), walls[len(walls)-1].Seconds())
	fmt.Printf("  ideal bound         %7.2f s   ceil(%d/%d) × %v; ratio %.2f× (target ≤ 1.25×)\n",
		bound.Seconds(), n, fleetConcurrency, fleetLatency, boundRatio)
	fmt.Printf("  curl loop           %7.2f s   %d sequential curl calls took %.2f s, ×%d; check is %.1f× faster (target ≥ 15×)\n",
		curlN.Seconds(), min(curlSample, n), curl100.Seconds(), n/min(curlSample, n), speedup)
	if err := Record("fleet", map[string]string{
		"n": strconv.Itoa(n), "latency_ms": strconv.Itoa(int(fleetLatency / time.Millisecond)),
		"concurrency": strconv.Itoa(fleetConcurrency),
		"wall_s":      fmt.Sprintf("%.2f", wall.Seconds()), "bound_s": fmt.Sprintf("%.2f", bound.Seconds()),
		"runs": strconv.Itoa(len(walls)), "wall_min_s": fmt.Sprintf("%.2f", walls[0].Seconds()),
		"wall_max_s":  fmt.Sprintf("%.2f", walls[len(walls)-1].Seconds()),
		"bound_ratio": fmt.Sprintf("%.2f", boundRatio), "curl_sample": strconv.Itoa(min(curlSample, n)),
		"curl_sample_s": fmt.Sprintf("%.2f", curl100.Seconds()), "curl_s": fmt.Sprintf("%.2f", curlN.Seconds()),
		"speedup": fmt.Sprintf("%.1f", speedup),
	}); err != nil {
		b.Fatal(err)
	}
}

func countOK(b *testing.B, report []byte) int {
	var doc struct {
		Instances []struct {
			State string `json:"state"`
		} `json:"instances"`
	}
	if err := json.Unmarshal(report, &doc); err != nil {
		b.Fatalf("check's JSON: %v", err)
	}
	ok := 0
	for _, inst := range doc.Instances {
		if inst.State == "ok" {
			ok++
		}
	}
	return ok
}

// curlLoop reads each server's token with one real curl process after
// another, as a shell loop over the fleet would.
func curlLoop(b *testing.B, servers []*grafanatest.Server) time.Duration {
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Fatal("curl is needed for the comparison (apt-get install curl)")
	}
	start := time.Now()
	for _, s := range servers {
		out, err := exec.Command(curl, "--silent", "--noproxy", "*", "--max-time", "10", "--user", "admin:admin",
			"--output", "/dev/null", "--write-out", "%{http_code}", s.URL+"/api/licensing/token").Output()
		if err != nil || strings.TrimSpace(string(out)) != "200" {
			b.Fatalf("curl %s: %v (HTTP %s)", s.URL, err, out)
		}
	}
	return time.Since(start)
}
