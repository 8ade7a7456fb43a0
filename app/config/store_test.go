package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// helperEnv selects a helper role when the test binary re-executes itself to
// act as a second Licensedesk process.
const helperEnv = "LICENSEDESK_TEST_HELPER"

func sampleInstances() []Instance {
	return []Instance{
		{ID: "prod-eu", Name: "Prod EU", URL: "https://grafana.example.com/", Auth: AuthBasic, Username: "admin",
			PasswordEnv: "LICENSEDESK_PROD_EU_PASSWORD", CAFile: "/etc/ssl/private-ca.pem", Proxy: "http://proxy.corp:3128", TimeoutSeconds: 30},
		{ID: "staging", Name: "Staging", URL: "http://127.0.0.1:3000/grafana/", Auth: AuthBearer,
			TokenEnv: "LICENSEDESK_STAGING_TOKEN", InsecureSkipVerify: true},
	}
}

func tempStore(t *testing.T) *Store {
	t.Helper()
	return NewStore(filepath.Join(t.TempDir(), "licensedesk", "instances.json"))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStoreRoundTrip(t *testing.T) {
	s := tempStore(t)
	want := sampleInstances()
	if err := s.Save(want); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := s.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Load after Save:\n got %+v\nwant %+v", got, want)
	}

	t.Run("file has the documented shape with every field", func(t *testing.T) {
		var raw struct {
			Version   int                      `json:"version"`
			Instances []map[string]interface{} `json:"instances"`
		}
		if err := json.Unmarshal([]byte(readFile(t, s.Path())), &raw); err != nil {
			t.Fatal(err)
		}
		if raw.Version != 1 || len(raw.Instances) != 2 {
			t.Fatalf("version %d, %d instances; want 1, 2", raw.Version, len(raw.Instances))
		}
		keys := []string{"id", "name", "url", "auth", "username", "token_env", "password_env",
			"ca_file", "insecure_skip_verify", "proxy", "timeout_seconds"}
		for _, k := range keys {
			if _, ok := raw.Instances[1][k]; !ok {
				t.Errorf("bearer instance is missing %q in the file", k)
			}
		}
		if len(raw.Instances[1]) != len(keys) {
			t.Errorf("instance has keys %v; want exactly %v", raw.Instances[1], keys)
		}
	})

	t.Run("empty list saves as an empty array", func(t *testing.T) {
		if err := s.Save(nil); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, s.Path()); !strings.Contains(got, `"instances": []`) {
			t.Fatalf("file = %s; want an empty instances array", got)
		}
	})
}

func TestStoreLoadMissingFileIsEmpty(t *testing.T) {
	s := tempStore(t)
	got, err := s.Load()
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Load of a missing file = %v, %v; want an empty list and no error", got, err)
	}
	if _, err := os.Stat(filepath.Dir(s.Path())); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load created the config folder; reading should not write")
	}
}

func TestStoreLoadAcceptsMissingOptionalFields(t *testing.T) {
	s := tempStore(t)
	writeFile(t, s.Path(), `{"version":1,"instances":[
		{"id":"a","name":"A","url":"https://a.example.com","auth":"bearer"},
		{"id":"b","name":"B","url":"https://b.example.com","auth":"basic","username":"admin","future_field":true}]}`)
	got, err := s.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := []Instance{
		{ID: "a", Name: "A", URL: "https://a.example.com", Auth: AuthBearer},
		{ID: "b", Name: "B", URL: "https://b.example.com", Auth: AuthBasic, Username: "admin"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestStoreFailedWriteKeepsPreviousFile(t *testing.T) {
	s := tempStore(t)
	if err := s.Save(sampleInstances()); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, s.Path())

	// The hook fails after the new content is fully written to the temp
	// file, as a full disk or a failed fsync would.
	s.beforeRename = func(string) error { return errors.New("no space left on device") }
	err := s.Save(sampleInstances()[:1])
	if err == nil {
		t.Fatal("Save succeeded although the write failed")
	}
	if !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), "unchanged") {
		t.Errorf("error = %q; want the cause and that the previous version is unchanged", err)
	}
	if after := readFile(t, s.Path()); after != before {
		t.Fatalf("file changed after a failed save:\n%s", after)
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path()))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file %s left behind", e.Name())
		}
	}

	t.Run("failed update changes nothing", func(t *testing.T) {
		err := s.Update(func(list []Instance) ([]Instance, error) { return list[:0], nil })
		if err == nil {
			t.Fatal("Update succeeded although the write failed")
		}
		if after := readFile(t, s.Path()); after != before {
			t.Fatal("file changed after a failed update")
		}
	})
}

func TestStoreCorruptFileMovedAside(t *testing.T) {
	cases := map[string]string{
		"not JSON":                      `{"version":1,"instances":[{"id":"a",`,
		"empty file":                    ``,
		"top level array":               `[{"id":"a"}]`,
		"null":                          `null`,
		"instances not a list":          `{"version":1,"instances":{"id":"a"}}`,
		"field of the wrong type":       `{"version":1,"instances":[{"id":5}]}`,
		"version not a number":          `{"version":"one","instances":[]}`,
		"binary junk after a crash":     "\x00\x00\x00\x00",
		"valid JSON with trailing junk": `{"version":1,"instances":[]}}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			s := tempStore(t)
			writeFile(t, s.Path(), content)
			list, err := s.Load()
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("Load error = %v; want *CorruptError", err)
			}
			t.Log(err)
			if list == nil || len(list) != 0 {
				t.Errorf("list = %v; want an empty list so the app starts", list)
			}
			if ce.Path != s.Path() || !strings.HasPrefix(ce.MovedTo, s.Path()+".corrupt-") {
				t.Fatalf("CorruptError = %+v", ce)
			}
			if kept := readFile(t, ce.MovedTo); kept != content {
				t.Errorf("moved-aside copy = %q; want the original %q", kept, content)
			}
			if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("corrupt file still at %s", s.Path())
			}
			if !strings.Contains(err.Error(), ce.MovedTo) {
				t.Errorf("message %q does not say where the file went", err)
			}
			// The next start is clean, and saving works again.
			if list, err := s.Load(); err != nil || len(list) != 0 {
				t.Errorf("second Load = %v, %v; want empty and no error", list, err)
			}
		})
	}

	t.Run("a second corrupt file never overwrites the first copy", func(t *testing.T) {
		s := tempStore(t)
		writeFile(t, s.Path(), "first")
		_, err1 := s.Load()
		writeFile(t, s.Path(), "second")
		_, err2 := s.Load()
		var c1, c2 *CorruptError
		if !errors.As(err1, &c1) || !errors.As(err2, &c2) {
			t.Fatalf("errors %v, %v; want two CorruptErrors", err1, err2)
		}
		if c1.MovedTo == c2.MovedTo {
			t.Fatalf("both moved to %s", c1.MovedTo)
		}
		if readFile(t, c1.MovedTo) != "first" || readFile(t, c2.MovedTo) != "second" {
			t.Fatal("a moved-aside copy was overwritten")
		}
	})

	t.Run("update on a corrupt file stops and keeps it", func(t *testing.T) {
		s := tempStore(t)
		writeFile(t, s.Path(), "{oops")
		called := false
		err := s.Update(func(l []Instance) ([]Instance, error) { called = true; return l, nil })
		var ce *CorruptError
		if !errors.As(err, &ce) || called {
			t.Fatalf("Update = %v (fn called: %v); want *CorruptError without calling fn", err, called)
		}
		if readFile(t, ce.MovedTo) != "{oops" {
			t.Fatal("corrupt content not kept")
		}
	})
}

func TestStoreUnknownVersionRefusedAndUntouched(t *testing.T) {
	cases := map[string]struct {
		content string
		version int
	}{
		"newer":      {`{"version":2,"instances":[{"id":"a","shiny":"new"}]}`, 2},
		"no version": {`{"instances":[]}`, 0},
		"zero":       {`{"version":0,"instances":[]}`, 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := tempStore(t)
			writeFile(t, s.Path(), tc.content)
			_, err := s.Load()
			var ve *VersionError
			if !errors.As(err, &ve) || ve.Version != tc.version || ve.Path != s.Path() {
				t.Fatalf("Load error = %#v; want *VersionError{Version: %d}", err, tc.version)
			}
			if !strings.Contains(err.Error(), "untouched") {
				t.Errorf("message %q should say the file was left alone", err)
			}
			err = s.Update(func(l []Instance) ([]Instance, error) { return append(l, sampleInstances()[0]), nil })
			if !errors.As(err, &ve) {
				t.Fatalf("Update error = %v; want *VersionError", err)
			}
			if got := readFile(t, s.Path()); got != tc.content {
				t.Fatalf("file changed to %s", got)
			}
			entries, _ := os.ReadDir(filepath.Dir(s.Path()))
			for _, e := range entries {
				if strings.Contains(e.Name(), "corrupt") {
					t.Errorf("file was moved aside as %s", e.Name())
				}
			}
		})
	}
}

func TestStoreValidationNamesInstanceAndField(t *testing.T) {
	s := tempStore(t)
	writeFile(t, s.Path(), `{"version":1,"instances":[
		{"id":"prod-eu","name":"Prod EU","url":"ftp://grafana.example.com","auth":"basic","username":"admin"},
		{"id":"lab","name":"Lab","url":"https://lab.example.com","auth":"basic"},
		{"id":"lab-2","name":"Lab 2","url":"https://lab2.example.com","auth":"digest"}]}`)
	before := readFile(t, s.Path())

	list, err := s.Load()
	if len(list) != 3 {
		t.Fatalf("Load returned %d instances; invalid ones must be kept, not dropped", len(list))
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load error = %v; want *ValidationError", err)
	}
	want := []FieldError{
		{InstanceID: "prod-eu", Position: 1, Field: "url"},
		{InstanceID: "lab", Position: 2, Field: "username"},
		{InstanceID: "lab-2", Position: 3, Field: "auth"},
	}
	if len(ve.Problems) != len(want) {
		t.Fatalf("problems = %v; want %d", ve.Problems, len(want))
	}
	for i, w := range want {
		p := ve.Problems[i]
		if p.InstanceID != w.InstanceID || p.Position != w.Position || p.Field != w.Field || p.Problem == "" {
			t.Errorf("problem %d = %+v; want %+v", i, p, w)
		}
	}
	msg := err.Error()
	for _, part := range []string{s.Path(), `"prod-eu": url: must start with http:// or https://`, `"lab": username:`} {
		if !strings.Contains(msg, part) {
			t.Errorf("message %q lacks %q", msg, part)
		}
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "url" {
		t.Errorf("errors.As(*FieldError) = %+v; want the url problem", fe)
	}

	t.Run("save refuses invalid instances and keeps the file", func(t *testing.T) {
		if err := s.Save(list); !errors.As(err, &ve) {
			t.Fatalf("Save error = %v; want *ValidationError", err)
		}
		if readFile(t, s.Path()) != before {
			t.Fatal("file changed")
		}
	})

	t.Run("an update that fixes them saves", func(t *testing.T) {
		err := s.Update(func(l []Instance) ([]Instance, error) {
			l[0].URL = "https://grafana.example.com"
			l[1].Username = "admin"
			l[2].Auth = AuthBearer
			return l, nil
		})
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		if got, err := s.Load(); err != nil || len(got) != 3 {
			t.Fatalf("Load = %d instances, %v", len(got), err)
		}
	})
}

func TestStoreUpdateErrorSavesNothing(t *testing.T) {
	s := tempStore(t)
	if err := s.Save(sampleInstances()); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, s.Path())
	boom := errors.New("user cancelled")
	err := s.Update(func(l []Instance) ([]Instance, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v; want fn's error", err)
	}
	if readFile(t, s.Path()) != before {
		t.Fatal("file changed although fn failed")
	}
}

func TestStoreFileModes(t *testing.T) {
	s := tempStore(t)
	if err := s.Save(sampleInstances()); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("instances.json mode = %v; want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(filepath.Dir(s.Path()))
	if di.Mode().Perm() != 0o700 {
		t.Errorf("config folder mode = %v; want 0700", di.Mode().Perm())
	}

	t.Run("a file others could read becomes private on save", func(t *testing.T) {
		if err := os.Chmod(s.Path(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(sampleInstances()); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(s.Path())
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode after save = %v; want 0600", fi.Mode().Perm())
		}
	})
}

func TestStoreSymlinkedFileStaysALink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "instances.json")
	writeFile(t, real, `{"version":1,"instances":[]}`)
	link := filepath.Join(dir, "config", "instances.json")
	if err := os.MkdirAll(filepath.Dir(link), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	s := NewStore(link)
	if err := s.Save(sampleInstances()); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("instances.json is no longer a symlink (err %v)", err)
	}
	if !strings.Contains(readFile(t, real), "prod-eu") {
		t.Fatal("the link's target was not updated")
	}
}

func TestStoreConcurrentUpdatesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "instances.json")
	const goroutines, each = 6, 20

	addOne := func(s *Store, tag string) error {
		return s.Update(func(l []Instance) ([]Instance, error) {
			return append(l, Instance{ID: tag, Name: tag, URL: "https://" + tag + ".example.com", Auth: AuthBearer}), nil
		})
	}

	// A second process, as when cron runs the command line while the window
	// is open.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"=store-updates", "LICENSEDESK_CONFIG="+path,
		"LICENSEDESK_TEST_COUNT="+strconv.Itoa(each))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			s := NewStore(path) // each its own store, as separate windows would
			for i := 0; i < each; i++ {
				if err := addOne(s, fmt.Sprintf("g%d-%d", g, i)); err != nil {
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper process: %v\n%s", err, out)
	}

	list, err := NewStore(path).Load()
	if err != nil {
		t.Fatal(err)
	}
	if want := (goroutines + 1) * each; len(list) != want {
		t.Fatalf("%d instances after %d updates; updates were lost", len(list), want)
	}
	seen := map[string]bool{}
	for _, inst := range list {
		seen[inst.ID] = true
	}
	for i := 0; i < each; i++ {
		if !seen[fmt.Sprintf("p-%d", i)] {
			t.Errorf("the other process's instance p-%d is missing", i)
		}
	}
}

// TestHelperProcess is not a test: it is the second process other tests
// start by re-running this binary with LICENSEDESK_TEST_HELPER set. Run
// directly, it returns at once.
func TestHelperProcess(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "store-updates":
		n, _ := strconv.Atoi(os.Getenv("LICENSEDESK_TEST_COUNT"))
		path, err := DefaultStorePath()
		if err != nil {
			t.Fatal(err)
		}
		s := NewStore(path)
		for i := 0; i < n; i++ {
			err := s.Update(func(l []Instance) ([]Instance, error) {
				id := fmt.Sprintf("p-%d", i)
				return append(l, Instance{ID: id, Name: id, URL: "https://p.example.com", Auth: AuthBearer}), nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestDefaultStorePath(t *testing.T) {
	t.Run("LICENSEDESK_CONFIG wins", func(t *testing.T) {
		t.Setenv("LICENSEDESK_CONFIG", "/srv/licensedesk/fleet.json")
		if p, err := DefaultStorePath(); err != nil || p != "/srv/licensedesk/fleet.json" {
			t.Fatalf("DefaultStorePath = %q, %v", p, err)
		}
	})
	t.Run("else the user config folder", func(t *testing.T) {
		cfg := t.TempDir()
		t.Setenv("LICENSEDESK_CONFIG", "")
		t.Setenv("XDG_CONFIG_HOME", cfg)
		t.Setenv("HOME", cfg)
		t.Setenv("AppData", cfg)
		p, err := DefaultStorePath()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p, cfg) || !strings.HasSuffix(p, filepath.Join("licensedesk", "instances.json")) {
			t.Fatalf("DefaultStorePath = %q; want licensedesk/instances.json under %s", p, cfg)
		}
	})
}
