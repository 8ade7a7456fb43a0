package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// escEntry is an entry that hands Escape to its owner, so dialogs and the
// filter box answer Escape even while the keyboard is in a field. Without
// an OnEscape, Escape (and Enter, without an OnSubmitted) go to the dialog
// the entry is in, as when no field has the keyboard. OnDown, when set,
// takes the Down arrow (from the filter into the list).
type escEntry struct {
	widget.Entry
	OnEscape func()
	OnDown   func()
}

func newEscEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles Escape, and everything else as an entry does.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyEscape && e.OnEscape != nil:
		e.OnEscape()
		return
	case k.Name == fyne.KeyDown && e.OnDown != nil && !e.MultiLine:
		e.OnDown()
		return
	case k.Name == fyne.KeyEscape, (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && e.OnSubmitted == nil:
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && dialogKey(c, k) {
			return
		}
	}
	e.Entry.TypedKey(k)
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
