//go:build integration && unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// fleetPasswordEnv carries every emulated instance's password to the child:
// the child has no keyring, and the variable keeps the secret off its
// command line.
const fleetPasswordEnv = "LICENSEDESK_FLEET_PASSWORD"

// TestCheckReadsAFleetUnderADescriptorLimit runs the real `licensedesk
// check` under `ulimit -n 1024`, as a cron job on a default Linux account
// runs, over 2,000 loopback Grafanas: more instances than the process may
// open files. Every instance must be read: running out of descriptors is
// never an instance's failure.
func TestCheckReadsAFleetUnderADescriptorLimit(t *testing.T) {
	const n, limit = 2000, 1024
	// Given 2,000 healthy Grafanas (this process holds their listeners and
	// server-side connections, so it needs more than the child may have)
	needFiles(t, 2*n+256)
	list := make([]app.Instance, n)
	for i := range list {
		s, err := grafanatest.Start()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		list[i] = app.Instance{ID: fmt.Sprintf("grafana-%04d", i), Name: fmt.Sprintf("Grafana %d", i),
			URL: s.URL + "/", Auth: app.AuthBasic, Username: "admin", PasswordEnv: fleetPasswordEnv}
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "instances.json")
	if err := config.NewStore(cfg).Save(list); err != nil {
		t.Fatal(err)
	}
	bin := licensedeskBinary(t)

	// When check reads them all in a process limited to 1,024 open files
	cmd := exec.Command("bash", "-c", fmt.Sprintf(`ulimit -n %d || exit 97; exec "$0" "$@"`, limit),
		bin, "--config", cfg, "check", "--format", "json")
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", fleetPasswordEnv + "=admin"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()

	// Then every instance was read and judged ok, none "too many open files"
	var report struct {
		Instances []struct {
			ID, State, Message, Error string
		} `json:"instances"`
	}
	if jerr := json.Unmarshal(stdout.Bytes(), &report); jerr != nil {
		t.Fatalf("check's JSON (exit %v): %v\nstderr: %s", err, jerr, shorten(stderr.String()))
	}
	if len(report.Instances) != n {
		t.Fatalf("check reported %d instances, want %d", len(report.Instances), n)
	}
	failed, outOfFiles := 0, 0
	for _, inst := range report.Instances {
		if inst.State == "ok" && inst.Error == "" {
			continue
		}
		if failed++; failed <= 3 {
			t.Errorf("%s: %s: %s", inst.ID, inst.State, inst.Message)
		}
		if strings.Contains(inst.Error+inst.Message, "too many open files") {
			outOfFiles++
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d instances were not read under ulimit -n %d, %d of them for too many open files",
			failed, n, limit, outOfFiles)
	}
	// And check exits 0, as every license is fine
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 97 {
			t.Fatalf("the shell could not lower its descriptor limit to %d", limit)
		}
		t.Errorf("check: %v, want exit 0\nstderr: %s", err, shorten(stderr.String()))
	}
}

// needFiles makes sure this process may open at least need files, raising
// its soft limit to the hard one when that is not enough.
func needFiles(t *testing.T, need uint64) {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Cur < need && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			t.Fatal(err)
		}
	}
	if lim.Cur < need {
		t.Fatalf("this test needs %d open files for its emulated Grafanas; the hard limit is %d (raise it: ulimit -Hn)", need, lim.Max)
	}
}

// shorten keeps a failure's output readable: 2,000 instances' worth of
// stderr says the same thing many times.
func shorten(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
