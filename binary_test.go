package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The command-line tests in this package run the real binary, built once
// per test run, as cron, a monitoring system or a person would.
var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// licensedeskBinary builds the binary on first use and returns its path.
func licensedeskBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "licensedesk-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "licensedesk")
		out, err := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = &buildError{err: err, out: string(out)}
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// binRun is one run of the binary.
type binRun struct {
	code           int
	stdout, stderr string
}

// runBinary runs the binary with only the given environment (plus PATH and
// a throwaway HOME) and stdin; safety bounds the run so a hang fails the
// test instead of stalling it.
func runBinary(t *testing.T, env []string, stdin string, args ...string) binRun {
	t.Helper()
	bin := licensedeskBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
	cmd.Stdin = bytes.NewBufferString(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("licensedesk %v did not end: %s", args, stderr.String())
	}
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("licensedesk %v: %v", args, err)
	}
	return binRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}
