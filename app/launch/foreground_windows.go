//go:build windows

package launch

import "golang.org/x/sys/windows"

var allowSetForegroundWindow = windows.NewLazySystemDLL("user32.dll").NewProc("AllowSetForegroundWindow")

// asfwAny lets whichever process asks next take the foreground.
const asfwAny = ^uintptr(0)

// allowForeground passes this launch's right to take the foreground (the
// user just started it) on to the running window, which asks for it when
// told to come forward: Windows otherwise keeps a background process from
// raising its window, and only flashes it in the taskbar.
func allowForeground() {
	if allowSetForegroundWindow.Find() == nil {
		_, _, _ = allowSetForegroundWindow.Call(asfwAny)
	}
}
