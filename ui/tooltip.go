package ui

import (
	"image/color"

	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne 2.7 has no tooltips, so the window draws its own: one at a time, in a
// layer above the window's content that takes no input, so a tooltip never
// swallows a click. A transparent sensor over each button notices the
// pointer and passes the hover on to the button, which still highlights.

// tooltipDelay is how long the pointer rests on a button before its tip shows.
const tooltipDelay = 600 * time.Millisecond

// tooltipMaxWidth is where a long tip wraps.
const tooltipMaxWidth = 340

// tooltips is a window's tooltip layer.
type tooltips struct {
	layer *fyne.Container // holds box; on top of the window's content
	box   *fyne.Container
	bg    *canvas.Rectangle
	label *widget.Label
	delay time.Duration
	timer *time.Timer
	owner *tipSensor // the sensor whose tip shows or is about to
	do    func(func())
}

func newTooltips(do func(func())) *tooltips {
	t := &tooltips{
		bg:    canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground)),
		label: &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
		delay: tooltipDelay,
		do:    do,
	}
	t.bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	t.bg.StrokeWidth = 1
	t.bg.CornerRadius = theme.InputRadiusSize()
	t.box = container.NewStack(t.bg, t.label)
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// Text is the tip showing, or "" when none is.
func (t *tooltips) Text() string {
	if !t.box.Visible() {
		return ""
	}
	return t.label.Text
}

// hover starts the wait for s's tip.
func (t *tooltips) hover(s *tipSensor) {
	t.hide()
	t.owner = s
	if t.delay <= 0 {
		t.show(s)
		return
	}
	t.timer = time.AfterFunc(t.delay, func() {
		t.do(func() {
			if t.owner == s {
				t.show(s)
			}
		})
	})
}

// leave hides s's tip.
func (t *tooltips) leave(s *tipSensor) {
	if t.owner == s {
		t.hide()
	}
}

// release ends the hover the window is in the middle of, tip and button
// highlight alike: a desktop dialog is opening over the window, which hears
// no pointer while it is open, so neither would go when the pointer left.
func (t *tooltips) release() {
	if t.owner != nil {
		t.owner.target.MouseOut()
	}
	t.hide()
}

func (t *tooltips) hide() {
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	t.owner = nil
	t.box.Hide()
}

// show puts s's tip below its button, inside the window.
func (t *tooltips) show(s *tipSensor) {
	drv := fyne.CurrentApp().Driver()
	c := drv.CanvasForObject(s)
	if c == nil || !s.Visible() || c.Overlays().Top() != nil {
		return // a dialog or menu opened meanwhile, over the button
	}
	th := theme.Current()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	t.bg.FillColor = th.Color(theme.ColorNameOverlayBackground, v)
	t.bg.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	t.label.SetText(s.tip)

	area := c.Size()
	one := fyne.MeasureText(s.tip, th.Size(theme.SizeNameCaptionText), fyne.TextStyle{})
	pad := 2 * theme.InnerPadding()
	w := min(one.Width+pad+2, tooltipMaxWidth, area.Width)
	t.label.Resize(fyne.NewSize(w, t.label.MinSize().Height))
	size := fyne.NewSize(w, t.label.MinSize().Height)

	pos := drv.AbsolutePositionForObject(s)
	below := pos.Add(fyne.NewPos(0, s.Size().Height+theme.Padding()))
	if below.Y+size.Height > area.Height { // no room below: above instead
		below.Y = pos.Y - size.Height - theme.Padding()
	}
	below.X = max(0, min(below.X, area.Width-size.Width))
	below.Y = max(0, below.Y)
	t.box.Move(below)
	t.box.Resize(size)
	t.box.Show()
	t.layer.Refresh()
}

// tipSensor lies over a button: it shows the button's tip while the
// pointer rests there and hands every hover event on to the button.
type tipSensor struct {
	widget.BaseWidget
	tips   *tooltips
	target desktop.Hoverable
	tip    string
}

var _ desktop.Hoverable = (*tipSensor)(nil)

// CreateRenderer draws nothing: the sensor is transparent.
func (s *tipSensor) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// MouseIn highlights the button and starts the tip's wait.
func (s *tipSensor) MouseIn(e *desktop.MouseEvent) {
	s.target.MouseIn(e)
	if s.tips != nil {
		s.tips.hover(s)
	}
}

// MouseMoved passes the move to the button.
func (s *tipSensor) MouseMoved(e *desktop.MouseEvent) { s.target.MouseMoved(e) }

// MouseOut unhighlights the button and hides the tip.
func (s *tipSensor) MouseOut() {
	s.target.MouseOut()
	if s.tips != nil {
		s.tips.leave(s)
	}
}

// tipped is a button with its tooltip: the button, with the sensor above it.
type tipped struct {
	btn    *widget.Button
	sensor *tipSensor
	obj    fyne.CanvasObject
}

// withTip gives btn the tooltip tip, shown in tips (nil: no tooltips, as in
// widget tests that have no window).
func withTip(tips *tooltips, btn *widget.Button, tip string) tipped {
	s := &tipSensor{tips: tips, target: btn, tip: tip}
	s.ExtendBaseWidget(s)
	return tipped{btn: btn, sensor: s, obj: container.NewStack(btn, s)}
}
