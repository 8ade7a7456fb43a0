package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

func TestUploadPreviewWarnsOfAnotherURLThenUploads(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")

	claims := grafanatest.DefaultClaims(time.Now())
	claims.Subject = "https://other.example.com/"
	claims.Company = "Other Company Ltd"
	h.desk.act.previewUpload("prod", "license.jwt", grafanatest.IssueJWT(claims))

	if !h.shows("Other Company Ltd") {
		t.Error("the preview does not show the token's company")
	}
	if !h.shows("This license is for https://other.example.com/, but this instance's URL is " + srv.URL + "/") {
		t.Error("the preview does not warn that the license is for another URL")
	}
	if _, loaded := srv.Claims(); !loaded {
		t.Fatal("setup: the emulator should start with a license")
	}
	test.Tap(h.button("Upload anyway"))
	h.waitFor("the upload", func() bool { return h.idle("prod") && h.shows("License uploaded") })
	if c, _ := srv.Claims(); c.Company != "Other Company Ltd" {
		t.Errorf("the emulator holds %q's license, not the uploaded one", c.Company)
	}
	if got := h.desk.detail.badge.Text(); got != "Critical" {
		t.Errorf("a license for another URL shows %q, want Critical", got)
	}
}

func TestUploadPreviewRefusesAFileThatIsNotAToken(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.desk.act.previewUpload("prod", "notes.txt", "hello")
	if !h.shows("notes.txt cannot be uploaded: not a license token") {
		t.Errorf("a file that is no JWT is not refused in plain words:\n%s", strings.Join(texts(h.win.Canvas()), "\n"))
	}
	if srv.RequestCount("/api/licensing/token") != 0 {
		t.Error("something was sent to Grafana")
	}
}

// lockedKeyring is a keyring that cannot be reached, as on a headless login.
type lockedKeyring struct{}

func (lockedKeyring) Get(vault.Key) (string, error) {
	return "", fmt.Errorf("read: %w", vault.ErrKeyringUnavailable)
}
func (lockedKeyring) Set(vault.Key, string) error {
	return fmt.Errorf("write: %w", vault.ErrKeyringUnavailable)
}
func (lockedKeyring) Delete(vault.Key) error {
	return fmt.Errorf("delete: %w", vault.ErrKeyringUnavailable)
}

func TestMissingKeyringOffersASessionOnlySecret(t *testing.T) {
	h := newHarness(t)
	store := h.useSecrets(lockedKeyring{})
	const password = "s3cret-pass"
	srv := h.server(grafanatest.WithUser("ops", password, grafanatest.RoleServerAdmin))
	h.open()

	h.addThroughForm("Prod", srv.URL+"/", "ops", password)
	h.waitFor("the keyring question", func() bool { return h.shows("the system keyring is not available") })
	if !h.shows("never written to disk") {
		t.Error("the offer does not say the secret stays off the disk")
	}

	test.Tap(h.button("Keep for this session"))
	h.waitFor("the read with the kept secret", func() bool { return h.idle("prod") && h.shows("License token read") })
	data, err := readFile(store)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(data, `"ops"`) {
		t.Fatalf("the instance was not saved: %s", data)
	}
	if strings.Contains(data, password) {
		t.Error("the store holds the password")
	}
}

// After an upload the pane says Grafana must restart, and the next read
// says whether the running Grafana serves the uploaded token yet.
func TestAfterUploadTheNextReadSaysWhetherGrafanaServesIt(t *testing.T) {
	h := newHarness(t)
	srv := h.server(grafanatest.WithRestartToLoad())
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")

	claims := grafanatest.DefaultClaims(time.Now())
	claims.Subject = srv.RootURL()
	h.desk.act.previewUpload("prod", "license.jwt", grafanatest.IssueJWT(claims))
	test.Tap(h.button("Upload token"))
	h.waitFor("the upload", func() bool { return h.idle("prod") && h.shows("License uploaded") })
	if !h.shows(verdict.RestartNote) {
		t.Error("the pane does not say Grafana must restart")
	}

	test.Tap(h.button(btnRefresh))
	h.waitFor("the read", func() bool { return h.idle("prod") && h.desk.detail.uploadNote.Visible() })
	if got := h.desk.detail.uploadNote.Text; !strings.Contains(got, "still serves token") || !strings.Contains(got, "restart Grafana") {
		t.Errorf("after a read before the restart the pane says %q", got)
	}

	srv.Restart()
	test.Tap(h.button(btnRefresh))
	h.waitFor("the read after the restart", func() bool {
		return h.idle("prod") && strings.HasPrefix(h.desk.detail.uploadNote.Text, "Grafana serves the token uploaded")
	})
}
