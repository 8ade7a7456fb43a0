package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
)

// Status is everything known about one instance: its last good token (kept,
// marked stale, when a later read fails) and what it means now.
type Status struct {
	Instance   Instance
	Token      *client.Token // last good token; nil if never read
	Eval       client.Evaluation
	Err        error     // the last read's error; nil when it succeeded
	Stale      bool      // Err != nil and Token is from an earlier read
	HTTPStatus int       // of the last call to the instance; 0 when nothing answered
	CheckedAt  time.Time // last attempt
	ReadAt     time.Time // last success
	Stats      *client.Stats
	Health     *client.Health
	// Peers are the ids of the instances whose fresh tokens share this
	// one's license (sub and lid): HA nodes behind one root_url.
	Peers []string
	// Frontend is the license expiry read from Grafana's frontend settings
	// when the credentials may not read the licensing API; nil otherwise.
	Frontend *client.FrontendLicense
	// Removed is set on the one notification sent when an instance is removed.
	Removed bool
}

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
}

const (
	defaultConcurrency = 16
	defaultTimeout     = config.DefaultTimeoutSeconds * time.Second
)

// Service is the engine shared by the window, the tray and the command line.
// It is safe for use from any goroutine.
type Service struct {
	cfg         Config
	store       *config.Store
	secrets     layeredSecrets
	loadWarning string

	// notifyMu orders notifications: each one reads the newest status
	// under it, so a subscriber never receives an older status last.
	notifyMu sync.Mutex

	mu         sync.Mutex
	instances  []Instance
	policy     client.Policy
	states     map[string]*record
	clients    map[string]*cachedClient
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
}

type cachedClient struct {
	inst Instance
	c    *client.Client
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
		cfg.Concurrency = defaultConcurrency
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
		secrets: layeredSecrets{session: vault.NewMemory(), store: cfg.Secrets, adopt: cfg.AdoptLegacySecrets},
		policy:  cfg.Policy,
		states:  map[string]*record{},
		clients: map[string]*cachedClient{},
		subs:    map[int]func(Status){},
	}
	list, err := s.store.Load()
	if err != nil {
		s.loadWarning = loadWarningText(err)
	}
	s.instances = list
	return s, nil
}

// loadWarningText words a load problem for the window's banner and the
// command line's stderr. Instances that need fixing are still listed.
func loadWarningText(err error) string {
	var corrupt *config.CorruptError
	var version *config.VersionError
	var invalid *config.ValidationError
	switch {
	case errors.As(err, &corrupt), errors.As(err, &version):
		return err.Error()
	case errors.As(err, &invalid):
		return "Some instances in the list need fixing before they can be saved: " + err.Error()
	}
	return err.Error() + "; Licensedesk started with an empty instance list"
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
	for _, inst := range s.instances {
		if inst.ID == id {
			return inst, true
		}
	}
	return Instance{}, false
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
	s.instances = append([]Instance(nil), saved...)
	s.mu.Unlock()
	return nil
}

// AddInstance validates and saves a new instance with its secret, all or
// nothing: when the secret cannot be stored (no keyring) the instance is not
// saved either, and the error says how to go on. An empty id gets one made
// from the name. An empty secret stores none.
func (s *Service) AddInstance(inst Instance, secret string) error {
	return s.addInstance(inst, secret, false)
}

// AddInstanceForSession saves a new instance and keeps its secret in memory
// until the app quits, for when the keyring is unavailable; the secret is
// never written anywhere.
func (s *Service) AddInstanceForSession(inst Instance, secret string) error {
	return s.addInstance(inst, secret, true)
}

func (s *Service) addInstance(inst Instance, secret string, sessionOnly bool) error {
	autoID := inst.ID == ""
	if autoID {
		inst.ID = config.NewID(inst.Name, s.Instances())
	}
	if err := inst.Validate(); err != nil {
		return err
	}
	var stored *vault.Key // the secret written before the instance, to undo
	err := s.update(func(list []Instance) ([]Instance, error) {
		if autoID {
			// Another process may have taken the id since: pick again from the saved list.
			inst.ID = config.NewID(inst.Name, list)
		}
		for _, other := range list {
			if other.ID == inst.ID {
				return nil, fmt.Errorf("an instance with the id %q already exists", inst.ID)
			}
		}
		if secret != "" && !sessionOnly && stored == nil {
			k := vault.KeyFor(inst)
			if err := s.secrets.Set(k, secret); err != nil {
				return nil, fmt.Errorf("%q was not added, because its secret could not be stored: %w", inst.ID, err)
			}
			stored = &k
		}
		return append(list, inst), nil
	})
	if err != nil {
		if stored != nil {
			_ = s.secrets.Delete(*stored) // nothing was added: take the secret back too
		}
		return err
	}
	if secret != "" && sessionOnly {
		s.secrets.session.Set(vault.KeyFor(inst), secret)
	}
	s.publish(inst.ID)
	return nil
}

// UpdateInstance saves an edited instance; a nil secret keeps the stored one,
// an empty one removes it. When the edit changes the address or user the
// secret was saved for, the stored secret moves with it: the user chose the
// new address in their own list.
func (s *Service) UpdateInstance(inst Instance, secret *string) error {
	if err := inst.Validate(); err != nil {
		return err
	}
	var before Instance
	err := s.update(func(list []Instance) ([]Instance, error) {
		for i, other := range list {
			if other.ID == inst.ID {
				before = other
				out := append([]Instance(nil), list...)
				out[i] = inst
				return out, nil
			}
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownInstance, inst.ID)
	})
	if err != nil {
		return err
	}
	oldKey, newKey := vault.KeyFor(before), vault.KeyFor(inst)
	switch {
	case secret != nil && *secret == "":
		err = errors.Join(s.secrets.Delete(oldKey), s.secrets.Delete(newKey))
	case secret != nil:
		err = s.secrets.Set(newKey, *secret)
		if err == nil && oldKey != newKey {
			err = s.secrets.Delete(oldKey)
		}
	case oldKey != newKey:
		err = s.secrets.Move(oldKey, newKey)
	}
	if err != nil {
		err = fmt.Errorf("the instance was saved but its secret was not: %w", err)
	}
	s.dropClient(inst.ID) // the secret may have changed: sign in afresh
	s.publish(inst.ID)
	return err
}

// SetSecret stores or replaces the secret of an existing instance, bound to
// its address and user as they stand.
func (s *Service) SetSecret(id, secret string) error {
	inst, ok := s.Instance(id)
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	}
	if secret == "" {
		return errors.New("there is no secret to store")
	}
	if err := s.secrets.Set(vault.KeyFor(inst), secret); err != nil {
		return err
	}
	s.dropClient(id)
	s.publish(id)
	return nil
}

// RemoveInstance deletes an instance and its secret; secrets the keyring
// holds for the same id at other addresses (another instance list's) stay.
func (s *Service) RemoveInstance(id string) error {
	var removed Instance
	err := s.update(func(list []Instance) ([]Instance, error) {
		for i, other := range list {
			if other.ID == id {
				removed = other
				out := append([]Instance(nil), list[:i]...)
				return append(out, list[i+1:]...), nil
			}
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.states, id)
	s.mu.Unlock()
	s.dropClient(id)
	err = s.secrets.Delete(vault.KeyFor(removed))
	if errors.Is(err, vault.ErrNoSecret) {
		err = nil
	}
	if err != nil {
		err = fmt.Errorf("the instance was removed but its secret could not be deleted from the keyring: %w", err)
	}
	s.notifyMu.Lock()
	s.send(Status{Instance: removed, Removed: true})
	s.notifyMu.Unlock()
	return err
}

// ImportPlan is an exported list read and checked, not yet written: Add
// holds the instances that would be added, Skipped the ids already here.
type ImportPlan struct {
	Add     []Instance
	Skipped []string
}

// SecretRoute words, for one instance, every setting that decides where its
// secret is sent or read from: the address, the proxy, an environment
// variable, and unverified TLS. Import shows it before anything is written.
func SecretRoute(inst Instance) string {
	parts := []string{"sends its " + secretWord(inst) + " to " + vault.Origin(inst.URL)}
	if inst.Proxy != "" {
		parts = append(parts, "through the proxy "+vault.Origin(inst.Proxy))
	}
	if env := secretEnv(inst); env != "" {
		parts = append(parts, "read from the environment variable "+env)
	}
	if inst.InsecureSkipVerify {
		parts = append(parts, "WITHOUT verifying the TLS certificate")
	}
	return strings.Join(parts, ", ")
}

// secretWord names what inst signs in with.
func secretWord(inst Instance) string {
	if inst.Auth == AuthBearer {
		return "token"
	}
	return "password"
}

// secretEnv is the variable inst takes its secret from, or "".
func secretEnv(inst Instance) string {
	if inst.Auth == AuthBearer {
		return inst.TokenEnv
	}
	return inst.PasswordEnv
}

// ReadImport reads and checks an exported list; it writes nothing. If any
// entry is invalid the whole list is refused.
func (s *Service) ReadImport(r io.Reader) (*ImportPlan, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("could not read the list: %w", err)
	}
	if len(data) > maxImportBytes {
		return nil, fmt.Errorf("the list is over %d MiB: it is not an exported instance list", maxImportBytes>>20)
	}
	var f config.File // an exported list has instances.json's format
	if err := json.Unmarshal(data, &f); err != nil {
		// A bare array is accepted too, as people write those by hand.
		if json.Unmarshal(data, &f.Instances) != nil {
			return nil, fmt.Errorf("the list is not an exported instance list (%v)", err)
		}
	}
	if f.Version > config.StoreVersion {
		return nil, fmt.Errorf("the list has version %d, newer than this Licensedesk understands (%d): update Licensedesk", f.Version, config.StoreVersion)
	}
	for i, inst := range f.Instances {
		if err := inst.Validate(); err != nil {
			return nil, fmt.Errorf("entry %d (%q): %w", i+1, inst.ID, err)
		}
	}
	plan := &ImportPlan{}
	have := map[string]bool{}
	for _, inst := range s.Instances() {
		have[inst.ID] = true
	}
	for _, inst := range f.Instances {
		if have[inst.ID] {
			plan.Skipped = append(plan.Skipped, inst.ID)
			continue
		}
		have[inst.ID] = true
		plan.Add = append(plan.Add, inst)
	}
	return plan, nil
}

// ApplyImport adds a plan's instances, returning how many were added; an id
// taken since the plan was read (by another process) is skipped.
func (s *Service) ApplyImport(plan *ImportPlan) (int, error) {
	var addedIDs []string
	err := s.update(func(list []Instance) ([]Instance, error) {
		addedIDs = nil
		have := map[string]bool{}
		for _, inst := range list {
			have[inst.ID] = true
		}
		out := append([]Instance(nil), list...)
		for _, inst := range plan.Add {
			if have[inst.ID] {
				continue
			}
			have[inst.ID] = true
			out = append(out, inst)
			addedIDs = append(addedIDs, inst.ID)
		}
		return out, nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range addedIDs {
		s.publish(id)
	}
	return len(addedIDs), nil
}

// ImportInstances reads and adds an exported list in one step (ReadImport,
// then ApplyImport), returning how many were added.
func (s *Service) ImportInstances(r io.Reader) (int, error) {
	plan, err := s.ReadImport(r)
	if err != nil {
		return 0, err
	}
	return s.ApplyImport(plan)
}

const maxImportBytes = 8 << 20

// ExportInstances writes the instance list, never a secret.
func (s *Service) ExportInstances(w io.Writer) error {
	f := config.File{Version: config.StoreVersion, Instances: s.Instances()}
	if f.Instances == nil {
		f.Instances = []Instance{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// Status returns the last known status of one instance.
func (s *Service) Status(id string) Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst, ok := s.find(id)
	if !ok {
		inst = Instance{ID: id}
	}
	now := s.cfg.Now()
	var peers peerFindings
	if r := s.states[id]; r != nil && r.err == nil && r.token != nil {
		peers = s.peersLocked(r.token, now)
	}
	return s.statusLocked(inst, now, peers)
}

// Statuses returns the last known status of every instance, in store order.
func (s *Service) Statuses() []Status {
	return s.StatusesOf(nil)
}

// StatusesOf returns the last known status of the given instances (all when
// ids is empty), judging HA peers across the whole fleet at once.
func (s *Service) StatusesOf(ids []string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	peers := s.peersLocked(nil, now)
	list := s.instances
	if len(ids) > 0 {
		list = make([]Instance, 0, len(ids))
		for _, id := range ids {
			inst, ok := s.find(id)
			if !ok {
				inst = Instance{ID: id}
			}
			list = append(list, inst)
		}
	}
	out := make([]Status, 0, len(list))
	for _, inst := range list {
		out = append(out, s.statusLocked(inst, now, peers))
	}
	return out
}

// statusLocked builds a Status from what is remembered, evaluating it at now
// so that a date crossing a warn threshold shows without a new read.
func (s *Service) statusLocked(inst Instance, now time.Time, peers peerFindings) Status {
	st := Status{Instance: inst}
	if r := s.states[inst.ID]; r != nil {
		st.Token, st.Err, st.HTTPStatus = r.token, r.err, r.httpStatus
		st.CheckedAt, st.ReadAt = r.checkedAt, r.readAt
		st.Stats, st.Health, st.Frontend = r.stats, r.health, r.frontend
		st.Stale = r.err != nil && r.token != nil
	}
	st.Eval = evaluate(st, now, s.policy)
	peers.apply(&st)
	return st
}

// Reason explains an error in plain words, fit for a status line. The
// client's typed errors and ResolveAuth's already say what to do; only bare
// sentinels and context errors get words here.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var apiErr *client.APIError
	var netErr *client.NetworkError
	var badErr *client.BadResponseError
	switch {
	case errors.As(err, &apiErr), errors.As(err, &netErr), errors.As(err, &badErr):
		return err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return "Grafana did not answer in time: check that the instance is up, or raise its timeout"
	case errors.Is(err, context.Canceled):
		return "The read was cancelled"
	case err == vault.ErrNoSecret:
		return "No password or token is stored for this instance: edit it to enter one, or name an environment variable"
	case err == vault.ErrKeyringUnavailable:
		return "The system keyring is not available, so the instance's secret cannot be read: unlock or start the keyring, or name an environment variable"
	}
	return err.Error()
}

// Subscribe registers fn to be called (from any goroutine) whenever a status
// changes, including when an instance is added, edited or removed. Calls
// come one at a time, newest last; fn must return quickly and must not call
// the service's changing methods itself (hand such work to a goroutine, as
// fyne.Do does). The returned function unsubscribes.
func (s *Service) Subscribe(fn func(Status)) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

// publish tells subscribers the newest status of id and returns it.
func (s *Service) publish(id string) Status {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	st := s.Status(id)
	s.send(st)
	return st
}

// send calls every subscriber with st; the caller holds notifyMu.
func (s *Service) send(st Status) {
	s.mu.Lock()
	fns := make([]func(Status), 0, len(s.subs))
	for _, fn := range s.subs {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn(st)
	}
}

// instanceTimeout bounds every call made for inst in one operation.
func (s *Service) instanceTimeout(inst Instance) time.Duration {
	if s.cfg.InstanceTimeout > 0 {
		return s.cfg.InstanceTimeout
	}
	per := defaultTimeout
	if inst.TimeoutSeconds > 0 {
		per = time.Duration(inst.TimeoutSeconds) * time.Second
	}
	return 2 * per
}

// clientFor returns the instance's client, building it when the instance
// changed since the last one was built.
func (s *Service) clientFor(inst Instance) (*client.Client, error) {
	s.mu.Lock()
	cached := s.clients[inst.ID]
	s.mu.Unlock()
	if cached != nil && cached.inst == inst {
		return cached.c, nil
	}
	c, err := s.newClient(inst, s.secrets)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.clients[inst.ID] = &cachedClient{inst: inst, c: c}
	s.mu.Unlock()
	return c, nil
}

func (s *Service) newClient(inst Instance, secrets vault.Store) (*client.Client, error) {
	auth, err := vault.ResolveAuth(inst, secrets, s.cfg.Getenv)
	if err != nil {
		return nil, err
	}
	return client.New(ClientOptions(inst, auth, s.cfg.UserAgent))
}

// forgetClient drops a client whose credentials Grafana refused, so the next
// call reads the secret again (it may have been changed elsewhere).
func (s *Service) forgetClient(id string, err error) {
	if client.IsStatus(err, 401) {
		s.mu.Lock()
		delete(s.clients, id)
		s.mu.Unlock()
	}
}

// Refresh reads one instance's token now, with its health and usage
// statistics when they can be had.
func (s *Service) Refresh(ctx context.Context, id string) Status {
	inst, ok := s.Instance(id)
	if !ok {
		st := Status{Instance: Instance{ID: id}, Err: fmt.Errorf("%w: %q", ErrUnknownInstance, id)}
		st.Eval = evaluate(st, s.cfg.Now(), s.Policy())
		return st
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.instanceTimeout(inst))
	defer cancel()

	s.mu.Lock()
	r := s.recordLocked(id)
	r.started++
	seq := r.started
	s.mu.Unlock()

	res := s.read(ctx, inst)

	if errors.Is(parent.Err(), context.Canceled) {
		// The caller gave up (the window closed, the user cancelled): that
		// says nothing about the instance, so the last status stands.
		return s.Status(id)
	}
	s.mu.Lock()
	r = s.recordLocked(id)
	if seq > r.seq {
		r.seq = seq
		res.applyTo(r)
	}
	if _, still := s.find(id); !still {
		delete(s.states, id) // removed while it was being read
	}
	s.mu.Unlock()
	return s.publish(id)
}

func (s *Service) recordLocked(id string) *record {
	r := s.states[id]
	if r == nil {
		r = &record{}
		s.states[id] = r
	}
	return r
}

// readResult is one refresh's findings, applied to the record at once.
type readResult struct {
	at       time.Time
	token    *client.Token
	err      error
	status   int
	stats    *client.Stats
	health   *client.Health
	frontend *client.FrontendLicense
}

func (res readResult) applyTo(r *record) {
	r.checkedAt = res.at
	r.httpStatus = res.status
	r.err = res.err
	if res.err == nil {
		r.token, r.readAt = res.token, res.at
		r.frontend = nil
	}
	if res.frontend != nil {
		r.frontend = res.frontend
	}
	if res.stats != nil {
		r.stats = res.stats
	}
	if res.health != nil {
		r.health = res.health
	}
}

// read makes one refresh's calls. Health and statistics are best effort and
// run beside the token read, so they never slow or fail it.
func (s *Service) read(ctx context.Context, inst Instance) readResult {
	res := readResult{at: s.cfg.Now()}
	c, err := s.clientFor(inst)
	if err != nil {
		res.err = err
		return res
	}
	var wg sync.WaitGroup
	health := !s.cfg.TokenOnly && !s.cfg.SkipHealth
	if health {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if h, err := c.Health(ctx); err == nil {
				res.health = h
			}
		}()
	}
	if !s.cfg.TokenOnly {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if st, err := c.Stats(ctx); err == nil {
				res.stats = st
			}
		}()
	}
	tok, err := c.Token(ctx)
	res.token, res.err, res.status = tok, err, httpStatus(err)
	if err != nil {
		s.forgetClient(inst.ID, err)
		if client.IsStatus(err, 403) {
			if fl, ferr := c.FrontendLicense(ctx); ferr == nil {
				res.frontend = fl
			}
		}
	}
	wg.Wait()
	if !health && client.IsStatus(err, 404) {
		// No licensing API: the version tells whether Grafana is too old for one.
		if h, herr := c.Health(ctx); herr == nil {
			res.health = h
		}
	}
	return res
}

// httpStatus is the status code of the answer behind err: 200 when there is
// no error, 0 when nothing answered.
func httpStatus(err error) int {
	if err == nil {
		return 200
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	var badErr *client.BadResponseError
	if errors.As(err, &badErr) {
		return badErr.StatusCode
	}
	return 0
}

// RefreshAll reads the given instances (all when ids is empty) with bounded
// concurrency, each under its own timeout, calling progress (from any
// goroutine, one call at a time) as each finishes. The result is in the order
// of ids, or of the store.
func (s *Service) RefreshAll(ctx context.Context, ids []string, progress func(done, total int, st Status)) []Status {
	if len(ids) == 0 {
		for _, inst := range s.Instances() {
			ids = append(ids, inst.ID)
		}
	}
	out := make([]Status, len(ids))
	sem := make(chan struct{}, s.cfg.Concurrency)
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				out[i] = s.Refresh(ctx, id)
				<-sem
			case <-ctx.Done():
				out[i] = s.Status(id) // cancelled before its turn: keep what is known
			}
			progressMu.Lock()
			done++
			if progress != nil {
				progress(done, len(ids), out[i])
			}
			progressMu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

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
	r.httpStatus = httpStatus(err)
	if err == nil && tok != nil {
		r.started++
		r.seq = r.started
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
// must not turn a done renewal into an error, so it is only reported.
func (s *Service) record(action history.Action, st Status, err error) {
	if s.cfg.History == nil {
		return
	}
	e := NewEntry(s.cfg.Now(), st.Instance, action, st, err)
	e.Source = s.cfg.Source
	if herr := s.cfg.History.Append(e); herr != nil {
		s.mu.Lock()
		s.historyErr = herr
		s.mu.Unlock()
	}
}

// HistoryError is the last failure to write the history, or nil.
func (s *Service) HistoryError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.historyErr
}

// History returns the action history the service writes, or nil.
func (s *Service) History() *history.History { return s.cfg.History }

// tune lets the command line adjust a built service before its first use.
func (s *Service) tune(f func(*Config)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.cfg)
	s.policy = s.cfg.Policy
	if s.cfg.Concurrency <= 0 {
		s.cfg.Concurrency = defaultConcurrency
	}
}

// Renew asks an instance to renew its token. Errors are the client's typed
// errors (*client.APIError, *client.NetworkError, *client.BadResponseError).
func (s *Service) Renew(ctx context.Context, id string) (Status, error) {
	st, err := s.call(ctx, id, func(ctx context.Context, c *client.Client) (*client.Token, error) {
		return c.Renew(ctx)
	})
	s.record(history.ActionRenew, st, err)
	return st, err
}

// Upload sends a license JWT to an instance.
func (s *Service) Upload(ctx context.Context, id, jwt string) (Status, error) {
	st, err := s.call(ctx, id, func(ctx context.Context, c *client.Client) (*client.Token, error) {
		return c.Upload(ctx, jwt)
	})
	s.record(history.ActionUpload, st, err)
	return st, err
}

// Delete removes an instance's license, sending rootURL as Grafana's
// root_url, then reads the token again to show what Grafana has left (a
// license.jwt file on the server may still apply).
func (s *Service) Delete(ctx context.Context, id, rootURL string) (Status, error) {
	st, err := s.call(ctx, id, func(ctx context.Context, c *client.Client) (*client.Token, error) {
		return nil, c.Delete(ctx, rootURL)
	})
	s.record(history.ActionDelete, st, err)
	if client.IsStatus(err, 422) {
		mismatch := &RootURLMismatchError{Sent: rootURL, InstanceURL: st.Instance.URL, Err: err}
		if st.Token != nil {
			mismatch.Subject = st.Token.Subject
		}
		err = mismatch
	}
	if err != nil {
		return st, err
	}
	return s.Refresh(ctx, id), nil
}

// TestConnection reads the token of an unsaved instance with the given
// secret (or, when it is empty, the stored one or the named variable). It
// changes nothing.
func (s *Service) TestConnection(ctx context.Context, inst Instance, secret string) Status {
	st := Status{Instance: inst, CheckedAt: s.cfg.Now()}
	var secrets vault.Store = s.secrets
	if secret != "" {
		secrets = overlaySecrets{key: vault.KeyFor(inst), secret: secret, Store: secrets}
	}
	ctx, cancel := context.WithTimeout(ctx, s.instanceTimeout(inst))
	defer cancel()
	c, err := s.newClient(inst, secrets)
	if err == nil {
		st.Health, _ = c.Health(ctx)
		st.Token, err = c.Token(ctx)
	}
	st.Err, st.HTTPStatus = err, httpStatus(err)
	if err == nil {
		st.ReadAt = st.CheckedAt
	} else {
		st.Token = nil
	}
	st.Eval = evaluate(st, s.cfg.Now(), s.Policy())
	return st
}

// KeepSecretForSession keeps an instance's secret in memory until the app
// quits, for when the keyring is unavailable; it is never written anywhere.
func (s *Service) KeepSecretForSession(id, secret string) error {
	inst, ok := s.Instance(id)
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownInstance, id)
	}
	if secret == "" {
		return errors.New("there is no secret to keep")
	}
	s.secrets.session.Set(vault.KeyFor(inst), secret)
	s.dropClient(id)
	s.publish(id)
	return nil
}

// dropClient forgets the cached client of id so the next call signs in afresh.
func (s *Service) dropClient(id string) {
	s.mu.Lock()
	delete(s.clients, id)
	s.mu.Unlock()
}

// layeredSecrets reads secrets kept for this session first, then the
// configured store (the keyring); it writes to the store.
type layeredSecrets struct {
	session *vault.Memory
	store   vault.Store
	adopt   bool // bind legacy secrets (see Config.AdoptLegacySecrets)
}

// Get prefers the session's secret, which exists only when the store failed.
func (l layeredSecrets) Get(k vault.Key) (string, error) {
	if v, err := l.session.Get(k); err == nil {
		return v, nil
	}
	v, err := l.store.Get(k)
	var legacy *vault.LegacySecretError
	if adopter, ok := l.store.(vault.Adopter); ok && l.adopt && errors.As(err, &legacy) {
		return adopter.Adopt(k)
	}
	return v, err
}

// Set writes to the store.
func (l layeredSecrets) Set(k vault.Key, secret string) error {
	if err := l.store.Set(k, secret); err != nil {
		return err
	}
	l.session.Delete(k) // the store holds the newer one now
	return nil
}

// Delete forgets the secret everywhere.
func (l layeredSecrets) Delete(k vault.Key) error {
	l.session.Delete(k)
	return l.store.Delete(k)
}

// Move rebinds the secret stored for from to to; with none stored, it does nothing.
func (l layeredSecrets) Move(from, to vault.Key) error {
	if v, err := l.session.Get(from); err == nil {
		l.session.Delete(from)
		l.session.Set(to, v)
	}
	v, err := l.Get(from)
	if errors.Is(err, vault.ErrNoSecret) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := l.store.Set(to, v); err != nil {
		return err
	}
	return l.store.Delete(from)
}

// overlaySecrets answers one key with a secret not yet stored.
type overlaySecrets struct {
	vault.Store
	key    vault.Key
	secret string
}

// Get answers the overlaid key with the unsaved secret.
func (o overlaySecrets) Get(k vault.Key) (string, error) {
	if k == o.key {
		return o.secret, nil
	}
	return o.Store.Get(k)
}
