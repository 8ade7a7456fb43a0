//go:build linux || darwin || freebsd || netbsd || openbsd

package app

import (
	"os"

	"golang.org/x/sys/unix"
)

// readHidden reads a line from a terminal with its echo off, so a typed
// secret is neither shown nor left in the scrollback.
func readHidden(f *os.File) (string, error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return "", errNoHiddenInput
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return "", errNoHiddenInput
	}
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, old)
	return readLineFrom(f)
}

// isTerminal says whether f is a terminal a person types on (not merely a
// character device such as /dev/null).
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios)
	return err == nil
}
