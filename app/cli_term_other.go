//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !windows

package app

import "os"

// readHidden cannot turn the echo off on this system.
func readHidden(*os.File) (string, error) { return "", errNoHiddenInput }

// isTerminal says whether f is a character device, the best guess here.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
