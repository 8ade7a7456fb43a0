package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/licensedesk/licensedesk/client"
)

// renewConcurrency bounds renew-all: renewing makes each Grafana call
// grafana.com, so a fleet is renewed a few at a time.
const renewConcurrency = 4

// UploadPreview is what a license file holds, judged for one instance before
// anything is sent: by the user's own policy, and against the URL the
// instance is reached by.
type UploadPreview struct {
	Token *client.Token
	Eval  client.Evaluation
	// SubjectWarning says the license is for another URL; "" when the
	// licensed URL covers the instance or cannot be compared locally.
	SubjectWarning string
}

// PreviewUpload decodes a license token locally, for the window's
// confirmation and the command line's upload alike.
func (s *Service) PreviewUpload(id, jwt string) (UploadPreview, error) {
	inst, ok := s.Instance(id)
	if !ok {
		return UploadPreview{}, fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	}
	tok, err := client.DecodeJWT(jwt)
	if err != nil {
		return UploadPreview{}, err
	}
	return UploadPreview{
		Token:          tok,
		Eval:           client.Evaluate(tok, s.cfg.Now(), s.Policy()),
		SubjectWarning: SubjectWarning(tok.Subject, inst.URL),
	}, nil
}

// SubjectWarning words a licensed URL that does not cover the URL an
// instance is reached by, or returns "" when it does or cannot be compared.
func SubjectWarning(sub, instanceURL string) string {
	sub = strings.TrimSpace(sub)
	if matches, comparable := client.SubjectMatches(sub, instanceURL); matches || !comparable {
		return ""
	}
	return fmt.Sprintf("This license is for %s, but this instance's URL is %s. Grafana accepts a license only when its URL matches Grafana's root_url.", sub, client.SanitizeURL(instanceURL))
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

// known says what was sent and what Licensedesk knows of the instance.
func (e *RootURLMismatchError) known() string {
	s := fmt.Sprintf("Sent: %s. This instance's URL in Licensedesk: %s.", client.SanitizeURL(e.Sent), client.SanitizeURL(e.InstanceURL))
	if e.Subject != "" {
		s += fmt.Sprintf(" The license is for: %s.", e.Subject)
	}
	return s
}

// Unwrap gives the client's error, so its status stays reachable.
func (e *RootURLMismatchError) Unwrap() error { return e.Err }

// Hint adds what was sent and what Licensedesk knows to the client's advice.
func (e *RootURLMismatchError) Hint() string {
	var apiErr *client.APIError
	hint := ""
	if errors.As(e.Err, &apiErr) {
		hint = strings.TrimSuffix(apiErr.Hint(), ".") + ". "
	}
	return hint + e.known()
}

// RenewResult is one instance's outcome in RenewAll.
type RenewResult struct {
	Status Status
	Err    error // nil when renewed; the context's error when never started
}

// RenewAll renews the given instances a few at a time (renewConcurrency);
// progress, when set, is called from any goroutine, one call at a time, as
// each one finishes.
// Instances not started before ctx ends keep their status and carry ctx's
// error.
func (s *Service) RenewAll(ctx context.Context, ids []string, progress func(done, total int, r RenewResult)) []RenewResult {
	out := make([]RenewResult, len(ids))
	sem := make(chan struct{}, renewConcurrency)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r RenewResult
			select {
			case sem <- struct{}{}:
				r.Status, r.Err = s.Renew(ctx, id)
				<-sem
			case <-ctx.Done():
				r = RenewResult{Status: s.Status(id), Err: ctx.Err()}
			}
			out[i] = r
			if progress != nil {
				mu.Lock()
				defer mu.Unlock()
				done++
				progress(done, len(ids), r)
			}
		}()
	}
	wg.Wait()
	return out
}
