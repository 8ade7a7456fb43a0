package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Texts of the first step, also used by tests.
const (
	firstStepTitle = "Add your first Grafana"
	btnFirstAdd    = "Add your first Grafana…"
	btnFirstImport = "Import a list…"
	btnTryDemo     = "Try the demo"
)

// firstSteps are the ways to begin with an empty list, wired by the window.
type firstSteps struct {
	add, importList, demo func()
}

// buildFirstStep is what the detail pane shows while no instance is
// configured: what Licensedesk needs, and the three ways to begin.
func (d *DetailPane) buildFirstStep() fyne.CanvasObject {
	title := &widget.Label{Text: firstStepTitle, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText,
		Alignment: fyne.TextAlignCenter}
	what := &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter,
		Text: "Licensedesk needs each Grafana Enterprise instance's URL and a Grafana server administrator's " +
			"username and password. It then reads the license and warns before anything expires."}
	add := &widget.Button{Text: btnFirstAdd, Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: func() { d.steps.run(d.steps.add) }}
	imp := &widget.Button{Text: btnFirstImport, Icon: theme.DownloadIcon(), OnTapped: func() { d.steps.run(d.steps.importList) }}
	d.demoBtn = &widget.Button{Text: btnTryDemo, Icon: theme.MediaPlayIcon(), Importance: widget.LowImportance, OnTapped: func() { d.steps.run(d.steps.demo) }}
	demoNote := &widget.Label{Text: "The demo opens in a window of its own, on emulated instances; your list stays as it is.",
		Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance, SizeName: theme.SizeNameCaptionText}
	d.demoBox = container.NewVBox(d.demoBtn, demoNote)
	box := container.NewVBox(title, what, container.NewCenter(container.NewHBox(add, imp)), d.demoBox)
	return container.NewCenter(container.New(&fixedWidth{width: 460}, box))
}

func (s *firstSteps) run(f func()) {
	if s != nil && f != nil {
		f()
	}
}

// SetFleetEmpty switches the pane's empty view between the first step (no
// instance configured) and the hint to select one.
func (d *DetailPane) SetFleetEmpty(empty bool) {
	d.fleetEmpty = empty
	if d.id != "" {
		return
	}
	showIf(d.firstStep, empty)
	showIf(d.empty, !empty)
}

// whileShown gives its one object the whole space, and asks for room only
// while the object shows: the first step must not size the pane that
// shows an instance.
type whileShown struct{}

func (whileShown) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) == 0 || !objs[0].Visible() {
		return fyne.Size{}
	}
	return objs[0].MinSize()
}

func (whileShown) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
