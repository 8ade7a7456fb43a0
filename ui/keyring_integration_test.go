//go:build integration

package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// TestAddFormSavesTheSecretInTheRealKeyring drives the add-instance form
// against a real Secret Service (make test runs it inside scripts/session.sh
// with gnome-keyring): the password lands in the keyring under service
// "licensedesk", never in instances.json, and removing the instance deletes it.
func TestAddFormSavesTheSecretInTheRealKeyring(t *testing.T) {
	h := newHarness(t)
	store := h.useSecrets(vault.NewKeyring())
	const password = "form-path-s3cret"
	srv := h.server(grafanatest.WithUser("ops", password, grafanatest.RoleServerAdmin))
	h.open()

	h.addThroughForm("Keyring Prod", srv.URL+"/", "ops", password)
	h.waitFor("the instance to be read with the saved password", func() bool {
		return h.idle("keyring-prod") && h.shows("License token read")
	})

	got, err := keyring.Get(vault.KeyringService, "keyring-prod")
	bound := `"origin":"` + config.Origin(srv.URL) + `","username":"ops","secret":"` + password + `"`
	if err != nil || !strings.Contains(got, bound) {
		t.Fatalf("keyring holds %q, %v; want the password typed in the form, bound to %s", got, err, bound)
	}
	data, err := readFile(store)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, password) {
		t.Error("instances.json holds the password")
	}

	h.selectInstance("keyring-prod")
	test.Tap(h.button(btnRemoveInst))
	test.Tap(h.button("Remove instance"))
	// The list drops the row only once RemoveInstance has returned, after the keyring delete.
	h.waitFor("the instance to leave the list", func() bool { _, ok := h.desk.list.pos["keyring-prod"]; return !ok })
	if _, err := keyring.Get(vault.KeyringService, "keyring-prod"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("after removing the instance the keyring still answers %v", err)
	}
}
