package app

import (
	"os"

	"golang.org/x/sys/windows"
)

// readHidden reads a line from the console with its echo off, so a typed
// secret is neither shown nor left in the scrollback.
func readHidden(f *os.File) (string, error) {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return "", errNoHiddenInput
	}
	quiet := mode&^windows.ENABLE_ECHO_INPUT | windows.ENABLE_LINE_INPUT | windows.ENABLE_PROCESSED_INPUT
	if err := windows.SetConsoleMode(h, quiet); err != nil {
		return "", errNoHiddenInput
	}
	defer windows.SetConsoleMode(h, mode)
	s, err := readLineFrom(f)
	return trimCR(s), err
}

func trimCR(s string) string {
	if len(s) > 0 && s[len(s)-1] == '\r' {
		return s[:len(s)-1]
	}
	return s
}

// isTerminal says whether f is a console a person types on.
func isTerminal(f *os.File) bool {
	var mode uint32
	return windows.GetConsoleMode(windows.Handle(f.Fd()), &mode) == nil
}
