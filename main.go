// Command licensedesk watches and manages the licenses of Grafana Enterprise instances.
package main

import (
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/ui"
)

func main() {
	os.Exit(app.Run(os.Args, gui))
}

// gui is the only place that loads Fyne's driver, so verbs run headless.
func gui(ctx app.GUIContext) error {
	return ui.Run(fyneapp.NewWithID("io.github.licensedesk"), ctx)
}
