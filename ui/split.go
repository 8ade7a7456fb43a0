package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// paneSplit lays the instance list and the detail pane side by side, or one
// above the other when the window is too narrow for both, with a divider
// that looks like a handle (a grip of dots) and is dragged like one.
type paneSplit struct {
	widget.BaseWidget
	leading, trailing fyne.CanvasObject
	handle            *splitHandle

	// Offset is the share of the width the leading pane takes side by side;
	// StackedOffset the share of the height when stacked.
	Offset, StackedOffset float64
	// stackBelow is the width under which the panes stack.
	stackBelow float32
	// horizontal is the arrangement the last layout chose.
	horizontal bool
}

// Split shares and the width at which the panes stack.
const (
	defaultStackedSplit = 0.4
	stackBelowWidth     = 720
)

func newPaneSplit(leading, trailing fyne.CanvasObject, offset float64) *paneSplit {
	s := &paneSplit{leading: leading, trailing: trailing, Offset: offset, StackedOffset: defaultStackedSplit,
		stackBelow: stackBelowWidth, horizontal: true}
	s.handle = &splitHandle{split: s}
	s.handle.ExtendBaseWidget(s.handle)
	s.ExtendBaseWidget(s)
	return s
}

// Horizontal says whether the panes are side by side.
func (s *paneSplit) Horizontal() bool { return s.horizontal }

// CreateRenderer lays out the two panes and the handle.
func (s *paneSplit) CreateRenderer() fyne.WidgetRenderer {
	return &paneSplitRenderer{s: s}
}

func handleThickness() float32 { return theme.Padding() * 3 }

type paneSplitRenderer struct{ s *paneSplit }

func (r *paneSplitRenderer) Destroy() {}

func (r *paneSplitRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.s.leading, r.s.trailing, r.s.handle}
}

func (r *paneSplitRenderer) Refresh() {
	r.Layout(r.s.Size())
	r.s.handle.Refresh()
	canvas.Refresh(r.s)
}

// sideBySideMin is the smallest size with the panes side by side.
func (r *paneSplitRenderer) sideBySideMin() fyne.Size {
	l, t := r.s.leading.MinSize(), r.s.trailing.MinSize()
	return fyne.NewSize(l.Width+t.Width+handleThickness(), max(l.Height, t.Height))
}

// stackedMin is the smallest size with the panes stacked.
func (r *paneSplitRenderer) stackedMin() fyne.Size {
	l, t := r.s.leading.MinSize(), r.s.trailing.MinSize()
	return fyne.NewSize(max(l.Width, t.Width), l.Height+t.Height+handleThickness())
}

// MinSize is the smaller of the two arrangements in each direction: the
// layout picks the one that fits.
func (r *paneSplitRenderer) MinSize() fyne.Size {
	a, b := r.sideBySideMin(), r.stackedMin()
	return fyne.NewSize(min(a.Width, b.Width), min(a.Height, b.Height))
}

func (r *paneSplitRenderer) Layout(size fyne.Size) {
	s := r.s
	side := r.sideBySideMin()
	wasHorizontal := s.horizontal
	s.horizontal = size.Width >= max(s.stackBelow, side.Width)
	th := handleThickness()
	l, t := s.leading.MinSize(), s.trailing.MinSize()
	if s.horizontal {
		free := size.Width - th
		lw := clampShare(s.Offset, free, l.Width, t.Width)
		s.leading.Move(fyne.NewPos(0, 0))
		s.leading.Resize(fyne.NewSize(lw, size.Height))
		s.handle.Move(fyne.NewPos(lw, 0))
		s.handle.Resize(fyne.NewSize(th, size.Height))
		s.trailing.Move(fyne.NewPos(lw+th, 0))
		s.trailing.Resize(fyne.NewSize(free-lw, size.Height))
	} else {
		free := size.Height - th
		lh := clampShare(s.StackedOffset, free, l.Height, t.Height)
		s.leading.Move(fyne.NewPos(0, 0))
		s.leading.Resize(fyne.NewSize(size.Width, lh))
		s.handle.Move(fyne.NewPos(0, lh))
		s.handle.Resize(fyne.NewSize(size.Width, th))
		s.trailing.Move(fyne.NewPos(0, lh+th))
		s.trailing.Resize(fyne.NewSize(size.Width, free-lh))
	}
	if wasHorizontal != s.horizontal {
		s.handle.Refresh()
	}
}

// clampShare is share of free, kept so both panes get their minimum when
// there is room for both.
func clampShare(share float64, free, leadMin, trailMin float32) float32 {
	v := float32(share) * free
	v = min(v, free-trailMin)
	return max(v, min(leadMin, free))
}

// splitHandle is the divider: a bar with a grip in its middle, highlighted
// under the pointer, showing a resize cursor.
type splitHandle struct {
	widget.BaseWidget
	split   *paneSplit
	hovered bool
	drag    float32 // pointer's position along the split axis, within the split
}

var (
	_ fyne.Draggable     = (*splitHandle)(nil)
	_ desktop.Hoverable  = (*splitHandle)(nil)
	_ desktop.Cursorable = (*splitHandle)(nil)
)

// gripDots is how many dots the grip shows.
const gripDots = 3

// CreateRenderer draws the bar and the grip.
func (h *splitHandle) CreateRenderer() fyne.WidgetRenderer {
	r := &handleRenderer{h: h, bar: canvas.NewRectangle(nil), line: canvas.NewRectangle(nil)}
	for range gripDots {
		r.dots = append(r.dots, canvas.NewCircle(nil))
	}
	r.Refresh()
	return r
}

// Cursor shows which way the handle moves.
func (h *splitHandle) Cursor() desktop.Cursor {
	if h.split.horizontal {
		return desktop.HResizeCursor
	}
	return desktop.VResizeCursor
}

// MouseIn highlights the handle.
func (h *splitHandle) MouseIn(*desktop.MouseEvent) { h.hovered = true; h.Refresh() }

// MouseMoved does nothing: the highlight is all.
func (h *splitHandle) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (h *splitHandle) MouseOut() { h.hovered = false; h.Refresh() }

// Dragged moves the split with the pointer.
func (h *splitHandle) Dragged(e *fyne.DragEvent) {
	s := h.split
	size := s.Size()
	th := handleThickness()
	if s.horizontal {
		h.drag = h.Position().X + e.Position.X - th/2
		if free := size.Width - th; free > 0 {
			s.Offset = float64(min(max(h.drag, 0), free) / free)
		}
	} else {
		h.drag = h.Position().Y + e.Position.Y - th/2
		if free := size.Height - th; free > 0 {
			s.StackedOffset = float64(min(max(h.drag, 0), free) / free)
		}
	}
	s.Refresh()
}

// DragEnd keeps the offset where the pointer left it.
func (h *splitHandle) DragEnd() {}

type handleRenderer struct {
	h         *splitHandle
	bar, line *canvas.Rectangle
	dots      []*canvas.Circle
}

func (r *handleRenderer) Destroy() {}

func (r *handleRenderer) MinSize() fyne.Size {
	return fyne.NewSize(handleThickness(), handleThickness())
}

func (r *handleRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bar, r.line}
	for _, d := range r.dots {
		objs = append(objs, d)
	}
	return objs
}

// Layout puts a hairline along the bar and the grip's dots across its middle.
func (r *handleRenderer) Layout(size fyne.Size) {
	r.bar.Resize(size)
	dot := theme.Padding() * 1.25
	gap := dot * 0.75
	run := float32(len(r.dots))*dot + float32(len(r.dots)-1)*gap
	hair := float32(1)
	if r.h.split.horizontal {
		r.line.Move(fyne.NewPos((size.Width-hair)/2, 0))
		r.line.Resize(fyne.NewSize(hair, size.Height))
		y := (size.Height - run) / 2
		for _, d := range r.dots {
			d.Move(fyne.NewPos((size.Width-dot)/2, y))
			d.Resize(fyne.NewSize(dot, dot))
			y += dot + gap
		}
		return
	}
	r.line.Move(fyne.NewPos(0, (size.Height-hair)/2))
	r.line.Resize(fyne.NewSize(size.Width, hair))
	x := (size.Width - run) / 2
	for _, d := range r.dots {
		d.Move(fyne.NewPos(x, (size.Height-dot)/2))
		d.Resize(fyne.NewSize(dot, dot))
		x += dot + gap
	}
}

func (r *handleRenderer) Refresh() {
	th := r.h.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bar.FillColor = th.Color(theme.ColorNameBackground, v)
	if r.h.hovered {
		r.bar.FillColor = th.Color(theme.ColorNameHover, v)
	}
	r.line.FillColor = th.Color(theme.ColorNameSeparator, v)
	for _, d := range r.dots {
		// The grip is a control's outline: placeholder grey reaches 3:1.
		d.FillColor = th.Color(theme.ColorNamePlaceHolder, v)
		d.Refresh()
	}
	r.bar.Refresh()
	r.line.Refresh()
	r.Layout(r.h.Size())
}
