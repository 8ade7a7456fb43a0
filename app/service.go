package app

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/licensedesk/licensedesk/client"
)

// Status is everything known about one instance: its last good token (kept,
// marked stale, when a later read fails) and what it means now.
type Status struct {
	Instance   Instance
	Token      *client.Token // last good token; nil if never read
	Eval       client.Evaluation
	Err        error // the last read's error; nil when it succeeded
	Stale      bool  // Err != nil and Token is from an earlier read
	HTTPStatus int
	CheckedAt  time.Time // last attempt
	ReadAt     time.Time // last success
	Stats      *client.Stats
	Health     *client.Health
}

// Config wires a Service.
type Config struct {
	StorePath   string
	Secrets     Secrets
	Now         func() time.Time // default time.Now
	Concurrency int              // default 16
	UserAgent   string
	Policy      client.Policy
}

// Service is the engine shared by the window, the tray and the command line.
type Service struct {
	cfg Config
}

var errTODO = errors.New("not implemented yet")

// NewService loads the store and builds the engine.
func NewService(cfg Config) (*Service, error) { return &Service{cfg: cfg}, nil }

// LoadWarning is a plain-words note about the store's load (a corrupt file moved aside), or "".
func (s *Service) LoadWarning() string { return "" }

// Instances lists the configured instances in store order.
func (s *Service) Instances() []Instance { return nil }

// Instance finds one instance by id.
func (s *Service) Instance(id string) (Instance, bool) { return Instance{}, false }

// AddInstance validates, saves and stores the secret of a new instance.
func (s *Service) AddInstance(inst Instance, secret string) error { return errTODO }

// UpdateInstance saves an edited instance; a nil secret keeps the stored one.
func (s *Service) UpdateInstance(inst Instance, secret *string) error { return errTODO }

// RemoveInstance deletes an instance and its keyring entry.
func (s *Service) RemoveInstance(id string) error { return errTODO }

// ImportInstances adds the instances of an exported list, returning how many were added.
func (s *Service) ImportInstances(r io.Reader) (int, error) { return 0, errTODO }

// ExportInstances writes the instance list, never a secret.
func (s *Service) ExportInstances(w io.Writer) error { return errTODO }

// Status returns the last known status of one instance.
func (s *Service) Status(id string) Status { return Status{} }

// Statuses returns the last known status of every instance, in store order.
func (s *Service) Statuses() []Status { return nil }

// Refresh reads one instance's token now.
func (s *Service) Refresh(ctx context.Context, id string) Status { return Status{} }

// RefreshAll reads the given instances (all when ids is empty) with bounded
// concurrency, calling progress (from any goroutine) as each finishes.
func (s *Service) RefreshAll(ctx context.Context, ids []string, progress func(done, total int, st Status)) []Status {
	return nil
}

// Renew asks an instance to renew its token.
func (s *Service) Renew(ctx context.Context, id string) (Status, error) { return Status{}, errTODO }

// Upload sends a license JWT to an instance.
func (s *Service) Upload(ctx context.Context, id, jwt string) (Status, error) {
	return Status{}, errTODO
}

// Delete removes an instance's license, sending rootURL as Grafana's root_url.
func (s *Service) Delete(ctx context.Context, id, rootURL string) (Status, error) {
	return Status{}, errTODO
}

// TestConnection reads the token of an unsaved instance with the given secret.
func (s *Service) TestConnection(ctx context.Context, inst Instance, secret string) Status {
	return Status{}
}

// Subscribe registers fn to be called (from any goroutine) whenever a status changes.
func (s *Service) Subscribe(fn func(Status)) {}
