package app

import (
	"errors"
	"io"
	"os"
)

// errNoHiddenInput means the terminal's echo cannot be turned off here, so
// the secret is read as typed.
var errNoHiddenInput = errors.New("cannot hide input on this terminal")

// readLineFrom reads one line a byte at a time, so nothing after it is
// swallowed, and returns it without the line ending.
func readLineFrom(f *os.File) (string, error) {
	var line []byte
	buf := make([]byte, 1)
	for len(line) < maxSecretBytes {
		n, err := f.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			line = append(line, buf[0])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return string(line), nil
}
