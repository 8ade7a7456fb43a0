// Package ui is Licensedesk's Fyne window: the instance list, the detail pane, dialogs, tray and settings.
package ui

import (
	"fyne.io/fyne/v2"

	"github.com/licensedesk/licensedesk/app"
)

// Run builds the main window on a and runs the app until it quits.
func Run(a fyne.App, ctx app.GUIContext) error {
	w := a.NewWindow("Licensedesk")
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
	return nil
}
