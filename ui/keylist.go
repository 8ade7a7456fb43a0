package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyList is the instance list as the keyboard drives it: the arrows move
// the selection itself (Fyne's list moves a faint hover mark and selects
// only on Space), Home and End go to the ends, and while it has the
// keyboard the selected row is outlined in the focus colour.
type keyList struct {
	widget.List
	focused bool
	// current is the selected row, or -1: the owner knows the selection by id.
	current func() int
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// selectedIndex is the selected row, or -1.
func (l *keyList) selectedIndex() int {
	if l.current == nil {
		return -1
	}
	return l.current()
}

var _ fyne.Focusable = (*keyList)(nil)

// FocusGained marks the selected row; with none selected, the first.
func (l *keyList) FocusGained() {
	l.focused = true
	if l.selectedIndex() < 0 && l.Length() > 0 {
		l.Select(0)
	}
	l.Refresh()
}

// FocusLost drops the mark; Fyne's own hover mark is never drawn, so only
// one row ever looks focused.
func (l *keyList) FocusLost() {
	l.focused = false
	l.Refresh()
}

// TypedKey moves the selection with the arrows, Home, End, Page Up and Page Down.
func (l *keyList) TypedKey(ev *fyne.KeyEvent) {
	n := l.Length()
	if n == 0 {
		return
	}
	i := l.selectedIndex()
	switch ev.Name {
	case fyne.KeyDown:
		i = min(i+1, n-1)
	case fyne.KeyUp:
		i = max(i-1, 0)
	case fyne.KeyHome:
		i = 0
	case fyne.KeyEnd:
		i = n - 1
	case fyne.KeyPageDown:
		i = min(i+10, n-1)
	case fyne.KeyPageUp:
		i = max(i-10, 0)
	default:
		return
	}
	l.Select(i)
}

// TypedRune ignores typing.
func (l *keyList) TypedRune(rune) {}

// focusFrame outlines a row, over its selection background, while the list
// has the keyboard: in the foreground colour, since the theme's focus
// colour barely shows on a selected row.
type focusFrame struct {
	widget.BaseWidget
	line *canvas.Rectangle
}

func newFocusFrame() *focusFrame {
	f := &focusFrame{line: &canvas.Rectangle{FillColor: color.Transparent, StrokeWidth: 2}}
	f.ExtendBaseWidget(f)
	f.Hide()
	return f
}

// CreateRenderer draws the outline.
func (f *focusFrame) CreateRenderer() fyne.WidgetRenderer {
	f.line.StrokeColor = theme.Color(theme.ColorNameForeground)
	return widget.NewSimpleRenderer(container.NewStack(f.line))
}

// Refresh follows the theme.
func (f *focusFrame) Refresh() {
	f.line.StrokeColor = theme.Color(theme.ColorNameForeground)
	f.line.Refresh()
}
