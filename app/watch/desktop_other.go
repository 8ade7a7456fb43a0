//go:build !(linux || freebsd || openbsd || netbsd)

package watch

import "errors"

// Desktop is the freedesktop notification server, which only Linux and the
// BSDs have; elsewhere the window sends through Fyne.
type Desktop struct{}

// OpenDesktop reports that this system has no freedesktop notifications.
func OpenDesktop([]byte, func(string)) (*Desktop, error) {
	return nil, errors.ErrUnsupported
}

// Send does nothing here.
func (d *Desktop) Send(Message) error { return errors.ErrUnsupported }

// Close does nothing here.
func (d *Desktop) Close() {}
