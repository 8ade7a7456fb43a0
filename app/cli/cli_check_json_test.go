package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// TestCheckJSONIsTheWholeDocument: check writes its JSON one instance at a
// time, and a monitoring script reading it must see the very document an
// encoder writes whole — same bytes, HTML-safe escapes and indentation.
func TestCheckJSONIsTheWholeDocument(t *testing.T) {
	// Given a fleet with a healthy instance whose token carries markup and a
	// line separator, one refusing the credentials, and one that is down
	ok := emulator(t, grafanatest.WithExtraField("note", "<b>Tom & Jerry</b>\u2028"))
	refusing := emulator(t)
	down := app.Instance{ID: "down", Name: "Down", URL: "http://127.0.0.1:1/", Auth: app.AuthBasic, Username: "admin"}
	list := []app.Instance{basicInstance("ok", "OK", ok), basicInstance("refusing", "Refusing", refusing), down}
	secrets := vault.NewMemory()
	for _, inst := range list {
		secret := "admin"
		if inst.ID == "refusing" {
			secret = "wrong"
		}
		secrets.Set(vault.KeyFor(inst), secret)
	}
	svc, err := app.NewService(app.Config{StorePath: saveConfig(t, list...), Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	svc.RefreshAll(context.Background(), nil, nil)
	statuses := svc.StatusesOf(nil)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

	for _, list := range [][]app.Status{statuses, nil} {
		// When check writes them, and an encoder writes the whole document
		var got, want bytes.Buffer
		if err := writeCheckJSON(&got, list, now); err != nil {
			t.Fatal(err)
		}
		doc := checkReport{CheckedAt: now.Format(time.RFC3339), Instances: []checkResult{}}
		for _, st := range list {
			doc.Instances = append(doc.Instances, checkResultOf(st))
		}
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		// Then the bytes are the same
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("check's JSON for %d instances differs from the whole document:\n%s\nwant:\n%s", len(list), got.String(), want.String())
		}
	}
}
