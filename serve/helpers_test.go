package serve

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/cli"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// processEnv makes this test binary run as the licensedesk program, serve
// included, so the process tests meet real signals without building the
// window's cgo toolchain.
const processEnv = "LICENSEDESK_SERVE_TEST_PROCESS"

func TestMain(m *testing.M) {
	if os.Getenv(processEnv) == "1" {
		os.Exit(cli.Run(os.Args, nil, nil, map[string]cli.Verb{"serve": Verb}))
	}
	os.Exit(m.Run())
}

// fleet is a set of emulated Grafanas on loopback and the instance file
// that lists them, with their passwords in a memory keyring.
type fleet struct {
	t       testing.TB
	config  string
	secrets *vault.Memory
	list    []app.Instance
	servers map[string]*grafanatest.Server
}

func newFleet(t testing.TB) *fleet {
	return &fleet{
		t:       t,
		config:  filepath.Join(t.TempDir(), "instances.json"),
		secrets: vault.NewMemory(),
		servers: map[string]*grafanatest.Server{},
	}
}

// add starts an emulated Grafana and lists it as id; it is saved by save.
func (f *fleet) add(id, name string, opts ...grafanatest.Option) *grafanatest.Server {
	s := grafanatest.New(opts...)
	f.t.Cleanup(s.Close)
	f.servers[id] = s
	f.list = append(f.list, f.instanceFor(id, name, s))
	return s
}

// instanceFor lists s as id, signing in as its admin.
func (f *fleet) instanceFor(id, name string, s *grafanatest.Server) app.Instance {
	inst := app.Instance{ID: id, Name: name, URL: s.URL + "/", Auth: app.AuthBasic, Username: "admin"}
	f.secrets.Set(vault.KeyFor(inst), "admin")
	return inst
}

// setSecret replaces the password kept for the listed instance id.
func (f *fleet) setSecret(id, secret string) {
	for _, inst := range f.list {
		if inst.ID == id {
			f.secrets.Set(vault.KeyFor(inst), secret)
		}
	}
}

// save writes the instance file atomically, as an editor or configuration management would.
func (f *fleet) save() {
	f.t.Helper()
	if err := config.NewStore(f.config).Save(f.list); err != nil {
		f.t.Fatal(err)
	}
}

// env is the command line's world for this fleet: its keyring, no
// variables, and stderr into errOut.
func (f *fleet) env(errOut io.Writer, verbs map[string]cli.Verb) cli.Env {
	dir := f.t.TempDir()
	return cli.Env{
		Stdout: io.Discard, Stderr: errOut, Secrets: f.secrets,
		Getenv:        func(string) string { return "" },
		UserConfigDir: func() (string, error) { return dir, nil },
		Verbs:         verbs,
	}
}

// check runs `licensedesk check` over the fleet and returns its output.
func (f *fleet) check(format string) []byte {
	f.t.Helper()
	var out, errOut bytes.Buffer
	env := f.env(&errOut, nil)
	env.Stdout = &out
	cli.Main([]string{"licensedesk", "--config", f.config, "check", "--format", format}, nil, env)
	return out.Bytes()
}

// running is an exporter started the way the serve verb starts it.
type running struct {
	*Exporter
	url  string
	log  *syncBuffer
	stop func() int // cancels the run and returns the verb's exit code
}

// start runs an exporter over the fleet through the command line, as serve
// does (same flags, same engine), on a loopback port of its own.
func (f *fleet) start(o Options, args ...string) *running {
	f.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.t.Fatal(err)
	}
	log := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	// Unbuffered: the verb hands its exporter over before running it, so an
	// exporter whose Run fails at once is still seen to have started.
	started := make(chan *Exporter)
	done := make(chan int, 1)
	verb := func(cmd *cli.Command, args []string) int {
		fs, engine := cmd.Flags("serve")
		if code, ok := cmd.Parse(fs, args, synopsis, engine); !ok {
			return code
		}
		svc, code := cmd.Service(*engine)
		if svc == nil {
			return code
		}
		o.StorePath = cmd.StorePath()
		o.Logger = newLogger(log)
		e := New(svc, o)
		started <- e
		if err := e.Run(ctx, ln); err != nil {
			cmd.Errorf("%v", err)
			return exitFailed
		}
		return exitOK
	}
	go func() {
		done <- cli.Main(append([]string{"licensedesk", "--config", f.config, "serve"}, args...), nil,
			f.env(log, map[string]cli.Verb{"serve": verb}))
	}()
	var e *Exporter
	select {
	case e = <-started:
	case code := <-done:
		ln.Close()
		cancel()
		f.t.Fatalf("serve exited %d before it started: %s", code, log.String())
	}
	r := &running{Exporter: e, url: "http://" + ln.Addr().String(), log: log}
	var once sync.Once
	code := -1
	r.stop = func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	f.t.Cleanup(func() { r.stop() })
	return r
}

// get fetches path and returns the status and body.
func (r *running) get(t testing.TB, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(r.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// waitReady polls /readyz until it answers 200.
func (r *running) waitReady(t testing.TB) {
	t.Helper()
	eventually(t, "/readyz says ready", func() bool {
		code, _ := r.get(t, "/readyz")
		return code == http.StatusOK
	})
}

// scrape reads /metrics and parses it strictly.
func (r *running) scrape(t testing.TB) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := r.get(t, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics answered %d: %s", code, body)
	}
	return parseMetrics(t, body)
}

func parseMetrics(t testing.TB, body []byte) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the metrics do not parse: %v\n%s", err, body)
	}
	return fams
}

// sample finds the value of name's series whose instance label is id.
func sample(fams map[string]*dto.MetricFamily, name, id string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	for _, m := range f.Metric {
		if label(m, "instance") == id {
			return value(m), true
		}
	}
	return 0, false
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.Label {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func labelMap(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}

// eventually polls cond until it holds; the test's own timeout bounds the wait.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after a minute for: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for the exporter's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// writeFile replaces path's content by a rename, as editors and configuration management do.
func writeFile(t testing.TB, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}
