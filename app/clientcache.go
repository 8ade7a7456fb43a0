package app

import (
	"fmt"
	"time"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
)

// instanceTimeout bounds every call made for inst in one operation.
func (s *Service) instanceTimeout(inst Instance) time.Duration {
	if s.cfg.InstanceTimeout > 0 {
		return s.cfg.InstanceTimeout
	}
	per := DefaultTimeout
	if inst.TimeoutSeconds > 0 {
		per = time.Duration(inst.TimeoutSeconds) * time.Second
	}
	return 2 * per
}

// clientCacheSize bounds the clients kept between calls. A client is kept
// so that a burst of calls to one instance (a read, then a renewal) signs
// in once and reuses its connection; a fleet read in turn gains nothing
// from keeping ten thousand, which would hold their memory for good.
const clientCacheSize = 64

// clientFor returns the instance's client, building it when the instance
// changed since the last one was built or when it left the cache.
func (s *Service) clientFor(inst Instance) (*client.Client, error) {
	s.mu.Lock()
	cached := s.clients[inst.ID]
	if cached != nil && cached.inst == inst {
		s.clientTick++
		cached.used = s.clientTick
		s.mu.Unlock()
		return cached.c, nil
	}
	s.mu.Unlock()
	c, err := s.newClient(inst, s.secrets)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	old := s.clients[inst.ID]
	s.clientTick++
	s.clients[inst.ID] = &cachedClient{inst: inst, c: c, used: s.clientTick}
	evicted := s.evictClientLocked()
	s.mu.Unlock()
	old.close() // replaced: its pooled connections are released
	evicted.close()
	return c, nil
}

// evictClientLocked drops the least recently used client when the cache is
// over its size and returns it for closing; a call still using it finishes
// over its connection. s.mu must be held.
func (s *Service) evictClientLocked() *cachedClient {
	if len(s.clients) <= clientCacheSize {
		return nil
	}
	var oldest *cachedClient
	var oldestID string
	for id, c := range s.clients {
		if oldest == nil || c.used < oldest.used {
			oldest, oldestID = c, id
		}
	}
	delete(s.clients, oldestID)
	return oldest
}

func (s *Service) newClient(inst Instance, secrets vault.Store) (*client.Client, error) {
	if p := config.URLProblem(inst.URL); p != "" {
		// A hand-edited URL is refused as the add form refuses it: a query
		// or fragment never reaches the wire, nor any output.
		return nil, fmt.Errorf("its URL %s: edit the instance to fix it", p)
	}
	auth, err := vault.ResolveAuth(inst, secrets, s.cfg.Getenv)
	if err != nil {
		return nil, err
	}
	return client.New(inst.ClientOptions(auth, s.cfg.UserAgent))
}

// forgetClient drops a client whose credentials Grafana refused, so the next
// call reads the secret again (it may have been changed elsewhere).
func (s *Service) forgetClient(id string, err error) {
	if client.IsStatus(err, 401) {
		s.dropClient(id)
	}
}

// dropClient forgets and closes the cached client of id, so the next call
// signs in afresh.
func (s *Service) dropClient(id string) {
	s.mu.Lock()
	old := s.clients[id]
	delete(s.clients, id)
	s.mu.Unlock()
	old.close()
}

// Close releases every cached client's connections; the service stays
// usable and builds clients again as needed.
func (s *Service) Close() {
	s.mu.Lock()
	cached := s.clients
	s.clients = map[string]*cachedClient{}
	s.mu.Unlock()
	for _, c := range cached {
		c.close()
	}
}

// close releases a cached client's hold on its shared transport; nil is fine.
func (c *cachedClient) close() {
	if c != nil {
		c.c.Close()
	}
}
