package ui

import "time"

// coalescer gathers requests to run fn on the UI goroutine into one run:
// the first request schedules it at least delay later and at most once
// every `every` since it last ran (0: no such bound), and requests made
// meanwhile join that run. With no delay and the bound passed, a request
// runs fn at once. It is used on the UI goroutine only.
type coalescer struct {
	do           func(func()) // runs a function on the UI goroutine (env.do)
	fn           func()
	delay, every time.Duration
	pending      bool      // a run is scheduled
	last         time.Time // when fn last ran, as fn notes it through ran
}

// request asks for a run of fn.
func (c *coalescer) request() {
	if c.pending {
		return
	}
	wait := max(c.delay, c.every-time.Since(c.last))
	if wait <= 0 {
		c.fn()
		return
	}
	c.pending = true
	time.AfterFunc(wait, func() {
		c.do(func() {
			c.pending = false
			c.fn()
		})
	})
}

// ran notes that fn ran now, through request or called directly, for the
// every bound.
func (c *coalescer) ran() { c.last = time.Now() }
