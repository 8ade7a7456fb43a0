package ui

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/watch"
)

// How notifications that come together are delivered: those arriving
// within notifyGather of the first go out together, one by one when there
// are at most notifyBurst, else as one summary, so a first start over
// dozens of instances in trouble does not pile dozens of notifications up.
const (
	notifyGather = 1500 * time.Millisecond
	notifyBurst  = 3
)

// notifySender delivers the monitor's notifications from one goroutine of
// its own: sending may be a D-Bus call that takes a moment, and must hold
// up neither the monitor nor the window.
type notifySender struct {
	send    func(watch.Message)
	sendMu  sync.Mutex     // send is called by run and by tell, one at a time
	telling sync.WaitGroup // tell's sends under way, which close waits for
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
	s.telling.Wait()
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
		for _, m := range composeNotifications(batch, s.attention(), int(s.unreadableAfter.Load())) {
			s.deliver(m)
		}
		if !open {
			return
		}
	}
}

func (s *notifySender) deliver(m watch.Message) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	s.send(m)
}

// tell sends m at once, on a goroutine of its own, apart from the
// monitor's notifications: a word from the window, not about an instance.
func (s *notifySender) tell(m watch.Message) {
	s.telling.Add(1)
	go func() {
		defer s.telling.Done()
		s.deliver(m)
	}()
}

// composeNotifications turns a batch into what is shown: each one when few,
// else app/watch's summary of them, titled with the fleet's count as the
// tray shows it (a).
func composeNotifications(batch []watch.Notification, a watch.Attention, unreadableAfter int) []watch.Message {
	if len(batch) <= notifyBurst {
		out := make([]watch.Message, len(batch))
		for i, n := range batch {
			out[i] = watch.Message{Title: n.Title, Body: n.Body, State: n.State, InstanceID: n.InstanceID}
		}
		return out
	}
	return []watch.Message{a.SummaryOf(batch, unreadableAfter)}
}

// desktopSender sends through the desktop's notification service itself
// where Licensedesk has one (watch.Desktop): on Linux and the BSDs from
// "Licensedesk" with its icon, urgency and timeout by state, and a click
// opening the window on the instance (open runs on the UI goroutine); on
// Windows as toasts whose words PowerShell never reads as code, which
// Fyne's would. Elsewhere (macOS), or when that fails, it sends through Fyne. The server is looked up on the first send, on the
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
