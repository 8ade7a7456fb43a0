package app_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/licensedesk/licensedesk/app/config"
)

// FuzzStoreLoad feeds any bytes to Load as instances.json. It never panics,
// and it loses nothing: a damaged file is moved aside whole and reported, an
// unknown version or an invalid instance leaves the file untouched, and a
// good list saves and loads back the same.
func FuzzStoreLoad(f *testing.F) {
	for _, seed := range []string{
		`{"version":1,"instances":[{"id":"prod-eu","name":"Prod EU","url":"https://grafana.example.com/","auth":"basic",` +
			`"username":"admin","token_env":"","password_env":"","ca_file":"","insecure_skip_verify":false,"proxy":"","timeout_seconds":15}]}`,
		`{"version":1,"instances":[{"id":"ci","name":"CI","url":"http://127.0.0.1:3000/grafana/","auth":"bearer","token_env":"LICENSEDESK_CI_TOKEN",` +
			`"proxy":"socks5://127.0.0.1:1080","timeout_seconds":600}]}`,
		`{"version":1,"instances":[]}`,
		`{"version":1}`,
		`{"version":2,"instances":[]}`,
		`{"instances":[]}`,
		`{"version":"1"}`,
		`{"version":1,"instances":[{"id":"","url":"ftp://x"}]}`,
		`{"version":1,"instances":[{"id":"a","name":"A","url":"https://a/","auth":"basic"},{"id":"a","name":"A","url":"https://a/","auth":"bearer"}]}`,
		`{"version":1,"instances":{"id":"a"}}`,
		`{"version":1,"instances":[{"id":"prod-eu","name":"Prod EU","url":"https://gra`,
		`[]`, `null`, ``, "\x00\xff", `{"version":1e400}`, `{"version":1,"instances":[null]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "instances.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		store := config.NewStore(path)
		list, err := store.Load()

		var corrupt *config.CorruptError
		var version *config.VersionError
		var invalid *config.ValidationError
		var dup *config.DuplicateIDError
		switch {
		case errors.As(err, &corrupt):
			if len(list) != 0 {
				t.Fatalf("a damaged file gave %d instances", len(list))
			}
			if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
				t.Fatalf("the damaged file is still in place: %v", statErr)
			}
			kept, readErr := os.ReadFile(corrupt.MovedTo)
			if readErr != nil || !bytes.Equal(kept, data) {
				t.Fatalf("the damaged file was not kept whole at %q: %v", corrupt.MovedTo, readErr)
			}
			if corrupt.Error() == "" {
				t.Fatal("no words for a damaged file")
			}
		case errors.As(err, &version), errors.As(err, &invalid), errors.As(err, &dup):
			untouched(t, path, data)
			if err.Error() == "" {
				t.Fatal("no words for the problem")
			}
		case err != nil:
			t.Fatalf("Load failed with an error of no known kind: %T %v", err, err)
		default:
			untouched(t, path, data)
			if list == nil {
				t.Fatal("a good file gave a nil list")
			}
			if err := store.Save(list); err != nil {
				t.Fatalf("a list that loaded cannot be saved: %v", err)
			}
			again, err := store.Load()
			if err != nil || !reflect.DeepEqual(again, list) {
				t.Fatalf("saved and loaded again: %+v, %v; want %+v", again, err, list)
			}
		}
	})
}

func untouched(t *testing.T, path string, data []byte) {
	t.Helper()
	now, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(now, data) {
		t.Fatalf("the file changed on load (%v)", err)
	}
}
