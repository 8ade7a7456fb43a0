//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is ATTACH_PARENT_PROCESS for kernel32's AttachConsole.
const attachParentProcess = ^uintptr(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachConsole gives a command-line run of the windowed (GUI-subsystem) exe
// the console of the program that started it: licensedesk.com, which passes
// its console handles on and waits, or a shell that started the exe itself.
// Being on that console is what brings Ctrl+C to this process. Handles it was
// given (the console's, a file, a pipe) are kept; only missing ones are
// opened on the console, so `licensedesk.exe check` prints in a batch file.
func attachConsole(args []string) {
	if len(args) < 2 {
		return // opening the window: no console wanted
	}
	if r, _, _ := procAttachConsole.Call(attachParentProcess); r == 0 {
		return // started without a console (Explorer, a scheduled task)
	}
	if !usable(os.Stdout) || !usable(os.Stderr) {
		if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			if !usable(os.Stdout) {
				os.Stdout = out
			}
			if !usable(os.Stderr) {
				os.Stderr = out
			}
		}
	}
	if !usable(os.Stdin) {
		if in, err := os.OpenFile("CONIN$", os.O_RDWR, 0); err == nil {
			os.Stdin = in
		}
	}
}

// usable says whether f is a standard handle the process was really given:
// a windowed program started without redirection has none.
func usable(f *os.File) bool {
	if f == nil {
		return false
	}
	t, err := windows.GetFileType(windows.Handle(f.Fd()))
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
