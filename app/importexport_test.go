package app

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/contexts"
	"github.com/licensedesk/licensedesk/app/vault"
)

// twoContexts is a grafanactl config with a password and a token.
const twoContexts = `contexts:
  prod:
    grafana:
      server: https://prod.example.com
      user: admin
      password: pw-PROD-71c2
  staging:
    grafana:
      server: https://staging.example.com
      token: glsa_STAGING_55e1
current-context: prod
`

// failingKeyring refuses to store the secret of one instance id.
type failingKeyring struct {
	*vault.Memory
	failID string
}

func (f failingKeyring) Set(k vault.Key, secret string) error {
	if k.ID == f.failID {
		return vault.ErrKeyringUnavailable
	}
	return f.Memory.Set(k, secret)
}

func contextsPlan(t *testing.T, svc *Service) *ImportPlan {
	t.Helper()
	f, err := contexts.Read(strings.NewReader(twoContexts), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := contexts.Plan(svc.Instances(), f)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func TestAContextsImportStoresEachSecretBoundToItsInstance(t *testing.T) {
	secrets := vault.NewMemory()
	path := saveConfig(t)
	svc, _ := NewService(Config{StorePath: path, Secrets: secrets})

	n, err := svc.ApplyImport(contextsPlan(t, svc))

	if err != nil || n != 2 {
		t.Fatalf("ApplyImport = %d, %v", n, err)
	}
	prod, _ := svc.Instance("prod")
	if got, _ := secrets.Get(vault.KeyFor(prod)); got != "pw-PROD-71c2" {
		t.Errorf("prod's password in the keyring = %q", got)
	}
	elsewhere := vault.KeyFor(prod)
	elsewhere.Origin = "https://evil.example.com:443"
	if _, err := secrets.Get(elsewhere); !errors.Is(err, vault.ErrNoSecret) {
		t.Errorf("the password is handed to another address: %v", err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "pw-PROD") || strings.Contains(string(data), "glsa_STAGING") {
		t.Error("instances.json holds a secret")
	}
}

func TestAnIDTakenSinceThePreviewImportsNothing(t *testing.T) {
	secrets := vault.NewMemory()
	path := saveConfig(t)
	svc, _ := NewService(Config{StorePath: path, Secrets: secrets})
	plan := contextsPlan(t, svc)
	// Another window or command adds an instance with one of the plan's ids.
	other, _ := NewService(Config{StorePath: path, Secrets: vault.NewMemory()})
	if err := other.AddInstance(Instance{ID: "staging", Name: "Staging", URL: "https://elsewhere.example.com/", Auth: AuthBearer}, ""); err != nil {
		t.Fatal(err)
	}

	n, err := svc.ApplyImport(plan)

	if err == nil || n != 0 || !strings.Contains(err.Error(), `"staging"`) {
		t.Fatalf("ApplyImport = %d, %v; want the taken id named", n, err)
	}
	if list, _ := config.NewStore(path).Load(); len(list) != 1 || list[0].URL != "https://elsewhere.example.com/" {
		t.Errorf("the list is %+v, want only the other's instance", list)
	}
	if _, err := secrets.Get(vault.KeyFor(plan.Add[0])); !errors.Is(err, vault.ErrNoSecret) {
		t.Errorf("prod's password was kept although nothing was imported: %v", err)
	}
}

func TestASecretThatCannotBeStoredImportsNothing(t *testing.T) {
	secrets := failingKeyring{Memory: vault.NewMemory(), failID: "staging"}
	path := saveConfig(t)
	svc, _ := NewService(Config{StorePath: path, Secrets: secrets})
	plan := contextsPlan(t, svc)

	_, err := svc.ApplyImport(plan)

	if !errors.Is(err, vault.ErrKeyringUnavailable) {
		t.Fatalf("err = %v, want the keyring's", err)
	}
	if list, _ := config.NewStore(path).Load(); len(list) != 0 || len(svc.Instances()) != 0 {
		t.Errorf("instances were written: %+v", list)
	}
	if _, err := secrets.Get(vault.KeyFor(plan.Add[0])); !errors.Is(err, vault.ErrNoSecret) {
		t.Errorf("prod's password stayed in the keyring: %v", err)
	}
}
