package client

import (
	"errors"
	"fmt"
	"strings"
)

// SubjectWarning words a licensed URL that does not cover the URL an
// instance is reached by, or returns "" when it does or cannot be compared.
func SubjectWarning(sub, instanceURL string) string {
	sub = strings.TrimSpace(sub)
	if matches, comparable := SubjectMatches(sub, instanceURL); matches || !comparable {
		return ""
	}
	return fmt.Sprintf("This license is for %s, but this instance's URL is %s. Grafana accepts a license only when its URL matches Grafana's root_url.", sub, SanitizeURL(instanceURL))
}

// RootURLMismatchError is a delete Grafana refused (422) because the root
// URL sent is not its root_url; it says what was sent and what is known.
type RootURLMismatchError struct {
	Sent        string
	InstanceURL string
	Subject     string // the licensed URL, when a token was read
	Err         error
}

func (e *RootURLMismatchError) Error() string {
	return strings.TrimSuffix(e.Err.Error(), ".") + ". " + e.known()
}

// what is the refusal itself, without advice, for Explain.
func (e *RootURLMismatchError) what() string {
	var h hinted
	if errors.As(e.Err, &h) {
		return h.what()
	}
	return e.Err.Error()
}

// known says what was sent and what Licensedesk knows of the instance.
func (e *RootURLMismatchError) known() string {
	s := fmt.Sprintf("Sent: %s. This instance's URL in Licensedesk: %s.", SanitizeURL(e.Sent), SanitizeURL(e.InstanceURL))
	if e.Subject != "" {
		s += fmt.Sprintf(" The license is for: %s.", e.Subject)
	}
	return s
}

// Unwrap gives the client's error, so its status stays reachable.
func (e *RootURLMismatchError) Unwrap() error { return e.Err }

// Hint adds what was sent and what Licensedesk knows to the client's advice.
func (e *RootURLMismatchError) Hint() string {
	var apiErr *APIError
	hint := ""
	if errors.As(e.Err, &apiErr) {
		hint = strings.TrimSuffix(apiErr.Hint(), ".") + ". "
	}
	return hint + e.known()
}
