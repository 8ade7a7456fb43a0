package serve

import (
	"bytes"
	"fmt"
	"log"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"google.golang.org/protobuf/proto"

	"github.com/licensedesk/licensedesk/app"
)

// snapshot is one set of results as scrapes see it, built once per check
// so that a scrape only encodes what is already there.
type snapshot struct {
	families []*dto.MetricFamily // check's series, then licensedesk_up and last_check
	report   []byte              // check's JSON document
}

// newSnapshot renders statuses through check's own writers, the one home of
// each series and of the JSON document, and adds the per-instance series
// only a long-running exporter has.
func newSnapshot(statuses []app.Status, now time.Time) (*snapshot, error) {
	var text bytes.Buffer
	if err := app.WriteCheckPrometheus(&text, statuses, now); err != nil {
		return nil, err
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	parsed, err := parser.TextToMetricFamilies(bytes.NewReader(text.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("check's Prometheus output does not parse: %w", err)
	}
	var families []*dto.MetricFamily
	for _, name := range checkOrder(text.Bytes(), parsed) {
		if f := parsed[name]; len(f.Metric) > 0 { // a family with no series cannot be encoded
			families = append(families, f)
		}
	}
	families = append(families, instanceFamilies(statuses)...)

	var report bytes.Buffer
	if err := app.WriteCheckJSON(&report, statuses, now); err != nil {
		return nil, err
	}
	return &snapshot{families: families, report: report.Bytes()}, nil
}

// checkOrder lists the parsed families in the order check printed them.
func checkOrder(text []byte, parsed map[string]*dto.MetricFamily) []string {
	var names []string
	seen := map[string]bool{}
	for line := range bytes.Lines(text) {
		fields := bytes.Fields(line)
		if len(fields) >= 3 && string(fields[0]) == "#" && string(fields[1]) == "TYPE" {
			name := string(fields[2])
			if parsed[name] != nil && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	for name := range parsed { // a family printed without # TYPE
		if !seen[name] {
			names = append(names, name)
		}
	}
	return names
}

// instanceFamilies are licensedesk_up and licensedesk_last_check_timestamp_seconds,
// labelled as check labels its series.
func instanceFamilies(statuses []app.Status) []*dto.MetricFamily {
	up := gaugeFamily("licensedesk_up", "1 when the last read of the instance's license succeeded, else 0.")
	last := gaugeFamily("licensedesk_last_check_timestamp_seconds", "When the instance was last read (successfully or not), as a Unix time.")
	for _, st := range statuses {
		v := 0.0
		if st.Err == nil {
			v = 1
		}
		up.Metric = append(up.Metric, gauge(st.Instance, v))
		last.Metric = append(last.Metric, gauge(st.Instance, float64(st.CheckedAt.UnixNano())/1e9))
	}
	return []*dto.MetricFamily{up, last}
}

func gaugeFamily(name, help string) *dto.MetricFamily {
	return &dto.MetricFamily{Name: proto.String(name), Help: proto.String(help), Type: dto.MetricType_GAUGE.Enum()}
}

func gauge(inst app.Instance, v float64) *dto.Metric {
	return &dto.Metric{
		Label: []*dto.LabelPair{
			{Name: proto.String("instance"), Value: proto.String(inst.ID)},
			{Name: proto.String("name"), Value: proto.String(inst.Name)},
		},
		Gauge: &dto.Gauge{Value: proto.Float64(v)},
	}
}

// gatherer hands a scrape the exporter's own metrics and the last snapshot.
// The snapshot is never changed once published, so scrapes share it; it is
// appended unchecked, as checking 10,000 instances' series on every scrape
// would cost more than the scrape itself (the tests parse it strictly).
type gatherer struct{ e *Exporter }

// Gather returns the registry's families and the snapshot's.
func (g gatherer) Gather() ([]*dto.MetricFamily, error) {
	own, err := g.e.reg.Gather()
	if snap := g.e.snap.Load(); snap != nil {
		own = append(own, snap.families...)
	}
	return own, err
}

// ownMetrics are the exporter's own series beside check's.
type ownMetrics struct {
	cycleDuration prometheus.Histogram
	reloadOK      prometheus.Gauge
	reloadTime    prometheus.Gauge
}

// registerOwn registers the exporter's series, the Go and process
// collectors and build information; loadedAt is when the instance file was
// first read.
func registerOwn(reg *prometheus.Registry, loadedAt time.Time) ownMetrics {
	m := ownMetrics{
		cycleDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "licensedesk_check_duration_seconds",
			Help:    "How long one full check of every instance took.",
			Buckets: prometheus.ExponentialBuckets(0.25, 2, 12), // 0.25 s to about 8.5 minutes
		}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "licensedesk_config_last_reload_successful",
			Help: "1 when the last load of the instance file succeeded; 0 when it was refused and the previous list kept running.",
		}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "licensedesk_config_last_reload_success_timestamp_seconds",
			Help: "When the instance file was last loaded successfully, as a Unix time.",
		}),
	}
	m.reloadOK.Set(1)
	m.reloadTime.Set(float64(loadedAt.UnixNano()) / 1e9)
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "licensedesk_build_info",
		Help:        "1, labelled with the version and commit of the running Licensedesk.",
		ConstLabels: prometheus.Labels{"version": app.Version, "revision": app.Commit},
	})
	buildInfo.Set(1)
	reg.MustRegister(m.cycleDuration, m.reloadOK, m.reloadTime, buildInfo,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// slogPrinter lets promhttp report encoding errors to the service log.
type slogPrinter struct{ l *slog.Logger }

// Println logs v as one error.
func (p slogPrinter) Println(v ...any) { p.l.Error(fmt.Sprint(v...)) }

// slogLogger routes net/http's own complaints (bad TLS handshakes) to the service log.
func slogLogger(l *slog.Logger) *log.Logger {
	return slog.NewLogLogger(l.Handler(), slog.LevelWarn)
}
