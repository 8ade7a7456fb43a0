package cli

import (
	"errors"
	"fmt"

	"github.com/licensedesk/licensedesk/app/launch"
)

// claimWindow takes the window lock for this run's instance list (not for
// the demo, whose list is its own); on a second launch it has printed what
// happened and returns ok false with the exit code.
func (c *cli) claimWindow() (lock *launch.WindowLock, code int, ok bool) {
	if c.demoFlag {
		return nil, 0, true
	}
	path, err := c.storePath()
	if err != nil {
		return nil, 0, true // service() reports it
	}
	lock, err = launch.ClaimWindow(path)
	var running *launch.RunningError
	if errors.As(err, &running) {
		if running.Shown {
			fmt.Fprintln(c.Stderr, running.Error()+".")
			return nil, exitOK, false
		}
		c.errorf("%v", running)
		return nil, exitFailed, false
	}
	return lock, 0, true
}
