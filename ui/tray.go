package ui

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/systray"

	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/assets"
	"github.com/licensedesk/licensedesk/client"
)

// Tray menu labels, also used by tests.
const (
	trayRefreshAll = "Refresh all"
	trayOpen       = "Open Licensedesk"
	trayQuit       = "Quit"
)

// The tray icons, one per state; their shapes differ as well as their colours.
var (
	trayIconOK       = fyne.NewStaticResource("tray-ok.png", assets.TrayOK)
	trayIconWarning  = fyne.NewStaticResource("tray-warning.png", assets.TrayWarning)
	trayIconCritical = fyne.NewStaticResource("tray-critical.png", assets.TrayCritical)
	trayIconUnknown  = fyne.NewStaticResource("tray-unknown.png", assets.TrayUnknown)
)

func trayIcon(s client.State) fyne.Resource {
	switch s {
	case client.StateOK:
		return trayIconOK
	case client.StateWarning:
		return trayIconWarning
	case client.StateCritical:
		return trayIconCritical
	}
	return trayIconUnknown
}

// tray is the system tray item: an icon for the worst state and a menu
// naming the instances that need attention. It is built from
// app.TrayModel and rebuilt only when what it shows changes.
type tray struct {
	sys   desktop.App
	view  watch.TrayView
	built bool
	gone  bool // the app is quitting: Fyne has taken the tray down

	// tooltip sets the icon's tooltip: Fyne has no call for it, so it goes
	// to the systray package Fyne's driver draws the tray with.
	tooltip func(string)

	open    func(id string) // shows the window, on the instance unless id is ""
	refresh func()
	quit    func()
	// snooze, when set, snoozes the most urgent reason of an instance.
	snooze func(id string, span watch.SnoozeSpan)
}

// show brings the tray up to date with v; on the UI goroutine.
func (t *tray) show(v watch.TrayView) {
	if t.gone || t.built && v.Equal(t.view) {
		return
	}
	// Once the app quits, Fyne closes the tray's D-Bus connection and its
	// systray panics on any later update. A quit may come from a signal,
	// unseen here, while a check's result is on its way to the tray.
	defer func() {
		if r := recover(); r != nil {
			t.gone = true
			fyne.LogError("the tray could not be updated while the app quits", fmt.Errorf("%v", r))
		}
	}()
	t.view, t.built = v, true
	t.sys.SetSystemTrayMenu(t.menu(v))
	t.sys.SetSystemTrayIcon(trayIcon(v.State))
	if t.tooltip != nil {
		t.tooltip(v.Tooltip)
	}
}

func (t *tray) menu(v watch.TrayView) *fyne.Menu {
	items := []*fyne.MenuItem{{Label: menuLabel(v.Summary), Disabled: true}}
	for _, e := range v.Entries {
		id := e.InstanceID
		items = append(items, &fyne.MenuItem{Label: menuLabel(e.Label), Icon: trayIcon(e.State), Action: func() { t.open(id) }})
	}
	if v.More > 0 {
		items = append(items, fyne.NewMenuItem(fmt.Sprintf("%d more…", v.More), func() { t.open("") }))
	}
	if sub := t.snoozeMenu(v); sub != nil {
		items = append(items, &fyne.MenuItem{Label: traySnoozeSub, ChildMenu: sub})
	}
	items = append(items,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(trayRefreshAll, t.refresh),
		fyne.NewMenuItem(trayOpen, func() { t.open("") }),
		fyne.NewMenuItemSeparator(),
		&fyne.MenuItem{Label: trayQuit, IsQuit: true, Action: t.quit},
	)
	return fyne.NewMenu("Licensedesk", items...)
}

// snoozeMenu offers, for each instance the tray lists, to snooze what it
// shows for it; nil when there is nothing to snooze.
func (t *tray) snoozeMenu(v watch.TrayView) *fyne.Menu {
	if t.snooze == nil || len(v.Entries) == 0 {
		return nil
	}
	var items []*fyne.MenuItem
	for _, e := range v.Entries {
		id := e.InstanceID
		var spans []*fyne.MenuItem
		for _, span := range watch.SnoozeSpans {
			spans = append(spans, fyne.NewMenuItem(span.Label(), func() { t.snooze(id, span) }))
		}
		items = append(items, &fyne.MenuItem{Label: menuLabel(e.Label), ChildMenu: fyne.NewMenu("", spans...)})
	}
	return fyne.NewMenu(traySnoozeSub, items...)
}

// menuLabel keeps underscores in names: the desktops' tray menus
// (dbusmenu) read a single one as a keyboard mnemonic.
func menuLabel(s string) string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return strings.ReplaceAll(s, "_", "__")
	}
	return s
}

// trayDelay gathers the statuses of a burst of reads into one tray update.
// Each update costs: Fyne 2.7 keeps a goroutine, and the menu item it
// holds, for every item of every tray menu it was ever given.
const trayDelay = time.Second

// scheduleTray brings the tray up to date shortly, once for a burst.
func (d *desk) scheduleTray() {
	if d.tray != nil {
		d.trayLater.request()
	}
}

// setupTray puts Licensedesk in the system tray, where the desktop app has one.
func (d *desk) setupTray(sys desktop.App) {
	d.tray = &tray{
		sys:     sys,
		tooltip: systray.SetTooltip,
		open:    d.reveal,
		refresh: func() {
			if d.watch != nil {
				d.watch.mon.CheckNow()
			} else {
				d.refreshAll()
			}
		},
		quit:   d.quit,
		snooze: d.traySnooze,
	}
	d.tray.show(d.trayView())
}
