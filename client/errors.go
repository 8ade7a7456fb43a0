package client

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/licensedesk/licensedesk/internal/words"
)

// Every error the client returns is one of the types below. Each has a
// Hint (what to do), and its Error is composed from its parts in hints.go;
// front-ends that show the two apart call Explain, never split Error.

// Op names the call that failed, in words an administrator reads in an error.
type Op string

// The operations of the licensing API.
const (
	OpToken    Op = "read the license token"
	OpRenew    Op = "renew the license token"
	OpUpload   Op = "upload the license token"
	OpDelete   Op = "remove the license"
	OpCheck    Op = "check the license"
	OpStats    Op = "read usage statistics"
	OpHealth   Op = "read Grafana's health"
	OpSettings Op = "read Grafana's frontend settings"
)

// APIError is a non-2xx answer from Grafana. It keeps what Grafana said and
// explains what to do.
type APIError struct {
	Op            Op
	StatusCode    int
	Title         string // Grafana's "title", e.g. "Access denied"
	Message       string // Grafana's "message"
	MessageID     string // Grafana's "messageId", e.g. "api-key.invalid"
	AccessErrorID string // Grafana's "accessErrorId" on 403
	Body          string // a short, printable excerpt of the body
	SentInstance  string // on delete: the root URL that was sent, without credentials
	Attempts      int    // requests made, retries included
	// Bearer is whether the request was signed with a bearer token rather
	// than HTTP Basic: a 401 or 403 then says this API wants Basic auth.
	Bearer bool
}

// Error says what failed, what Grafana answered and what to do.
func (e *APIError) Error() string { return compose(e.what(), ". ", e.Hint()) }

// NetworkKind classifies a failure to talk to Grafana at all.
type NetworkKind int

// The kinds of network failure.
const (
	NetOther NetworkKind = iota
	NetTimeout
	NetTLS
	NetRefused
	NetDNS
	NetProxy
	NetCanceled // the caller canceled the request
)

// CertProblem says why a server's certificate was refused (Kind NetTLS).
type CertProblem int

// The kinds of certificate problem, each with its own advice.
const (
	CertNone             CertProblem = iota // not a certificate problem (or not TLS at all)
	CertUnknownAuthority                    // signed by a CA this computer does not trust
	CertNameMismatch                        // issued for other names than the URL's host
	CertExpired                             // past its end date
	CertNotYetValid                         // before its start date
)

// NetworkError is a failure to reach Grafana or to finish a request.
type NetworkError struct {
	Op       Op
	URL      string // without credentials or query
	Kind     NetworkKind
	Cert     CertProblem // with Kind NetTLS: what is wrong with the certificate
	Err      error       // sanitised: never holds a credential
	Attempts int         // requests made, retries included

	retry bool     // a transient failure worth another attempt
	cert  certInfo // details for the certificate advice
}

// certInfo is what the advice on a refused certificate names.
type certInfo struct {
	host  string    // the URL's host
	names []string  // the names the certificate is valid for
	at    time.Time // its end (expired) or start (not yet valid)
}

// Error explains the failure and what to do about it.
func (e *NetworkError) Error() string { return compose(e.what(), "; ", words.LowerFirst(e.Hint())) }

// Unwrap returns the underlying error.
func (e *NetworkError) Unwrap() error { return e.Err }

// LocalError is a failure of this computer rather than of the instance: it
// ran out of open files or local ports, so the request never left it.
type LocalError struct {
	Op       Op     // the call that could not be made
	URL      string // without credentials or query
	Err      error  // the system's own words, e.g. "socket: too many open files"
	Attempts int    // requests tried, retries included
}

// Error says the failure is local and what to do.
func (e *LocalError) Error() string { return compose(e.what(), "; ", words.LowerFirst(e.Hint())) }

// Unwrap returns the underlying error.
func (e *LocalError) Unwrap() error { return e.Err }

// BadResponseError is an answer that is not what the API returns: not JSON,
// invalid JSON, an HTML login page, or a body over the size cap.
type BadResponseError struct {
	Op          Op
	StatusCode  int
	ContentType string
	Reason      string // "an HTML page", "invalid JSON", "a body over 1 MiB"…
	Excerpt     string // short and printable
}

// Error names what came back instead of the expected answer.
func (e *BadResponseError) Error() string { return compose(e.what(), "; ", words.LowerFirst(e.Hint())) }

// RedirectError is a redirect the client refused to follow because it leads
// to another origin (scheme, host or port), where the credentials must not go.
type RedirectError struct {
	Op Op
	// URL is where the request went, without credentials or query.
	URL string
	// Target is where Grafana redirected to: scheme, host and port only.
	Target string
}

// Error names the refused target and what to do.
func (e *RedirectError) Error() string { return compose(e.what(), ". ", e.Hint()) }

// SettingError is an instance setting New cannot use (the URL, the CA file,
// the proxy or the token), or an input a call refuses before sending.
type SettingError struct {
	Setting string // "URL", "CA file", "proxy", "token", "root URL"
	Problem string // what is wrong, e.g. "the Grafana URL is empty"
	Fix     string // what to do, a sentence without its full stop
	Err     error  // the cause, when there is one (e.g. fs.ErrNotExist)
}

// Error says what is wrong with the setting and how to fix it.
func (e *SettingError) Error() string { return compose(e.Problem, ": ", words.LowerFirst(e.Fix)) }

// Unwrap returns the cause.
func (e *SettingError) Unwrap() error { return e.Err }

// IsStatus reports whether err is an APIError with the given HTTP status.
func IsStatus(err error, code int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == code
}

// IsLocal reports whether err is a failure of this computer (out of open
// files or ports), not of the instance it was talking to.
func IsLocal(err error) bool {
	var le *LocalError
	return errors.As(err, &le)
}

func (e *APIError) what() string {
	s := fmt.Sprintf("could not %s: Grafana answered %d %s", e.Op, e.StatusCode, StatusText(e.StatusCode))
	if e.Message != "" {
		s += " (" + quoted(e.Message) + ")"
	} else if e.Body != "" {
		s += " (" + quoted(e.Body) + ")"
	}
	return s + attemptsSuffix(e.Attempts)
}

func (e *NetworkError) what() string {
	var what string
	switch e.Kind {
	case NetTimeout:
		what = "Grafana did not answer in time"
	case NetTLS:
		what = "the TLS connection failed"
	case NetRefused:
		what = "the connection was refused"
	case NetDNS:
		what = "the host name could not be resolved"
	case NetProxy:
		what = "the proxy failed"
	case NetCanceled:
		what = "the request was canceled"
	default:
		what = "the connection failed"
	}
	s := fmt.Sprintf("could not %s at %s: %s", e.Op, e.URL, what)
	if e.Err != nil {
		s += fmt.Sprintf(" (%v)", e.Err)
	}
	return s + attemptsSuffix(e.Attempts)
}

func (e *LocalError) what() string {
	s := fmt.Sprintf("could not %s at %s: this computer has run out of open files or ports", e.Op, e.URL)
	if e.Err != nil {
		s += fmt.Sprintf(" (%v)", e.Err)
	}
	return s + attemptsSuffix(e.Attempts)
}

func (e *BadResponseError) what() string {
	s := fmt.Sprintf("could not %s: Grafana's answer (%d", e.Op, e.StatusCode)
	if e.ContentType != "" {
		s += ", " + e.ContentType
	}
	s += ") was " + e.Reason
	if e.Excerpt != "" {
		s += ": " + quoted(e.Excerpt)
	}
	return s
}

func (e *RedirectError) what() string {
	return fmt.Sprintf("could not %s: %s redirected to another host, %s; Licensedesk did not follow, "+
		"so the credentials were not sent there", e.Op, e.URL, e.Target)
}

func (e *SettingError) what() string { return e.Problem }

// quoted sets what Grafana sent apart in typographic quotes. The text is
// printable already (see printable); Go's %q would escape its own quotes
// and backslashes, so a JSON excerpt would read {\"status\":1}.
func quoted(s string) string { return "“" + s + "”" }

func attemptsSuffix(n int) string {
	if n > 1 {
		return fmt.Sprintf(", after %d attempts", n)
	}
	return ""
}

// StatusText names an HTTP status ("Unauthorized"), so the front-ends, which
// do not import net/http, word a status as the client's messages do.
func StatusText(code int) string { return http.StatusText(code) }
