package client

import (
	"errors"
	"fmt"
	"net/http"
)

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
}

// Error says what failed, what Grafana answered and what to do.
func (e *APIError) Error() string {
	s := fmt.Sprintf("could not %s: Grafana answered %d %s", e.Op, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		s += fmt.Sprintf(" (%q)", e.Message)
	} else if e.Body != "" {
		s += fmt.Sprintf(" (%q)", e.Body)
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(", after %d attempts", e.Attempts)
	}
	if h := e.Hint(); h != "" {
		s += ". " + h
	}
	return s
}

// Hint says in plain words what the administrator can do about the error.
func (e *APIError) Hint() string {
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		switch e.MessageID {
		case "api-key.expired":
			return "The API key or service account token has expired: create a new one and update the instance"
		case "api-key.invalid":
			return "The API key or service account token is not valid: check the instance's token"
		case "password-auth.failed":
			return "Grafana refused the username or password: check the instance's credentials"
		}
		return "Check the instance's credentials (username and password, or token)"
	case e.StatusCode == http.StatusForbidden:
		return "The user lacks the licensing permissions: use a Grafana Server Admin, or grant the licensing roles to the service account"
	case e.StatusCode == http.StatusNotFound && e.Op == OpRenew:
		return "No license is loaded on this Grafana: upload a license token first"
	case e.StatusCode == http.StatusNotFound && (e.Op == OpHealth || e.Op == OpSettings):
		return "Nothing answers at this address: check the URL, including Grafana's sub-path if it has one"
	case e.StatusCode == http.StatusNotFound:
		return "This Grafana has no licensing API: it may not be Grafana Enterprise, or older than 7.4, or the URL is wrong"
	case e.StatusCode == http.StatusUnprocessableEntity && e.Op == OpDelete:
		return fmt.Sprintf("The URL sent (%s) is not this Grafana's root_url: send the root_url from Grafana's configuration", e.SentInstance)
	case e.StatusCode == http.StatusInternalServerError && e.Op == OpRenew:
		return "Grafana could not reach grafana.com to renew the token; an air-gapped instance needs a new token uploaded by hand"
	case e.StatusCode == http.StatusBadRequest && e.Op == OpUpload:
		return "Grafana refused the token: check that the file holds a complete license token"
	case e.StatusCode == http.StatusProxyAuthRequired:
		return "The proxy asks for credentials: give them in the HTTPS_PROXY environment variable (http://user:password@proxy:port), never in the instance's saved proxy field"
	case e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500:
		return "Grafana or a proxy in front of it is failing: try again later"
	}
	return ""
}

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

// NetworkError is a failure to reach Grafana or to finish a request.
type NetworkError struct {
	Op       Op
	URL      string // without credentials or query
	Kind     NetworkKind
	Err      error // sanitised: never holds a credential
	Attempts int   // requests made, retries included

	retry bool // a transient failure worth another attempt
}

// Error explains the failure and what to do about it.
func (e *NetworkError) Error() string {
	var what, hint string
	switch e.Kind {
	case NetTimeout:
		what, hint = "Grafana did not answer in time", "check that the instance is up, or raise its timeout"
	case NetTLS:
		what, hint = "the TLS connection failed", "if Grafana uses a private CA, set the instance's CA file"
	case NetRefused:
		what, hint = "the connection was refused", "check the URL and port, and that Grafana is running"
	case NetDNS:
		what, hint = "the host name could not be resolved", "check the URL"
	case NetProxy:
		what, hint = "the proxy failed", "check the instance's proxy setting"
	case NetCanceled:
		what, hint = "the request was canceled", "try again"
	default:
		what, hint = "the connection failed", "check the URL and the network"
	}
	s := fmt.Sprintf("could not %s at %s: %s", e.Op, e.URL, what)
	if e.Err != nil {
		s += fmt.Sprintf(" (%v)", e.Err)
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(", after %d attempts", e.Attempts)
	}
	return s + "; " + hint
}

// Unwrap returns the underlying error.
func (e *NetworkError) Unwrap() error { return e.Err }

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
func (e *BadResponseError) Error() string {
	s := fmt.Sprintf("could not %s: Grafana's answer (%d", e.Op, e.StatusCode)
	if e.ContentType != "" {
		s += ", " + e.ContentType
	}
	s += ") was " + e.Reason
	if e.Excerpt != "" {
		s += fmt.Sprintf(": %q", e.Excerpt)
	}
	return s + "; check the URL: it should be Grafana's root URL, not a login page or proxy"
}

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
func (e *RedirectError) Error() string {
	return fmt.Sprintf("could not %s: %s redirected to another host, %s; Licensedesk did not follow, "+
		"so the credentials were not sent there. If that host is Grafana, set it as the instance's URL",
		e.Op, e.URL, e.Target)
}

// IsStatus reports whether err is an APIError with the given HTTP status.
func IsStatus(err error, code int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == code
}
