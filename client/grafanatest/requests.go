package grafanatest

import (
	"net"
	"net/http"
	"slices"
	"time"
)

// Request is one request the server received.
type Request struct {
	Method string
	Path   string // as received, sub-path included
	// HasAuth is whether an Authorization header came with it; the header
	// itself is never kept.
	HasAuth   bool
	UserAgent string
	Time      time.Time
}

// maxLogged bounds the request log so a long benchmark does not grow it forever.
const maxLogged = 10000

func (s *Server) record(r *http.Request) {
	req := Request{
		Method:    r.Method,
		Path:      r.URL.Path,
		HasAuth:   r.Header.Get("Authorization") != "",
		UserAgent: r.UserAgent(),
		Time:      time.Now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) >= maxLogged {
		s.requests = slices.Delete(s.requests, 0, len(s.requests)-maxLogged+1)
	}
	s.requests = append(s.requests, req)
	s.counts[r.URL.Path]++
	s.inFlight++
}

// Requests returns the requests received so far, oldest first (the last 10000).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// RequestCount returns how many requests reached apiPath, a path relative
// to the root URL such as "/api/licensing/token".
func (s *Server) RequestCount(apiPath string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[s.subPath+apiPath]
}

// ResetRequests empties the request log and counts.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.counts = map[string]int{}
}

// InFlight returns how many requests the server is handling now, so a test
// can see that a cancelled request really ended on the server.
func (s *Server) InFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inFlight
}

// Conns counts the TCP connections clients opened to the server.
type Conns struct {
	Opened int // since the server started
	Open   int // now: idle kept-alive ones included
}

// Connections returns how many connections clients opened and how many are
// open now, so a test can see connections shared, reused and closed. The
// server learns of a close when it next reads, a moment after the client.
func (s *Server) Connections() Conns {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *Server) connState(_ net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		s.conns.Opened++
		s.conns.Open++
	case http.StateClosed, http.StateHijacked:
		s.conns.Open--
	}
}
