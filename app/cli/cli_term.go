package cli

import (
	"errors"
	"io"
	"os"

	"golang.org/x/term"
)

// errNoHiddenInput means the terminal's echo cannot be turned off here, so
// the secret is read as typed.
var errNoHiddenInput = errors.New("cannot hide input on this terminal")

// readHidden reads a line from a terminal with its echo off, so a typed
// secret is neither shown nor left in the scrollback.
func readHidden(f *os.File) (string, error) {
	fd := int(f.Fd())
	if _, err := term.GetState(fd); err != nil {
		return "", errNoHiddenInput
	}
	b, err := term.ReadPassword(fd)
	if errors.Is(err, io.EOF) {
		err = nil // Ctrl-D on an empty line: no secret, which the caller words
	}
	return string(b), err
}

// isTerminal says whether f is a terminal a person types on (not merely a
// character device such as /dev/null).
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}
