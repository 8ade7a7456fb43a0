package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne 2.7's dialogs answer neither Escape nor Enter. The window answers
// them for whichever dialog is on top: Escape is its first button (Cancel,
// No, or the only OK), Enter its default one (the emphasised button, or
// the only one). A focused entry handles its own keys (escEntry); any other
// focused widget (a button, a check box) lets the key through, as the
// driver hands key-down events to the window when the focused widget does
// not take them.

// dialogButtons returns the button row of a Fyne dialog shown as the
// overlay top, or nil when top is not one. A Fyne dialog is a modal pop-up
// whose content holds, in order, its icon, background, content, buttons
// and title.
func dialogButtons(top fyne.CanvasObject) []*widget.Button {
	pop, ok := top.(*widget.PopUp)
	if !ok {
		return nil
	}
	box, ok := pop.Content.(*fyne.Container)
	if !ok || len(box.Objects) != 5 {
		return nil
	}
	if _, titled := box.Objects[4].(*widget.Label); !titled {
		return nil
	}
	return buttonsIn(box.Objects[3], nil)
}

// buttonsIn collects the visible buttons laid out in o's containers.
func buttonsIn(o fyne.CanvasObject, out []*widget.Button) []*widget.Button {
	if o == nil || !o.Visible() {
		return out
	}
	switch v := o.(type) {
	case *widget.Button:
		out = append(out, v)
	case *fyne.Container:
		for _, child := range v.Objects {
			out = buttonsIn(child, out)
		}
	}
	return out
}

// defaultButton is the one Enter presses: the last emphasised button, or
// the only one.
func defaultButton(bs []*widget.Button) *widget.Button {
	for i := len(bs) - 1; i >= 0; i-- {
		if imp := bs[i].Importance; imp == widget.HighImportance || imp == widget.DangerImportance {
			return bs[i]
		}
	}
	if len(bs) == 1 {
		return bs[0]
	}
	return nil
}

// press taps b as a click would, unless it is disabled.
func press(b *widget.Button) bool {
	if b == nil || b.Disabled() || b.OnTapped == nil {
		return false
	}
	b.OnTapped()
	return true
}

// dialogKey answers Escape and Enter for the dialog on top of c, and says
// whether it did.
func dialogKey(c fyne.Canvas, ev *fyne.KeyEvent) bool {
	bs := dialogButtons(c.Overlays().Top())
	if len(bs) == 0 {
		return false
	}
	switch ev.Name {
	case fyne.KeyEscape:
		return press(bs[0])
	case fyne.KeyReturn, fyne.KeyEnter:
		if _, onButton := c.Focused().(*widget.Button); onButton {
			return false // Space presses the focused button; Enter is the dialog's
		}
		return press(defaultButton(bs))
	}
	return false
}

// watchDialogKeys makes c's dialogs answer Escape and Enter; other keys go
// to other, when set. It returns the handler, which tests call as the
// driver would.
func watchDialogKeys(c fyne.Canvas, other func(*fyne.KeyEvent)) func(*fyne.KeyEvent) {
	handle := func(ev *fyne.KeyEvent) {
		if !dialogKey(c, ev) && other != nil {
			other(ev)
		}
	}
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(handle)
	}
	return handle
}
