//go:build darwin

package portal

import "context"

// osascript is macOS's own, by its full path so no other program on PATH is
// taken for it.
const osascript = "/usr/bin/osascript"

// OpenFile shows the system's open panel and returns the file chosen; ""
// when the user cancelled. It blocks until the user chooses, so it runs off
// the UI goroutine; ErrUnavailable means the panel could not be shown.
func OpenFile(ctx context.Context, r Request) (string, error) {
	return osaChoose(ctx, osascript, false, r)
}

// SaveFile shows the system's save panel, which asks before it replaces a
// file, and returns the path chosen; "" when the user cancelled.
func SaveFile(ctx context.Context, r Request) (string, error) {
	return osaChoose(ctx, osascript, true, r)
}
