package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func retryable(err error) bool {
	var ne *NetworkError
	if errors.As(err, &ne) {
		return ne.retry
	}
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

func withAttempts(err error, n int) error {
	var ne *NetworkError
	var ae *APIError
	switch {
	case errors.As(err, &ne):
		ne.Attempts = n
	case errors.As(err, &ae):
		ae.Attempts = n
	}
	return err
}

// backoff is the wait before the next attempt: Retry-After when the server
// sent one, else exponential from BaseDelay with jitter; MaxDelay caps both.
func (c *Client) backoff(attempt int, a *answer) time.Duration {
	p := c.opts.Retry
	if a != nil {
		if d, ok := parseRetryAfter(a.retryAfter, time.Now()); ok {
			return min(d, p.MaxDelay)
		}
	}
	d := p.MaxDelay
	if attempt < 30 && p.BaseDelay<<(attempt-1) < p.MaxDelay {
		d = p.BaseDelay << (attempt - 1)
	}
	// Half fixed, half random, so many clients do not retry in step.
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, 86400)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
