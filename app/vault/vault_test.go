package vault

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

var prodKey = Key{ID: "prod", Origin: "https://g.example.com:443", Username: "admin"}

func TestMemorySecrets(t *testing.T) {
	var s Memory // the zero value works
	if _, err := s.Get(prodKey); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get of nothing = %v; want ErrNoSecret", err)
	}
	if err := s.Set(prodKey, "first"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(prodKey, "second"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(prodKey); err != nil || got != "second" {
		t.Fatalf("Get after overwrite = %q, %v; want second", got, err)
	}
	if err := s.Delete(prodKey); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(prodKey); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get after Delete = %v; want ErrNoSecret", err)
	}
	if err := s.Delete(Key{ID: "never-set"}); err != nil {
		t.Fatalf("Delete of a missing secret = %v; want nil", err)
	}

	t.Run("concurrent use", func(t *testing.T) {
		s := NewMemory()
		key := func(g int) Key { return Key{ID: fmt.Sprintf("i%d", g), Origin: "https://h:443"} }
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 100; i++ {
					_ = s.Set(key(g), fmt.Sprint(i))
					_, _ = s.Get(key(g))
					_, _ = s.Get(key(0))
				}
			}(g)
		}
		wg.Wait()
		for g := 0; g < 8; g++ {
			if got, _ := s.Get(key(g)); got != "99" {
				t.Errorf("i%d = %q; want 99", g, got)
			}
		}
	})
}

// TestSecretsAreBoundToTheirAddress: a second instance list that names an
// instance "prod" at another host, or with another user, never receives the
// first list's "prod" secret, and removing one leaves the other's.
func TestSecretsAreBoundToTheirAddress(t *testing.T) {
	s := NewMemory()
	if err := s.Set(prodKey, "real-password"); err != nil {
		t.Fatal(err)
	}
	for name, other := range map[string]Key{
		"another host":   {ID: "prod", Origin: "https://evil.example.net:443", Username: "admin"},
		"another port":   {ID: "prod", Origin: "https://g.example.com:8443", Username: "admin"},
		"another scheme": {ID: "prod", Origin: "http://g.example.com:80", Username: "admin"},
		"another user":   {ID: "prod", Origin: "https://g.example.com:443", Username: "root"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := s.Get(other)
			var elsewhere *ElsewhereError
			if got != "" || !errors.As(err, &elsewhere) || !errors.Is(err, ErrNoSecret) {
				t.Fatalf("Get(%+v) = %q, %v; want no secret and an ElsewhereError", other, got, err)
			}
			for _, want := range []string{"https://g.example.com", `"admin"`, "never sends"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q does not say %s", err, want)
				}
			}
		})
	}
	evil := Key{ID: "prod", Origin: "https://evil.example.net:443", Username: "admin"}
	if err := s.Set(evil, "other-password"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(evil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(prodKey); got != "real-password" || err != nil {
		t.Fatalf("after removing the other list's prod, this one's = %q, %v; want it kept", got, err)
	}
}

func TestSecretKeyForNormalisesTheAddress(t *testing.T) {
	a := KeyFor(config.Instance{ID: "p", URL: "https://G.example.com/", Auth: config.AuthBasic, Username: "admin"})
	b := KeyFor(config.Instance{ID: "p", URL: "https://g.example.com:443/grafana/", Auth: config.AuthBasic, Username: "admin"})
	if a != b {
		t.Errorf("%+v != %+v: one origin written two ways", a, b)
	}
	if got := a.Address(); got != `https://g.example.com as "admin"` {
		t.Errorf("Address() = %q", got)
	}
	if got := KeyFor(config.Instance{ID: "p", URL: "http://h:8080", Auth: config.AuthBearer, Username: "x"}); got.Username != "" || got.Origin != "http://h:8080" {
		t.Errorf("bearer key = %+v; want no user, origin http://h:8080", got)
	}
}

func TestResolveAuth(t *testing.T) {
	basic := config.Instance{ID: "prod", Name: "Prod", URL: "https://g.example.com", Auth: config.AuthBasic, Username: "admin"}
	bearer := config.Instance{ID: "ci", Name: "CI", URL: "https://ci.example.com", Auth: config.AuthBearer}
	secrets := NewMemory()
	_ = secrets.Set(KeyFor(basic), "keyring-password")
	_ = secrets.Set(KeyFor(bearer), "glsa_keyringtoken")
	env := map[string]string{"LICENSEDESK_PROD_PW": "env-password\n", "LICENSEDESK_CI_TOKEN": "glsa_envtoken",
		"LICENSEDESK_EMPTY": "", "AWS_SECRET_ACCESS_KEY": "aws-secret"}
	getenv := func(k string) string { return env[k] }

	withEnv := func(inst config.Instance, pw, tok string) config.Instance {
		inst.PasswordEnv, inst.TokenEnv = pw, tok
		return inst
	}

	ok := []struct {
		name string
		inst config.Instance
		want client.Auth
	}{
		{"basic from the keyring", basic, client.Auth{Username: "admin", Password: "keyring-password"}},
		{"basic from password_env, trailing newline dropped", withEnv(basic, "LICENSEDESK_PROD_PW", ""), client.Auth{Username: "admin", Password: "env-password"}},
		{"bearer from the keyring", bearer, client.Auth{Token: "glsa_keyringtoken"}},
		{"bearer from token_env", withEnv(bearer, "", "LICENSEDESK_CI_TOKEN"), client.Auth{Token: "glsa_envtoken"}},
		{"basic ignores token_env", withEnv(basic, "", "LICENSEDESK_CI_TOKEN"), client.Auth{Username: "admin", Password: "keyring-password"}},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveAuth(tc.inst, secrets, getenv)
			if err != nil || got != tc.want {
				t.Fatalf("ResolveAuth = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}

	bad := []struct {
		name    string
		inst    config.Instance
		secrets Store
		says    []string
	}{
		{"password_env not set", withEnv(basic, "LICENSEDESK_MISSING_PW", ""), secrets, []string{`"prod"`, "LICENSEDESK_MISSING_PW", "password"}},
		{"token_env empty", withEnv(bearer, "", "LICENSEDESK_EMPTY"), secrets, []string{`"ci"`, "LICENSEDESK_EMPTY", "token"}},
		{"no password in the keyring", basic, NewMemory(), []string{`"prod"`, "keyring", "password_env"}},
		{"no token in the keyring", bearer, NewMemory(), []string{`"ci"`, "keyring", "token_env"}},
		{"no secret store at all", bearer, nil, []string{`"ci"`, "token_env"}},
		{"a variable without the LICENSEDESK_ prefix", withEnv(bearer, "", "AWS_SECRET_ACCESS_KEY"), secrets, []string{`"ci"`, "AWS_SECRET_ACCESS_KEY", "LICENSEDESK_"}},
		{"the keyring's secret is for another host", func() config.Instance { i := basic; i.URL = "https://evil.example.net/"; return i }(), secrets,
			[]string{`"prod"`, "https://g.example.com", "https://evil.example.net", "set-secret prod"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ResolveAuth(tc.inst, tc.secrets, getenv)
			if !errors.Is(err, ErrNoSecret) {
				t.Fatalf("ResolveAuth error = %v; want one wrapping ErrNoSecret", err)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q does not mention %s", err, s)
				}
			}
			for _, secret := range []string{"keyring-password", "env-password", "glsa_", "aws-secret"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("message %q leaks a secret", err)
				}
			}
		})
	}

	t.Run("basic without a username", func(t *testing.T) {
		inst := basic
		inst.Username = ""
		if _, err := ResolveAuth(inst, secrets, getenv); err == nil || !strings.Contains(err.Error(), "username") {
			t.Fatalf("error = %v; want one naming the username", err)
		}
	})
	t.Run("nil getenv reads the process environment", func(t *testing.T) {
		t.Setenv("LICENSEDESK_TEST_TOKEN", "glsa_fromprocess")
		got, err := ResolveAuth(withEnv(bearer, "", "LICENSEDESK_TEST_TOKEN"), nil, nil)
		if err != nil || got.Token != "glsa_fromprocess" {
			t.Fatalf("ResolveAuth = %+v, %v", got, err)
		}
	})
}

func TestKeyringTimeout(t *testing.T) {
	k := &Keyring{service: "licensedesk-test", timeout: 20 * time.Millisecond}
	release := make(chan struct{})
	finished := make(chan struct{})
	err := k.run(func() error { <-release; close(finished); return nil })
	if !errors.Is(err, errKeyringTimeout) {
		t.Fatalf("run on a stuck keyring = %v; want errKeyringTimeout", err)
	}

	ran := false
	if err := k.run(func() error { ran = true; return nil }); !errors.Is(err, errKeyringTimeout) || ran {
		t.Fatalf("call behind a stuck one = %v (ran: %v); want an immediate errKeyringTimeout", err, ran)
	}

	close(release)
	<-finished
	k.timeout = time.Minute
	deadline := time.Now().Add(time.Minute)
	for {
		err := k.run(func() error { return os.ErrPermission })
		if err == os.ErrPermission {
			break
		}
		if !errors.Is(err, errKeyringTimeout) || time.Now().After(deadline) {
			t.Fatalf("after the stuck call returned, run = %v; want op's own error", err)
		}
		time.Sleep(time.Millisecond)
	}

	msg := (&Keyring{}).explain("read the secret of \"p\" from", errKeyringTimeout, "").Error()
	if !strings.Contains(msg, "unlock it if a prompt is waiting") {
		t.Errorf("timeout message %q does not say what to do", msg)
	}
}

// TestKeyringSecretsUnavailable runs in a child process whose D-Bus session
// address points nowhere, as on a headless box without a Secret Service; a
// child is needed because the D-Bus library caches its connection.
func TestKeyringSecretsUnavailable(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"=keyring-unavailable",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "keyring-unavailable checked") {
		t.Fatalf("child did not run its checks:\n%s", out)
	}
}

const unavailableSecret = "correct-horse-battery-staple"

func keyringUnavailableHelper(t *testing.T) {
	k := NewKeyring()
	check := func(op string, err error) {
		t.Helper()
		if !errors.Is(err, ErrKeyringUnavailable) {
			t.Errorf("%s error = %v; want one wrapping ErrKeyringUnavailable", op, err)
			return
		}
		if errors.Is(err, ErrNoSecret) {
			t.Errorf("%s: an unreachable keyring must not look like a missing secret", op)
		}
		msg := err.Error()
		if strings.Contains(msg, unavailableSecret) {
			t.Errorf("%s message leaks the secret: %q", op, msg)
		}
		for _, want := range []string{`"prod"`, "D-Bus", "password_env"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s message %q does not mention %s", op, msg, want)
			}
		}
	}
	key := Key{ID: "prod", Origin: "https://h:443", Username: "admin"}
	check("Set", k.Set(key, unavailableSecret))
	_, err := k.Get(key)
	check("Get", err)
	check("Delete", k.Delete(key))

	_, err = ResolveAuth(config.Instance{ID: "prod", Auth: config.AuthBasic, Username: "admin"}, k, func(string) string { return "" })
	if !errors.Is(err, ErrKeyringUnavailable) || !strings.Contains(err.Error(), `"prod"`) {
		t.Errorf("ResolveAuth error = %v; want the keyring problem, naming the instance", err)
	}
	fmt.Println("keyring-unavailable checked")
}

// helperEnv selects a helper role when the test binary re-executes itself.
const helperEnv = "LICENSEDESK_TEST_HELPER"

// TestHelperProcess is not a test: it is the child process other tests
// start by re-running this binary with LICENSEDESK_TEST_HELPER set. Run
// directly, it returns at once.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) == "keyring-unavailable" {
		keyringUnavailableHelper(t)
	}
}

// TestLegacyEntriesAreAdoptedNotHandedOut: an entry written by version 0.1
// (the bare secret under the id) is never returned by Get; Adopt binds it
// to one key, after which another address still gets nothing.
func TestLegacyEntriesAreAdoptedNotHandedOut(t *testing.T) {
	s := NewMemory()
	_ = s.setRaw("prod", "from-0.1")
	var legacy *LegacySecretError
	if got, err := s.Get(prodKey); got != "" || !errors.As(err, &legacy) || !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get of a 0.1 entry = %q, %v; want a LegacySecretError", got, err)
	}
	if got, err := s.Adopt(prodKey); got != "from-0.1" || err != nil {
		t.Fatalf("Adopt = %q, %v", got, err)
	}
	if got, err := s.Get(prodKey); got != "from-0.1" || err != nil {
		t.Fatalf("after adoption Get = %q, %v", got, err)
	}
	other := prodKey
	other.Origin = "https://evil.example.net:443"
	if _, err := s.Get(other); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("after adoption another address gets %v; want nothing", err)
	}
}
