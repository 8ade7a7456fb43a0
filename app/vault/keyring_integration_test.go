//go:build integration

package vault

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

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

func TestALongSecretFitsEveryKeyring(t *testing.T) {
	k := &Keyring{service: "licensedesk-integration-test", timeout: 30 * time.Second}
	key := Key{ID: fmt.Sprintf("it-long-%d", time.Now().UnixNano()), Origin: "https://proxy.example.com:443", Username: ""}
	t.Cleanup(func() { _ = k.Delete(key) })
	entries := func() map[string]string {
		out := map[string]string{}
		for i := 1; i <= 12; i++ {
			acct := key.ID
			if i > 1 {
				acct = partAccount(key.ID, i)
			}
			if v, err := keyring.Get(k.service, acct); err == nil {
				out[acct] = v
			}
		}
		return out
	}

	// An auth proxy's JWT of 2,523 characters, as a Windows administrator
	// could not save: with its binding it passes Credential Manager's 2,560
	// bytes, and the hex-encoded form passes macOS's security command line.
	token := "eyJ" + strings.Repeat("ab.-_Z9", 360)
	if err := k.Set(key, token); err != nil {
		t.Fatalf("saving a %d-byte token: %v", len(token), err)
	}
	if got, err := k.Get(key); err != nil || got != token {
		t.Fatalf("the long token read back as %d bytes, %v", len(got), err)
	}
	stored := entries()
	if len(stored) < 3 {
		t.Fatalf("the token sits in %d keyring entries; want it in parts", len(stored))
	}
	for acct, v := range stored {
		if len(v) > 2560 || 2*len(v) > 4096-200 {
			t.Errorf("the entry %s holds %d bytes: too long for Windows' Credential Manager or macOS's security command", acct, len(v))
		}
	}

	// Parts are cut between characters, never inside one.
	wide := strings.Repeat("pässwörd ✓ ", 300)
	if err := k.Set(key, wide); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(key); err != nil || got != wide {
		t.Fatalf("a long secret of accented letters read back as %d bytes, %v; want %d", len(got), err, len(wide))
	}

	// A shorter secret replaces it whole, and no part of the old one stays.
	if err := k.Set(key, "short"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(key); err != nil || got != "short" {
		t.Fatalf("after a short secret replaced the long one: %q, %v", got, err)
	}
	if left := entries(); len(left) != 1 {
		t.Errorf("after a short secret replaced the long one the keyring holds %d entries: %v", len(left), keys(left))
	}

	// Removing a long secret removes every part.
	if err := k.Set(key, token+token); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(key); err != nil {
		t.Fatal(err)
	}
	if left := entries(); len(left) != 0 {
		t.Errorf("removing the secret left %v in the keyring", keys(left))
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
