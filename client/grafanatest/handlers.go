package grafanatest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxBody caps how much of a request body the server reads.
const maxBody = 1 << 20

// serveHTTP logs the request, waits out the latency, applies a fault if one
// matches, then routes.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	route, inside := s.route(r.URL.Path)
	s.record(r)
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if latency > 0 && !s.wait(r, latency) {
		return
	}
	if f, ok := s.takeFault(r.Method, route, r.URL.Path); ok {
		s.serveFault(w, r, f)
		return
	}
	if !inside {
		http.NotFound(w, r)
		return
	}

	switch route {
	case "/api/health":
		s.handleHealth(w, r)
	case "/api/frontend/settings":
		s.handleFrontendSettings(w, r)
	case "/api/licensing/token":
		s.licensing(w, r, map[string]endpoint{
			http.MethodGet:    {permRead, s.handleToken},
			http.MethodPost:   {permWrite, s.handleUpload},
			http.MethodDelete: {permDelete, s.handleDelete},
		})
	case "/api/licensing/token/renew":
		s.licensing(w, r, map[string]endpoint{http.MethodPost: {permWrite, s.handleRenew}})
	case "/api/licensing/check":
		s.licensing(w, r, map[string]endpoint{http.MethodGet: {permRead, s.handleCheck}})
	case "/api/licensing/refresh-stats":
		s.licensing(w, r, map[string]endpoint{http.MethodGet: {permRead, s.handleStats}})
	default:
		writeMessage(w, http.StatusNotFound, "Not found")
	}
}

// route strips the sub-path; inside is false for a path outside it.
func (s *Server) route(p string) (route string, inside bool) {
	if s.subPath == "" {
		return p, true
	}
	if p == s.subPath || strings.HasPrefix(p, s.subPath+"/") {
		return p[len(s.subPath):], true
	}
	return "", false
}

// wait sleeps d unless the client goes away or the server closes first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.closing:
	}
	return false
}

type endpoint struct {
	perm   string
	handle func(http.ResponseWriter, *http.Request)
}

// licensing serves a licensing route: 404 where Grafana has no licensing
// API, then the method, authentication and permission checks.
func (s *Server) licensing(w http.ResponseWriter, r *http.Request, methods map[string]endpoint) {
	if !s.hasLicensingAPI() {
		writeMessage(w, http.StatusNotFound, "Not found")
		return
	}
	e, ok := methods[r.Method]
	if !ok {
		writeMessage(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if s.authorize(w, r, e.perm) {
		e.handle(w, r)
	}
}

// hasLicensingAPI is false for a non-Enterprise edition or a version before 7.4.
func (s *Server) hasLicensingAPI() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.edition != "Enterprise" {
		return false
	}
	major, minor, ok := parseVersion(s.version)
	return !ok || major > 7 || (major == 7 && minor >= 4)
}

func parseVersion(v string) (major, minor int, ok bool) {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	body := encodeObject([]field{{"database", "ok"}, {"version", s.version}, {"commit", s.commit}})
	s.mu.Unlock()
	writeRaw(w, http.StatusOK, "application/json", body)
}

func (s *Server) handleFrontendSettings(w http.ResponseWriter, r *http.Request) {
	if !s.authorize(w, r, "") {
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	status := s.statusLocked(now)
	var expiry int64
	if s.claims != nil {
		expiry = unix(s.claims.LicenseExpiry)
	}
	stateInfo := ""
	switch status {
	case StatusExpired:
		stateInfo = "License expired"
	case StatusInvalidSubject:
		stateInfo = "License URL does not match the root URL"
	case StatusInvalid:
		stateInfo = "Invalid license"
	}
	enterprise := s.edition == "Enterprise"
	license := encodeObject([]field{
		{"appUrl", "https://grafana.com/grafana/enterprise"},
		{"edition", s.edition},
		{"enabledFeatures", map[string]bool{}},
		{"expiry", expiry},
		{"hasLicense", enterprise && s.claims != nil},
		{"hasValidLicense", enterprise && status == StatusValid},
		{"licenseUrl", "/admin/licensing"},
		{"stateInfo", stateInfo},
		{"trial", s.claims != nil && s.claims.Trial},
	})
	build := encodeObject([]field{
		{"buildstamp", 1726000000},
		{"commit", s.commit},
		{"edition", s.edition},
		{"env", "production"},
		{"version", s.version},
	})
	body := encodeObject([]field{
		{"appSubUrl", s.subPath},
		{"appUrl", s.rootURL},
		{"buildInfo", json.RawMessage(build)},
		{"licenseInfo", json.RawMessage(license)},
	})
	writeRaw(w, http.StatusOK, "application/json", body)
}

func (s *Server) handleToken(w http.ResponseWriter, _ *http.Request) {
	writeRaw(w, http.StatusOK, "application/json", s.tokenBody(s.now()))
}

func (s *Server) handleCheck(w http.ResponseWriter, _ *http.Request) {
	now := s.now()
	s.mu.Lock()
	valid := s.statusLocked(now) == StatusValid
	s.mu.Unlock()
	writeRaw(w, http.StatusOK, "application/json", []byte(strconv.FormatBool(valid)))
}

func (s *Server) handleStats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	st := s.stats
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) handleRenew(w http.ResponseWriter, r *http.Request) {
	if _, ok := readBody(w, r); !ok {
		return
	}
	now := s.now().Truncate(time.Second)
	s.mu.Lock()
	switch {
	case s.claims == nil:
		s.mu.Unlock()
		writeMessage(w, http.StatusNotFound, "License not found")
		return
	case s.offline:
		s.mu.Unlock()
		writeRaw(w, http.StatusInternalServerError, "application/json", encodeObject([]field{
			{"message", "Failed to renew token"},
			{"error", `Post "https://grafana.com/api/licenses/` + s.claims.LicenseID + `/token": dial tcp: lookup grafana.com: no such host`},
			{"traceID", ""},
		}))
		return
	}
	s.claims.ID = newID()
	s.claims.IssuedAt = now
	s.claims.TokenExpiry = now.Add(s.tokenLifetime)
	s.mu.Unlock()
	writeRaw(w, http.StatusOK, "application/json", s.tokenBody(now))
}

func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		Token *string `json:"token"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Token == nil {
		writeMessage(w, http.StatusBadRequest, "bad request data")
		return
	}
	c, err := parseJWT(*req.Token)
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "Invalid license token: "+err.Error())
		return
	}
	now := s.now() // it takes s.mu
	s.mu.Lock()
	if s.restartToLoad {
		// Grafana answers with the uploaded token but serves the one it
		// loaded at start until it restarts.
		served := s.claims
		s.claims = &c
		body := s.tokenBodyLocked(now)
		s.claims, s.pending = served, &c
		s.mu.Unlock()
		writeRaw(w, http.StatusOK, "application/json", body)
		return
	}
	s.claims = &c
	s.mu.Unlock()
	writeRaw(w, http.StatusOK, "application/json", s.tokenBody(now))
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		Instance any `json:"instance"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeMessage(w, http.StatusBadRequest, "bad request data")
		return
	}
	instance, _ := req.Instance.(string)
	if strings.TrimSpace(instance) == "" {
		writeMessage(w, http.StatusBadRequest, "instance is required")
		return
	}
	s.mu.Lock()
	match := normalizeURL(instance) == normalizeURL(s.rootURL)
	if match {
		s.claims = nil
	}
	s.mu.Unlock()
	if !match {
		writeMessage(w, http.StatusUnprocessableEntity, "Incorrect instance name provided")
		return
	}
	writeRaw(w, http.StatusAccepted, "application/json", []byte("{}"))
}

// tokenBody renders the token answer at now.
func (s *Server) tokenBody(now time.Time) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenBodyLocked(now)
}

// tokenBodyLocked is tokenBody for a caller holding s.mu.
func (s *Server) tokenBodyLocked(now time.Time) []byte {
	c := s.claims
	if c == nil {
		c = &Claims{}
	}
	var fields []field
	if !s.legacy {
		fields = append(fields, field{"status", s.statusLocked(now)})
	}
	fields = append(fields, c.fields(s.legacy)...)
	for _, x := range s.extra {
		i := slices.IndexFunc(fields, func(f field) bool { return f.name == x.name })
		if i < 0 {
			fields = append(fields, x)
		} else {
			fields[i] = x
		}
	}
	return encodeObject(fields)
}

// statusLocked computes the token status; s.mu must be held.
func (s *Server) statusLocked(now time.Time) int {
	switch {
	case s.forcedStatus >= 0:
		return s.forcedStatus
	case s.claims == nil:
		return StatusNotFound
	case s.claims.Issuer == AWSMarketplaceIssuer:
		return StatusValid // no licensed URL and no license expiry to check
	case !subjectMatches(s.claims.Subject, s.rootURL):
		return StatusInvalidSubject
	case !s.claims.LicenseExpiry.After(now):
		return StatusExpired
	}
	return StatusValid
}

// normalizeURL lowercases scheme and host, drops a default port and
// trailing slashes: the comparison the package doc promises.
func normalizeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.TrimRight(raw, "/")
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if (scheme == "http" && strings.HasSuffix(host, ":80")) || (scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return scheme + "://" + host + strings.TrimRight(u.EscapedPath(), "/")
}

// subjectMatches reports whether a license sub covers the root URL.
func subjectMatches(sub, root string) bool {
	if strings.HasPrefix(sub, "hmac:") {
		return true
	}
	sub, root = normalizeURL(sub), normalizeURL(root)
	if !strings.Contains(sub, "*") {
		return sub == root
	}
	ok, err := path.Match(sub, root)
	return err == nil && ok
}

// readBody reads at most maxBody bytes, answering 413 beyond.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeMessage(w, http.StatusRequestEntityTooLarge, "request body too large")
		return nil, false
	case err != nil:
		writeMessage(w, http.StatusBadRequest, "bad request data")
		return nil, false
	}
	return body, true
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		body = []byte(`{"message":"Internal Server Error"}`)
		status = http.StatusInternalServerError
	}
	writeRaw(w, status, "application/json", body)
}

func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
