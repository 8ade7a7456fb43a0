package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// escEntry is an entry that hands Escape to its owner, so dialogs and the
// filter box answer Escape even while the keyboard is in a field.
type escEntry struct {
	widget.Entry
	OnEscape func()
}

func newEscEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles Escape, and everything else as an entry does.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// flowLayout lays objects left to right at their minimum size, wrapping to
// a new line when the width runs out, so the action buttons fit at 800×600.
type flowLayout struct {
	// available is the width the lines will get. Fyne asks for a minimum
	// size before it gives a width, so the flow asks its owner, whose size
	// is already set when its children are laid out.
	available func() float32
}

func (f *flowLayout) lines(objs []fyne.CanvasObject, width float32, place bool) fyne.Size {
	pad := theme.Padding()
	x, y, lineH, maxW := float32(0), float32(0), float32(0), float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > width {
			x, y, lineH = 0, y+lineH+pad, 0
		}
		if place {
			o.Move(fyne.NewPos(x, y))
			o.Resize(m)
		}
		x += m.Width + pad
		lineH = max(lineH, m.Height)
		maxW = max(maxW, x-pad)
	}
	return fyne.NewSize(maxW, y+lineH)
}

// MinSize is as wide as the widest object and as tall as the lines need in
// the available width.
func (f *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	width := f.available()
	if width <= 0 {
		width = 1 << 20
	}
	return fyne.NewSize(w, f.lines(objs, max(width, w), false).Height)
}

// Layout places the objects in lines within size.Width.
func (f *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	f.lines(objs, size.Width, true)
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
