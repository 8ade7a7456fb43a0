package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// choiceGroup is a radio group that is one stop in the Tab order, as in a
// desktop toolkit: the arrow keys change the choice and Tab goes on to the
// next field. Fyne's RadioGroup makes each option a stop of its own, so a
// user counting Tabs ends up typing into a radio button.
type choiceGroup struct {
	widget.BaseWidget
	Options   []string
	Selected  string
	OnChanged func(string)

	focused bool
	items   []*choiceItem
	box     *fyne.Container
}

func newChoiceGroup(options []string, changed func(string)) *choiceGroup {
	g := &choiceGroup{Options: options, OnChanged: changed, box: container.NewVBox()}
	for _, o := range options {
		it := &choiceItem{group: g, value: o, icon: widget.NewIcon(theme.RadioButtonIcon()), label: widget.NewLabel(o),
			frame: &canvas.Rectangle{FillColor: color.Transparent, StrokeWidth: 1, CornerRadius: 4}}
		it.ExtendBaseWidget(it)
		g.items = append(g.items, it)
		g.box.Add(it)
	}
	g.ExtendBaseWidget(g)
	g.show()
	return g
}

// SetSelected chooses value, telling OnChanged when it changes.
func (g *choiceGroup) SetSelected(value string) {
	if value == g.Selected {
		return
	}
	g.Selected = value
	g.show()
	if g.OnChanged != nil {
		g.OnChanged(value)
	}
}

func (g *choiceGroup) show() {
	for _, it := range g.items {
		on := it.value == g.Selected
		if on {
			it.icon.SetResource(theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon()))
		} else {
			it.icon.SetResource(theme.RadioButtonIcon())
		}
		it.frame.StrokeColor = theme.Color(theme.ColorNameForeground)
		showIf(it.frame, on && g.focused)
		it.frame.Refresh()
	}
}

// CreateRenderer stacks the options.
func (g *choiceGroup) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(g.box) }

// FocusGained outlines the chosen option.
func (g *choiceGroup) FocusGained() { g.focused = true; g.show() }

// FocusLost drops the outline.
func (g *choiceGroup) FocusLost() { g.focused = false; g.show() }

// TypedRune takes no text.
func (g *choiceGroup) TypedRune(rune) {}

// TypedKey moves the choice with the arrows.
func (g *choiceGroup) TypedKey(ev *fyne.KeyEvent) {
	i := 0
	for j, o := range g.Options {
		if o == g.Selected {
			i = j
		}
	}
	switch ev.Name {
	case fyne.KeyDown, fyne.KeyRight:
		i = min(i+1, len(g.Options)-1)
	case fyne.KeyUp, fyne.KeyLeft:
		i = max(i-1, 0)
	default:
		return
	}
	g.SetSelected(g.Options[i])
}

// choiceItem is one option: tapping it chooses it. It is not a Tab stop.
type choiceItem struct {
	widget.BaseWidget
	group *choiceGroup
	value string
	icon  *widget.Icon
	label *widget.Label
	frame *canvas.Rectangle
}

// CreateRenderer puts the radio mark before the label.
func (it *choiceItem) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(it.frame, container.NewBorder(nil, nil, it.icon, nil, it.label)))
}

// Tapped chooses the option and gives the group the keyboard.
func (it *choiceItem) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(it); c != nil {
		c.Focus(it.group)
	}
	it.group.SetSelected(it.value)
}
