// Package ui is Licensedesk's Fyne window: the instance list, the detail pane, dialogs, tray and settings.
package ui

import (
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/systray"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/assets"
	"github.com/licensedesk/licensedesk/internal/words"
)

// demoNote tells a first-time user what the demo is and how to try Upload.
const demoNote = "Demo: fifteen emulated Grafana instances on this computer, in every state and every case Grafana judges; your own configuration and keyring are not touched. " +
	"Upload token… opens a folder with a valid license.jwt for each demo instance."

// tickEvery refreshes the "read 2 minutes ago" texts.
const tickEvery = 30 * time.Second

// Run builds the main window on a, starts watching the instances in the
// background and runs the app until it quits.
func Run(a fyne.App, ctx app.GUIContext, opts ...Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	title := "Licensedesk"
	if ctx.Demo {
		title += " — demo"
	}
	a.Settings().SetTheme(newTheme())
	w := a.NewWindow(title)
	e := newEnv(a, w, ctx.Service)
	state, warnings := loadWatchState(a.Preferences(), ctx)
	e.settings = state.settings
	e.snoozes = state.snoozes
	e.releaseC = o.release
	d := newDesk(e)
	if ctx.Demo && ctx.DemoLicense != "" {
		e.uploadDir = filepath.Dir(ctx.DemoLicense)
		d.addNote(demoNote)
	}
	for _, msg := range warnings {
		d.addBanner(msg)
	}
	fitWindow(w, e.prefs.WindowSize(), o, false)
	w.CenterOnScreen()
	w.SetMaster()

	// The tray first, so the first checks' results reach it.
	sys, hasTray := a.(desktop.App)
	if hasTray {
		d.setupTray(sys)
		// Left-clicking the icon shows the window through reveal, which
		// brings back what park let go of (Fyne's SetSystemTrayWindow would
		// show it bare).
		systray.SetOnTapped(func() { fyne.Do(func() { d.reveal("") }) })
	}
	w.SetCloseIntercept(d.closeWindow)
	e.storePath = ctx.StorePath
	e.demo = ctx.Demo
	showIf(d.detail.demoBox, !ctx.Demo)
	send, closeDesktop := desktopSender(a, assets.Icon, d.reveal)
	defer closeDesktop()
	d.watch = startWatch(e, state.notifier, send, func(app.Status) { d.checkEnded() },
		func() { e.do(func() { d.reloadStore(true, nil) }) })

	ticker := time.NewTicker(tickEvery)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ticker.C:
				fyne.Do(d.tick)
			case <-ctx.Raise: // a second launch: this window comes forward instead
				fyne.Do(func() { d.reveal("") })
			case <-done:
				return
			}
		}
	}()
	defer func() {
		ticker.Stop()
		d.mem.stop()
		close(done)
		d.watch.stop()
		d.unsubscribe()
	}()

	if hasTray && e.prefs.StartMinimized() && e.trayHost() {
		d.park()
		a.Run()
	} else {
		w.Show()
		fitWindow(w, w.Canvas().Size(), o, true) // now at the scale Fyne chose
		d.mem.poke()
		a.Run()
	}
	return nil
}

// watchState is what the monitor keeps between runs.
type watchState struct {
	settings *settingsStore
	notifier *watch.Notifier
	snoozes  *watch.Snoozes
}

// loadWatchState reads settings.json and the notification state beside
// the store; the demo keeps both in memory so it writes nothing of the
// user's. Problems come back as plain words for the window's banner: the
// app runs on, with the defaults.
func loadWatchState(p fyne.Preferences, ctx app.GUIContext) (watchState, []string) {
	if ctx.Demo || ctx.StorePath == "" {
		notes, _ := watch.LoadNotifyState("")
		snoozes, _ := watch.LoadSnoozes("")
		return watchState{settings: newSettingsStore("", config.DefaultSettings()), notifier: notes, snoozes: snoozes}, nil
	}
	var warnings []string
	path := config.SettingsPath(ctx.StorePath)
	s, err := config.LoadSettings(path)
	if err != nil {
		warnings = append(warnings, words.Sentence(err.Error()))
	}
	migrated := migrateWarnDays(p, &s)
	if migrated {
		if err := config.SaveSettings(path, s); err != nil {
			warnings = append(warnings, words.Sentence(err.Error()))
		}
	}
	notes, err := watch.LoadNotifyState(watch.NotifyStatePath(ctx.StorePath))
	if err != nil {
		warnings = append(warnings, words.Sentence(err.Error()))
	}
	snoozes, err := watch.LoadSnoozes(watch.SnoozePath(ctx.StorePath))
	if err != nil {
		warnings = append(warnings, words.Sentence(err.Error()))
	}
	return watchState{settings: newSettingsStore(path, s), notifier: notes, snoozes: snoozes}, warnings
}
