package serve

import (
	"bytes"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"google.golang.org/protobuf/proto"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/cli"
)

// snapshot is one set of results as scrapes see it, rendered once per
// check so that a scrape only copies bytes: at 10,000 instances, encoding
// their series anew on every scrape would cost more than the scrape itself.
type snapshot struct {
	metrics []byte        // check's series as check prints them, then licensedesk_up and last_check
	gzipped precompressed // metrics, compressed for scrapes that accept gzip
	report  []byte        // check's JSON document
}

// newSnapshot renders statuses through check's own writers, the one home of
// each series and of the JSON document, and adds the per-instance series
// only a long-running exporter has.
func newSnapshot(statuses []app.Status, now time.Time) (*snapshot, error) {
	var metrics bytes.Buffer
	if err := cli.WriteCheckPrometheus(&metrics, statuses, now); err != nil {
		return nil, err
	}
	// Parsed once per check, strictly, so a scrape never serves what a
	// Prometheus would refuse.
	parser := expfmt.NewTextParser(model.LegacyValidation)
	if _, err := parser.TextToMetricFamilies(bytes.NewReader(metrics.Bytes())); err != nil {
		return nil, fmt.Errorf("check's Prometheus output does not parse: %w", err)
	}
	for _, f := range instanceFamilies(statuses) {
		if len(f.Metric) == 0 {
			continue // a family with no series cannot be encoded
		}
		if _, err := expfmt.MetricFamilyToText(&metrics, f); err != nil {
			return nil, err
		}
	}
	var report bytes.Buffer
	if err := cli.WriteCheckJSON(&report, statuses, now); err != nil {
		return nil, err
	}
	gzipped, err := precompress(metrics.Bytes())
	if err != nil {
		return nil, err
	}
	return &snapshot{metrics: metrics.Bytes(), gzipped: gzipped, report: report.Bytes()}, nil
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

// textFormat is the exposition format /metrics answers in, which every
// Prometheus reads.
var textFormat = string(expfmt.NewFormat(expfmt.TypeTextPlain))

// metricsHandler serves the last snapshot's series, then the exporter's
// own, gathered at the scrape; gzipped when the scraper accepts it.
func (e *Exporter) metricsHandler() http.Handler {
	return promhttp.InstrumentMetricHandler(e.reg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fams, err := e.reg.Gather()
		if err != nil {
			e.opts.Logger.Error("gathering the exporter's own metrics", "err", err)
		}
		var own bytes.Buffer
		for _, f := range fams {
			if _, err := expfmt.MetricFamilyToText(&own, f); err != nil {
				e.opts.Logger.Error("encoding the exporter's own metrics", "err", err)
			}
		}
		w.Header().Set("Content-Type", textFormat)
		w.Header().Set("Vary", "Accept-Encoding")
		snap := e.snap.Load()
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			var pre precompressed // nothing checked yet: the own series alone
			if snap != nil {
				pre = snap.gzipped
			}
			w.Header().Set("Content-Encoding", "gzip")
			writeGzip(w, pre, own.Bytes())
			return
		}
		if snap != nil {
			w.Write(snap.metrics)
		}
		w.Write(own.Bytes())
	}))
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

// slogLogger routes net/http's own complaints (bad TLS handshakes) to the service log.
func slogLogger(l *slog.Logger) *log.Logger {
	return slog.NewLogLogger(l.Handler(), slog.LevelWarn)
}
