package bench

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// The serve fleets: BENCH_SERVE_SIZES (default "1000 10000") instances,
// each answering after fleetLatency, read at serve's default concurrency.
func serveSizes() []int {
	spec := os.Getenv("BENCH_SERVE_SIZES")
	if spec == "" {
		spec = "1000 10000"
	}
	var sizes []int
	for _, f := range strings.Fields(spec) {
		if n, err := strconv.Atoi(f); err == nil && n > 0 {
			sizes = append(sizes, n)
		}
	}
	return sizes
}

const scrapes = 20 // timed scrapes per fleet, after 3 untimed ones

// BenchmarkServe runs the real `licensedesk serve` binary over fleets of
// emulated Grafanas (in this process) and reports one full check's wall
// time against its ideal bound ceil(N/16) × 50 ms, the latency of a scrape
// of /metrics, plain and gzipped, and serve's resident size once ready and
// scraped.
func BenchmarkServe(b *testing.B) {
	bin := buildLicensedesk(b)
	for _, n := range serveSizes() {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for range b.N {
				benchServe(b, bin, n)
			}
		})
	}
}

func benchServe(b *testing.B, bin string, n int) {
	load := loadAverage()
	servers := emulatorCount(b, n)
	var s *grafanatest.Server
	list := make([]app.Instance, n)
	for i := range list {
		if i%(n/servers) == 0 && i/(n/servers) < servers {
			// Each Grafana has a license of its own, as in a real fleet;
			// instances that share one are HA peers of it.
			claims := grafanatest.DefaultClaims(time.Now())
			claims.LicenseID = strconv.Itoa(10500 + i)
			s = grafanatest.New(grafanatest.WithLatency(fleetLatency), grafanatest.WithClaims(claims))
			b.Cleanup(s.Close)
		}
		list[i] = app.Instance{ID: fmt.Sprintf("grafana-%05d", i), Name: "Grafana " + strconv.Itoa(i),
			URL: s.URL + "/", Auth: app.AuthBasic, Username: "admin", PasswordEnv: "LICENSEDESK_BENCH_PASSWORD"}
	}
	cfgFile := filepath.Join(b.TempDir(), "instances.json")
	if err := config.NewStore(cfgFile).Save(list); err != nil {
		b.Fatal(err)
	}

	cmd := exec.Command(bin, "--config", cfgFile, "serve", "--listen", "127.0.0.1:0", "--interval", "1h")
	cmd.Env = append(os.Environ(), "LICENSEDESK_BENCH_PASSWORD=admin", "HOME="+b.TempDir(), "DBUS_SESSION_BUS_ADDRESS=disabled:")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	base := listenAddress(b, stderr)
	for {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}

	plain := timeScrapes(b, base+"/metrics", "")
	gzipped := timeScrapes(b, base+"/metrics", "gzip")
	cycle := cycleSeconds(b, plain.body)
	rss, peak := procKiB(b, cmd.Process.Pid, "VmRSS"), procKiB(b, cmd.Process.Pid, "VmHWM")
	bound := math.Ceil(float64(n)/fleetConcurrency) * fleetLatency.Seconds()

	b.ReportMetric(cycle, "cycle-s")
	b.ReportMetric(cycle/bound, "x-ideal")
	b.ReportMetric(ms(plain.median), "scrape-ms")
	b.ReportMetric(ms(gzipped.median), "scrape-gzip-ms")
	b.ReportMetric(float64(rss)/1024, "rss-MiB")
	fmt.Printf("serve: %d instances on %d emulated Grafanas answering after %v, concurrency %d (load %s)\n",
		n, servers, fleetLatency, fleetConcurrency, load)
	fmt.Printf("  one full check      %7.2f s   ideal ceil(%d/%d) × %v = %.2f s; ratio %.2f× (target ≤ 1.25×)\n",
		cycle, n, fleetConcurrency, fleetLatency, bound, cycle/bound)
	fmt.Printf("  scrape of /metrics  %7.2f ms  median of %d (worst %.2f ms), %d KiB\n",
		ms(plain.median), scrapes, ms(plain.worst), len(plain.body)/1024)
	fmt.Printf("  the same, gzip      %7.2f ms  median of %d (worst %.2f ms), %d KiB\n",
		ms(gzipped.median), scrapes, ms(gzipped.worst), len(gzipped.body)/1024)
	fmt.Printf("  resident size       %7.1f MiB  after the check and the scrapes (peak %.1f MiB)\n",
		float64(rss)/1024, float64(peak)/1024)
	if err := Record("serve"+strconv.Itoa(n), map[string]string{
		"n": strconv.Itoa(n), "servers": strconv.Itoa(servers), "cycle_s": fmt.Sprintf("%.2f", cycle), "bound_s": fmt.Sprintf("%.2f", bound),
		"bound_ratio": fmt.Sprintf("%.2f", cycle/bound), "scrape_ms": fmt.Sprintf("%.2f", ms(plain.median)),
		"scrape_worst_ms": fmt.Sprintf("%.2f", ms(plain.worst)), "metrics_kib": strconv.Itoa(len(plain.body) / 1024),
		"scrape_gzip_ms": fmt.Sprintf("%.2f", ms(gzipped.median)), "scrape_gzip_worst_ms": fmt.Sprintf("%.2f", ms(gzipped.worst)),
		"gzip_kib": strconv.Itoa(len(gzipped.body) / 1024), "scrapes": strconv.Itoa(scrapes),
		"rss_mib": fmt.Sprintf("%.1f", float64(rss)/1024), "peak_mib": fmt.Sprintf("%.1f", float64(peak)/1024),
	}); err != nil {
		b.Fatal(err)
	}
}

// scrapeTimes are the timed scrapes of one kind and the last body, as sent.
type scrapeTimes struct {
	median, worst time.Duration
	body          []byte
}

// timeScrapes times scrapes of url, after 3 untimed ones, each from the
// request to the last byte of the body as sent: plain when acceptEncoding
// is "", else compressed as the scraper accepts (Prometheus accepts gzip).
// The gzipped body is checked to decompress to the series.
func timeScrapes(b *testing.B, url, acceptEncoding string) scrapeTimes {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	var times []time.Duration
	var body []byte
	for i := range scrapes + 3 {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if i >= 3 {
			times = append(times, time.Since(start))
		}
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
		}
		if got := resp.Header.Get("Content-Encoding"); got != acceptEncoding {
			b.Fatalf("GET %s accepting %q: answered with Content-Encoding %q", url, acceptEncoding, got)
		}
	}
	if acceptEncoding == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		text, err := io.ReadAll(zr)
		if err != nil {
			b.Fatalf("the gzipped scrape: %v", err)
		}
		cycleSeconds(b, text)
	}
	slices.Sort(times)
	return scrapeTimes{median: times[len(times)/2], worst: times[len(times)-1], body: body}
}

var listenLine = regexp.MustCompile(`msg="Listening on" address=(\S+)`)

// listenAddress reads serve's log until it says where it listens, then
// drains the rest so serve never blocks on a full pipe.
func listenAddress(b *testing.B, stderr io.Reader) string {
	sc := bufio.NewScanner(stderr)
	var log strings.Builder
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			return "http://" + m[1]
		}
	}
	b.Fatalf("serve ended before it listened:\n%s", log.String())
	return ""
}

// cycleSeconds is the duration of the one full check serve has made.
func cycleSeconds(b *testing.B, metrics []byte) float64 {
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(metrics)))
	if err != nil {
		b.Fatal(err)
	}
	h := fams["licensedesk_check_duration_seconds"].GetMetric()
	if len(h) != 1 || h[0].GetHistogram().GetSampleCount() != 1 {
		b.Fatalf("want one full check in licensedesk_check_duration_seconds, got %v", h)
	}
	return h[0].GetHistogram().GetSampleSum()
}

// procKiB reads one "Vm…: N kB" line of a process's status.
func procKiB(b *testing.B, pid int, field string) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kib, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kib
		}
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// emulatorCount is how many emulated Grafanas serve n instances: one each,
// unless the file limit is too low for that (each instance keeps a
// connection open at both ends, and each emulator a listener here), when
// several instances share one, each read as its own.
func emulatorCount(b *testing.B, n int) int {
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
	spare := int(lim.Cur) - n - 512
	if spare <= 0 {
		b.Fatalf("only %d file descriptors may be open; %d instances need more than %d", lim.Cur, n, n+512)
	}
	perServer := (n + spare - 1) / spare
	for n%perServer != 0 {
		perServer++
	}
	return n / perServer
}
