package client_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// testServer starts a loopback server for behaviour the emulator does not
// play, stopped when the test ends.
func testServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// closedPortURL returns an http URL on loopback where nothing listens.
func closedPortURL(t *testing.T) string {
	t.Helper()
	// Port 1 is never handed out for :0: a port closed after Listen could
	// be taken by a server another test starts meanwhile, which would then
	// answer in place of the dead one.
	return "http://127.0.0.1:1"
}

// proxy is a tiny forward proxy for http:// targets that records what it carried.
type proxy struct {
	URL string
	mu  sync.Mutex
	log []proxied
}

type proxied struct {
	url       string
	proxyAuth bool
}

func (p *proxy) seen() []proxied {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]proxied(nil), p.log...)
}

// newProxy starts a proxy that forwards each request to the host it names.
func newProxy(t *testing.T) *proxy { return newProxyTo(t, "") }

// newProxyTo starts a proxy; a non-empty to (host:port) receives every
// request whatever host it names, so a test can use a made-up host name
// without any DNS lookup.
func newProxyTo(t *testing.T, to string) *proxy {
	t.Helper()
	p := &proxy{}
	upstream := &http.Transport{Proxy: nil}
	t.Cleanup(upstream.CloseIdleConnections)
	srv := testServer(t, func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.log = append(p.log, proxied{url: r.URL.String(), proxyAuth: r.Header.Get("Proxy-Authorization") != ""})
		p.mu.Unlock()
		if r.Method == http.MethodConnect || r.URL.Host == "" {
			http.Error(w, "this proxy only forwards http:// requests", http.StatusMethodNotAllowed)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.Header.Del("Proxy-Authorization")
		if to != "" {
			out.URL.Host, out.Host = to, to
		}
		resp, err := upstream.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
	p.URL = srv.URL
	return p
}
