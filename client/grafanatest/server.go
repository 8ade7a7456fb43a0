package grafanatest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Server is an emulated Grafana Enterprise instance. All its methods are
// safe to call from any goroutine.
type Server struct {
	// URL is the root URL without a trailing slash, sub-path included,
	// e.g. "http://127.0.0.1:41234/grafana".
	URL string

	srv       *httptest.Server
	tls       bool
	addr      string
	subPath   string // "" or "/grafana": no trailing slash
	caPEM     []byte
	cert      certSpec // what WithCertNames and WithCertValidity ask of the TLS certificate
	closing   chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	rootURL string
	claims  *Claims // nil: no license loaded
	// restartToLoad keeps serving claims after an upload, which waits in
	// pending until Restart, as Grafana does.
	restartToLoad bool
	pending       *Claims
	claimsGiven   bool
	forcedStatus  int
	legacy        bool
	extra         []field
	clock         func() time.Time
	latency       time.Duration
	offline       bool
	tokenLifetime time.Duration
	stats         Stats
	version       string
	commit        string
	edition       string
	users         map[string]user
	bearers       map[string]bearer
	faults        []Fault
	requests      []Request
	counts        map[string]int
	inFlight      int
	conns         Conns
}

// Stats is the answer of /api/licensing/refresh-stats.
type Stats struct {
	ActiveUsers            int64 `json:"active_users"`
	ActiveAdminsAndEditors int64 `json:"active_admins_and_editors"`
	ActiveViewers          int64 `json:"active_viewers"`
	ActiveAnonymousDevices int64 `json:"active_anonymous_devices"`
}

// Option configures a Server before it starts.
type Option func(*Server)

// WithTLS serves HTTPS with a certificate from a CA of the server's own; see CACertPEM.
func WithTLS() Option { return func(s *Server) { s.tls = true } }

// WithCertNames issues the TLS certificate for names (host names or IP
// addresses) instead of the listening address, 127.0.0.1, ::1, localhost and
// grafana.test, so a client that connects by another name sees a mismatch.
func WithCertNames(names ...string) Option {
	return func(s *Server) { s.cert.names = append([]string{}, names...) }
}

// WithCertValidity makes the TLS certificate valid from notBefore to
// notAfter, e.g. to serve an expired certificate or one not yet valid.
func WithCertValidity(notBefore, notAfter time.Time) Option {
	return func(s *Server) { s.cert.notBefore, s.cert.notAfter = notBefore, notAfter }
}

// WithListenAddr listens on addr instead of "127.0.0.1:0", e.g. "127.0.0.2:0"
// for a second host in redirect tests. Keep it on 127.0.0.0/8.
func WithListenAddr(addr string) Option { return func(s *Server) { s.addr = addr } }

// WithSubPath serves Grafana from a sub-path such as "/grafana/", as behind a
// reverse proxy; URL and every route then carry it.
func WithSubPath(p string) Option {
	return func(s *Server) {
		p = strings.Trim(p, "/")
		if p != "" {
			p = "/" + p
		}
		s.subPath = p
	}
}

// WithRootURL sets Grafana's configured root_url instead of URL + "/".
func WithRootURL(u string) Option { return func(s *Server) { s.rootURL = u } }

// WithClaims loads c as the license; an empty Subject becomes the root URL
// (except on an AWS Marketplace license, which has none).
func WithClaims(c Claims) Option {
	return func(s *Server) { s.claims, s.claimsGiven = cloneClaims(&c), true }
}

// WithNoLicense starts with no license loaded (status 4).
func WithNoLicense() Option { return func(s *Server) { s.claims, s.claimsGiven = nil, true } }

// WithLegacyShape answers in the Grafana 7.4–8.x token shape: no status, and
// included_admins and included_viewers instead of included_users.
func WithLegacyShape() Option { return func(s *Server) { s.legacy = true } }

// WithExtraField appends a field the client does not know to every token
// answer, as a future Grafana might send. value must marshal to JSON. A
// name the token already has replaces that field's value in place, so a
// test can send what Claims cannot hold (milliseconds, a string): pass a
// json.RawMessage to send bytes as they are.
func WithExtraField(name string, value any) Option {
	return func(s *Server) { s.extra = append(s.extra, extraField(name, value)) }
}

// WithClock makes the server read time from now instead of time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

// WithLatency delays every answer by d.
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// WithOffline makes renewals fail with 500, as an air-gapped Grafana's do.
func WithOffline() Option { return func(s *Server) { s.offline = true } }

// WithTokenLifetime sets how long renewed tokens last (default 7 days).
func WithTokenLifetime(d time.Duration) Option { return func(s *Server) { s.tokenLifetime = d } }

// WithStats sets the refresh-stats answer.
func WithStats(st Stats) Option { return func(s *Server) { s.stats = st } }

// WithVersion sets the Grafana version /api/health reports. Below 7.4 the
// licensing API answers 404, as it does not exist there.
func WithVersion(v string) Option { return func(s *Server) { s.version = v } }

// WithEdition sets the edition ("Enterprise" by default). Any other edition,
// e.g. "Open Source", has no licensing API: its routes answer 404.
func WithEdition(e string) Option { return func(s *Server) { s.edition = e } }

// WithUser adds or replaces a Basic-auth user.
func WithUser(name, password string, role Role) Option {
	return func(s *Server) { s.users[name] = user{password: password, role: role} }
}

// WithBearer adds or replaces a bearer token (API key or service account token).
func WithBearer(token string, role Role) Option {
	return func(s *Server) { s.bearers[token] = bearer{role: role} }
}

// WithExpiredBearer adds a bearer token that Grafana rejects as expired.
func WithExpiredBearer(token string) Option {
	return func(s *Server) { s.bearers[token] = bearer{role: RoleServerAdmin, expired: true} }
}

// WithFault starts with f active.
func WithFault(f Fault) Option { return func(s *Server) { s.faults = append(s.faults, f) } }

// New starts a Server; call Close when done. It panics when the server
// cannot start, as httptest does: for tests. Demo mode and anything else
// that must report the failure calls Start.
func New(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err.Error())
	}
	return s
}

// Start starts a Server and returns it, or says why it could not start
// (the address cannot be listened on, no certificate could be made); call
// Close when done.
func Start(opts ...Option) (*Server, error) {
	s := &Server{
		addr:          "127.0.0.1:0",
		closing:       make(chan struct{}),
		forcedStatus:  -1,
		clock:         time.Now,
		tokenLifetime: DefaultTokenLifetime,
		stats:         Stats{ActiveUsers: 42, ActiveAdminsAndEditors: 7, ActiveViewers: 35},
		version:       "11.2.2",
		commit:        "ed6a8e7e1b",
		edition:       "Enterprise",
		users: map[string]user{
			"admin":  {password: "admin", role: RoleServerAdmin},
			"reader": {password: "reader", role: RoleLicensingReader},
			"viewer": {password: "viewer", role: RoleViewer},
		},
		bearers: map[string]bearer{
			"glsa_admin_00000000":  {role: RoleServerAdmin},
			"glsa_reader_00000000": {role: RoleLicensingReader},
			"glsa_viewer_00000000": {role: RoleViewer},
		},
		counts: map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	if s.clock == nil {
		s.clock = time.Now
	}

	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("grafanatest: cannot listen on %s: %w", s.addr, err)
	}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Listener.Close()
	s.srv.Listener = ln
	s.srv.Config.ConnState = s.connState
	// Handshake failures are what TLS tests provoke; keep them out of test output.
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if s.tls {
		cert, caPEM, err := newCertificate(ln.Addr(), s.cert)
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("grafanatest: cannot make a certificate: %w", err)
		}
		s.caPEM = caPEM
		s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	s.URL = s.srv.URL + s.subPath

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rootURL == "" {
		s.rootURL = s.URL + "/"
	}
	if !s.claimsGiven {
		c := DefaultClaims(s.clock())
		s.claims = &c
	}
	if s.claims != nil && s.claims.Subject == "" && s.claims.Issuer != AWSMarketplaceIssuer {
		s.claims.Subject = s.rootURL
	}
	return s, nil
}

// Close ends hung requests, closes every connection and stops the server.
// It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		// Drop connections before releasing hung handlers, so none of them
		// gets to send an answer.
		s.srv.CloseClientConnections()
		close(s.closing)
		s.srv.Close()
	})
}

// CACertPEM returns the PEM certificate of the CA that signed the server's
// TLS certificate, for a CA file; nil without WithTLS.
func (s *Server) CACertPEM() []byte { return slices.Clone(s.caPEM) }

// Client returns a new *http.Client that trusts the server's CA, for tests
// that talk plain net/http.
func (s *Server) Client() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	if s.caPEM != nil {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(s.caPEM)
		t.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: t}
}

// RootURL returns Grafana's configured root_url.
func (s *Server) RootURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rootURL
}

// SetRootURL changes Grafana's configured root_url; a loaded license whose
// sub no longer matches then reports status 6.
func (s *Server) SetRootURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rootURL = u
}

// Claims returns the loaded license and whether one is loaded.
func (s *Server) Claims() (Claims, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.claims == nil {
		return Claims{}, false
	}
	return *cloneClaims(s.claims), true
}

// SetClaims loads c as the license; an empty Subject becomes the root URL
// (except on an AWS Marketplace license, which has none).
func (s *Server) SetClaims(c Claims) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.claims = cloneClaims(&c)
	if s.claims.Subject == "" && s.claims.Issuer != AWSMarketplaceIssuer {
		s.claims.Subject = s.rootURL
	}
}

// WithRestartToLoad makes an upload take effect only at the next Restart,
// as on a real Grafana, which loads its license at start.
func WithRestartToLoad() Option { return func(s *Server) { s.restartToLoad = true } }

// Restart loads a license uploaded since the last start, as restarting
// Grafana does (see WithRestartToLoad).
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending != nil {
		s.claims, s.pending = s.pending, nil
	}
}

// ClearLicense removes the license, as a delete does.
func (s *Server) ClearLicense() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.claims = nil
}

// SetForcedStatus makes token answers report status instead of the computed
// one, e.g. 3 Invalid or 0 NotLoaded; a negative status restores computing.
func (s *Server) SetForcedStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forcedStatus = status
}

// SetExtraField adds or replaces a field the client does not know in every token answer.
func (s *Server) SetExtraField(name string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := extraField(name, value)
	for i := range s.extra {
		if s.extra[i].name == name {
			s.extra[i] = f
			return
		}
	}
	s.extra = append(s.extra, f)
}

// SetLatency delays every later answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetClock makes the server read time from now; nil restores time.Now.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now == nil {
		now = time.Now
	}
	s.clock = now
}

// SetOffline makes renewals fail with 500 (true) or succeed (false).
func (s *Server) SetOffline(offline bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offline = offline
}

// SetStats sets the refresh-stats answer.
func (s *Server) SetStats(st Stats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = st
}

// SetVersion sets the Grafana version /api/health reports.
func (s *Server) SetVersion(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = v
}

// SetUser adds or replaces a Basic-auth user, e.g. to change a password mid-test.
func (s *Server) SetUser(name, password string, role Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name] = user{password: password, role: role}
}

// SetBearer adds or replaces a bearer token.
func (s *Server) SetBearer(token string, role Role) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bearers[token] = bearer{role: role}
}

// ExpireBearer makes Grafana reject token as an expired key.
func (s *Server) ExpireBearer(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bearers[token] = bearer{role: RoleServerAdmin, expired: true}
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	clock := s.clock
	s.mu.Unlock()
	return clock()
}

func cloneClaims(c *Claims) *Claims {
	cp := *c
	cp.Products = slices.Clone(c.Products)
	return &cp
}

func extraField(name string, value any) field {
	if raw, ok := value.(json.RawMessage); ok {
		return field{name: name, value: raw}
	}
	raw, err := json.Marshal(value)
	if err != nil {
		raw = []byte("null")
	}
	return field{name: name, value: json.RawMessage(raw)}
}
