//go:build integration

package app

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// These tests need a real, unlocked Secret Service; scripts/session.sh
// provides one (a throwaway gnome-keyring). Without it they fail, on purpose:
// the integration build promises the keyring was exercised.

func TestKeyringSecretsRoundTrip(t *testing.T) {
	k := &KeyringSecrets{service: "licensedesk-integration-test", timeout: 30 * time.Second}
	id := fmt.Sprintf("it-%d", time.Now().UnixNano())
	t.Cleanup(func() { _ = k.Delete(id) })

	if _, err := k.Get(id); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get before Set = %v; want ErrNoSecret (is a Secret Service running and unlocked?)", err)
	}
	first := "pässwörd with spaces & symbols ✓"
	if err := k.Set(id, first); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, err := k.Get(id); err != nil || got != first {
		t.Fatalf("Get = %q, %v; want %q", got, err, first)
	}
	second := "glsa_" + strings.Repeat("x", 4096)
	if err := k.Set(id, second); err != nil {
		t.Fatalf("overwrite: %v", err)
	}
	if got, err := k.Get(id); err != nil || got != second {
		t.Fatalf("Get after overwrite = %d bytes, %v; want the %d-byte second secret", len(got), err, len(second))
	}
	if err := k.Delete(id); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := k.Get(id); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get after Delete = %v; want ErrNoSecret", err)
	}
	if err := k.Delete(id); err != nil {
		t.Fatalf("Delete of a deleted secret = %v; want nil", err)
	}
}

// TestKeyringSecretsVisibleToOtherTools checks the entry sits where users and
// their tools (Seahorse, secret-tool) look: service "licensedesk", user = id.
func TestKeyringSecretsVisibleToOtherTools(t *testing.T) {
	k := NewKeyringSecrets()
	id := fmt.Sprintf("it-tools-%d", time.Now().UnixNano())
	t.Cleanup(func() { _ = k.Delete(id) })
	if err := k.Set(id, "hunter2-for-tools"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	out, err := exec.Command("secret-tool", "lookup", "service", KeyringService, "username", id).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup: %v (install libsecret-tools: make deps)", err)
	}
	if string(out) != "hunter2-for-tools" {
		t.Fatalf("secret-tool found %q", out)
	}

	inst := Instance{ID: id, Name: "Tools", URL: "https://g.example.com", Auth: AuthBasic, Username: "admin"}
	auth, err := ResolveAuth(inst, k, func(string) string { return "" })
	if err != nil || auth.Username != "admin" || auth.Password != "hunter2-for-tools" {
		t.Fatalf("ResolveAuth through the keyring = %+v, %v", auth, err)
	}
}
