package verdict

import (
	"context"
	"errors"

	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// Explain splits err into what happened and what to do, each a sentence
// ready to show (hint is "" when there is no advice). It knows the app's own
// errors and hands the client's to client.Explain, so a front-end composes a
// message from these parts and never cuts an error's text apart: that text
// holds colons and semicolons of its own ("text/html; charset=utf-8").
func Explain(err error) (what, hint string) {
	var missing *MissingSecretError
	switch {
	case err == nil:
		return "", ""
	case errors.As(err, &missing):
		return client.Explain(missing)
	case errors.Is(err, vault.ErrKeyringUnavailable):
		return words.Sentence(err.Error()), "Start your desktop's keyring (Secret Service, Keychain or Credential Manager), or keep the secret for this session only."
	case errors.Is(err, context.Canceled):
		return "Cancelled: the request was stopped before Grafana answered.", ""
	}
	what, hint = client.Explain(err)
	if hint == "" {
		// A bare sentinel or context error: Reason has its words.
		if r := Reason(err); r != err.Error() {
			return words.Sentence(r), ""
		}
	}
	return what, hint
}

// MissingSecretError is a connection test of an instance not saved yet, or
// whose secret field was left empty, with nothing stored to fall back on.
// It asks for what the form lacks, not for the keyring the command line uses.
type MissingSecretError struct {
	Secret string // "password" or "token"
	Err    error  // what ResolveAuth said
}

func (e *MissingSecretError) Error() string {
	return "nothing to sign in with: no " + e.Secret + " was entered. " + e.Hint()
}

// Hint says what to enter.
func (e *MissingSecretError) Hint() string {
	return "Enter the " + e.Secret + " above, then test the connection again"
}

// Unwrap keeps errors.Is(err, vault.ErrNoSecret) true.
func (e *MissingSecretError) Unwrap() error { return e.Err }
