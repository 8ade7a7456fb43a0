package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// desk is the main window: toolbar, instance list, detail pane, status line.
type desk struct {
	env    *env
	act    *actions
	list   *InstanceList
	detail *DetailPane
	split  *paneSplit

	bar       *overflowBar
	toolbar   map[string]*widget.Button
	banner    *fyne.Container
	statusTxt *widget.Label
	// statusLater brings the status line up to date after batches of
	// statuses, at most once every statusLineEvery (statusLineSoon).
	statusLater coalescer
	progress    *widget.ProgressBar
	stopBtn     *widget.Button
	bulkText    string // "Refreshing 3 of 9…" while a bulk run goes on

	form        *instanceForm   // the add or edit form last opened
	settingsDlg *settingsDialog // the settings dialog while open
	history     *historyView    // the history window while open

	watch     *watcher  // the monitor; nil until startWatch
	tray      *tray     // nil where the app has no system tray
	trayLater coalescer // the tray's update, once for a burst (scheduleTray)

	unsubscribe func()
	inbox       inbox     // the engine's news on its way to the UI goroutine
	mem         *releaser // hands memory back once work settles
	// keyDown is the window's key-down handler, as the driver calls it
	// when no focused widget takes the key (tests call it too).
	keyDown func(*fyne.KeyEvent)
}

// Toolbar button names, also used by tests.
const (
	tbAdd        = "Add instance"
	tbRefreshAll = "Refresh all"
	tbRenewAll   = "Renew all"
	tbImport     = "Import…"
	tbExport     = "Export…"
	tbHistory    = "History"
	tbSettings   = "Settings"
)

// newDesk builds the window's content on e.win and subscribes to the engine.
func newDesk(e *env) *desk {
	d := &desk{env: e, toolbar: map[string]*widget.Button{}, mem: newReleaser(e.releaseC)}
	d.statusLater = coalescer{do: e.do, fn: d.updateStatusLine, every: statusLineEvery}
	d.trayLater = coalescer{do: e.do, fn: func() { d.tray.show(d.trayView()) }, delay: trayDelay}
	d.act = newActions(e)
	d.list = newInstanceList(e)
	d.detail = newDetailPane(e, d.act)
	d.act.changed = d.onChanged
	d.act.progress = d.onProgress
	d.act.editForm = d.editInstance
	d.act.removed = d.onRemoved
	d.act.observed = d.observe
	d.detail.steps = &firstSteps{add: d.addInstance, importList: d.importInstances, demo: d.tryDemo}
	d.list.OnSelected = d.onSelected
	d.detail.onMute = func(id string, mute bool) { e.settings.setMuted(e, id, mute) }
	d.detail.onSnooze, d.detail.onWake = d.snooze, d.wake
	d.detail.names = func(id string) string {
		inst, _ := e.svc.Instance(id)
		return inst.DisplayName()
	}
	d.detail.onPeer = d.list.Select

	// The warn periods apply before the first status is shown.
	e.svc.SetPolicy(e.settings.cur.Policy())
	e.settings.watch(func(old, cur app.Settings) {
		if old.Policy() != cur.Policy() {
			e.background(func() func() { e.svc.SetPolicy(cur.Policy()); return d.updateStatusLine })
		}
		if id := d.detail.id; id != "" {
			d.showDetail(d.env.svc.Status(id))
		}
	})

	e.win.SetContent(d.build())
	d.addShortcuts()
	d.list.SetStatuses(e.svc.Statuses())
	d.unsubscribe = e.svc.Subscribe(d.receive)
	if id := e.prefs.Selection(); id != "" {
		d.list.Select(id)
	}
	d.updateStatusLine()
	return d
}

// toolTips say what each toolbar button does, shown as its tooltip.
var toolTips = map[string]string{
	tbAdd:        "Add a Grafana instance to watch (Ctrl+N)",
	tbRefreshAll: "Read the license token of every instance in the list now (Ctrl+R)",
	tbRenewAll:   "Ask every instance in the list to renew its license token from grafana.com; the licenses themselves are not changed",
	tbImport:     "Add instances from a Licensedesk JSON file or your grafanactl and gcx contexts",
	tbExport:     "Save the instance list (without passwords or tokens) or a status table to a file",
	tbHistory:    "Every renewal, upload and removal: when, by whom and what Grafana answered",
	tbSettings:   "Check interval, notifications, muted instances and warning periods",
}

// stopTip is the tooltip of the status line's Stop button.
const stopTip = "Stop the refresh or renewal that is running; calls already sent finish"

func (d *desk) tool(name string, icon fyne.Resource, tapped func()) tipped {
	b := &widget.Button{Text: name, Icon: icon, Importance: widget.LowImportance, OnTapped: tapped}
	d.toolbar[name] = b
	return withTip(d.env.tips, b, toolTips[name])
}

func (d *desk) build() fyne.CanvasObject {
	d.bar = newOverflowBar(d.env.tips,
		d.tool(tbAdd, theme.ContentAddIcon(), d.addInstance),
		d.tool(tbRefreshAll, theme.ViewRefreshIcon(), d.refreshAll),
		d.tool(tbRenewAll, theme.HistoryIcon(), d.renewAll),
		d.tool(tbImport, theme.DownloadIcon(), d.importInstances),
		d.tool(tbExport, theme.UploadIcon(), d.showExportMenu),
		d.tool(tbHistory, theme.ListIcon(), d.showHistory),
		d.tool(tbSettings, theme.SettingsIcon(), d.showSettings),
	)
	d.banner = container.NewVBox()
	if w := d.env.svc.LoadWarning(); w != "" {
		d.addBanner(w)
	}

	d.split = newPaneSplit(d.list, d.detail, d.env.prefs.Split())

	d.statusTxt = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	d.progress = widget.NewProgressBar()
	d.progress.Hide()
	d.stopBtn = &widget.Button{Text: "Stop", Icon: theme.MediaStopIcon(), Importance: widget.LowImportance, OnTapped: d.act.stopBulk}
	d.stopBtn.Hide()
	stop := withTip(d.env.tips, d.stopBtn, stopTip)
	status := container.NewBorder(nil, nil, nil,
		container.NewHBox(container.New(&fixedWidth{width: 200}, d.progress), stop.obj), d.statusTxt)

	top := container.NewVBox(d.bar, d.banner, widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), status)
	main := container.NewBorder(top, bottom, nil, nil, d.split)
	return container.NewStack(main, d.env.tips.layer)
}

// addBanner shows a warning above the list until the user closes it.
func (d *desk) addBanner(text string) {
	d.addLine(theme.NewWarningThemedResource(theme.WarningIcon()),
		&widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
}

// addNote shows an informational line above the list.
func (d *desk) addNote(text string) {
	d.addLine(theme.InfoIcon(), &widget.Label{Text: text, Wrapping: fyne.TextWrapWord})
}

// closeNoteTip is the tooltip of a banner line's close button.
const closeNoteTip = "Hide this message"

// addLine adds a line with a close button, which gives its room back to the
// list: a small window needs it.
func (d *desk) addLine(icon fyne.Resource, text *widget.Label) {
	var line *fyne.Container
	closeBtn := &widget.Button{Icon: theme.WindowCloseIcon(), Importance: widget.LowImportance, OnTapped: func() {
		d.banner.Remove(line)
		d.env.tips.hide()
	}}
	line = container.NewBorder(nil, nil, widget.NewIcon(icon), withTip(d.env.tips, closeBtn, closeNoteTip).obj, text)
	d.banner.Add(line)
}

func (d *desk) addShortcuts() {
	c := d.env.win.Canvas()
	d.keyDown = watchDialogKeys(c, nil)
	mod := fyne.KeyModifierShortcutDefault
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: mod}, func(fyne.Shortcut) { d.addInstance() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: mod}, func(fyne.Shortcut) { d.refreshAll() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: mod}, func(fyne.Shortcut) { d.list.FocusFilter() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: mod}, func(fyne.Shortcut) { d.closeWindow() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: mod}, func(fyne.Shortcut) { d.quit() })
}

// onChanged shows an action's start or end.
func (d *desk) onChanged(st app.Status) {
	id := st.Instance.ID
	if id == "" {
		return
	}
	if _, still := d.env.svc.Instance(id); !still {
		return // removed while its call was in flight
	}
	if st.Instance.URL != "" {
		d.list.Update(st)
	}
	d.list.SetBusy(id, d.act.busy[id] != "")
	if d.detail.id == id {
		d.showDetail(d.env.svc.Status(id))
	}
	d.updateStatusLine()
	d.scheduleTray()
	if d.act.busy[id] == "" && d.history != nil {
		d.history.reload() // the action just ended and is in the history now
	}
}

func (d *desk) showDetail(st app.Status) {
	id := st.Instance.ID
	d.detail.Display(st, d.act.busy[id], d.act.outcomes[id])
}

func (d *desk) onSelected(id string) {
	d.env.prefs.SetSelection(id)
	d.showDetail(d.env.svc.Status(id))
	d.updateStatusLine()
}

func (d *desk) onRemoved(id string) {
	delete(d.act.outcomes, id)
	snoozes := d.env.snoozes // a new instance given this id starts with none
	d.env.background(func() func() { _ = snoozes.Forget(id); return nil })
	if d.env.settings.cur.IsMuted(id) { // a new instance given this id starts unmuted
		d.env.settings.setMuted(d.env, id, false)
	}
	if d.list.selected == id {
		d.list.selected = ""
		d.detail.Clear()
	}
	d.list.SetStatuses(d.env.svc.Statuses())
	d.updateStatusLine()
	d.scheduleTray()
}

func (d *desk) onProgress(verb string, done, total int) {
	if total == 0 {
		d.bulkText = ""
		d.progress.Hide()
		d.stopBtn.Hide()
		d.list.SetStatuses(d.env.svc.Statuses())
		if id := d.detail.id; id != "" {
			d.showDetail(d.env.svc.Status(id))
		}
		d.updateStatusLine()
		d.scheduleTray()
		if d.history != nil {
			d.history.reload()
		}
		return
	}
	d.bulkText = fmt.Sprintf("%s %d of %d…", verb, done, total)
	d.progress.Max = float64(total)
	d.progress.SetValue(float64(done))
	d.progress.Show()
	d.stopBtn.Show()
	d.updateStatusLine()
}

// updateStatusLine says when the selected instance was read, or sums up
// all. The line is laid out again only when its words change: it is
// brought up to date after every batch of statuses.
func (d *desk) updateStatusLine() {
	d.statusLater.ran()
	d.updateEmpty()
	if text := d.statusLine(); text != d.statusTxt.Text {
		d.statusTxt.SetText(text)
	}
}

func (d *desk) statusLine() string {
	if d.bulkText != "" {
		return d.bulkText
	}
	now := d.env.now()
	id := d.detail.id
	if id == "" {
		return d.summary(now)
	}
	st, _ := d.list.Status(id)
	switch {
	case d.act.busy[id] != "":
		return st.Instance.Name + ": " + words.LowerFirst(d.act.busy[id])
	case st.ReadAt.IsZero() && st.CheckedAt.IsZero():
		return st.Instance.Name + ": not read yet"
	case st.ReadAt.IsZero():
		return st.Instance.Name + ": could not be read (tried " + ago(st.CheckedAt, now) + ")"
	case st.Err != nil:
		return st.Instance.Name + ": read " + ago(st.ReadAt, now) + "; the last try, " + ago(st.CheckedAt, now) + ", failed"
	}
	return st.Instance.Name + ": read " + ago(st.ReadAt, now)
}

// updateEmpty offers the first step while no instance is configured, and
// enables the bulk actions only when there is something to act on.
func (d *desk) updateEmpty() {
	empty := len(d.list.all) == 0
	d.detail.SetFleetEmpty(empty)
	for _, name := range []string{tbRefreshAll, tbRenewAll, tbExport} {
		busy := d.bulkText != "" && name != tbExport
		if b := d.toolbar[name]; empty || busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// tryDemo opens the demo beside the (empty) window.
func (d *desk) tryDemo() {
	d.env.background(func() func() {
		if err := d.env.launchDemo(); err != nil {
			return func() { dialog.ShowError(err, d.env.win) }
		}
		return nil
	})
}

// summary counts the instances in each state and says when they were read.
func (d *desk) summary(now time.Time) string {
	if len(d.list.all) == 0 {
		return "No instances"
	}
	counts := map[client.State]int{}
	var oldest time.Time
	for i := range d.list.all {
		st := &d.list.all[i].st // not a copy of each status: this runs after every batch
		counts[st.Eval.State]++
		if r := st.ReadAt; !r.IsZero() && (oldest.IsZero() || r.Before(oldest)) {
			oldest = r
		}
	}
	s := words.Plural(len(d.list.all), "instance") + ":"
	sep := " "
	for _, state := range []client.State{client.StateCritical, client.StateUnknown, client.StateWarning, client.StateOK} {
		if n := counts[state]; n > 0 {
			s += fmt.Sprintf("%s%d %s", sep, n, state)
			sep = ", "
		}
	}
	if !oldest.IsZero() {
		s += " · oldest read " + ago(oldest, now)
	}
	if d.watch != nil {
		if next := d.watch.mon.NextCheck(); !next.IsZero() {
			s += " · next check " + next.In(d.env.loc).Format("15:04")
		}
	}
	return s
}

// tick keeps "read 2 minutes ago" true while the window is open.
func (d *desk) tick() {
	d.updateStatusLine()
	if id := d.detail.id; id != "" {
		d.detail.showHeader(d.env.svc.Status(id))
	}
}

// bulkIDs are the instances a bulk run covers: those the filter shows, or
// all when nothing is filtered (nil).
func (d *desk) bulkIDs() []string {
	if d.list.Filtered() {
		return d.list.VisibleIDs()
	}
	return nil
}

// refreshAll (Ctrl+R) reads every instance the filter shows, and picks up
// (and reads) what other programs changed in instances.json meanwhile.
func (d *desk) refreshAll() {
	d.reloadStore(true, nil)
	ids := d.bulkIDs()
	if ids != nil && len(ids) == 0 || len(d.list.all) == 0 {
		return
	}
	d.act.refreshAll(ids)
}

func (d *desk) renewAll() {
	ids := d.bulkIDs()
	if ids == nil {
		for _, inst := range d.env.svc.Instances() {
			ids = append(ids, inst.ID)
		}
	}
	d.act.renewAll(ids)
}

func (d *desk) addInstance() {
	d.form = showInstanceForm(d.env, nil, d.onSaved)
}

func (d *desk) editInstance(id string) {
	inst, ok := d.env.svc.Instance(id)
	if !ok {
		return
	}
	d.form = showInstanceForm(d.env, &inst, d.onSaved)
}

// onSaved shows a saved instance and reads it at once.
func (d *desk) onSaved(id string) {
	d.list.SetStatuses(d.env.svc.Statuses())
	d.list.Select(id)
	d.act.reread(id)
}

// saveLayout remembers the window size and split position.
func (d *desk) saveLayout() {
	d.env.prefs.SetWindowSize(d.env.win.Canvas().Size())
	d.env.prefs.SetSplit(d.split.Offset)
}

// reveal shows the window, on the instance id unless id is "".
func (d *desk) reveal(id string) {
	d.unpark()
	d.env.win.Show()
	d.env.win.RequestFocus()
	if id == "" {
		return
	}
	if _, shown := d.list.pos[id]; !shown {
		d.list.filter.SetText("") // the filter hides it
	}
	d.list.Select(id)
	if d.detail.id != id {
		d.onSelected(id)
	}
}

// closeWindow hides the window to the tray when the desktop draws one, and
// quits otherwise: a window hidden in a tray nobody shows would be lost.
func (d *desk) closeWindow() {
	d.saveLayout()
	if d.tray == nil {
		d.quit()
		return
	}
	d.env.background(func() func() {
		present := d.env.trayHost()
		return func() {
			if !present {
				d.quit()
				return
			}
			if d.history != nil {
				d.history.win.Close()
			}
			d.env.win.Hide()
			d.park()
			d.tellAboutTray()
		}
	})
}

// Said once, the first time closing leaves Licensedesk in the tray: on
// Windows and many Linux desktops nothing else shows it is still running.
const (
	trayHintTitle = "Licensedesk is still watching"
	trayHintBody  = "It keeps checking your instances from the tray. Open it from the tray icon; quit from the tray's menu."
)

// tellAboutTray says trayHint once ever, unless notifications are off.
func (d *desk) tellAboutTray() {
	p := d.env.prefs
	if p.ToldAboutTray() || d.watch == nil || !d.env.settings.cur.Notifications {
		return
	}
	p.SetToldAboutTray()
	d.watch.sender.tell(watch.Message{Title: trayHintTitle, Body: trayHintBody, State: client.StateOK})
}

// quit remembers the layout and ends the app.
func (d *desk) quit() {
	d.saveLayout()
	if d.tray != nil {
		d.tray.gone = true // Fyne takes the tray down with the app
	}
	d.env.quit()
}
