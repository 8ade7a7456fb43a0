package grafanatest

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// FaultKind is a way a Grafana, a proxy or the network misbehaves.
type FaultKind int

// The faults the emulator can play.
const (
	// FaultNone is no fault.
	FaultNone FaultKind = iota
	// FaultHang never answers, until the client goes away or the server closes.
	FaultHang
	// FaultStatus answers Status (default 500) with Body (default a Grafana-like JSON message).
	FaultStatus
	// FaultRetryAfter answers Status (default 429; 503 also fits) with a
	// Retry-After header of RetryAfter seconds.
	FaultRetryAfter
	// FaultMalformedJSON answers 200 with the API doc's own example, which
	// lacks a comma after "sub".
	FaultMalformedJSON
	// FaultHTML answers 200 text/html with a Grafana login page, as a proxy
	// or an expired session does.
	FaultHTML
	// FaultHugeBody streams Size bytes (default 8 MiB) of JSON-labelled data.
	FaultHugeBody
	// FaultRedirect answers Status (default 302) to Location.
	FaultRedirect
	// FaultReset sends headers and part of the body, then resets the connection.
	FaultReset
	// FaultWrongContentType answers 200 text/plain with Body (default a short sentence).
	FaultWrongContentType
)

// String names the kind, for test names.
func (k FaultKind) String() string {
	names := [...]string{"None", "Hang", "Status", "RetryAfter", "MalformedJSON", "HTML", "HugeBody", "Redirect", "Reset", "WrongContentType"}
	if k >= 0 && int(k) < len(names) {
		return names[k]
	}
	return "Fault" + strconv.Itoa(int(k))
}

// Fault is a misbehaviour to play on matching requests.
type Fault struct {
	Kind FaultKind
	// Path limits the fault to one path relative to the root URL, e.g.
	// "/api/licensing/token" (or the full request path); "" matches all.
	Path string
	// Method limits the fault to one HTTP method, e.g. "DELETE"; "" matches all.
	Method string
	// Times plays the fault that many times, then clears it; 0 = until cleared.
	Times int
	// Status overrides the kind's default status code.
	Status int
	// RetryAfter is the Retry-After value in seconds, for FaultRetryAfter.
	RetryAfter int
	// Location is where FaultRedirect points: an absolute URL or a path.
	Location string
	// Body overrides the body of FaultStatus and FaultWrongContentType.
	Body string
	// ContentType overrides the content type of FaultStatus.
	ContentType string
	// Size is FaultHugeBody's length in bytes.
	Size int64
	// Header adds headers to the answer, e.g. a Retry-After as an HTTP date.
	Header http.Header
}

// SetFault replaces every active fault with f; a FaultNone clears them.
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	if f.Kind != FaultNone {
		s.faults = append(s.faults, f)
	}
}

// AddFault adds f after the active faults; the first that matches a request plays.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first fault matching the request, counting down its Times.
func (s *Server) takeFault(method, route, full string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Kind == FaultNone || (f.Path != "" && f.Path != route && f.Path != full) ||
			(f.Method != "" && !strings.EqualFold(f.Method, method)) {
			continue
		}
		if f.Times > 0 {
			s.faults[i].Times--
			if s.faults[i].Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f, true
	}
	return Fault{}, false
}

// MalformedExample is the example answer of the API doc, verbatim: it lacks
// a comma after "sub", so it is not valid JSON.
const MalformedExample = `{ "jti":"2", "iss":"https://grafana.com", "sub":"https://play.grafana.org/" "lid":"1", "included_admins":5, "included_viewers":10, "lic_exp_warn_days":30, "tok_exp_warn_days":2, "update_days":1, "prod":["grafana-enterprise"], "company":"Grafana Labs" }`

// LoginPage is the HTML FaultHTML serves, shaped like Grafana's login page.
const LoginPage = `<!DOCTYPE html>
<html lang="en-US">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width" />
    <meta name="theme-color" content="#000" />
    <title>Grafana</title>
    <base href="/" />
    <link rel="icon" type="image/png" href="public/img/fav32.png" />
  </head>
  <body class="theme-dark app-grafana">
    <div id="reactRoot"></div>
    <script nonce="">
      window.grafanaBootData = { settings: {}, user: { isSignedIn: false } };
    </script>
    <noscript>Please enable JavaScript to sign in to Grafana.</noscript>
  </body>
</html>
`

// DefaultHugeBodySize is how much FaultHugeBody streams unless Size says otherwise.
const DefaultHugeBodySize = 8 << 20

func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault) {
	for k, v := range f.Header {
		w.Header()[http.CanonicalHeaderKey(k)] = v
	}
	switch f.Kind {
	case FaultHang:
		// Draining the body lets net/http notice the client going away.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxBody))
		select {
		case <-r.Context().Done():
		case <-s.closing:
			// A hung server never answers: drop the connection, send nothing.
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
		}
	case FaultStatus:
		status := orDefault(f.Status, http.StatusInternalServerError)
		body, ctype := f.Body, f.ContentType
		if body == "" {
			text := http.StatusText(status)
			if text == "" {
				text = "Error"
			}
			b, _ := json.Marshal(map[string]string{"message": text})
			body = string(b)
		}
		if ctype == "" {
			ctype = "text/plain; charset=utf-8"
			if json.Valid([]byte(body)) {
				ctype = "application/json"
			}
		}
		writeRaw(w, status, ctype, []byte(body))
	case FaultRetryAfter:
		status := orDefault(f.Status, http.StatusTooManyRequests)
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", strconv.Itoa(max(f.RetryAfter, 0)))
		}
		writeMessage(w, status, http.StatusText(status))
	case FaultMalformedJSON:
		writeRaw(w, http.StatusOK, "application/json", []byte(MalformedExample))
	case FaultHTML:
		writeRaw(w, http.StatusOK, "text/html; charset=UTF-8", []byte(LoginPage))
	case FaultHugeBody:
		s.serveHuge(w, r, f.Size)
	case FaultRedirect:
		w.Header().Set("Location", f.Location)
		writeRaw(w, orDefault(f.Status, http.StatusFound), "text/html; charset=utf-8",
			[]byte(`<a href="`+htmlEscape(f.Location)+`">Found</a>.`+"\n"))
	case FaultReset:
		s.serveReset(w)
	case FaultWrongContentType:
		body := f.Body
		if body == "" {
			body = "This is not Grafana's API. Check the URL.\n"
		}
		writeRaw(w, orDefault(f.Status, http.StatusOK), "text/plain; charset=utf-8", []byte(body))
	default:
		writeMessage(w, http.StatusInternalServerError, "unknown fault")
	}
}

// serveHuge streams a JSON-labelled body of size bytes from one small
// buffer, stopping when the client goes away or the server closes.
func (s *Server) serveHuge(w http.ResponseWriter, r *http.Request, size int64) {
	if size <= 0 {
		size = DefaultHugeBodySize
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	chunk := []byte(strings.Repeat(`{"status":1,"padding":"`+strings.Repeat("x", 990)+`"},`, 32))
	for sent := int64(0); sent < size; {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		default:
		}
		n := min(int64(len(chunk)), size-sent)
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		sent += n
	}
}

// serveReset starts a 200 answer promising more than it sends, then resets
// the connection.
func (s *Server) serveReset(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Cannot hijack: a body shorter than its Content-Length makes
		// net/http close the connection instead.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "4096")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, partialBody)
		return
	}
	raw := conn
	if t, ok := conn.(*tls.Conn); ok {
		raw = t.NetConn()
	}
	_, _ = writePartial(buf)
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close with RST: "connection reset by peer"
	}
	_ = raw.Close()
}

// partialBody is the start of a token answer, cut short.
const partialBody = `{"status":1,"jti":"a1b2c3","iss":"https://grafana.com","sub":"`

func writePartial(buf *bufio.ReadWriter) (int, error) {
	n, err := buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n" + partialBody)
	if err != nil {
		return n, err
	}
	return n, buf.Flush()
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
