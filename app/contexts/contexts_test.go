package contexts

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

// grafanactlFile is a grafanactl config as `grafanactl config set` writes
// it: several contexts, one current, each with its own grafana block.
const grafanactlFile = `contexts:
  default: {}
  prod:
    grafana:
      server: https://grafana.example.com/
      user: admin
      password: pw-PROD-0a1b2c
      org-id: 1
      tls:
        insecure-skip-verify: true
  staging:
    grafana:
      server: https://staging.example.com
      token: glsa_STAGING_9z8y7x
      org-id: 1
      tls:
        ca-file: /etc/ssl/corp-ca.pem
        ca-data: LS0tLS1CRUdJTg==
        server-name: grafana.internal
current-context: staging
`

// gcxFile is gcx's version 1 format: contexts name entries of stacks, and
// gcx has moved one password into its keychain.
const gcxFile = `version: 1
current-context: local
stacks:
  production:
    grafana:
      server: https://grafana.corp.example
      auth-method: basic
      user: ops
      password: keychain:gcx:v2:5f1d:77aa
      org-id: 1
  local:
    grafana:
      server: http://localhost:3000
      user: admin
      password: pw-LOCAL-3d4e5f
cloud:
  grafana-com:
    token: glc_CLOUD_never_used
contexts:
  production:
    stack: production
  local:
    stack: local
  orphan:
    stack: gone
`

func read(t *testing.T, text, path string) *File {
	t.Helper()
	f, err := Read(strings.NewReader(text), path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return f
}

func plan(t *testing.T, existing []config.Instance, files ...*File) *config.ImportPlan {
	t.Helper()
	p, err := Plan(existing, files...)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return p
}

func TestGrafanactlContextsBecomeInstancesCurrentFirst(t *testing.T) {
	p := plan(t, nil, read(t, grafanactlFile, "grafanactl.yaml"))

	if len(p.Add) != 2 {
		t.Fatalf("added %+v, want prod and staging", p.Add)
	}
	staging, prod := p.Add[0], p.Add[1]
	if staging.ID != "staging" || staging.Name != "staging" {
		t.Errorf("the current context is not first: %+v", p.Add)
	}
	want := config.Instance{ID: "prod", Name: "prod", URL: "https://grafana.example.com/", Auth: config.AuthBasic, Username: "admin", InsecureSkipVerify: true}
	if prod != want {
		t.Errorf("prod = %+v, want %+v", prod, want)
	}
	if staging.Auth != config.AuthBearer || staging.URL != "https://staging.example.com" || staging.CAFile != "/etc/ssl/corp-ca.pem" || staging.Username != "" {
		t.Errorf("staging = %+v", staging)
	}
	if p.Secrets["prod"] != "pw-PROD-0a1b2c" || p.Secrets["staging"] != "glsa_STAGING_9z8y7x" {
		t.Errorf("the secrets were not carried to the plan")
	}
	if len(p.Left) != 1 || !strings.Contains(p.Left[0], `context "default" of grafanactl.yaml has no server`) {
		t.Errorf("left = %q, want the empty default context left out", p.Left)
	}
	notes := strings.Join(p.Notes["staging"], "\n")
	for _, w := range []string{client.BearerNote, "tls.ca-data", "tls.server-name", "CA file"} {
		if !strings.Contains(notes, w) {
			t.Errorf("staging's notes lack %q:\n%s", w, notes)
		}
	}
	if len(p.Notes["prod"]) != 0 {
		t.Errorf("prod needs no note, got %q", p.Notes["prod"])
	}
}

func TestTokenOnlyContextIsImportedWithTheBearerWarning(t *testing.T) {
	p := plan(t, nil, read(t, `contexts:
  ci:
    grafana:
      server: https://ci.example.com
      token: glsa_CI_1234
current-context: ci
`, "c.yaml"))

	if len(p.Add) != 1 || p.Add[0].Auth != config.AuthBearer || p.Secrets["ci"] != "glsa_CI_1234" {
		t.Fatalf("plan = %+v", p)
	}
	if got := p.Notes["ci"]; len(got) != 1 || got[0] != client.BearerNote {
		t.Errorf("notes = %q, want the client's own bearer advice", got)
	}
}

func TestGCXStacksKeychainReferencesAndMissingStacks(t *testing.T) {
	p := plan(t, nil, read(t, gcxFile, "gcx.yaml"))

	if len(p.Add) != 2 || p.Add[0].ID != "local" || p.Add[1].ID != "production" {
		t.Fatalf("added %+v, want local (current) then production", p.Add)
	}
	if p.Add[1].URL != "https://grafana.corp.example" || p.Add[1].Username != "ops" || p.Add[1].Auth != config.AuthBasic {
		t.Errorf("production = %+v", p.Add[1])
	}
	if _, ok := p.Secrets["production"]; ok {
		t.Error("a keychain reference was taken for the password")
	}
	if p.Secrets["local"] != "pw-LOCAL-3d4e5f" {
		t.Error("local's password was not carried")
	}
	if notes := strings.Join(p.Notes["production"], " "); !strings.Contains(notes, "gcx's keychain") {
		t.Errorf("production's notes = %q, want the keychain said", notes)
	}
	if len(p.Left) != 1 || !strings.Contains(p.Left[0], `"orphan"`) || !strings.Contains(p.Left[0], `stack "gone"`) {
		t.Errorf("left = %q", p.Left)
	}
	for _, v := range p.Secrets {
		if strings.Contains(v, "glc_") {
			t.Error("the grafana.com cloud token was carried")
		}
	}
}

func TestGCXLegacyFormatIsGrafanactls(t *testing.T) {
	p := plan(t, nil, read(t, `contexts:
  dev:
    grafana:
      server: https://dev.example.com
      user: admin
      password: pw
    default-prometheus-datasource: abc
current-context: dev
`, "gcx.yaml"))
	if len(p.Add) != 1 || p.Add[0].Username != "admin" || p.Secrets["dev"] != "pw" {
		t.Fatalf("plan = %+v", p)
	}
}

func TestIDsAreUniqueAndAReimportSkips(t *testing.T) {
	f := read(t, grafanactlFile, "g.yaml")
	existing := []config.Instance{
		{ID: "prod", Name: "Prod", URL: "https://other.example.com/", Auth: config.AuthBasic, Username: "admin"},
		{ID: "staging-eu", Name: "staging", URL: "https://staging.example.com/", Auth: config.AuthBearer},
	}

	p := plan(t, existing, f)

	if len(p.Add) != 1 || p.Add[0].ID != "prod-2" {
		t.Errorf("added %+v, want prod as prod-2 (prod is another instance)", p.Add)
	}
	if len(p.Skipped) != 1 || p.Skipped[0] != "staging-eu" {
		t.Errorf("skipped %q, want staging-eu (the same name, address and user)", p.Skipped)
	}

	twice := plan(t, nil, f, read(t, grafanactlFile, "other.yaml"))
	if len(twice.Add) != 2 || len(twice.Left) != 4 || !strings.Contains(strings.Join(twice.Left, "\n"), "already read from g.yaml") {
		t.Errorf("the same contexts in two files: add %d, left %q", len(twice.Add), twice.Left)
	}
}

func TestAnInvalidContextRefusesTheWholeFile(t *testing.T) {
	f := read(t, `contexts:
  good:
    grafana:
      server: https://good.example.com
      user: admin
      password: pw
  bad:
    grafana:
      server: ftp://user:hunter2@bad.example.com
      user: admin
`, "c.yaml")

	p, err := Plan(nil, f)

	if err == nil || p != nil {
		t.Fatalf("plan %+v, err %v; want the whole file refused", p, err)
	}
	for _, w := range []string{`context "bad" of c.yaml`, "grafana.server must start with http:// or https://"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Error("the error quotes the URL's password")
	}
}

func TestNotAConfigFileIsAClearErrorWithoutItsValues(t *testing.T) {
	for name, text := range map[string]string{
		"a bare token":   "glsa_SECRET_abcdef\n",
		"broken YAML":    "contexts:\n  prod: [\n   server: x\n",
		"wrong kinds":    "contexts:\n  prod:\n    grafana:\n      server: [1, 2]\n      password: {a: s3cret-pw}\n",
		"instance list":  `{"version":1,"instances":[{"id":"a","name":"A","url":"https://a/","auth":"basic","username":"u"}]}`,
		"empty":          "",
		"a newer format": "version: 2\ncontexts:\n  a: {}\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(strings.NewReader(text), "/home/u/.config/grafanactl/config.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), "/home/u/.config/grafanactl/config.yaml") {
				t.Errorf("error %q does not name the file", err)
			}
			for _, secret := range []string{"glsa_SECRET", "s3cret-pw"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes the file", err)
				}
			}
		})
	}
}

// endless is a file that never ends, counting what was read of it.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += len(p)
	return len(p), nil
}

func TestAHugeFileIsRefusedAfterReadingTheLimit(t *testing.T) {
	r := &endless{}

	_, err := Read(io.MultiReader(strings.NewReader("contexts:\n"), r), "big.yaml")

	if err == nil || !strings.Contains(err.Error(), "over 4 MiB") {
		t.Fatalf("err = %v", err)
	}
	if r.n > maxFileBytes+64<<10 {
		t.Errorf("read %d bytes of it", r.n)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	p := plan(t, nil, read(t, grafanactlFile, "g.yaml"))
	for _, out := range []string{fmt.Sprintf("%v", p), fmt.Sprintf("%+v", *p), fmt.Sprintf("%#v", p), fmt.Sprint(p.Secrets)} {
		if strings.Contains(out, "pw-PROD") || strings.Contains(out, "glsa_STAGING") {
			t.Errorf("a plan printed its secrets: %s", out)
		}
	}
	if got := p.SecretsNote(); !strings.Contains(got, "system keyring") || !strings.Contains(got, "tokens and passwords") {
		t.Errorf("SecretsNote = %q", got)
	}
}

func TestReadFileNamesAMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := ReadFile(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v", err)
	}
}

func TestDefaultPathsAreTheToolsOwn(t *testing.T) {
	home := t.TempDir()
	xdg := filepath.Join(home, "xdg")
	vars := map[string]string{"HOME": home, "XDG_CONFIG_HOME": xdg}
	getenv := func(k string) string { return vars[k] }
	write := func(p string) {
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, []byte("contexts: {}\n"), 0o600)
	}

	if p, _ := DefaultPath(Grafanactl, getenv); p != filepath.Join(xdg, "grafanactl", "config.yaml") {
		t.Errorf("grafanactl: %s", p)
	}
	if p, _ := DefaultPath(GCX, getenv); p != filepath.Join(home, ".config", "gcx", "config.yaml") {
		t.Errorf("gcx with no file yet: %s, want ~/.config first", p)
	}
	if got := Found(getenv); len(got) != 0 {
		t.Errorf("found %+v with no file", got)
	}
	write(filepath.Join(xdg, "gcx", "config.yaml"))
	write(filepath.Join(xdg, "grafanactl", "config.yaml"))
	if p, _ := DefaultPath(GCX, getenv); p != filepath.Join(xdg, "gcx", "config.yaml") {
		t.Errorf("gcx with only the XDG file: %s", p)
	}
	write(filepath.Join(home, ".config", "gcx", "config.yaml"))
	if p, _ := DefaultPath(GCX, getenv); p != filepath.Join(home, ".config", "gcx", "config.yaml") {
		t.Errorf("gcx with both: %s, want ~/.config", p)
	}
	if got := Found(getenv); len(got) != 2 || got[0].Tool != Grafanactl || got[1].Tool != GCX {
		t.Errorf("found %+v", got)
	}

	delete(vars, "XDG_CONFIG_HOME")
	if p, _ := DefaultPath(Grafanactl, getenv); p != filepath.Join(home, ".config", "grafanactl", "config.yaml") {
		t.Errorf("grafanactl without XDG_CONFIG_HOME: %s", p)
	}
	vars["GRAFANACTL_CONFIG"] = "/srv/grafanactl.yaml"
	if p, _ := DefaultPath(Grafanactl, getenv); p != "/srv/grafanactl.yaml" {
		t.Errorf("grafanactl with GRAFANACTL_CONFIG: %s", p)
	}
	if _, err := DefaultPath(GCX, func(string) string { return "" }); err == nil {
		t.Error("no HOME and no XDG_CONFIG_HOME: no error")
	}
	if _, err := ParseTool("kubectl"); err == nil {
		t.Error("ParseTool took kubectl")
	}
}
