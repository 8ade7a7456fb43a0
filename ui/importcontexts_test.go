package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/contexts"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
)

const (
	uiCtxPassword = "pw-UICTX-62f0a9"
	uiCtxToken    = "glsa_UICTX_0c3e7b"
)

// toolFiles writes a grafanactl and a gcx config, both knowing prod, and
// makes Import… find them.
func (h *harness) toolFiles(grafanactl string) []contexts.Source {
	h.t.Helper()
	dir := h.t.TempDir()
	found := []contexts.Source{
		{Tool: contexts.Grafanactl, Path: filepath.Join(dir, "grafanactl.yaml")},
		{Tool: contexts.GCX, Path: filepath.Join(dir, "gcx.yaml")},
	}
	os.WriteFile(found[0].Path, []byte(grafanactl), 0o600)
	os.WriteFile(found[1].Path, []byte(`version: 1
current-context: prod
stacks:
  prod:
    grafana:
      server: https://prod.example.com
      user: admin
      password: `+uiCtxPassword+`
contexts:
  prod:
    stack: prod
`), 0o600)
	h.env.contextFiles = func() []contexts.Source { return found }
	return found
}

const uiGrafanactl = `contexts:
  prod:
    grafana:
      server: https://prod.example.com
      user: admin
      password: ` + uiCtxPassword + `
  ci:
    grafana:
      server: https://ci.example.com
      token: ` + uiCtxToken + `
current-context: prod
`

// radio finds the open dialog's choice.
func (h *harness) radio() *widget.RadioGroup {
	h.t.Helper()
	var found *widget.RadioGroup
	walk(h.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if r, ok := o.(*widget.RadioGroup); ok {
			found = r
		}
	})
	if found == nil {
		h.t.Fatalf("no choice is shown; the window shows:\n%s", strings.Join(texts(h.win.Canvas()), "\n"))
	}
	return found
}

// TestImportOffersTheGrafanaCLIContexts: with a grafanactl and a gcx config
// in their places, Import… offers their contexts beside a JSON file, shows
// the same preview as any import, and on Import adds one instance per
// context with its secret in the keyring, never in instances.json.
func TestImportOffersTheGrafanaCLIContexts(t *testing.T) {
	h := newHarness(t)
	secrets := vault.NewMemory()
	store := h.useSecrets(secrets)
	h.open()
	h.toolFiles(uiGrafanactl)

	test.Tap(h.desk.toolbar[tbImport])

	if !h.shows(importFromList) || !h.shows(importFromContexts) || !h.shows("grafanactl.yaml") {
		t.Fatalf("Import… does not offer both sources:\n%s", strings.Join(texts(h.win.Canvas()), "\n"))
	}
	test.Tap(h.button("Continue"))
	h.waitFor("the preview", func() bool { return h.shows("Import 2 instances from grafanactl and gcx?") })
	for _, want := range []string{"prod: sends its password to https://prod.example.com:443", "ci: sends its token to https://ci.example.com:443",
		client.BearerNote, "already read from", "system keyring"} {
		if !h.shows(want) {
			t.Errorf("the preview does not show %q", want)
		}
	}
	for _, s := range texts(h.win.Canvas()) {
		if strings.Contains(s, uiCtxPassword) || strings.Contains(s, uiCtxToken) {
			t.Fatalf("the window shows a secret: %q", s)
		}
	}
	if n := len(h.svc.Instances()); n != 0 {
		t.Fatalf("%d instances were written before the user agreed", n)
	}

	test.Tap(h.button("Import"))
	h.waitFor("the import", func() bool { return h.shows("Added 2 instances from grafanactl and gcx.") })

	prod, _ := h.svc.Instance("prod")
	if got, _ := secrets.Get(vault.KeyFor(prod)); got != uiCtxPassword {
		t.Error("prod's password is not in the keyring, bound to its address")
	}
	data, _ := os.ReadFile(store)
	if strings.Contains(string(data), uiCtxPassword) || strings.Contains(string(data), uiCtxToken) {
		t.Error("instances.json holds a secret")
	}
}

func TestImportOfABadContextsFileWritesNothing(t *testing.T) {
	h := newHarness(t)
	h.open()
	h.toolFiles(strings.Replace(uiGrafanactl, "https://ci.example.com", "ci.example.com", 1))

	test.Tap(h.desk.toolbar[tbImport])
	test.Tap(h.button("Continue"))

	h.waitFor("the failure", func() bool { return h.shows("Nothing was imported from grafanactl and gcx.") })
	if !h.shows(`Context "ci"`) || !h.shows("grafana.server has no https://") {
		t.Errorf("the failure does not say which context and why:\n%s", strings.Join(texts(h.win.Canvas()), "\n"))
	}
	if list, _ := config.NewStore(filepath.Join(h.dir, "instances.json")).Load(); len(list) != 0 || len(h.svc.Instances()) != 0 {
		t.Errorf("instances were written: %+v", list)
	}
}

func TestImportCanStillTakeAJSONFileWhenContextsExist(t *testing.T) {
	h := newHarness(t)
	h.open()
	fc := &fakeChooser{}
	h.env.chooser = fc
	h.toolFiles(uiGrafanactl)

	test.Tap(h.desk.toolbar[tbImport])
	h.radio().SetSelected(importFromList)
	test.Tap(h.button("Continue"))

	h.waitFor("the file chooser", func() bool { return len(fc.requests()) == 1 })
	if got := fc.requests()[0].Extensions; len(got) != 1 || got[0] != ".json" {
		t.Errorf("the chooser was asked for %q, want JSON files", got)
	}
}
