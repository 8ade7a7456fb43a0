// Command minimalfyne opens the smallest Fyne window, the memory floor any Fyne app starts from; bench/memory.sh compares Licensedesk with it.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.licensedesk.minimalfyne")
	w := a.NewWindow("Minimal Fyne")
	w.SetContent(widget.NewLabel("Hello"))
	w.Resize(fyne.NewSize(1024, 700))
	w.ShowAndRun()
}
