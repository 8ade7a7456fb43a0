package ui

import (
	"runtime/debug"
	"sync"
	"time"
)

// Idle, Licensedesk should weigh what it holds, not what it once needed:
// building the window and reading every instance leave the Go runtime with
// many MiB of freed heap it returns to the system only slowly. Once the
// statuses have been quiet for a moment, and when the window hides to the
// tray, that memory is handed back at once.

// settleAfter is how long the statuses must be quiet before memory is
// handed back: a burst of reads is over.
const settleAfter = 3 * time.Second

// releaser hands freed memory back to the system once work settles.
type releaser struct {
	mu    sync.Mutex
	timer *time.Timer
	delay time.Duration
	free  func() // debug.FreeOSMemory; a test counts the calls
}

// newReleaser hands back the Go heap's free memory, then, when cHeap is
// set, the C heap's.
func newReleaser(cHeap func()) *releaser {
	free := debug.FreeOSMemory
	if cHeap != nil {
		free = func() { debug.FreeOSMemory(); cHeap() }
	}
	return &releaser{delay: settleAfter, free: free}
}

// poke says work just happened: the release waits until it has settled.
func (r *releaser) poke() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer == nil {
		r.timer = time.AfterFunc(r.delay, r.free)
		return
	}
	r.timer.Reset(r.delay)
}

// stop cancels a release still waiting.
func (r *releaser) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer != nil {
		r.timer.Stop()
	}
}

// park lets go of what only a visible window needs, once it hides to the
// tray: the detail pane's field list and raw JSON, which a large token
// fills with hundreds of widgets, then the freed memory. The selected
// instance is shown again when the window comes back.
func (d *desk) park() {
	d.detail.Clear()
	d.detail.fields.Objects = nil
	d.detail.rawText = ""
	d.detail.rawJSON.SetText("")
	d.mem.poke()
}

// unpark shows the selected instance again.
func (d *desk) unpark() {
	if id := d.list.Selected(); id != "" && d.detail.id == "" {
		d.showDetail(d.env.svc.Status(id))
	}
}
