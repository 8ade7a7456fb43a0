package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

// call runs one licensing change on an instance under its timeout and
// records what it learned.
func (s *Service) call(ctx context.Context, id string, do func(context.Context, *client.Client) (*client.Token, error)) (Status, error) {
	inst, ok := s.Instance(id)
	if !ok {
		return Status{Instance: Instance{ID: id}}, fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	}
	ctx, cancel := context.WithTimeout(ctx, s.instanceTimeout(inst))
	defer cancel()
	c, err := s.clientFor(inst)
	if err != nil {
		return s.Status(id), err
	}
	tok, err := do(ctx, c)
	now := s.cfg.Now()
	s.mu.Lock()
	r := s.recordLocked(id)
	r.httpStatus = verdict.HTTPStatus(err)
	if err == nil && tok != nil {
		r.started++
		r.seq = r.started
		s.licenses.tokenChanged(id, r.token, tok)
		r.token, r.err, r.readAt, r.checkedAt, r.frontend = tok, nil, now, now, nil
	}
	s.mu.Unlock()
	if err != nil {
		s.forgetClient(id, err)
	}
	st := s.publish(id)
	return st, err
}

// record appends an action's outcome to the history; a failure to write it
// must not turn a done renewal into an error, so it is returned apart, for
// Status.HistoryErr.
func (s *Service) record(action history.Action, st Status, err error) error {
	if s.cfg.History == nil {
		return nil
	}
	now := s.cfg.Now()
	e := verdict.EntryFor(now, verdict.Judge(action, st, err, now))
	e.Source = s.cfg.Source
	herr := s.cfg.History.Append(e)
	if herr != nil {
		s.mu.Lock()
		s.historyErr = herr
		s.mu.Unlock()
	}
	return herr
}

// HistoryError is the last failure to write the history, or nil.
func (s *Service) HistoryError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.historyErr
}

// History returns the action history the service writes, or nil.
func (s *Service) History() *history.History { return s.cfg.History }

// Renew asks an instance to renew its token. Errors are the client's typed
// errors (*client.APIError, *client.NetworkError, *client.BadResponseError).
func (s *Service) Renew(ctx context.Context, id string) (Status, error) {
	st, err := s.call(ctx, id, func(ctx context.Context, c *client.Client) (*client.Token, error) {
		return c.Renew(ctx)
	})
	if err == nil {
		s.markUpload(id, nil) // a new token: the uploaded one is no longer the question
		st.Upload = nil
	}
	st.HistoryErr = s.record(history.ActionRenew, st, err)
	return st, err
}

// Upload sends a license JWT to an instance.
func (s *Service) Upload(ctx context.Context, id, jwt string) (Status, error) {
	st, err := s.call(ctx, id, func(ctx context.Context, c *client.Client) (*client.Token, error) {
		return c.Upload(ctx, jwt)
	})
	if err == nil && st.Token != nil {
		s.markUpload(id, st.Token)
		st = s.publish(id)
	}
	st.HistoryErr = s.record(history.ActionUpload, st, err)
	return st, err
}

// Delete removes an instance's license, sending rootURL as Grafana's
// root_url, then reads the token again to show what Grafana has left (a
// license.jwt file on the server may still apply).
func (s *Service) Delete(ctx context.Context, id, rootURL string) (Status, error) {
	if err := config.CheckRootURL(rootURL); err != nil {
		return s.Status(id), err // nothing was sent: a typed password must not reach the request body
	}
	st, err := s.call(ctx, id, func(ctx context.Context, c *client.Client) (*client.Token, error) {
		return nil, c.Delete(ctx, rootURL)
	})
	if client.IsStatus(err, 422) {
		mismatch := &client.RootURLMismatchError{Sent: rootURL, InstanceURL: st.Instance.URL, Err: err}
		if st.Token != nil {
			mismatch.Subject = st.Token.Subject
		}
		err = mismatch
	}
	if err != nil {
		st.HistoryErr = s.record(history.ActionDelete, st, err)
		return st, err
	}
	// The read after the removal is what the history judges: Grafana may
	// still serve a license from a file on the server.
	s.markUpload(id, nil)
	st = s.Refresh(ctx, id)
	st.HistoryErr = s.record(history.ActionDelete, st, nil)
	return st, nil
}

// TestConnection reads the token of an unsaved instance with the given
// secret (or, when it is empty, the stored one or the named variable). It
// changes nothing.
func (s *Service) TestConnection(ctx context.Context, inst Instance, secret string) Status {
	st := Status{Instance: inst, CheckedAt: s.cfg.Now()}
	var secrets vault.Store = s.secrets
	if secret != "" {
		secrets = vault.Overlay{Key: vault.KeyFor(inst), Secret: secret, Store: secrets}
	}
	ctx, cancel := context.WithTimeout(ctx, s.instanceTimeout(inst))
	defer cancel()
	c, err := s.newClient(inst, secrets)
	if errors.Is(err, vault.ErrNoSecret) && secret == "" {
		err = &verdict.MissingSecretError{Secret: inst.SecretWord(), Err: err}
	}
	if err == nil {
		st.Health, _ = c.Health(ctx)
		st.Token, err = c.Token(ctx)
	}
	st.Err, st.HTTPStatus = err, verdict.HTTPStatus(err)
	if err == nil {
		st.ReadAt = st.CheckedAt
	} else {
		st.Token = nil
	}
	st.Eval = verdict.Evaluate(st, s.cfg.Now(), s.Policy())
	return st
}
