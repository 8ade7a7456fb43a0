package app

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// emulator starts a grafanatest server that ends with the test.
func emulator(t *testing.T, opts ...grafanatest.Option) *grafanatest.Server {
	t.Helper()
	s := grafanatest.New(opts...)
	t.Cleanup(s.Close)
	return s
}

// basicInstance describes srv as an instance signing in as admin.
func basicInstance(id, name string, srv *grafanatest.Server) Instance {
	return Instance{ID: id, Name: name, URL: srv.URL + "/", Auth: AuthBasic, Username: "admin"}
}

// saveConfig writes list to a fresh instances.json and returns its path.
func saveConfig(t *testing.T, list ...Instance) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "licensedesk", "instances.json")
	if err := config.NewStore(path).Save(list); err != nil {
		t.Fatalf("saving the config: %v", err)
	}
	return path
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
