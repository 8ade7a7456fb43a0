//go:build windows

package watch

import (
	"bytes"
	"log"
	"os"
	"os/exec"
	"syscall"

	"github.com/licensedesk/licensedesk/internal/words"
	"golang.org/x/sys/windows/registry"
)

// createNoWindow starts PowerShell without a console window flashing up.
const createNoWindow = 0x08000000

// Desktop shows Windows toasts from Licensedesk with its icon, through
// PowerShell with the words kept out of the script (toast.go), rather than
// through Fyne's SendNotification, which writes them into it. Clicking a
// toast does not open the window: that needs a COM activator registered by
// the installer.
type Desktop struct {
	icon string
}

// OpenDesktop finds PowerShell; an error means there is none, and the
// caller falls back to Fyne's notifications (which need it too).
func OpenDesktop(iconPNG []byte, _ func(instanceID string)) (*Desktop, error) {
	if _, err := exec.LookPath("powershell.exe"); err != nil {
		return nil, err
	}
	d := &Desktop{icon: writeIcon(iconPNG)}
	if err := registerAppID(DesktopEntry, AppName, d.icon); err != nil {
		log.Printf("the notifications' app id could not be registered: %v", err)
	}
	return d, nil
}

// appIDKey is where Windows looks up the name and icon of an unpackaged
// program's toasts, under the current user's classes.
const appIDKey = `Software\Classes\AppUserModelId\`

// registerAppID tells Windows that toasts from id come from name, with the
// icon at iconPath: a program that is not an installed package must, or
// Windows shows its toasts under the bare id, or on some versions not at
// all. It is the user's own registry, written at each start, so a moved
// icon is followed; the uninstaller removes it.
func registerAppID(id, name, iconPath string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, appIDKey+id, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	if err := k.SetStringValue("DisplayName", name); err != nil {
		return err
	}
	if iconPath == "" {
		return nil
	}
	return k.SetStringValue("IconUri", iconPath)
}

// Send shows m as a toast. A toast PowerShell could not show is logged and
// not sent again through Fyne, whose script would read the words as code;
// so Send reports no error.
func (d *Desktop) Send(m Message) error {
	args, env := toastCommand(m, d.icon, DesktopEntry)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log.Printf("the notification %q could not be shown: %v %s", m.Title, err, words.Shorten(words.OneLine(out.String()), 200))
	}
	return nil
}

// Close does nothing: each toast is its own PowerShell.
func (d *Desktop) Close() {}
