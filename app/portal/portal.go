// Package portal asks the desktop for a file with its own file chooser, with
// its bookmarks and recent files, rather than Fyne's: on Linux and the BSDs
// through the XDG desktop portal (org.freedesktop.portal.FileChooser on the
// session bus), on Windows with the system's Open and Save As dialogs, on
// macOS with the system's open and save panels (through osascript).
// ErrUnavailable tells the caller to show its own chooser instead.
package portal

import (
	"errors"
	"net/url"
	"strings"
)

// ErrUnavailable says there is no desktop file chooser to ask (no session
// bus, no portal, or one without a FileChooser; a system dialog that could
// not be shown); the caller shows its own.
var ErrUnavailable = errors.New("the desktop has no file chooser to offer")

// Request describes the file asked for.
type Request struct {
	Parent     string   // for the portal, the parent window as "x11:<hex id>"; "" when unknown
	HWND       uintptr  // on Windows, the window that owns the dialog; 0 when unknown
	Title      string   // the chooser's title
	Accept     string   // the accept button's label; "" for the portal's own
	Folder     string   // the folder to start in; "" for the portal's choice
	Name       string   // for a save, the file name suggested
	FilterName string   // names the filter, e.g. "License tokens"
	Extensions []string // offered file name extensions with the dot, e.g. ".jwt"
}

// pathOf turns the file:// URI a portal answers into a local path.
func pathOf(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", errors.New("the file chooser gave no local file")
	}
	return u.Path, nil
}

// globs are the filter's patterns, "*.jwt" for ".jwt", in either case:
// portal globs are case-sensitive.
func globs(exts []string) []string {
	var out []string
	for _, e := range exts {
		e = trimDot(e)
		out = append(out, "*."+strings.ToLower(e))
		if up := "*." + strings.ToUpper(e); up != out[len(out)-1] {
			out = append(out, up)
		}
	}
	return out
}
