//go:build !(linux || freebsd || openbsd || netbsd || windows || darwin)

package portal

import "context"

// OpenFile has no desktop chooser to ask on this system: the window shows
// Fyne's own.
func OpenFile(context.Context, Request) (string, error) { return "", ErrUnavailable }

// SaveFile has no desktop chooser to ask on this system.
func SaveFile(context.Context, Request) (string, error) { return "", ErrUnavailable }
