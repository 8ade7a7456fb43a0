package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestHeadlessVerbsWriteNothingToStderr runs the real binary the way cron does
// (a C locale with an encoding, no display) and checks that a successful run
// prints nothing on stderr: cron mails every stderr line to the administrator.
func TestHeadlessVerbsWriteNothingToStderr(t *testing.T) {
	home := t.TempDir()
	for _, locale := range []string{"LANG=C.UTF-8", "LC_ALL=POSIX.utf8"} {
		for _, args := range [][]string{{"--version"}, {"--demo", "instances", "list"}, {"serve", "--help"}} {
			t.Run(locale+" "+strings.Join(args, " "), func(t *testing.T) {
				r := runBinary(t, []string{locale, "LICENSEDESK_CONFIG=" + filepath.Join(home, "instances.json")}, "", args...)
				if r.code != 0 {
					t.Fatalf("licensedesk %v exited %d\nstderr: %s", args, r.code, r.stderr)
				}
				if r.stderr != "" {
					t.Errorf("licensedesk %v wrote to stderr:\n%s", args, r.stderr)
				}
				if r.stdout == "" {
					t.Errorf("licensedesk %v printed nothing", args)
				}
			})
		}
	}
}
