package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
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
	send func(watch.Message)
	// attention counts the fleet now, for a summary's title: the tray's
	// own count, so the two never disagree.
	attention func() watch.Attention
	// unreadableAfter is the settings' number of failed checks before an
	// instance that cannot be read is announced.
	unreadableAfter atomic.Int32
	in              chan watch.Notification
	done            chan struct{}
}

func newNotifySender(send func(watch.Message), attention func() watch.Attention) *notifySender {
	s := &notifySender{send: send, attention: attention, in: make(chan watch.Notification, 256), done: make(chan struct{})}
	s.unreadableAfter.Store(int32(config.DefaultUnreadableAfter))
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
		var a watch.Attention
		if s.attention != nil {
			a = s.attention()
		}
		for _, m := range composeNotifications(batch, a, int(s.unreadableAfter.Load())) {
			s.send(m)
		}
		if !open {
			return
		}
	}
}

// composeNotifications turns a batch into what is shown: each one when few,
// else one summary, titled with the fleet's count as the tray shows it (a).
func composeNotifications(batch []watch.Notification, a watch.Attention, unreadableAfter int) []watch.Message {
	if len(batch) <= notifyBurst {
		out := make([]watch.Message, len(batch))
		for i, n := range batch {
			out[i] = watch.Message{Title: n.Title, Body: n.Body, State: n.State, InstanceID: n.InstanceID}
		}
		return out
	}
	// Most urgent first: critical, unreadable, warning, then recoveries.
	sorted := slices.Clone(batch)
	slices.SortStableFunc(sorted, func(a, b watch.Notification) int { return cmp.Compare(b.State, a.State) })
	trouble, unreadable := 0, 0
	worst := client.StateOK
	for _, n := range batch {
		if n.State != client.StateOK {
			trouble++
		}
		if n.State == client.StateUnknown {
			unreadable++
		}
		worst = client.Worse(worst, n.State)
	}
	var title string
	switch {
	case trouble > 0 && a.Needing >= trouble:
		title = a.Summary() // the tray's count: "6 of 9 instances need attention"
	case trouble == len(batch):
		title = fmt.Sprintf("%d instances need attention", len(batch))
	case trouble == 0:
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
	if unnamed := a.ByState[client.StateUnknown] - unreadable; trouble > 0 && unnamed > 0 {
		// The tray counts an instance the moment a read fails; a
		// notification waits for the failures in a row the settings ask for.
		lines = append(lines, fmt.Sprintf("%s not named here could not be read: an instance that cannot be read is announced after %s in a row.",
			words.Plural(unnamed, "more instance"), words.Plural(unreadableAfter, "failed check")))
	}
	return []watch.Message{{Title: title, Body: strings.Join(lines, "\n"), State: worst}}
}

// desktopSender sends through the desktop's notification server itself
// where there is one (Linux and the BSDs): from "Licensedesk" with its
// icon, urgency and timeout by state, and a click opening the window on the
// instance (open runs on the UI goroutine). Elsewhere, or when that fails,
// it sends through Fyne. The server is looked up on the first send, on the
// sender's goroutine, so starting the window never waits for it.
func desktopSender(a fyne.App, icon []byte, open func(instanceID string)) (send func(watch.Message), closeFn func()) {
	var desk *watch.Desktop
	tried := false
	send = func(m watch.Message) {
		if !tried {
			tried = true
			desk, _ = watch.OpenDesktop(icon, func(id string) { fyne.Do(func() { open(id) }) })
		}
		if desk != nil && desk.Send(m) == nil {
			return
		}
		a.SendNotification(fyne.NewNotification(m.Title, m.Body))
	}
	closeFn = func() {
		if desk != nil {
			desk.Close()
		}
	}
	return send, closeFn
}
