package app

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

	"github.com/licensedesk/licensedesk/client"
)

func TestMemorySecrets(t *testing.T) {
	var s MemorySecrets // the zero value works
	if _, err := s.Get("prod"); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get of nothing = %v; want ErrNoSecret", err)
	}
	if err := s.Set("prod", "first"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("prod", "second"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get("prod"); err != nil || got != "second" {
		t.Fatalf("Get after overwrite = %q, %v; want second", got, err)
	}
	if err := s.Delete("prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("prod"); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Get after Delete = %v; want ErrNoSecret", err)
	}
	if err := s.Delete("never-set"); err != nil {
		t.Fatalf("Delete of a missing secret = %v; want nil", err)
	}

	t.Run("concurrent use", func(t *testing.T) {
		s := NewMemorySecrets()
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				id := fmt.Sprintf("i%d", g)
				for i := 0; i < 100; i++ {
					_ = s.Set(id, fmt.Sprint(i))
					_, _ = s.Get(id)
					_, _ = s.Get("i0")
				}
			}(g)
		}
		wg.Wait()
		for g := 0; g < 8; g++ {
			if got, _ := s.Get(fmt.Sprintf("i%d", g)); got != "99" {
				t.Errorf("i%d = %q; want 99", g, got)
			}
		}
	})
}

func TestResolveAuth(t *testing.T) {
	basic := Instance{ID: "prod", Name: "Prod", URL: "https://g.example.com", Auth: AuthBasic, Username: "admin"}
	bearer := Instance{ID: "ci", Name: "CI", URL: "https://ci.example.com", Auth: AuthBearer}
	secrets := NewMemorySecrets()
	_ = secrets.Set("prod", "keyring-password")
	_ = secrets.Set("ci", "glsa_keyringtoken")
	env := map[string]string{"PROD_PW": "env-password\n", "CI_TOKEN": "glsa_envtoken", "EMPTY": ""}
	getenv := func(k string) string { return env[k] }

	withEnv := func(inst Instance, pw, tok string) Instance { inst.PasswordEnv, inst.TokenEnv = pw, tok; return inst }

	ok := []struct {
		name string
		inst Instance
		want client.Auth
	}{
		{"basic from the keyring", basic, client.Auth{Username: "admin", Password: "keyring-password"}},
		{"basic from password_env, trailing newline dropped", withEnv(basic, "PROD_PW", ""), client.Auth{Username: "admin", Password: "env-password"}},
		{"bearer from the keyring", bearer, client.Auth{Token: "glsa_keyringtoken"}},
		{"bearer from token_env", withEnv(bearer, "", "CI_TOKEN"), client.Auth{Token: "glsa_envtoken"}},
		{"basic ignores token_env", withEnv(basic, "", "CI_TOKEN"), client.Auth{Username: "admin", Password: "keyring-password"}},
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
		inst    Instance
		secrets Secrets
		says    []string
	}{
		{"password_env not set", withEnv(basic, "MISSING_PW", ""), secrets, []string{`"prod"`, "MISSING_PW", "password"}},
		{"token_env empty", withEnv(bearer, "", "EMPTY"), secrets, []string{`"ci"`, "EMPTY", "token"}},
		{"no password in the keyring", basic, NewMemorySecrets(), []string{`"prod"`, "keyring", "password_env"}},
		{"no token in the keyring", bearer, NewMemorySecrets(), []string{`"ci"`, "keyring", "token_env"}},
		{"no secret store at all", bearer, nil, []string{`"ci"`, "token_env"}},
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
			for _, secret := range []string{"keyring-password", "env-password", "glsa_"} {
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

func TestClientOptions(t *testing.T) {
	inst := Instance{ID: "p", URL: "https://g.example.com/grafana/", CAFile: "/etc/ca.pem",
		InsecureSkipVerify: true, Proxy: "http://proxy:3128", TimeoutSeconds: 42}
	auth := client.Auth{Username: "admin", Password: "pw"}
	got := ClientOptions(inst, auth, "licensedesk/1.0")
	want := client.Options{BaseURL: "https://g.example.com/grafana/", Auth: auth, Timeout: 42 * time.Second,
		CAFile: "/etc/ca.pem", InsecureSkipVerify: true, Proxy: "http://proxy:3128", UserAgent: "licensedesk/1.0"}
	if got != want {
		t.Fatalf("ClientOptions =\n %+v\nwant\n %+v", got, want)
	}
	inst.TimeoutSeconds = 0
	if got := ClientOptions(inst, auth, ""); got.Timeout != 15*time.Second {
		t.Fatalf("default timeout = %v; want 15s", got.Timeout)
	}
}

func TestKeyringTimeout(t *testing.T) {
	k := &KeyringSecrets{service: "licensedesk-test", timeout: 20 * time.Millisecond}
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

	msg := (&KeyringSecrets{}).explain("read the secret of \"p\" from", errKeyringTimeout, "").Error()
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
	k := NewKeyringSecrets()
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
	check("Set", k.Set("prod", unavailableSecret))
	_, err := k.Get("prod")
	check("Get", err)
	check("Delete", k.Delete("prod"))

	_, err = ResolveAuth(Instance{ID: "prod", Auth: AuthBasic, Username: "admin"}, k, func(string) string { return "" })
	if !errors.Is(err, ErrKeyringUnavailable) || !strings.Contains(err.Error(), `"prod"`) {
		t.Errorf("ResolveAuth error = %v; want the keyring problem, naming the instance", err)
	}
	fmt.Println("keyring-unavailable checked")
}
