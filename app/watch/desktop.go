package watch

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/licensedesk/licensedesk/client"
)

// AppName is what a desktop notification says it comes from.
const AppName = "Licensedesk"

// DesktopEntry names the app's .desktop file, so a desktop can show the
// notification under the installed app.
const DesktopEntry = "io.github.licensedesk"

// Message is one notification as the desktop shows it: a single instance's
// (InstanceID set) or a summary of several (InstanceID ""), with the state
// that decides how insistent it is.
type Message struct {
	Title, Body string
	State       client.State
	InstanceID  string
}

// Urgency levels of the freedesktop notification specification.
const (
	UrgencyLow      byte = 0
	UrgencyNormal   byte = 1
	UrgencyCritical byte = 2
)

// Urgency is how insistent a notification in state s is: a critical
// instance's stays until dismissed; a recovery is low; the rest normal.
func Urgency(s client.State) byte {
	switch s {
	case client.StateCritical:
		return UrgencyCritical
	case client.StateOK:
		return UrgencyLow
	}
	return UrgencyNormal
}

// Timeout is how long a notification in state s stays on screen; 0 keeps it
// until the user dismisses it (a critical one: the license has ended).
func Timeout(s client.State) time.Duration {
	switch s {
	case client.StateCritical:
		return 0
	case client.StateOK:
		return 8 * time.Second
	}
	return 15 * time.Second
}

// writeIcon puts the app icon where notification servers can read it and
// returns its path; "" (no icon) when it cannot be written.
func writeIcon(png []byte) string {
	if len(png) == 0 {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	path := filepath.Join(dir, "licensedesk", "icon.png")
	if old, err := os.ReadFile(path); err == nil && slices.Equal(old, png) {
		return path
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return ""
	}
	if err := os.WriteFile(path, png, 0o600); err != nil && !errors.Is(err, os.ErrExist) {
		return ""
	}
	return path
}
