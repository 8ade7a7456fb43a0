//go:build !(linux || freebsd || openbsd || netbsd)

package watch

import "context"

// TrayHostPresent says whether the desktop shows tray icons: Windows' and
// macOS's always do.
func TrayHostPresent(context.Context) bool { return true }
