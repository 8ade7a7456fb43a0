//go:build !(linux || freebsd || openbsd || netbsd || windows)

package watch

import "errors"

// Desktop is the desktop's notification service, which Licensedesk talks to
// itself on Linux, the BSDs and Windows; elsewhere the window sends through Fyne.
type Desktop struct{}

// OpenDesktop reports that this system has no freedesktop notifications.
func OpenDesktop([]byte, func(string)) (*Desktop, error) {
	return nil, errors.ErrUnsupported
}

// Send does nothing here.
func (d *Desktop) Send(Message) error { return errors.ErrUnsupported }

// Close does nothing here.
func (d *Desktop) Close() {}
