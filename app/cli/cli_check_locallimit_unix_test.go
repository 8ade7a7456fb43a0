//go:build unix

package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/licensedesk/licensedesk/client"
)

// outOfFilesChildEnv, when set, makes TestCheckSaysRunningOutOfFilesIsLocal
// the child that runs check out of descriptors; it names the instance list.
const outOfFilesChildEnv = "LICENSEDESK_TEST_OUT_OF_FILES_CONFIG"

// outOfFilesPassword is the instance's password variable: reading it is
// the last thing check does before it dials, so the child exhausts its
// descriptors there.
const outOfFilesPassword = "LICENSEDESK_TEST_PASSWORD"

func TestCheckSaysRunningOutOfFilesIsLocal(t *testing.T) {
	if cfg := os.Getenv(outOfFilesChildEnv); cfg != "" {
		outOfFilesCheck(t, cfg)
		return
	}
	// Given a healthy Grafana, checked by a process that runs out of file
	// descriptors just before it connects (a child, so this one keeps its own)
	srv := emulator(t)
	inst := basicInstance("prod", "Prod", srv)
	inst.PasswordEnv = outOfFilesPassword
	cfg := saveConfig(t, inst)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckSaysRunningOutOfFilesIsLocal$", "-test.count=1")
	cmd.Env = append(os.Environ(), outOfFilesChildEnv+"="+cfg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the child that ran out of files failed: %v\n%s", err, out)
	}
	// And Grafana was never reached, so never at fault
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("Grafana saw %d requests", n)
	}
}

// outOfFilesCheck runs check in text and in JSON with every descriptor
// taken at the moment it connects, and reads what it says.
func outOfFilesCheck(t *testing.T, cfg string) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	lim.Cur = min(lim.Max, 128)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	run := func(format string) (int, string, string) {
		var held []*os.File
		defer func() {
			for _, f := range held {
				f.Close()
			}
		}()
		var out, errOut bytes.Buffer
		code := Main([]string{"licensedesk", "--config", cfg, "check", "--no-usage", "--format", format}, nil, Env{
			Stdout: &out, Stderr: &errOut,
			Getenv: func(k string) string {
				if k != outOfFilesPassword {
					return ""
				}
				for {
					f, err := os.Open(os.DevNull)
					if err != nil {
						return "admin"
					}
					held = append(held, f)
				}
			},
			UserConfigDir: func() (string, error) { return filepath.Dir(cfg), nil },
		})
		return code, out.String(), errOut.String()
	}

	// When check reads the instance
	code, text, stderr := run("text")
	// Then it is unknown, and the table says this computer ran out of files,
	// that the instance is not at fault, and what to do
	if code != exitUnknown {
		t.Errorf("check exited %d, want %d (unknown)\n%s%s", code, exitUnknown, text, stderr)
	}
	saysAll(t, "check's table", text, "this computer has run out of open files", "too many open files",
		"the instance is not at fault", "ulimit -n")
	for _, blame := range []string{"check the URL", "connection was refused", "Check that the instance is up"} {
		if strings.Contains(text, blame) {
			t.Errorf("check blames the instance (%q):\n%s", blame, text)
		}
	}

	// And the JSON report names the reason local_limit with the same words
	code, raw, stderr := run("json")
	var report struct {
		Instances []struct {
			State, Message, Error string
			Reasons               []struct{ Code, State, Message string }
		}
	}
	if err := json.Unmarshal([]byte(raw), &report); err != nil || len(report.Instances) != 1 {
		t.Fatalf("check's JSON (exit %d): %v\n%s%s", code, err, raw, stderr)
	}
	got := report.Instances[0]
	if got.State != "unknown" || len(got.Reasons) != 1 || got.Reasons[0].Code != string(client.ReasonLocalLimit) {
		t.Fatalf("want one reason %q, got state %s and %+v", client.ReasonLocalLimit, got.State, got.Reasons)
	}
	if got.Reasons[0].Message != got.Message || !strings.Contains(text, got.Message) {
		t.Errorf("the JSON's reason %q is not what the table says:\n%s", got.Reasons[0].Message, text)
	}
	saysAll(t, "the JSON's error", got.Error, "too many open files", "ulimit -n")
}

// saysAll fails unless text holds every one of parts.
func saysAll(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s does not say %q:\n%s", what, p, text)
		}
	}
}
