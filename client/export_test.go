package client

import (
	"context"
	"time"
)

// SetSleep replaces the wait between retries, so a test sees each wait
// without spending it.
func SetSleep(c *Client, sleep func(ctx context.Context, d time.Duration) error) { c.sleep = sleep }
