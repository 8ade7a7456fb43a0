package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

const (
	ctxPassword = "pw-CTX-4b9e1f"
	ctxToken    = "glsa_CTXTOKEN_8d2a"
)

// toolHome is a HOME with XDG_CONFIG_HOME inside, as the environment sees it.
func toolHome(t *testing.T, env *testEnv) string {
	home := t.TempDir()
	env.vars["HOME"] = home
	env.vars["XDG_CONFIG_HOME"] = filepath.Join(home, ".config")
	return home
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestImportFromGrafanactlMovesSecretsIntoTheKeyring(t *testing.T) {
	prod := emulator(t, grafanatest.WithUser("ops", ctxPassword, grafanatest.RoleServerAdmin))
	ci := emulator(t, grafanatest.WithBearer(ctxToken, grafanatest.RoleServerAdmin))
	env := newTestEnv()
	home := toolHome(t, env)
	writeFile(t, filepath.Join(home, ".config", "grafanactl", "config.yaml"), `contexts:
  prod:
    grafana:
      server: `+prod.URL+`
      user: ops
      password: `+ctxPassword+`
      org-id: 1
  ci:
    grafana:
      server: `+ci.URL+`
      token: `+ctxToken+`
  default: {}
current-context: prod
`)
	cfgFile := filepath.Join(t.TempDir(), "instances.json")

	r := env.run(t, "instances", "import", "--from", "grafanactl", "--config", cfgFile)

	if r.code != 0 || !strings.Contains(r.stdout, "Imported 2 instance(s)") {
		t.Fatalf("import: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"+ prod (prod): sends its password to", "+ ci (ci): sends its token to", client.BearerNote,
		`context "default" of`, "has no server", "system keyring"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the preview lacks %q:\n%s", want, r.stderr)
		}
	}
	data, _ := os.ReadFile(cfgFile)
	for _, out := range []string{string(data), r.stdout, r.stderr} {
		if strings.Contains(out, ctxPassword) || strings.Contains(out, ctxToken) {
			t.Fatalf("a secret escaped into instances.json or the output:\n%s", out)
		}
	}
	list, err := config.NewStore(cfgFile).Load()
	if err != nil || len(list) != 2 {
		t.Fatalf("instances.json = %+v, %v", list, err)
	}
	if got, _ := env.secrets.Get(vault.KeyFor(list[0])); list[0].ID != "prod" || got != ctxPassword {
		t.Errorf("%s's secret in the keyring is not the file's password", list[0].ID)
	}
	moved := vault.KeyFor(list[0])
	moved.Origin = config.Origin(ci.URL)
	if _, err := env.secrets.Get(moved); !errors.Is(err, vault.ErrNoSecret) {
		t.Errorf("the password is bound to no origin: %v", err)
	}
	// The imported instances sign in to their Grafana with what the file held.
	if c := env.run(t, "check", "--config", cfgFile); c.code != 0 {
		t.Errorf("check of the imported instances: code %d\n%s%s", c.code, c.stdout, c.stderr)
	}

	again := env.run(t, "instances", "import", "--from", "grafanactl", "--config", cfgFile)
	if again.code != 0 || !strings.Contains(again.stdout, "Imported 0") || !strings.Contains(again.stderr, "= prod: already configured") {
		t.Errorf("a second import: code %d\n%s%s", again.code, again.stdout, again.stderr)
	}
}

func TestImportFromGCXReadsItsOwnDefaultFile(t *testing.T) {
	env := newTestEnv()
	home := toolHome(t, env)
	cfgFile := filepath.Join(t.TempDir(), "instances.json")
	gcxPath := filepath.Join(home, ".config", "gcx", "config.yaml")

	missing := env.run(t, "instances", "import", "--from", "gcx", "--config", cfgFile)
	if missing.code != 1 || !strings.Contains(missing.stderr, gcxPath) || !strings.Contains(missing.stderr, "--from gcx FILE") {
		t.Errorf("no gcx file: code %d, stderr %q; want its path named", missing.code, missing.stderr)
	}

	writeFile(t, gcxPath, `version: 1
current-context: eu
stacks:
  eu:
    grafana:
      server: https://grafana.eu.example.com
      user: admin
      password: keychain:gcx:v2:aa11:bb22
contexts:
  eu:
    stack: eu
`)
	r := env.run(t, "instances", "import", "--from", "gcx", "--config", cfgFile)
	if r.code != 0 || !strings.Contains(r.stderr, "gcx's keychain") || !strings.Contains(r.stderr, "set-secret") {
		t.Errorf("gcx import: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if list, _ := config.NewStore(cfgFile).Load(); len(list) != 1 || list[0].URL != "https://grafana.eu.example.com" {
		t.Errorf("instances.json = %+v", list)
	}
}

func TestAContextsImportWritesNothingOnABadFile(t *testing.T) {
	for name, text := range map[string]string{
		"an invalid URL in one context": "contexts:\n  good:\n    grafana:\n      server: https://good.example.com\n      user: admin\n      password: " + ctxPassword + "\n" +
			"  bad:\n    grafana:\n      server: grafana.example.com\n      token: " + ctxToken + "\n",
		"junk YAML": "contexts: [\n  " + ctxToken + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv()
			file := filepath.Join(t.TempDir(), "config.yaml")
			writeFile(t, file, text)
			cfgFile := filepath.Join(t.TempDir(), "instances.json")

			r := env.run(t, "instances", "import", "--from", "grafanactl", file, "--config", cfgFile)

			if r.code != 1 || !strings.Contains(r.stderr, "nothing was imported") || !strings.Contains(r.stderr, file) {
				t.Errorf("code %d, stderr %q", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, ctxPassword) || strings.Contains(r.stderr, ctxToken) {
				t.Errorf("the error quotes a secret: %s", r.stderr)
			}
			if _, err := os.Stat(cfgFile); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("instances.json was written (%v)", err)
			}
			if _, err := env.secrets.Get(vault.Key{ID: "good", Origin: "https://good.example.com:443", Username: "admin"}); !errors.Is(err, vault.ErrNoSecret) {
				t.Errorf("a secret was stored: %v", err)
			}
		})
	}
}

func TestImportFromNeedsAKnownTool(t *testing.T) {
	env := newTestEnv()
	r := env.run(t, "instances", "import", "--from", "kubectl")
	if r.code != 2 || !strings.Contains(r.stderr, "use grafanactl or gcx") {
		t.Errorf("code %d, stderr %q", r.code, r.stderr)
	}
	if r := env.run(t, "instances", "import"); r.code != 2 || !strings.Contains(r.stderr, "--from grafanactl|gcx") {
		t.Errorf("import without a file: code %d, stderr %q", r.code, r.stderr)
	}
}
