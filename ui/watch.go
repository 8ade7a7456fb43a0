package ui

import (
	"context"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/watch"
)

// watcher is the window's background side: the monitor that reads every
// instance at start and then on the schedule in the settings, and the
// sender of the notifications its notifier decides. The results reach the
// list, the detail pane and the tray through the engine's statuses.
type watcher struct {
	mon    *watch.Monitor
	sender *notifySender
	// stopFile ends the watch on instances.json.
	stopFile context.CancelFunc
}

// startWatch starts the monitor over e's engine. send delivers a desktop
// notification (the app's SendNotification); checked, when set, hears of
// every check from the monitor's goroutines.
// fileChanged, when set, hears (from another goroutine) that instances.json
// changed on disk.
func startWatch(e *env, notes *watch.Notifier, send func(watch.Message), checked func(app.Status), fileChanged func()) *watcher {
	s := e.settings.cur
	notes.SetSettings(s)
	svc := e.svc
	w := &watcher{sender: newNotifySender(send, func() watch.Attention { return watch.CountAttention(svc.Statuses()) }), stopFile: func() {}}
	w.sender.unreadableAfter.Store(int32(s.UnreadableAfter))
	if e.storePath != "" && fileChanged != nil {
		var ctx context.Context
		ctx, w.stopFile = context.WithCancel(context.Background())
		config.WatchFile(ctx, e.storePath, fileChanged)
	}
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
		w.sender.unreadableAfter.Store(int32(cur.UnreadableAfter))
		w.mon.SetInterval(cur.Interval())
	})
	w.mon.Start(context.Background())
	return w
}

// stop ends the checks, then delivers the notifications still queued.
func (w *watcher) stop() {
	w.stopFile()
	w.mon.Stop()
	w.sender.close()
}

// observe hands a read the user asked for to the monitor, which notifies
// what it finds as a scheduled check would; the notification state is
// written off the UI goroutine.
func (d *desk) observe(st app.Status) {
	if d.watch == nil {
		return
	}
	mon := d.watch.mon
	d.env.async(func() { mon.Observe(st) })
}

// reloadStore adopts the changes another program made to instances.json
// and reads the instances it added or edited; then, when set, runs on the
// UI goroutine afterwards (Ctrl+R reads everything itself).
func (d *desk) reloadStore(readChanged bool, then func()) {
	d.env.background(func() func() {
		changed, err := d.env.svc.Rescan()
		return func() {
			if err == nil && readChanged {
				d.readNow(changed)
			}
			if then != nil {
				then()
			}
		}
	})
}

// readNow reads instances just added, edited or imported, so none waits
// for the next scheduled check at "not read yet".
func (d *desk) readNow(ids []string) {
	if len(ids) == 1 || d.act.bulk != nil {
		for _, id := range ids {
			d.act.refresh(id)
		}
		return
	}
	if len(ids) > 1 {
		d.act.refreshAll(ids)
	}
}
