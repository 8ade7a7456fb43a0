package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildLicensedesk builds the real binary as it ships (-tags
// migrated_fynedo -trimpath) into a temporary folder.
func buildLicensedesk(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "licensedesk")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-trimpath", "-o", bin, "github.com/licensedesk/licensedesk")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// loadAverage is the machine's load over the last minute, as uptime says
// it: on two cores shared with other work, every figure is read with it.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(data))[0]
}
