package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// Retries are resty's: SetRetryCount, a retry condition, SetRetryAfter and
// SetRetryMaxWaitTime. What resty lacks is kept here: no retry of delete
// (its retry count is per client, not per request), a budget for all the
// waiting of one call (RetryPolicy.MaxTotal), and parsing Retry-After.

// errRetryBudget ends resty's retries when the next wait would pass
// RetryPolicy.MaxTotal; the last answer then stands.
var errRetryBudget = errors.New("the retry budget is spent")

// retryState is one call's waiting so far, carried in its context because
// resty's RetryAfter callback is the client's, not the request's.
type retryState struct{ waited time.Duration }

type retryStateKey struct{}

// retryCondition tells resty whether a call may be tried again: only GET,
// renew and upload (never delete, whose first attempt may have removed the
// license), on connection errors that may pass, and on 429, 502, 503, 504.
func retryCondition(cl call) resty.RetryConditionFunc {
	return func(resp *resty.Response, err error) bool {
		if !cl.retry {
			return false
		}
		if err != nil {
			var redirect *RedirectError
			if errors.As(err, &redirect) || errors.Is(err, resty.ErrResponseBodyTooLarge) {
				return false
			}
			_, transient := classify(err)
			return transient
		}
		switch resp.StatusCode() {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
}

// retryWait is resty's RetryAfter callback: the wait before the next
// attempt, or errRetryBudget when it would pass MaxTotal.
func (c *Client) retryWait(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	ctx := resp.Request.Context()
	d := c.backoff(resp.Request.Attempt, resp.Header().Get("Retry-After"))
	if st, ok := ctx.Value(retryStateKey{}).(*retryState); ok {
		if st.waited+d > c.opts.Retry.MaxTotal {
			return 0, errRetryBudget
		}
		st.waited += d
	}
	if c.sleep != nil {
		// A test's sleep takes the wait, to see it without spending it;
		// resty then waits a nanosecond.
		return 0, c.sleep(ctx, d)
	}
	return d, nil
}

// backoff is the wait before the next attempt: Retry-After when the server
// sent one, else exponential from BaseDelay with jitter; MaxDelay caps both.
// (resty's own backoff cannot be counted against MaxTotal.)
func (c *Client) backoff(attempt int, retryAfter string) time.Duration {
	p := c.opts.Retry
	if d, ok := parseRetryAfter(retryAfter, time.Now()); ok {
		return min(d, p.MaxDelay)
	}
	d := p.MaxDelay
	if attempt < 30 && p.BaseDelay<<(max(attempt, 1)-1) < p.MaxDelay {
		d = p.BaseDelay << (max(attempt, 1) - 1)
	}
	// Half fixed, half random, so many clients do not retry in step.
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date; resty
// leaves that to its RetryAfter callback.
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

// withRetryState gives a call's context the state its waits are counted in.
func withRetryState(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryStateKey{}, &retryState{})
}
