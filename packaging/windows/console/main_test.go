package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The test binary doubles as the licensedesk.exe the launcher starts: with
// LAUNCHER_TEST_CHILD set it acts as the child below instead of testing; with
// LAUNCHER_TEST_LAUNCHER set it is the launcher, starting itself as the child.
func TestMain(m *testing.M) {
	switch {
	case os.Getenv("LAUNCHER_TEST_CHILD") == "1":
		os.Exit(child(os.Args[1:]))
	case os.Getenv("LAUNCHER_TEST_LAUNCHER") == "1":
		exe, _ := os.Executable()
		_ = os.Setenv("LAUNCHER_TEST_CHILD", "1")
		os.Exit(launch(exe, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// child echoes its arguments and, for "echo-stdin", a line read from stdin,
// reports an environment variable, writes to stderr, and exits with the code
// given after "exit".
func child(args []string) int {
	fmt.Printf("args=%q\n", args)
	fmt.Printf("env=%s\n", os.Getenv("LAUNCHER_TEST_VALUE"))
	fmt.Fprintln(os.Stderr, "to stderr")
	code := 0
	for i, a := range args {
		switch a {
		case "echo-stdin":
			line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
			fmt.Printf("stdin=%s", line)
		case "wait-stdin": // says it is running, then waits until stdin closes
			fmt.Println("running")
			_, _ = io.Copy(io.Discard, os.Stdin)
			fmt.Println("stdin closed")
		case "exit":
			_, _ = fmt.Sscan(args[i+1], &code)
		}
	}
	return code
}

// pipes gives the launcher real OS pipes as its standard handles, as a
// console or a redirection would, so the handles pass to the child as they do
// in use (not through copying goroutines).
type pipes struct {
	inW          *os.File
	in, out, err *os.File
	outR, errR   *os.File
}

func newPipes(t *testing.T) *pipes {
	t.Helper()
	var p pipes
	var err error
	if p.in, p.inW, err = os.Pipe(); err != nil {
		t.Fatal(err)
	}
	if p.outR, p.out, err = os.Pipe(); err != nil {
		t.Fatal(err)
	}
	if p.errR, p.err, err = os.Pipe(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, f := range []*os.File{p.in, p.inW, p.out, p.outR, p.err, p.errR} {
			_ = f.Close()
		}
	})
	return &p
}

func self(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestLaunchPassesArgsHandlesAndEnvironmentAndReturnsTheExitCode(t *testing.T) {
	t.Setenv("LAUNCHER_TEST_CHILD", "1")
	t.Setenv("LAUNCHER_TEST_VALUE", "from the shell")
	p := newPipes(t)
	if _, err := io.WriteString(p.inW, "typed line\n"); err != nil {
		t.Fatal(err)
	}
	args := []string{"check", `C:\Program Files\x y.json`, `say "hi"`, "", `trailing\`, "echo-stdin", "exit", "3"}

	code := launch(self(t), args, p.in, p.out, p.err)
	_ = p.out.Close()
	_ = p.err.Close()
	out, _ := io.ReadAll(p.outR)
	errOut, _ := io.ReadAll(p.errR)

	if code != 3 {
		t.Errorf("exit code %d, want the child's 3", code)
	}
	want := fmt.Sprintf("args=%q\nenv=from the shell\nstdin=typed line\n", args)
	if string(out) != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if string(errOut) != "to stderr\n" {
		t.Errorf("stderr %q, want the child's own", errOut)
	}
}

func TestLaunchReturnsZeroWhenTheChildSucceeds(t *testing.T) {
	t.Setenv("LAUNCHER_TEST_CHILD", "1")
	p := newPipes(t)
	if code := launch(self(t), []string{"--version"}, p.in, p.out, p.err); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestRunSaysWhenLicensedeskExeIsMissing(t *testing.T) {
	// The test binary's folder holds no licensedesk.exe.
	if _, err := os.Stat(filepath.Join(filepath.Dir(self(t)), target)); err == nil {
		t.Skip("a licensedesk.exe lies beside the test binary")
	}
	p := newPipes(t)
	code := run([]string{"check"}, p.in, p.out, p.err)
	_ = p.err.Close()
	errOut, _ := io.ReadAll(p.errR)
	if code != exitLaunchFailed {
		t.Errorf("exit code %d, want %d", code, exitLaunchFailed)
	}
	if !strings.Contains(string(errOut), "cannot start") || !strings.Contains(string(errOut), target) {
		t.Errorf("stderr %q does not say licensedesk.exe could not be started", errOut)
	}
}
