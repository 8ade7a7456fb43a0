package launch

import (
	"fmt"
	"os"
	"os/exec"
)

// Demo starts this program again with --demo, as a process of its
// own: the demo has its own window, instances and settings, and leaves the
// user's untouched.
func Demo() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("could not find Licensedesk's program file to start the demo: %w", err)
	}
	cmd := exec.Command(exe, "--demo")
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start the demo: %w", err)
	}
	go func() { _ = cmd.Wait() }() // reap it when it ends
	return nil
}
