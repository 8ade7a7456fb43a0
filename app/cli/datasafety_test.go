package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
)

// These tests run parts of themselves in child processes: the test binary
// re-executes itself (os.Args[0] -test.run ^Name$) with dsChildEnv naming
// the part to play, so a crash and two writers are real processes.
const (
	dsChildEnv  = "LICENSEDESK_DATASAFETY_CHILD"
	dsConfigEnv = "LICENSEDESK_DATASAFETY_CONFIG"
	dsMarkerEnv = "LICENSEDESK_DATASAFETY_MARKER"
	dsWriterEnv = "LICENSEDESK_DATASAFETY_WRITER"
	dsStartEnv  = "LICENSEDESK_DATASAFETY_START"
)

// dsChild starts the test binary running only test, as child part, with env.
func dsChild(t *testing.T, test, part string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), append(env, dsChildEnv+"="+part)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		if t.Failed() {
			t.Logf("child %s said:\n%s", part, out.String())
		}
	})
	return cmd
}

// dsWaitFor polls, boundedly, until path exists.
func dsWaitFor(t *testing.T, path string, cmd *exec.Cmd) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child never reached its pause point (%s)", path)
		}
		if cmd.ProcessState != nil {
			t.Fatalf("the child ended before its pause point: %v", cmd.ProcessState)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var (
	dsOld = []app.Instance{{ID: "prod-eu", Name: "Prod EU", URL: "https://grafana.eu.example.com/", Auth: app.AuthBasic, Username: "admin"}}
	dsNew = append(append([]app.Instance(nil), dsOld...),
		app.Instance{ID: "prod-us", Name: "Prod US", URL: "https://grafana.us.example.com/", Auth: app.AuthBearer})
)

// TestCorruptConfigAtStartupIsKeptAsideAndTheAppStarts damages
// instances.json and runs the command line on it: the damaged bytes are kept
// aside, the user is told where, and every verb still works.
func TestCorruptConfigAtStartupIsKeptAsideAndTheAppStarts(t *testing.T) {
	damaged := []byte("{\"version\":1,\"instances\":[{\"id\":\"prod-eu\",\"name\":\"Prod EU\",\"url\":\"https://gra")
	cfgFile := filepath.Join(t.TempDir(), "licensedesk", "instances.json")
	if err := os.MkdirAll(filepath.Dir(cfgFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgFile, damaged, 0o600); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := dsRun(t, "--config", cfgFile, "instances", "list")
	if code != 0 {
		t.Fatalf("instances list on a damaged file exited %d: %s", code, stderr)
	}
	kept, _ := filepath.Glob(cfgFile + ".corrupt-*")
	if len(kept) != 1 {
		t.Fatalf("the damaged file was not kept aside: %v", kept)
	}
	if got, err := os.ReadFile(kept[0]); err != nil || !bytes.Equal(got, damaged) {
		t.Errorf("the kept copy is not the damaged file byte for byte (%v)", err)
	}
	for _, want := range []string{"damaged", "moved aside", kept[0], "ends too early"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stdout, "No instances are configured") {
		t.Errorf("the list should start empty:\n%s", stdout)
	}

	// The app goes on: check runs (nothing configured is "unknown"), and an
	// add saves a new, good file without touching the kept copy.
	if code, _, stderr := dsRun(t, "--config", cfgFile, "check"); code != 3 || !strings.Contains(stderr, "instances add") {
		t.Errorf("check after the damage exited %d, want 3 with advice to add one:\n%s", code, stderr)
	}
	if code, _, stderr := dsRun(t, "--config", cfgFile, "instances", "add", "--name", "Prod EU",
		"--url", "https://grafana.eu.example.com/", "--username", "admin"); code != 0 {
		t.Fatalf("adding after the damage exited %d: %s", code, stderr)
	}
	if list, err := config.NewStore(cfgFile).Load(); err != nil || len(list) != 1 {
		t.Errorf("after the add: %+v, %v", list, err)
	}
	if got, _ := os.ReadFile(kept[0]); !bytes.Equal(got, damaged) {
		t.Error("the kept copy changed")
	}
}

// dsRun runs the command line in this process with an in-memory keyring.
func dsRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(append([]string{"licensedesk"}, args...), nil, Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv:        func(string) string { return "" },
		UserConfigDir: func() (string, error) { return t.TempDir(), nil },
		Secrets:       vault.NewMemory(),
	})
	return code, out.String(), errOut.String()
}

// dsAdds is how many instances each of the two writer processes adds.
const dsAdds = 25

// TestTwoProcessesAddingInstancesLoseNoUpdate runs `instances add` in two
// processes at once, many times each, on one instances.json: every add is
// in the file at the end.
func TestTwoProcessesAddingInstancesLoseNoUpdate(t *testing.T) {
	if os.Getenv(dsChildEnv) == "writer" {
		dsWriterChild(t)
		return
	}
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "licensedesk", "instances.json")
	start := filepath.Join(dir, "start")
	var cmds []*exec.Cmd
	for _, w := range []string{"a", "b"} {
		cmds = append(cmds, dsChild(t, "TestTwoProcessesAddingInstancesLoseNoUpdate", "writer",
			dsConfigEnv+"="+cfgFile, dsWriterEnv+"="+w, dsStartEnv+"="+start,
			dsMarkerEnv+"="+filepath.Join(dir, "ready-"+w)))
	}
	// Let both processes load before either writes, so their adds interleave.
	for i, w := range []string{"a", "b"} {
		dsWaitFor(t, filepath.Join(dir, "ready-"+w), cmds[i])
	}
	if err := os.WriteFile(start, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(cmds))
	for i, cmd := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = cmd.Wait()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d failed: %v", i, err)
		}
	}

	list, err := config.NewStore(cfgFile).Load()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, inst := range list {
		have[inst.ID] = true
	}
	for _, w := range []string{"a", "b"} {
		for i := range dsAdds {
			if id := w + "-" + strconv.Itoa(i); !have[id] {
				t.Errorf("the add of %s was lost", id)
			}
		}
	}
	if len(list) != 2*dsAdds {
		t.Errorf("the file holds %d instances, want %d", len(list), 2*dsAdds)
	}
}

// dsWriterChild adds dsAdds instances through the command line's run function.
func dsWriterChild(t *testing.T) {
	w := os.Getenv(dsWriterEnv)
	if err := os.WriteFile(os.Getenv(dsMarkerEnv), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(os.Getenv(dsStartEnv)); err == nil {
			break
		} else if !errors.Is(err, os.ErrNotExist) || time.Now().After(deadline) {
			t.Fatalf("no start signal: %v", err)
		}
		time.Sleep(time.Millisecond)
	}
	for i := range dsAdds {
		id := w + "-" + strconv.Itoa(i)
		code, _, stderr := dsRun(t, "--config", os.Getenv(dsConfigEnv), "instances", "add", "--id", id,
			"--name", "Writer "+id, "--url", "https://"+id+".example.com/", "--username", "admin")
		if code != 0 {
			t.Fatalf("instances add %s exited %d: %s", id, code, stderr)
		}
	}
}
