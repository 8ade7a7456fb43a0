package serve

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/cli"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// threeStates is a fleet of a healthy instance, one whose license expires in
// ten days, and one whose password is wrong.
func threeStates(t *testing.T) *fleet {
	f := newFleet(t)
	f.add("healthy", "Healthy")
	claims := grafanatest.DefaultClaims(time.Now())
	claims.LicenseExpiry = time.Now().Add(10 * 24 * time.Hour).Truncate(time.Second)
	f.add("expiring", "Expiring", grafanatest.WithClaims(claims))
	f.add("locked", "Locked")
	f.setSecret("locked", "not-the-password")
	f.save()
	return f
}

func TestMetricsHoldEveryCheckSeriesAndTheExportersOwn(t *testing.T) {
	f := threeStates(t)
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)
	got := r.scrape(t)
	want := parseMetrics(t, f.check("prometheus"))

	for name, wf := range want {
		gf := got[name]
		if gf == nil {
			t.Errorf("/metrics lacks %s, which check prints", name)
			continue
		}
		if gf.GetType() != wf.GetType() || gf.GetHelp() != wf.GetHelp() {
			t.Errorf("%s: /metrics says %v %q, check says %v %q", name, gf.GetType(), gf.GetHelp(), wf.GetType(), wf.GetHelp())
		}
		if name == "licensedesk_check_timestamp_seconds" {
			continue // when each looked differs
		}
		if len(gf.Metric) != len(wf.Metric) {
			t.Errorf("%s: /metrics has %d series, check %d", name, len(gf.Metric), len(wf.Metric))
		}
		for _, wm := range wf.Metric {
			found := false
			for _, gm := range gf.Metric {
				if reflect.DeepEqual(labelMap(gm), labelMap(wm)) {
					found = true
					if value(gm) != value(wm) {
						t.Errorf("%s%v = %v in /metrics, %v in check", name, labelMap(wm), value(gm), value(wm))
					}
				}
			}
			if !found {
				t.Errorf("/metrics lacks %s%v, which check prints", name, labelMap(wm))
			}
		}
	}

	for id, want := range map[string]float64{"healthy": 1, "expiring": 1, "locked": 0} {
		if v, ok := sample(got, "licensedesk_up", id); !ok || v != want {
			t.Errorf("licensedesk_up{instance=%q} = %v (present %v), want %v", id, v, ok, want)
		}
		if v, ok := sample(got, "licensedesk_last_check_timestamp_seconds", id); !ok || v < float64(time.Now().Add(-time.Hour).Unix()) {
			t.Errorf("licensedesk_last_check_timestamp_seconds{instance=%q} = %v (present %v), want the time of the check", id, v, ok)
		}
	}
	if h := got["licensedesk_check_duration_seconds"]; h == nil || h.Metric[0].GetHistogram().GetSampleCount() != 1 {
		t.Errorf("licensedesk_check_duration_seconds should be a histogram of one cycle: %v", h)
	}
	for _, name := range []string{"licensedesk_config_last_reload_successful", "go_goroutines", "process_start_time_seconds", "licensedesk_build_info"} {
		if got[name] == nil {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if v := got["licensedesk_config_last_reload_successful"]; v != nil && value(v.Metric[0]) != 1 {
		t.Errorf("licensedesk_config_last_reload_successful = %v after a good start, want 1", value(v.Metric[0]))
	}
}

func TestInstancesAPIServesChecksJSON(t *testing.T) {
	f := threeStates(t)
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)
	code, body := r.get(t, "/api/v1/instances")
	if code != http.StatusOK {
		t.Fatalf("/api/v1/instances answered %d: %s", code, body)
	}
	var got, want map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("/api/v1/instances is not JSON: %v\n%s", err, body)
	}
	if err := json.Unmarshal(f.check("json"), &want); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["checked_at"].(string); !ok {
		t.Errorf("checked_at is missing: %s", body)
	}
	delete(got, "checked_at")
	delete(want, "checked_at")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("/api/v1/instances differs from check --format json:\n got %v\nwant %v", got, want)
	}
}

// The README sends a newcomer to the landing page first: every link on it
// must lead somewhere (it offered /debug/pprof, which serve does not have).
func TestEveryLinkOnTheLandingPageAnswers(t *testing.T) {
	f := threeStates(t)
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)
	code, page := r.get(t, "/")
	if code != http.StatusOK {
		t.Fatalf("the landing page answered %d", code)
	}
	links := regexp.MustCompile(`href="(/[^"]*)"`).FindAllStringSubmatch(string(page), -1)
	if len(links) < 4 {
		t.Fatalf("the landing page links %d pages, want at least /metrics, /api/v1/instances, /healthz, /readyz:\n%s", len(links), page)
	}
	for _, l := range links {
		if code, _ := r.get(t, html.UnescapeString(l[1])); code != http.StatusOK {
			t.Errorf("the landing page links %s, which answers %d", l[1], code)
		}
	}
}

func TestScrapesNeverReachGrafana(t *testing.T) {
	f := threeStates(t)
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)
	before := map[string]int{}
	for id, s := range f.servers {
		before[id] = len(s.Requests())
	}
	for range 5 {
		r.scrape(t)
		r.get(t, "/api/v1/instances")
	}
	for id, s := range f.servers {
		if n := len(s.Requests()); n != before[id] {
			t.Errorf("%s received %d requests during the scrapes", id, n-before[id])
		}
	}
}

func TestNotReadyUntilEveryInstanceWasChecked(t *testing.T) {
	f := newFleet(t)
	f.add("healthy", "Healthy")
	hung := f.add("hung", "Hung", grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
	f.save()
	r := f.start(Options{Interval: time.Hour})

	if code, _ := r.get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz answered %d while the first check runs, want 200: the process is alive", code)
	}
	if code, body := r.get(t, "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(string(body), "first check") {
		t.Errorf("/readyz answered %d %q while an instance is still being read, want 503", code, body)
	}
	if code, _ := r.get(t, "/api/v1/instances"); code != http.StatusServiceUnavailable {
		t.Errorf("/api/v1/instances answered %d before the first check, want 503", code)
	}
	if fams := r.scrape(t); fams["licensedesk_up"] != nil || fams["go_goroutines"] == nil {
		t.Errorf("before the first check /metrics should hold the exporter's own series and no instance's")
	}

	hung.Close() // the read fails at once: the first check is done
	r.waitReady(t)
	if v, ok := sample(r.scrape(t), "licensedesk_up", "hung"); !ok || v != 0 {
		t.Errorf("licensedesk_up{instance=\"hung\"} = %v (present %v), want 0", v, ok)
	}
}

func TestStopsWhileAReadHangs(t *testing.T) {
	f := newFleet(t)
	f.add("hung", "Hung", grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
	f.save()
	r := f.start(Options{Interval: time.Hour})
	eventually(t, "the read to start", func() bool { return f.servers["hung"].InFlight() > 0 })
	if code := r.stop(); code != exitOK {
		t.Errorf("serve exited %d when stopped mid-read, want 0; log:\n%s", code, r.log.String())
	}
}

func TestReloadsTheInstanceFileWhenItChanges(t *testing.T) {
	f := newFleet(t)
	f.add("first", "First")
	f.save()
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)

	f.add("second", "Second")
	f.save()
	eventually(t, "the added instance to be read", func() bool {
		v, ok := sample(r.scrape(t), "licensedesk_up", "second")
		return ok && v == 1
	})

	writeFile(t, f.config, `{"version":1,"instances":[{"id":"x"`)
	eventually(t, "the refused reload to show", func() bool {
		v, _ := sample(r.scrape(t), "licensedesk_config_last_reload_successful", "")
		return v == 0
	})
	fams := r.scrape(t)
	for _, id := range []string{"first", "second"} {
		if _, ok := sample(fams, "licensedesk_up", id); !ok {
			t.Errorf("%s left /metrics after a bad file was refused; the previous list should keep running", id)
		}
	}
	log := r.log.String()
	if !strings.Contains(log, "previous list keeps running") || !strings.Contains(log, f.config) || !strings.Contains(log, "ends too early") {
		t.Errorf("the log should say the file was refused and why:\n%s", log)
	}
	if data, _ := os.ReadFile(f.config); !bytes.HasPrefix(data, []byte(`{"version":1,"instances":[{"id":"x"`)) {
		t.Errorf("serve changed the refused file; it should leave it for its owner: %q", data)
	}

	f.list = f.list[:1]
	f.save()
	eventually(t, "the removed instance to leave /metrics", func() bool {
		fams := r.scrape(t)
		_, still := sample(fams, "licensedesk_up", "second")
		ok, _ := sample(fams, "licensedesk_config_last_reload_successful", "")
		return !still && ok == 1
	})
}

// A refused file is refused and logged once until it changes (a log
// written beside it, `serve > serve.log`, is no change to it); SIGHUP reads
// it again. Putting it back exactly as it last loaded loads it again: it was
// taken for "unchanged" and stayed refused, licensedesk_config_last_reload_successful
// at 0 until a restart. Its error speaks of no move: serve never moves it.
func TestARefusedFileIsLoggedOnceUntilItChanges(t *testing.T) {
	f := newFleet(t)
	f.add("first", "First")
	f.save()
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)
	refusals := func() int { return strings.Count(r.log.String(), "was not reloaded") }

	writeFile(t, f.config, "{oops")
	eventually(t, "the refused reload to be logged", func() bool { return refusals() == 1 })
	for i := range 3 {
		log := filepath.Join(filepath.Dir(f.config), "serve.log")
		if err := os.WriteFile(log, []byte(strings.Repeat("a log line\n", i+1)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(r.log.String(), "moved aside") {
		t.Errorf("serve never moves the file, but its log speaks of moving it aside:\n%s", r.log.String())
	}
	if v, _ := sample(r.scrape(t), "licensedesk_config_last_reload_successful", ""); v != 0 {
		t.Errorf("licensedesk_config_last_reload_successful = %v while the file is refused, want 0", v)
	}

	if err := r.Reload(t.Context()); err == nil || refusals() != 2 {
		t.Errorf("SIGHUP on the refused file returned %v and logged %d refusals; want the error logged again", err, refusals())
	}
	writeFile(t, f.config, `{"version":1,"instances":[{"id":"x"`)
	eventually(t, "a new bad content to be refused and logged", func() bool { return refusals() >= 3 })
	if n := refusals(); n != 3 {
		t.Errorf("the refusal was logged %d times, want 3: once per content and once for SIGHUP, not for the log beside the file:\n%s", n, r.log.String())
	}

	f.save() // put back exactly as it first loaded, the usual fix
	eventually(t, "the restored file to be loaded, and the log to say so after the refusals", func() bool {
		v, _ := sample(r.scrape(t), "licensedesk_config_last_reload_successful", "")
		log := r.log.String()
		return v == 1 && strings.Contains(log[strings.LastIndex(log, "was not reloaded"):], "reloaded the instance list")
	})
}

func TestAnInvalidInstanceRefusesTheWholeFile(t *testing.T) {
	f := newFleet(t)
	f.add("first", "First")
	f.save()
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)

	writeFile(t, f.config, `{"version":1,"instances":[
		{"id":"first","name":"First","url":"`+f.list[0].URL+`","auth":"basic","username":"admin"},
		{"id":"bad","name":"Bad","url":"ftp://example.com/","auth":"basic","username":"admin"}]}`)
	eventually(t, "the refused reload to show", func() bool {
		v, _ := sample(r.scrape(t), "licensedesk_config_last_reload_successful", "")
		return v == 0
	})
	if _, ok := sample(r.scrape(t), "licensedesk_up", "bad"); ok {
		t.Error("an instance from a refused file was checked")
	}
	if !strings.Contains(r.log.String(), "bad") {
		t.Errorf("the log should name the invalid instance:\n%s", r.log.String())
	}
}

func TestReloadOnRequestReadsTheFileAgain(t *testing.T) {
	f := newFleet(t)
	f.add("first", "First")
	f.save()
	clock := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	r := f.start(Options{Interval: time.Hour, Now: clock.Now})
	r.waitReady(t)
	clock.set(time.Unix(1_800_000_600, 0))
	if err := r.Reload(t.Context()); err != nil {
		t.Fatalf("reloading an unchanged good file: %v", err)
	}
	if v, _ := sample(r.scrape(t), "licensedesk_config_last_reload_success_timestamp_seconds", ""); v != 1_800_000_600 {
		t.Errorf("the reload time is %v, want the time of the request", v)
	}
}

func TestAStartOnABadFileFailsAndLeavesIt(t *testing.T) {
	f := newFleet(t)
	writeFile(t, f.config, "{oops")
	var errOut bytes.Buffer
	code := cli.Main([]string{"licensedesk", "--config", f.config, "serve", "--listen", "127.0.0.1:0"}, nil,
		f.env(&errOut, map[string]cli.Verb{"serve": Verb}))
	if code != exitFailed || !strings.Contains(errOut.String(), f.config) {
		t.Errorf("serve on a damaged file exited %d, want 1 with the file named; stderr:\n%s", code, errOut.String())
	}
	if data, err := os.ReadFile(f.config); err != nil || string(data) != "{oops" {
		t.Errorf("serve moved or changed the damaged file (%v): %q", err, data)
	}
	if strings.Contains(errOut.String(), "moved aside") {
		t.Errorf("serve never moves the file, but it speaks of moving it aside:\n%s", errOut.String())
	}
}

func TestUsage(t *testing.T) {
	f := newFleet(t)
	f.save()
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--help"}, exitOK, "--web.config.file"},
		{[]string{"--interval", "10ms"}, 2, "--interval must be at least 1s"},
		{[]string{"--concurrency", "0"}, 2, "--concurrency must be at least 1"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--listen", "256.0.0.1:1"}, exitFailed, "cannot listen on 256.0.0.1:1"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			env := f.env(&errOut, map[string]cli.Verb{"serve": Verb})
			env.Stdout = &out
			code := cli.Main(append([]string{"licensedesk", "--config", f.config, "serve"}, tc.args...), nil, env)
			if code != tc.code || !strings.Contains(out.String()+errOut.String(), tc.out) {
				t.Errorf("exit %d, want %d with %q; stdout:\n%s\nstderr:\n%s", code, tc.code, tc.out, out.String(), errOut.String())
			}
		})
	}
}
