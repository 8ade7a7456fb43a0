package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/watch"
)

// watcher is the window's background side: the monitor that reads every
// instance at start and then on the schedule in the settings, and the
// sender of the notifications its notifier decides. The results reach the
// list, the detail pane and the tray through the engine's statuses.
type watcher struct {
	mon    *watch.Monitor
	sender *notifySender
}

// startWatch starts the monitor over e's engine. send delivers a desktop
// notification (the app's SendNotification); checked, when set, hears of
// every check from the monitor's goroutines.
func startWatch(e *env, notes *watch.Notifier, send func(*fyne.Notification), checked func(app.Status)) *watcher {
	s := e.settings.cur
	notes.SetSettings(s)
	w := &watcher{sender: newNotifySender(send)}
	w.mon = watch.NewMonitor(e.svc, watch.MonitorOptions{
		Interval: s.Interval(),
		Notifier: notes,
		Notify: func(n watch.Notification) {
			if !e.hushed(n) { // a snoozed reason is not announced
				w.sender.add(n)
			}
		},
		Checked: checked,
	})
	e.settings.watch(func(_, cur app.Settings) {
		notes.SetSettings(cur)
		w.mon.SetInterval(cur.Interval())
	})
	w.mon.Start(context.Background())
	return w
}

// stop ends the checks, then delivers the notifications still queued.
func (w *watcher) stop() {
	w.mon.Stop()
	w.sender.close()
}
