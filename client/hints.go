package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/licensedesk/licensedesk/internal/words"
)

// This file is the one home of the advice the client's errors give: each
// type's Hint, and Explain and Hint for front-ends.

// hinted is every error type of this package: its text is what() joined
// to Hint().
type hinted interface {
	error
	Hint() string
	what() string
}

// Hint returns what to do about err, a sentence without its full stop: the
// advice of the first error in err's chain that has a Hint method, or ""
// when none has.
func Hint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// Explain splits err into what happened and what to do, each a sentence
// ready to show (capitalised, ending with a full stop); hint is "" when
// there is no advice. Front-ends show an error in two parts through it and
// never by cutting Error's text apart, which holds colons and semicolons of
// its own (a content type such as "text/html; charset=utf-8").
func Explain(err error) (what, hint string) {
	if err == nil {
		return "", ""
	}
	text := err.Error()
	var h hinted
	if errors.As(err, &h) {
		// Words a caller wrapped around the client's error stay; the client
		// error's own text gives way to its what-part.
		return words.Sentence(strings.Replace(text, h.Error(), h.what(), 1)), words.Sentence(h.Hint())
	}
	if hint = Hint(err); hint != "" {
		for _, sep := range []string{": ", ". ", "; ", " — "} {
			text = strings.TrimSuffix(text, sep+hint)
			text = strings.TrimSuffix(text, sep+words.LowerFirst(hint))
		}
	}
	return words.Sentence(text), words.Sentence(hint)
}

// BasicAuthNote says who may use the licensing API, for a form that asks
// for credentials (DESIGN.md's auth rule, as bearerAdvice).
const BasicAuthNote = "Grafana's licensing API needs a Grafana server administrator: sign in with that user's " +
	"username and password (Grafana's own admin user is one)"

// BearerNote says what a bearer token can and cannot do with the licensing
// API, for a form where one is chosen.
const BearerNote = "Grafana does not accept service account tokens for its licensing API: service accounts belong to " +
	"one organization and are never server administrators. Choose a token only when an auth proxy in front of Grafana takes one"

// bearerAdvice is what a refused bearer token gets: DESIGN.md's auth rule.
const bearerAdvice = "This licensing API wants HTTP Basic auth with a Grafana Server Admin and never accepts " +
	"service account tokens: switch the instance to Basic auth with a Server Admin's username and password"

// Hint says in plain words what the administrator can do about the error.
func (e *APIError) Hint() string {
	switch {
	case e.Bearer && e.StatusCode == http.StatusUnauthorized:
		switch e.MessageID {
		case "api-key.expired":
			return "The token has expired. " + bearerAdvice
		case "api-key.invalid":
			return "Grafana says the token is not valid. " + bearerAdvice
		}
		return "Grafana refused the token. " + bearerAdvice
	case e.Bearer && e.StatusCode == http.StatusForbidden:
		return "The token may not use the licensing API. " + bearerAdvice
	case e.StatusCode == http.StatusUnauthorized && e.MessageID == "password-auth.failed":
		return "Grafana refused the username or password: check the instance's credentials"
	case e.StatusCode == http.StatusUnauthorized:
		return "Check the instance's credentials (username and password, or token)"
	case e.StatusCode == http.StatusForbidden:
		return "The user lacks the licensing permissions: use a Grafana Server Admin, or grant the licensing roles to this user"
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

// Hint says what to do about the failure.
func (e *NetworkError) Hint() string {
	switch e.Kind {
	case NetTimeout:
		return "Check that the instance is up, or raise its timeout"
	case NetTLS:
		return e.certHint()
	case NetRefused:
		return "Check the URL and port, and that Grafana is running"
	case NetDNS:
		return "Check the URL"
	case NetProxy:
		return "Check the instance's proxy setting"
	case NetCanceled:
		return "Try again"
	}
	return "Check the URL and the network"
}

// certHint gives the advice that fits why the certificate was refused.
func (e *NetworkError) certHint() string {
	switch e.Cert {
	case CertUnknownAuthority:
		return "If Grafana uses a private CA, set the instance's CA file to that CA's certificate"
	case CertNameMismatch:
		host := e.cert.host
		if len(e.cert.names) == 0 {
			return fmt.Sprintf("The server's certificate does not name %s: have it issued for %s, "+
				"or use a URL with a host the certificate names", host, host)
		}
		return fmt.Sprintf("The server's certificate is for %s, not %s: use a URL with one of those names, "+
			"or have the certificate issued for %s", strings.Join(e.cert.names, ", "), host, host)
	case CertExpired:
		return fmt.Sprintf("The server's certificate expired on %s: renew it on the server "+
			"(Grafana, or the proxy in front of it)", FormatDate(e.cert.at, time.Local))
	case CertNotYetValid:
		return fmt.Sprintf("The server's certificate is valid only from %s: check this computer's clock, "+
			"or the certificate on the server", FormatDate(e.cert.at, time.Local))
	}
	return "Check that the URL's port serves HTTPS, and the instance's CA file if Grafana uses a private CA"
}

// Hint says that the instance is not at fault and what to do here.
func (e *LocalError) Hint() string {
	return "The instance is not at fault: read fewer instances at once, " +
		"or raise this computer's limit on open files (ulimit -n)"
}

// Hint says where to look when the answer was not the API's.
func (e *BadResponseError) Hint() string {
	return "Check the URL: it should be Grafana's root URL, not a login page or proxy"
}

// Hint says what to do when the refused host is Grafana after all.
func (e *RedirectError) Hint() string {
	return "If that host is Grafana, set it as the instance's URL"
}

// Hint says how to fix the setting.
func (e *SettingError) Hint() string { return e.Fix }

// compose joins an error's what-part and its advice.
func compose(what, sep, hint string) string {
	if hint == "" {
		return what
	}
	return what + sep + hint
}
