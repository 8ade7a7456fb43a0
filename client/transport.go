package client

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Clients whose transport settings agree (CA file, proxy, skip-verify,
// MaxConnsPerHost) share one *http.Transport and its connection pool, so a
// fleet of instances reuses a few kept-alive connections instead of holding
// a pool per instance. Timeouts are per client (http.Client.Timeout), not
// part of the transport.
const (
	// dialTimeout and tlsHandshakeTimeout bound what net/http finishes
	// after a request gave up (it completes a dial for later reuse); each
	// attempt itself ends at Options.Timeout.
	dialTimeout         = 30 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
	// idleConnTimeout drops a kept-alive connection soon after its last
	// use, so connections to a fleet's hosts do not pile up. A connection
	// serves one instance's burst of calls (a read's token, statistics and
	// health, a retry, a renewal after a read); the next read of that host
	// comes a check interval later, so a longer wait only holds descriptors.
	// Closing a client whose transport others still hold leaves its idle
	// connections to this timeout.
	idleConnTimeout = 2 * time.Second
	// maxIdleConns bounds the idle connections of one transport across
	// all hosts; maxIdleConnsPerHost those to one host.
	maxIdleConns        = 32
	maxIdleConnsPerHost = 2
)

// transportKey is everything that decides how a transport connects.
type transportKey struct {
	ca              [sha256.Size]byte // of the CA file's contents; zero without one
	skipVerify      bool
	proxy           string           // the explicit proxy URL; "" means the environment's
	env             httpproxy.Config // the environment's proxy settings, when proxy is ""
	maxConnsPerHost int
}

// sharedTransport is one transport and how many clients hold it.
type sharedTransport struct {
	key   transportKey
	t     *http.Transport
	users int
}

// transportPool hands out shared transports by their settings.
type transportPool struct {
	mu sync.Mutex
	m  map[transportKey]*sharedTransport
}

// transports is the process's pool: clients anywhere in the program share it.
var transports = &transportPool{m: map[transportKey]*sharedTransport{}}

// hold is a client's claim on a shared transport, released once.
type hold struct {
	once sync.Once
	pool *transportPool
	st   *sharedTransport
}

// release gives the claim back; the last holder's going closes the
// transport's idle connections.
func (h *hold) release() { h.once.Do(func() { h.pool.release(h.st) }) }

// transportSettings is what New learns from Options before it asks the pool.
type transportSettings struct {
	key      transportKey
	roots    *x509.CertPool // nil: the system's
	proxy    func(*http.Request) (*url.URL, error)
	proxyURL *url.URL // the explicit proxy, for redaction; nil otherwise
}

// settingsFor reads the CA file and the proxy setting into a key.
func settingsFor(o Options) (*transportSettings, error) {
	s := &transportSettings{}
	s.key.skipVerify = o.InsecureSkipVerify
	s.key.maxConnsPerHost = max(o.MaxConnsPerHost, 0)
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		cause := err
		if inner := errors.Unwrap(err); inner != nil {
			cause = inner // the path is named once, not twice
		}
		switch {
		case err != nil && isLocal(err):
			return nil, &LocalError{Op: opReadCA, URL: o.CAFile, Err: cause}
		case err != nil:
			return nil, &SettingError{Setting: "CA file", Err: err,
				Problem: "could not read the CA file " + o.CAFile + ": " + cause.Error(),
				Fix:     "Check the path, and that this user may read the file"}
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &SettingError{Setting: "CA file",
				Problem: "the CA file " + o.CAFile + " holds no PEM certificate",
				Fix:     "It should contain \"-----BEGIN CERTIFICATE-----\" blocks"}
		}
		s.roots, s.key.ca = pool, sha256.Sum256(pem)
	}
	raw := strings.TrimSpace(o.Proxy)
	if raw == "" {
		// Read HTTPS_PROXY, HTTP_PROXY and NO_PROXY now: net/http caches
		// them for the process's life, and a changed setting should apply.
		// They are part of the key, so a change gets its own transport.
		env := httpproxy.FromEnvironment()
		s.key.env = *env
		byURL := env.ProxyFunc()
		s.proxy = func(r *http.Request) (*url.URL, error) { return byURL(r.URL) }
		return s, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, &SettingError{Setting: "proxy", Problem: "the proxy URL " + SanitizeURL(raw) + " is not valid",
			Fix: "Write it like http://proxy.example.com:3128"}
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, &SettingError{Setting: "proxy", Problem: "the proxy URL " + SanitizeURL(raw) + " must start with http://, https:// or socks5://",
			Fix: "Write it like http://proxy.example.com:3128"}
	}
	s.key.proxy, s.proxy, s.proxyURL = raw, http.ProxyURL(u), u
	return s, nil
}

// opReadCA names the one local step New takes that can run out of files.
const opReadCA Op = "read the CA file"

// acquire returns a hold on the transport for s, making it when no client
// holds one with the same settings.
func (p *transportPool) acquire(s *transportSettings) *hold {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.m[s.key]
	if st == nil {
		st = &sharedTransport{key: s.key, t: newTransport(s)}
		p.m[s.key] = st
	}
	st.users++
	return &hold{pool: p, st: st}
}

func (p *transportPool) release(st *sharedTransport) {
	p.mu.Lock()
	st.users--
	last := st.users == 0
	if last && p.m[st.key] == st {
		delete(p.m, st.key)
	}
	p.mu.Unlock()
	if last {
		st.t.CloseIdleConnections()
	}
}

func newTransport(s *transportSettings) *http.Transport {
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:       s.proxy,
		DialContext: dialer.DialContext,
		TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: s.roots,
			InsecureSkipVerify: s.key.skipVerify}, //nolint:gosec // the user's explicit choice
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          maxIdleConns,
		MaxIdleConnsPerHost:   maxIdleConnsPerHost,
		MaxConnsPerHost:       s.key.maxConnsPerHost,
		IdleConnTimeout:       idleConnTimeout,
		ExpectContinueTimeout: time.Second,
	}
}
