// Package ui is Licensedesk's Fyne window: the instance list, the detail pane, dialogs, tray and settings.
package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/licensedesk/licensedesk/app"
)

// tickEvery refreshes the "read 2 minutes ago" texts.
const tickEvery = 30 * time.Second

// Run builds the main window on a and runs the app until it quits.
func Run(a fyne.App, ctx app.GUIContext) error {
	title := "Licensedesk"
	if ctx.Demo {
		title += " — demo"
	}
	w := a.NewWindow(title)
	e := newEnv(a, w, ctx.Service)
	applyPolicy(e)
	d := newDesk(e)
	w.Resize(e.prefs.WindowSize())
	w.SetMaster()

	ticker := time.NewTicker(tickEvery)
	done := make(chan struct{})
	defer func() { ticker.Stop(); close(done) }()
	go func() {
		for {
			select {
			case <-ticker.C:
				fyne.Do(d.tick)
			case <-done:
				return
			}
		}
	}()
	w.SetCloseIntercept(func() {
		d.saveLayout()
		d.unsubscribe()
		w.Close()
	})
	if len(ctx.Service.Instances()) > 0 {
		d.refreshAll()
	}
	w.ShowAndRun()
	return nil
}
