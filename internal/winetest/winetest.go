// Package winetest runs Windows programs built from this module under Wine,
// for tests on Linux: a Wine prefix of the test's own, with the
// bcryptprimitives.dll that Go 1.22 and later need and Wine 8 lacks (built
// from packaging/windows/bcryptprimitives.c, as packaging/windows/test.sh
// does). Only tests import it.
package winetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Host is a Wine prefix in the test's temporary folder; wineserver ends with
// the test.
type Host struct {
	// Env is the environment Wine's commands run with.
	Env []string
	dir string
}

// Start makes the prefix, or fails the test saying what is missing; extra
// names further tools the test needs.
func Start(t testing.TB, extra ...string) *Host {
	t.Helper()
	for _, tool := range append([]string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc"}, extra...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run make deps (it installs Wine, MinGW and xdotool)", tool)
		}
	}
	root := moduleRoot(t)
	h := &Host{dir: t.TempDir()}
	h.Env = append(os.Environ(), "WINEPREFIX="+filepath.Join(h.dir, "prefix"), "WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=;bcryptprimitives=n")
	h.Must(t, h.Command("wineboot", "-i"))
	t.Cleanup(func() { _ = h.Command("wineserver", "-k").Run() })
	h.Must(t, h.Command("wineserver", "-w"))
	dll := filepath.Join(h.dir, "prefix", "drive_c", "windows", "system32", "bcryptprimitives.dll")
	if out, err := exec.Command("x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", dll,
		filepath.Join(root, "packaging", "windows", "bcryptprimitives.c"), "-ladvapi32").CombinedOutput(); err != nil {
		t.Fatalf("building bcryptprimitives.dll: %v\n%s", err, out)
	}
	return h
}

// Build builds the package at pkg (a path go build takes) for 64-bit
// Windows into the host's folder and returns the program's path; with
// test, it builds the package's test binary instead (go test -c).
func (h *Host) Build(t testing.TB, pkg, name string, test bool) string {
	t.Helper()
	out := filepath.Join(h.dir, name)
	args := []string{"build", "-o", out, pkg}
	if test {
		args = []string{"test", "-c", "-o", out, pkg}
	}
	c := exec.Command("go", args...)
	c.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := c.CombinedOutput(); err != nil {
		t.Fatalf("building %s for Windows: %v\n%s", pkg, err, b)
	}
	return out
}

// Command is name with args in the prefix's environment.
func (h *Host) Command(name string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Env = h.Env
	return c
}

// Must runs c and fails the test with its output when it fails.
func (h *Host) Must(t testing.TB, c *exec.Cmd) {
	t.Helper()
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(c.Args, " "), err, out)
	}
}

func moduleRoot(t testing.TB) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("cannot find the module's root: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}
