package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/licensedesk/licensedesk/app/verdict"
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
		SubjectWarning: client.SubjectWarning(tok.Subject, inst.URL),
	}, nil
}

// RenewAll renews the given instances a few at a time (renewConcurrency);
// progress, when set, is called from any goroutine, one call at a time, as
// each one finishes.
// Instances not started before ctx ends keep their status and carry ctx's
// error.
func (s *Service) RenewAll(ctx context.Context, ids []string, progress func(done, total int, r verdict.RenewResult)) []verdict.RenewResult {
	out := make([]verdict.RenewResult, len(ids))
	sem := make(chan struct{}, renewConcurrency)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r verdict.RenewResult
			select {
			case sem <- struct{}{}:
				r.Status, r.Err = s.Renew(ctx, id)
				<-sem
			case <-ctx.Done():
				r = verdict.RenewResult{Status: s.Status(id), Err: ctx.Err()}
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
