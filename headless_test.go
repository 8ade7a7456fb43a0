package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeadlessVerbsWriteNothingToStderr runs the real binary the way cron does
// (C.UTF-8 locale, no display) and checks that a successful run prints nothing
// on stderr: cron mails every stderr line to the administrator.
func TestHeadlessVerbsWriteNothingToStderr(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "licensedesk")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := t.TempDir()
	for _, args := range [][]string{{"--version"}, {"--demo", "instances", "list"}, {"serve", "--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			cmd.Env = []string{"LANG=C.UTF-8", "HOME=" + home, "PATH=" + os.Getenv("PATH"),
				"LICENSEDESK_CONFIG=" + filepath.Join(home, "instances.json")}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("licensedesk %v: %v\nstderr: %s", args, err, stderr.String())
			}
			if stderr.Len() != 0 {
				t.Errorf("licensedesk %v wrote to stderr:\n%s", args, stderr.String())
			}
			if stdout.Len() == 0 {
				t.Errorf("licensedesk %v printed nothing", args)
			}
		})
	}
}
