//go:build windows

package watch

import (
	"os"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// Run under Wine by TestWindowsToastsUnderWine (desktop_wine_test.go).

func TestToastsAppIDIsRegistered(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n licensedesk test icon")
	d, err := OpenDesktop(png, nil)
	if err != nil {
		t.Fatalf("no toasts: %v", err)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, appIDKey+DesktopEntry, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("the toasts' app id %s is not registered: %v", DesktopEntry, err)
	}
	defer k.Close()
	if name, _, err := k.GetStringValue("DisplayName"); err != nil || name != AppName {
		t.Errorf("toasts are shown as from %q (%v), want %q", name, err, AppName)
	}
	icon, _, err := k.GetStringValue("IconUri")
	if err != nil || icon == "" || icon != d.icon {
		t.Fatalf("the toasts' icon is %q (%v), want the icon written, %q", icon, err, d.icon)
	}
	if b, err := os.ReadFile(icon); err != nil || string(b) != string(png) {
		t.Errorf("the registered icon %s does not hold the app's icon: %v", icon, err)
	}
}
