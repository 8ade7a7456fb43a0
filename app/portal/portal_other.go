//go:build !(linux || freebsd || openbsd || netbsd)

package portal

import "context"

// OpenFile has no portal to ask outside Linux and the BSDs: the window shows
// Fyne's own chooser there. (The Windows and macOS system dialogs would need
// cgo or a library not kept up to date.)
func OpenFile(context.Context, Request) (string, error) { return "", ErrUnavailable }

// SaveFile has no portal to ask outside Linux and the BSDs.
func SaveFile(context.Context, Request) (string, error) { return "", ErrUnavailable }
