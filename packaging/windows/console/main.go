// Command console is licensedesk.com, the console-subsystem companion that the
// Windows installer puts beside the windowed licensedesk.exe.
//
// licensedesk.exe is a GUI-subsystem program so that its window opens without
// a console. An interactive cmd.exe or PowerShell does not wait for such a
// program: the prompt returns at once, the output lands after it,
// %ERRORLEVEL% is 0, and a password prompt competes with the shell for the
// keys typed. cmd.exe and PowerShell resolve `licensedesk` through PATHEXT,
// where .COM comes before .EXE, so they start this console program instead,
// which they do wait for; it runs licensedesk.exe from its own folder with the
// same arguments, standard handles and environment, waits for it and exits
// with its exit code (as devenv.com does for devenv.exe).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
)

// target is the program this one stands in for, looked up in its own folder.
const target = "licensedesk.exe"

// exitLaunchFailed is the exit code when licensedesk.exe cannot be run: 3 is
// what check (and every monitoring plugin) means by "unknown".
const exitLaunchFailed = 3

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run starts licensedesk.exe beside this program with args. With no
// arguments the user asked for the window: it is started on its own and run
// returns at once, so the terminal stays free while the window is open (and
// closing the terminal does not close the window), as when a windowed program
// is started from cmd.exe. With arguments it is a command-line run: run
// waits for it and returns its exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "licensedesk: cannot find where licensedesk.com is: %v\n", err)
		return exitLaunchFailed
	}
	exe := filepath.Join(filepath.Dir(self), target)
	if len(args) == 0 {
		return open(exe, stderr)
	}
	return launch(exe, args, stdin, stdout, stderr)
}

// open starts the window and returns without waiting. The window gets no
// standard handles: it never writes to the terminal it was started from.
func open(exe string, stderr io.Writer) int {
	cmd := exec.Command(exe)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "licensedesk: cannot start %s: %v\n", exe, err)
		return exitLaunchFailed
	}
	_ = cmd.Process.Release()
	return 0
}

// launch runs exe with args on the given standard handles (the console's own
// handles pass through as they are, so licensedesk.exe reads a password with
// the echo off on the same console) and the same environment, waits for it
// and returns its exit code.
//
// Ctrl+C reaches every process on the console, licensedesk.exe included,
// which stops as it would started alone. This program only ignores it and
// keeps waiting, so the shell gets its prompt back when licensedesk.exe has
// finished and the exit code is the one it chose.
func launch(exe string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	interrupts := make(chan os.Signal, 1)
	// On Windows signal.Ignore would leave Ctrl+C to the default handler,
	// which ends the process; a registered, never-read channel swallows it.
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)

	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	case errors.As(err, &exit):
		fmt.Fprintf(stderr, "licensedesk: %s ended: %v\n", target, err)
		return exitLaunchFailed
	default:
		fmt.Fprintf(stderr, "licensedesk: cannot start %s: %v\n", exe, err)
		return exitLaunchFailed
	}
}
