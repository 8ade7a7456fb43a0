// Command licensedesk watches and manages the licenses of Grafana Enterprise instances.
package main

import (
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/cli"
	"github.com/licensedesk/licensedesk/app/demo"
	"github.com/licensedesk/licensedesk/assets"
	_ "github.com/licensedesk/licensedesk/internal/userlocale" // quiets Fyne's locale lookup as the process starts
	"github.com/licensedesk/licensedesk/serve"
	"github.com/licensedesk/licensedesk/ui"
)

func main() {
	attachConsole(os.Args)
	os.Exit(cli.Run(os.Args, gui, demo.Start, map[string]cli.Verb{"serve": serve.Verb}))
}

// gui is the only place that loads Fyne's driver, so verbs run headless.
func gui(ctx app.GUIContext) error {
	a := fyneapp.NewWithID(ctx.AppID()) // the demo keeps its window state apart
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	return ui.Run(a, ctx, ui.WithScreen(screen), ui.WithRelease(trimCHeap))
}
