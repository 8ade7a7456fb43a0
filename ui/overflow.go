package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// moreLabel names the button that holds the buttons a narrow window has no
// room for.
const moreLabel = "More"

// overflowBar is one line of buttons: those that fit in the width, then a
// More button whose menu holds the rest, so a narrow window never wraps its
// toolbar into lines that push the content down. The bar hides and shows
// its buttons itself: its owner disables them, never hides them.
type overflowBar struct {
	widget.BaseWidget
	items []tipped
	more  tipped
	// hidden are the buttons in the More menu, in order.
	hidden []*widget.Button
}

// moreTip is the More button's tooltip.
const moreTip = "The actions this narrow window has no room for"

func newOverflowBar(tips *tooltips, items ...tipped) *overflowBar {
	b := &overflowBar{items: items}
	more := &widget.Button{Text: moreLabel, Icon: theme.MoreHorizontalIcon(), Importance: widget.LowImportance}
	more.OnTapped = b.showMore
	b.more = withTip(tips, more, moreTip)
	b.more.obj.Hide()
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer lays the buttons out in one line.
func (b *overflowBar) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, 0, len(b.items)+1)
	for _, it := range b.items {
		objs = append(objs, it.obj)
	}
	objs = append(objs, b.more.obj)
	return widget.NewSimpleRenderer(container.New(&overflowLayout{bar: b}, objs...))
}

// Overflowed lists the labels of the buttons in the More menu.
func (b *overflowBar) Overflowed() []string {
	var out []string
	for _, btn := range b.hidden {
		out = append(out, btn.Text)
	}
	return out
}

// hides says whether btn is in the More menu rather than on the bar.
func (b *overflowBar) hides(btn *widget.Button) bool { return slices.Contains(b.hidden, btn) }

// menu is the More menu: the hidden buttons, disabled where they are.
func (b *overflowBar) menu() *fyne.Menu {
	items := make([]*fyne.MenuItem, 0, len(b.hidden))
	for _, btn := range b.hidden {
		items = append(items, &fyne.MenuItem{Label: btn.Text, Icon: btn.Icon, Disabled: btn.Disabled(), Action: btn.OnTapped})
	}
	return fyne.NewMenu("", items...)
}

func (b *overflowBar) showMore() {
	c := fyne.CurrentApp().Driver().CanvasForObject(b.more.btn)
	if c == nil || len(b.hidden) == 0 {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(b.menu(), c, fyne.NewPos(0, b.more.btn.Size().Height), b.more.btn)
}

// overflowLayout places buttons left to right while they fit, keeping room
// for More when any does not.
type overflowLayout struct{ bar *overflowBar }

// MinSize is one line: the first button and More side by side.
func (l *overflowLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	b := l.bar
	more := b.more.obj.MinSize()
	h, w := more.Height, more.Width
	for i, it := range b.items {
		m := it.obj.MinSize()
		h = max(h, m.Height)
		if i == 0 {
			w += m.Width + theme.Padding()
		}
	}
	return fyne.NewSize(w, h)
}

// Layout shows the buttons that fit and moves the rest into More.
func (l *overflowLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	b := l.bar
	pad := theme.Padding()
	total := float32(0)
	for i, it := range b.items {
		if i > 0 {
			total += pad
		}
		total += it.obj.MinSize().Width
	}
	room := size.Width
	if total > size.Width {
		room -= b.more.obj.MinSize().Width + pad
	}
	b.hidden = b.hidden[:0]
	x := float32(0)
	place := func(o fyne.CanvasObject) {
		m := o.MinSize()
		o.Show()
		o.Move(fyne.NewPos(x, (size.Height-m.Height)/2))
		o.Resize(m)
		x += m.Width + pad
	}
	for _, it := range b.items {
		if len(b.hidden) > 0 || x+it.obj.MinSize().Width > room {
			b.hidden = append(b.hidden, it.btn)
			it.obj.Hide()
			continue
		}
		place(it.obj)
	}
	if len(b.hidden) == 0 {
		b.more.obj.Hide()
		return
	}
	place(b.more.obj)
}
