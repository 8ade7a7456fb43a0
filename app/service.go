package app

import (
	"errors"
	"os"
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

// Config wires a Service.
type Config struct {
	StorePath   string
	Secrets     vault.Store
	Now         func() time.Time // default time.Now
	Concurrency int              // default 16
	UserAgent   string
	Policy      client.Policy
	// Getenv reads the variables named by token_env and password_env; default os.Getenv.
	Getenv func(string) string
	// InstanceTimeout bounds all of one instance's calls in a refresh; default
	// twice the instance's own (per-attempt) timeout, so retries fit but a hung
	// server cannot hold a refresh for long.
	InstanceTimeout time.Duration
	// TokenOnly skips the health and usage-statistics calls of a refresh
	// (check --no-usage): refresh-stats makes Grafana count its users.
	TokenOnly bool
	// AdoptLegacySecrets lets this service's instances use secrets an earlier
	// Licensedesk stored under the id alone, binding each to the instance's
	// address on first use. Only the user's own instance list sets it: a
	// list from elsewhere must not inherit a secret by reusing an id.
	AdoptLegacySecrets bool
	// SkipHealth skips the health call beside the token read; the command
	// line's check needs the version only to explain a 404. Either way a
	// 404 is followed by a health read, to tell a Grafana older than 7.4.
	SkipHealth bool
	// History, when set, records every renew, upload and delete.
	History *history.History
	// Source names where actions start (SourceWindow, SourceCLI) in the history.
	Source string
	// ReadOnly never writes, moves or locks the instance file: serve reads a
	// file that configuration management owns. NewService then fails on a
	// file it cannot read whole and valid, instead of starting without it.
	ReadOnly bool
}

// Defaults of a service and of the command line that builds one.
const (
	DefaultConcurrency = 16
	DefaultTimeout     = config.DefaultTimeoutSeconds * time.Second
)

// Service is the engine shared by the window, the tray and the command line.
// It is safe for use from any goroutine.
type Service struct {
	cfg         Config
	store       *config.Store
	secrets     vault.Layered
	loadWarning string

	// notifyMu orders notifications: each one reads the newest status
	// under it, so a subscriber never receives an older status last.
	notifyMu sync.Mutex

	mu         sync.Mutex
	instances  []Instance
	index      map[string]int // instance id → its place in instances
	licenses   licenseIndex   // of the records' tokens, by license
	policy     client.Policy
	states     map[string]*record
	clients    map[string]*cachedClient // the few used last: see clientCacheSize
	clientTick uint64                   // counts client uses, to find the least recent
	subs       map[int]func(Status)
	nextSub    int
	historyErr error
}

// record is what the service remembers of one instance between calls.
type record struct {
	token      *client.Token
	err        error
	httpStatus int
	checkedAt  time.Time
	readAt     time.Time
	stats      *client.Stats
	health     *client.Health
	frontend   *client.FrontendLicense
	seq        uint64 // of the newest read applied, so a slow older read cannot overwrite it
	started    uint64 // of the newest read started
	upload     *verdict.UploadCheck
}

type cachedClient struct {
	inst Instance
	c    *client.Client
	used uint64 // the Service's clientTick at its last use
}

// ErrUnknownInstance means no configured instance has the given id.
var ErrUnknownInstance = errors.New("no instance has this id")

// NewService loads the store and builds the engine. A corrupt store does not
// fail: the service starts with no instances and LoadWarning explains.
func NewService(cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Secrets == nil {
		cfg.Secrets = vault.NewMemory()
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "licensedesk/" + Version
	}
	s := &Service{
		cfg:     cfg,
		store:   config.NewStore(cfg.StorePath),
		secrets: vault.Layered{Session: vault.NewMemory(), Store: cfg.Secrets, Adopt: cfg.AdoptLegacySecrets},
		policy:  cfg.Policy,
		states:  map[string]*record{},
		clients: map[string]*cachedClient{},
		subs:    map[int]func(Status){},
	}
	if cfg.ReadOnly {
		list, err := s.store.ReadValid()
		if err != nil {
			return nil, err
		}
		s.setInstancesLocked(list)
		return s, nil
	}
	list, err := s.store.Load()
	if err != nil {
		s.loadWarning = config.LoadWarning(err)
	}
	s.setInstancesLocked(list)
	return s, nil
}

// LoadWarning is a plain-words note about the store's load (a corrupt file moved aside), or "".
func (s *Service) LoadWarning() string { return s.loadWarning }

// Policy returns the warn-day overrides in use.
func (s *Service) Policy() client.Policy {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.policy
}

// SetPolicy changes the warn-day overrides and tells subscribers how every
// instance looks under them.
func (s *Service) SetPolicy(p client.Policy) {
	s.mu.Lock()
	s.policy = p
	s.mu.Unlock()
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	for _, st := range s.Statuses() {
		s.send(st)
	}
}

// Instances lists the configured instances in store order.
func (s *Service) Instances() []Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Instance(nil), s.instances...)
}

// Instance finds one instance by id.
func (s *Service) Instance(id string) (Instance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.find(id)
}

func (s *Service) find(id string) (Instance, bool) {
	if i, ok := s.index[id]; ok && i < len(s.instances) && s.instances[i].ID == id {
		return s.instances[i], true
	}
	return Instance{}, false
}

// setInstancesLocked adopts list and indexes it by id, so finding one
// instance costs the same in a fleet of 10,000 as in one of ten.
func (s *Service) setInstancesLocked(list []Instance) {
	s.instances = list
	s.index = make(map[string]int, len(list))
	for i, inst := range list {
		s.index[inst.ID] = i
	}
}

// update applies change to the stored list under the store's lock, so a
// concurrent writer (another window, the command line) never loses an edit,
// then adopts the saved list.
func (s *Service) update(change func([]Instance) ([]Instance, error)) error {
	var saved []Instance
	err := s.store.Update(func(list []Instance) ([]Instance, error) {
		out, err := change(list)
		saved = out
		return out, err
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.setInstancesLocked(append([]Instance(nil), saved...))
	s.mu.Unlock()
	return nil
}
