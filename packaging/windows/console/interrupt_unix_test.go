//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// Ctrl+C reaches every process on the console; the launcher must outlive it
// and keep waiting, so the shell's prompt returns only once the child is done
// and the exit code is the child's. The launcher runs as a process of its
// own here (the test binary with LAUNCHER_TEST_LAUNCHER set), so an interrupt
// it did not catch would end it; only it gets the interrupt, and the child
// carries on until its stdin closes.
func TestLaunchKeepsWaitingThroughAnInterrupt(t *testing.T) {
	cmd := exec.Command(self(t), "wait-stdin", "exit", "2")
	cmd.Env = append(os.Environ(), "LAUNCHER_TEST_LAUNCHER=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && lines.Text() != "running" {
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_ = stdin.Close()
	var last string
	for lines.Scan() {
		last = lines.Text()
	}
	err = cmd.Wait()
	if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		t.Fatalf("the launcher was ended by %v instead of waiting for its child", status.Signal())
	}
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Errorf("exit code %d (%v), want the child's 2", code, err)
	}
	if last != "stdin closed" {
		t.Errorf("the child's last line was %q, want it to have run to its end", last)
	}
}
