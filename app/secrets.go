package app

import (
	"errors"
	"sync"
)

// ErrNoSecret means no secret is stored for the instance.
var ErrNoSecret = errors.New("no secret stored for this instance")

// ErrKeyringUnavailable means the OS keyring (Secret Service, Keychain,
// Credential Manager) cannot be reached.
var ErrKeyringUnavailable = errors.New("the system keyring is not available")

// Secrets stores one secret (password or token) per instance id. Get returns
// ErrNoSecret when none is stored; Delete of a missing secret is not an error.
type Secrets interface {
	Get(id string) (string, error)
	Set(id, secret string) error
	Delete(id string) error
}

// MemorySecrets keeps secrets in memory for this session only: demo mode,
// and the "keep for this session only" choice when the keyring is missing.
// It is safe for concurrent use. The zero value is ready to use.
type MemorySecrets struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemorySecrets returns an empty in-memory store.
func NewMemorySecrets() *MemorySecrets { return &MemorySecrets{} }

// Get returns the secret kept for id, or ErrNoSecret.
func (s *MemorySecrets) Get(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	secret, ok := s.m[id]
	if !ok {
		return "", ErrNoSecret
	}
	return secret, nil
}

// Set keeps secret for id, replacing any earlier one.
func (s *MemorySecrets) Set(id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]string)
	}
	s.m[id] = secret
	return nil
}

// Delete forgets the secret for id; forgetting one never kept is not an error.
func (s *MemorySecrets) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
