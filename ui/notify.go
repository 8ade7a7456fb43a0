package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
)

// How notifications that come together are delivered: those arriving
// within notifyGather of the first go out together, one by one when there
// are at most notifyBurst, else as one summary, so a first start over
// dozens of instances in trouble does not pile dozens of notifications up.
const (
	notifyGather = 1500 * time.Millisecond
	notifyBurst  = 3
	// notifySummaryLines is how many instances a summary names.
	notifySummaryLines = 6
)

// notifySender delivers the monitor's notifications from one goroutine of
// its own: sending may be a D-Bus call that takes a moment, and must hold
// up neither the monitor nor the window.
type notifySender struct {
	send func(*fyne.Notification)
	in   chan watch.Notification
	done chan struct{}
}

func newNotifySender(send func(*fyne.Notification)) *notifySender {
	s := &notifySender{send: send, in: make(chan watch.Notification, 256), done: make(chan struct{})}
	go s.run()
	return s
}

// add queues a notification; it may be called from any goroutine until close.
func (s *notifySender) add(n watch.Notification) { s.in <- n }

// close delivers what is queued and stops the sender; nothing may be added after.
func (s *notifySender) close() {
	close(s.in)
	<-s.done
}

func (s *notifySender) run() {
	defer close(s.done)
	for first := range s.in {
		batch := []watch.Notification{first}
		timer := time.NewTimer(notifyGather)
		open := true
	gather:
		for open {
			select {
			case n, ok := <-s.in:
				if !ok {
					open = false
					break gather
				}
				batch = append(batch, n)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		for _, n := range composeNotifications(batch) {
			s.send(n)
		}
		if !open {
			return
		}
	}
}

// composeNotifications turns a batch into what is shown: each one when few, else one summary.
func composeNotifications(batch []watch.Notification) []*fyne.Notification {
	if len(batch) <= notifyBurst {
		out := make([]*fyne.Notification, len(batch))
		for i, n := range batch {
			out[i] = fyne.NewNotification(n.Title, n.Body)
		}
		return out
	}
	// Most urgent first: critical, unreadable, warning, then recoveries.
	sorted := slices.Clone(batch)
	slices.SortStableFunc(sorted, func(a, b watch.Notification) int { return cmp.Compare(b.State, a.State) })
	trouble := 0
	for _, n := range batch {
		if n.State != client.StateOK {
			trouble++
		}
	}
	var title string
	switch trouble {
	case len(batch):
		title = fmt.Sprintf("%d instances need attention", len(batch))
	case 0:
		title = fmt.Sprintf("%d instances are OK again", len(batch))
	default:
		title = fmt.Sprintf("%d instances changed state", len(batch))
	}
	var lines []string
	for i, n := range sorted {
		if i == notifySummaryLines {
			lines = append(lines, fmt.Sprintf("…and %d more. Open Licensedesk to see them all.", len(sorted)-i))
			break
		}
		lines = append(lines, n.Title)
	}
	return []*fyne.Notification{fyne.NewNotification(title, strings.Join(lines, "\n"))}
}
