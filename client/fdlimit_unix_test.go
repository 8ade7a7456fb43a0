//go:build unix

package client_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/licensedesk/licensedesk/client"
)

// fdChildURL, when set, makes TestRunningOutOfFilesIsALocalError the child
// that runs out of descriptors against that URL.
const fdChildURL = "LICENSEDESK_TEST_FD_CHILD_URL"

func TestRunningOutOfFilesIsALocalError(t *testing.T) {
	if url := os.Getenv(fdChildURL); url != "" {
		outOfFilesChild(t, url)
		return
	}
	// Given a healthy Grafana, read by a process that has used up its
	// descriptors (a child, so this process keeps its own)
	s := newGrafana(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunningOutOfFilesIsALocalError$", "-test.count=1")
	cmd.Env = append(os.Environ(), fdChildURL+"="+s.URL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child that ran out of files failed: %v\n%s", err, out)
	}
	// And the instance itself was never blamed, nor even reached
	if n := len(s.Requests()); n != 0 {
		t.Errorf("Grafana saw %d requests", n)
	}
}

// outOfFilesChild lowers its descriptor limit, fills it, and reads a token.
func outOfFilesChild(t *testing.T, url string) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	lim.Cur = min(lim.Max, 128)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(client.Options{BaseURL: url, Auth: basicAuth, Retry: client.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var held []*os.File
	for {
		f, err := os.Open(os.DevNull)
		if err != nil {
			break
		}
		held = append(held, f)
	}
	_, err = c.Token(ctx(t))
	for _, f := range held {
		f.Close()
	}

	// Then the error says this computer ran out, not that the instance failed
	var le *client.LocalError
	var ne *client.NetworkError
	if !errors.As(err, &le) || !client.IsLocal(err) || errors.As(err, &ne) {
		t.Fatalf("want a LocalError, got %T: %v", err, err)
	}
	contains(t, "error", err.Error(), "this computer has run out of open files", "too many open files")
	contains(t, "hint", client.Hint(err), "The instance is not at fault", "ulimit -n")
	if strings.Contains(err.Error(), "connection was refused") || strings.Contains(err.Error(), "check the URL") {
		t.Errorf("the error blames the instance: %v", err)
	}
}
