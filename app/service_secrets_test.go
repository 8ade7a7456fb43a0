package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
)

// legacyStore holds one secret as version 0.1 stored it (under the id
// alone) until the service adopts it.
type legacyStore struct {
	vault.Memory
	id, secret string
}

func (l *legacyStore) Get(k vault.Key) (string, error) {
	if k.ID == l.id && l.secret != "" {
		return "", &vault.LegacySecretError{Key: k}
	}
	return l.Memory.Get(k)
}

func (l *legacyStore) Adopt(k vault.Key) (string, error) {
	s := l.secret
	l.secret = ""
	return s, l.Memory.Set(k, s)
}

// TestLegacySecretsAreAdoptedOnlyByTheOwnList: a secret stored by an earlier
// version under the id alone is bound, on first use, by the user's own
// instance list, and refused to any other list.
func TestLegacySecretsAreAdoptedOnlyByTheOwnList(t *testing.T) {
	srv := emulator(t)
	inst := basicInstance("prod", "Prod", srv)
	legacy := func() *legacyStore { return &legacyStore{id: "prod", secret: "admin"} }
	t.Run("another list is refused it", func(t *testing.T) {
		s := legacy()
		svc, err := NewService(Config{StorePath: saveConfig(t, inst), Secrets: s})
		if err != nil {
			t.Fatal(err)
		}
		st := svc.Refresh(context.Background(), "prod")
		var lerr *vault.LegacySecretError
		if !errors.As(st.Err, &lerr) || !strings.Contains(st.Err.Error(), "set-secret prod") {
			t.Fatalf("read error = %v; want the legacy secret refused, with what to do", st.Err)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests reached Grafana; want none", n)
		}
	})
	t.Run("the own list adopts it", func(t *testing.T) {
		s := legacy()
		svc, err := NewService(Config{StorePath: saveConfig(t, inst), Secrets: s, AdoptLegacySecrets: true})
		if err != nil {
			t.Fatal(err)
		}
		if st := svc.Refresh(context.Background(), "prod"); st.Err != nil {
			t.Fatalf("read with the adopted secret: %v", st.Err)
		}
		if got, err := s.Get(vault.KeyFor(inst)); got != "admin" || err != nil {
			t.Fatalf("after adoption the bound secret = %q, %v", got, err)
		}
		other := inst
		other.URL = "http://127.0.0.1:1/"
		if _, err := s.Get(vault.KeyFor(other)); !errors.Is(err, vault.ErrNoSecret) {
			t.Fatalf("once adopted the secret must not reach another address: %v", err)
		}
	})
}

func TestClientOptions(t *testing.T) {
	inst := Instance{ID: "p", URL: "https://g.example.com/grafana/", CAFile: "/etc/ca.pem",
		InsecureSkipVerify: true, Proxy: "http://proxy:3128", TimeoutSeconds: 42}
	auth := client.Auth{Username: "admin", Password: "pw"}
	got := inst.ClientOptions(auth, "licensedesk/1.0")
	want := client.Options{BaseURL: "https://g.example.com/grafana/", Auth: auth, Timeout: 42 * time.Second,
		CAFile: "/etc/ca.pem", InsecureSkipVerify: true, Proxy: "http://proxy:3128", UserAgent: "licensedesk/1.0"}
	if got != want {
		t.Fatalf("ClientOptions =\n %+v\nwant\n %+v", got, want)
	}
	inst.TimeoutSeconds = 0
	if got := inst.ClientOptions(auth, ""); got.Timeout != 15*time.Second {
		t.Fatalf("default timeout = %v; want 15s", got.Timeout)
	}
}
