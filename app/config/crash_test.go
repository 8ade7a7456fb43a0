package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
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
	dsOld = []Instance{{ID: "prod-eu", Name: "Prod EU", URL: "https://grafana.eu.example.com/", Auth: AuthBasic, Username: "admin"}}
	dsNew = append(append([]Instance(nil), dsOld...),
		Instance{ID: "prod-us", Name: "Prod US", URL: "https://grafana.us.example.com/", Auth: AuthBearer})
)

// TestCrashBetweenWriteAndRenameKeepsThePreviousFile kills a process with
// SIGKILL after it has written and synced the new instances.json beside
// the old one, before the rename: the old file is intact and loads.
func TestCrashBetweenWriteAndRenameKeepsThePreviousFile(t *testing.T) {
	if os.Getenv(dsChildEnv) == "crash" {
		dsCrashChild()
		return
	}
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "licensedesk", "instances.json")
	if err := NewStore(cfgFile).Save(dsOld); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, "paused")

	cmd := dsChild(t, "TestCrashBetweenWriteAndRenameKeepsThePreviousFile", "crash",
		dsConfigEnv+"="+cfgFile, dsMarkerEnv+"="+marker)
	dsWaitFor(t, marker, cmd)

	// The child sits between fsync and rename: the new list is on disk in
	// full, under a temp name.
	tmp, err := os.ReadFile(marker)
	if err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(string(tmp))
	if err != nil || !bytes.Contains(written, []byte("prod-us")) {
		t.Fatalf("the temp file %s does not hold the new list (%v): %s", tmp, err, written)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL: %v", cmd.ProcessState)
	}

	after, err := os.ReadFile(cfgFile)
	if err != nil || !bytes.Equal(after, before) {
		t.Fatalf("instances.json changed in the crash (%v):\nbefore %s\nafter  %s", err, before, after)
	}
	list, err := NewStore(cfgFile).Load()
	if err != nil || len(list) != 1 || list[0] != dsOld[0] {
		t.Fatalf("after the crash Load gives %+v, %v; want the previous list", list, err)
	}
	// The next save works despite the orphaned temp file, and replaces the list.
	if err := NewStore(cfgFile).Save(dsNew); err != nil {
		t.Fatalf("saving after the crash: %v", err)
	}
	if list, err := NewStore(cfgFile).Load(); err != nil || len(list) != 2 {
		t.Fatalf("after saving again: %+v, %v", list, err)
	}
	if _, err := os.Stat(string(tmp)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed writer's temp file %s is still there after the next save (%v)", tmp, err)
	}
}

// dsCrashChild saves dsNew and pauses for good between fsync and rename,
// telling the parent (through the marker file) the temp file's name.
func dsCrashChild() {
	s := NewStore(os.Getenv(dsConfigEnv))
	s.beforeRename = func(tmp string) error {
		if err := os.WriteFile(os.Getenv(dsMarkerEnv), []byte(tmp), 0o600); err != nil {
			return err
		}
		select {} // wait here for SIGKILL
	}
	err := s.Save(dsNew)
	fmt.Fprintf(os.Stderr, "Save returned, which it must not before the kill: %v\n", err)
	os.Exit(3)
}
