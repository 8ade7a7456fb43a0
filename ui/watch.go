package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"github.com/licensedesk/licensedesk/app"
)

// watch is the window's background side: the monitor that reads every
// instance at start and then on the schedule in the settings, and the
// sender of the notifications its notifier decides. The results reach the
// list, the detail pane and the tray through the engine's statuses.
type watch struct {
	mon    *app.Monitor
	sender *notifySender
}

// startWatch starts the monitor over e's engine. send delivers a desktop
// notification (the app's SendNotification); checked, when set, hears of
// every check from the monitor's goroutines.
func startWatch(e *env, notes *app.Notifier, send func(*fyne.Notification), checked func(app.Status)) *watch {
	s := e.settings.cur
	notes.SetSettings(s)
	w := &watch{sender: newNotifySender(send)}
	w.mon = app.NewMonitor(e.svc, app.MonitorOptions{
		Interval: s.Interval(),
		Notifier: notes,
		Notify:   w.sender.add,
		Checked:  checked,
	})
	e.settings.watch(func(_, cur app.Settings) {
		notes.SetSettings(cur)
		w.mon.SetInterval(cur.Interval())
	})
	w.mon.Start(context.Background())
	return w
}

// stop ends the checks, then delivers the notifications still queued.
func (w *watch) stop() {
	w.mon.Stop()
	w.sender.close()
}
