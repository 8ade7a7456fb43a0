package serve

import (
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/exporter-toolkit/web"

	"github.com/licensedesk/licensedesk/app"
)

var errServerClosed = http.ErrServerClosed

// Handler serves /metrics, /healthz, /readyz, /api/v1/instances and a
// landing page that links them, all from memory.
func (e *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", e.metricsHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !e.Ready() {
			writeText(w, http.StatusServiceUnavailable, notReady)
			return
		}
		writeText(w, http.StatusOK, "ready")
	})
	mux.HandleFunc("GET /api/v1/instances", func(w http.ResponseWriter, _ *http.Request) {
		snap := e.snap.Load()
		if snap == nil {
			writeText(w, http.StatusServiceUnavailable, notReady)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(snap.report)
	})
	if landing, err := web.NewLandingPage(landingConfig()); err == nil {
		mux.Handle("GET /{$}", landing)
	}
	return mux
}

// notReady is what /readyz and /api/v1/instances say before the first full check.
const notReady = "not ready: the first check of every instance is under way"

func writeText(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

func landingConfig() web.LandingConfig {
	return web.LandingConfig{
		Name:        "Licensedesk",
		Description: "Grafana Enterprise licenses of every configured instance, checked on a schedule",
		Version:     "licensedesk " + app.Build(),
		RoutePrefix: "/",
		// serve has no /debug/pprof: offer no links to it.
		Profiling: "false",
		Links: []web.LandingLinks{
			{Address: "/metrics", Text: "Metrics", Description: "every series of check --format prometheus, and the exporter's own"},
			{Address: "/api/v1/instances", Text: "Instances", Description: "the JSON of check --format json"},
			{Address: "/healthz", Text: "Health"},
			{Address: "/readyz", Text: "Readiness", Description: "ready once every instance was checked"},
		},
	}
}

// serve starts HTTP on ln, with TLS and basic auth when the web
// configuration asks for them; served receives how serving ended.
func (e *Exporter) serve(ln net.Listener, served chan<- error) (*http.Server, error) {
	if err := web.Validate(e.opts.WebConfigFile); err != nil {
		return nil, fmt.Errorf("the web configuration %s: %w", e.opts.WebConfigFile, err)
	}
	srv := &http.Server{
		Handler:           e.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slogLogger(e.opts.Logger),
	}
	file := e.opts.WebConfigFile
	go func() {
		served <- web.Serve(ln, srv, &web.FlagConfig{WebConfigFile: &file}, e.opts.Logger)
	}()
	return srv, nil
}
