//go:build integration

package vault

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/config"
)

// These tests need a real, unlocked Secret Service; scripts/session.sh
// provides one (a throwaway gnome-keyring). Without it they fail, on purpose:
// the integration build promises the keyring was exercised.

func TestKeyringSecretsRoundTrip(t *testing.T) {
	k := &Keyring{service: "licensedesk-integration-test", timeout: 30 * time.Second}
	id := Key{ID: fmt.Sprintf("it-%d", time.Now().UnixNano()), Origin: "https://g.example.com:443", Username: "admin"}
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

	// A second list's "same" instance at another host gets nothing, and
	// removing it leaves the first one's secret in place.
	if err := k.Set(id, first); err != nil {
		t.Fatal(err)
	}
	other := id
	other.Origin = "https://elsewhere.example.net:443"
	var elsewhere *ElsewhereError
	if got, err := k.Get(other); got != "" || !errors.As(err, &elsewhere) {
		t.Fatalf("Get for another host = %q, %v; want an ElsewhereError", got, err)
	}
	if err := k.Set(other, "other"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(other); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(id); got != first || err != nil {
		t.Fatalf("after deleting the other host's secret, this one = %q, %v", got, err)
	}
}

// TestKeyringSecretsVisibleToOtherTools checks the entry sits where users and
// their tools (Seahorse, secret-tool) look: service "licensedesk", user = id,
// holding the secret together with the address and user it is for; and an
// entry written by version 0.1 (the bare secret) is adopted by the own list.
func TestKeyringSecretsVisibleToOtherTools(t *testing.T) {
	k := NewKeyring()
	id := fmt.Sprintf("it-tools-%d", time.Now().UnixNano())
	inst := config.Instance{ID: id, Name: "Tools", URL: "https://g.example.com", Auth: config.AuthBasic, Username: "admin"}
	t.Cleanup(func() { _ = k.Delete(KeyFor(inst)) })
	if err := k.Set(KeyFor(inst), "hunter2-for-tools"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	out, err := exec.Command("secret-tool", "lookup", "service", KeyringService, "username", id).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup: %v (install libsecret-tools: make deps)", err)
	}
	for _, want := range []string{`"origin":"https://g.example.com:443"`, `"username":"admin"`, `"secret":"hunter2-for-tools"`} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("secret-tool found %q; want it to hold %s", out, want)
		}
	}

	legacy := exec.Command("secret-tool", "store", "--label=legacy", "service", KeyringService, "username", id+"-old")
	legacy.Stdin = strings.NewReader("from-version-0.1")
	if out, err := legacy.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v\n%s", err, out)
	}
	old := inst
	old.ID = id + "-old"
	t.Cleanup(func() { _ = k.Delete(KeyFor(old)) })
	if got, err := k.Adopt(KeyFor(old)); got != "from-version-0.1" || err != nil {
		t.Fatalf("Adopt of a 0.1 entry = %q, %v", got, err)
	}
	if got, err := k.Get(KeyFor(old)); got != "from-version-0.1" || err != nil {
		t.Fatalf("after adoption Get = %q, %v", got, err)
	}

	auth, err := ResolveAuth(inst, k, func(string) string { return "" })
	if err != nil || auth.Username != "admin" || auth.Password != "hunter2-for-tools" {
		t.Fatalf("ResolveAuth through the keyring = %+v, %v", auth, err)
	}
}
