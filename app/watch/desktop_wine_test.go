//go:build integration && linux

package watch

import (
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/internal/winetest"
)

// TestWindowsToastsUnderWine runs this package's Windows tests
// (desktop_windows_test.go) as a Windows program under Wine, with Windows'
// registry as Wine keeps it.
func TestWindowsToastsUnderWine(t *testing.T) {
	h := winetest.Start(t)
	exe := h.Build(t, ".", "watch.test.exe", true)
	out, err := h.Command("wine", exe, "-test.run", "^TestToastsAppIDIsRegistered$", "-test.v").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestToastsAppIDIsRegistered") {
		t.Fatalf("the Windows tests failed under Wine: %v\n%s", err, out)
	}
}
