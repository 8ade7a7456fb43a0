package ui

import (
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/app"
)

// inbox carries what the engine's goroutines announce (statuses, and that
// a check ended) to the UI goroutine in batches: while one batch waits to
// be applied, later news joins it instead of queueing a call of its own. A
// large fleet's first pass announces statuses faster than the window could
// apply them one by one; queued one by one they piled up, each holding its
// status, and each call summed up the whole fleet again for the status line.
type inbox struct {
	mu      sync.Mutex
	pending []app.Status
	// latest is the place in pending of each instance's status, while no
	// removal of that instance follows it: a newer status replaces it there.
	latest  map[string]int
	checked bool // a check ended: the status line's "next check" may have moved
	queued  bool // a call to take the batch is on its way to the UI goroutine
}

// add keeps st for the next batch; it says whether the caller must queue
// the call that takes it.
func (in *inbox) add(st app.Status) (queue bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	id := st.Instance.ID
	if i, ok := in.latest[id]; ok && !st.Removed {
		in.pending[i] = st
	} else {
		in.pending = append(in.pending, st)
		if in.latest == nil {
			in.latest = map[string]int{}
		}
		in.latest[id] = len(in.pending) - 1
	}
	if st.Removed {
		delete(in.latest, id) // a status after the removal comes after it
	}
	return in.queue()
}

// checkEnded notes that a check ended; it says whether the caller must
// queue the call that takes the batch.
func (in *inbox) checkEnded() (queue bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.checked = true
	return in.queue()
}

func (in *inbox) queue() bool {
	if in.queued {
		return false
	}
	in.queued = true
	return true
}

// take hands over the batch, oldest first, and whether a check ended meanwhile.
func (in *inbox) take() (sts []app.Status, checked bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	sts, checked = in.pending, in.checked
	in.pending, in.latest, in.checked, in.queued = nil, nil, false, false
	return sts, checked
}

// receive takes a status the engine announced, from any goroutine.
func (d *desk) receive(st app.Status) {
	if d.inbox.add(st) {
		d.env.do(d.applyInbox)
	}
}

// checkEnded hears, from the monitor's goroutines, that a check ended.
func (d *desk) checkEnded() {
	if d.inbox.checkEnded() {
		d.env.do(d.applyInbox)
	}
}

// applyInbox applies a batch on the UI goroutine: the list, the detail
// pane, then the status line and the tray once for all of it.
func (d *desk) applyInbox() {
	sts, checked := d.inbox.take()
	var run []app.Status
	var detail *app.Status
	for i, st := range sts {
		if st.Removed {
			if len(run) > 0 {
				d.list.Update(run...)
				run = run[:0]
			}
			d.onRemoved(st.Instance.ID)
			continue
		}
		run = append(run, st)
		if st.Instance.ID == d.detail.id {
			detail = &sts[i]
		}
	}
	if len(run) > 0 {
		d.list.Update(run...)
	}
	if detail != nil && detail.Instance.ID == d.detail.id {
		d.showDetail(*detail)
	}
	if len(sts) > 0 || checked {
		d.statusLineSoon()
	}
	if len(sts) > 0 {
		d.scheduleTray()
		d.mem.poke()
	}
}

// statusLineEvery is how often batches of statuses may rewrite the status
// line: its counts change with every batch, and Fyne keeps a texture of
// every text it drew for a minute, so rewriting it at every frame of a large
// fleet's first pass piled up tens of MiB of them.
const statusLineEvery = time.Second

// statusLineSoon brings the status line up to date now, or, when it was
// less than statusLineEvery ago, once that much time has passed.
func (d *desk) statusLineSoon() { d.statusLater.request() }
