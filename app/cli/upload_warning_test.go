package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// TestUploadOfALicenseForAnotherURLIsFlaggedOnTheCommandLine: the command
// line's upload says what the window's preview says.
func TestUploadOfALicenseForAnotherURLIsFlaggedOnTheCommandLine(t *testing.T) {
	env, cfgFile, srv := actionFleet(t)
	other := grafanatest.DefaultClaims(time.Now())
	other.Subject = "https://somewhere-else.example.com/"
	file := filepath.Join(t.TempDir(), "license.jwt")
	os.WriteFile(file, []byte(grafanatest.IssueJWT(other)), 0o600)

	r := env.run(t, "upload", "plant", "--token-file", file, "--config", cfgFile)

	want := "This license is for https://somewhere-else.example.com/, but this instance's URL is " + srv["plant"].URL + "/"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not warn %q", r.stderr, want)
	}
}
