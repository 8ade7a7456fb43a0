package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// key delivers a key press on c as the desktop driver does: the key-down to
// the focused widget when it takes key-downs (an entry), else to the
// window's handler; then the typed key to the focused widget, else to the
// window's.
func key(c fyne.Canvas, keyDown func(*fyne.KeyEvent), name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	focused := c.Focused()
	if k, ok := focused.(desktop.Keyable); ok {
		k.KeyDown(ev)
	} else if keyDown != nil {
		keyDown(ev)
	}
	if focused != nil {
		focused.TypedKey(ev)
	} else if typed := c.OnTypedKey(); typed != nil {
		typed(ev)
	}
}

func (h *harness) key(name fyne.KeyName) { key(h.win.Canvas(), h.desk.keyDown, name) }

func (h *harness) dialogOpen() bool { return h.win.Canvas().Overlays().Top() != nil }

func TestEscapeClosesEveryDialogAndEnterPressesItsDefault(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	h.open()
	h.selectInstance("prod")

	cases := []struct {
		name string
		open func()
	}{
		{"a confirmation", func() { test.Tap(h.button(btnRemoveInst)) }},
		{"an information", func() { h.desk.act.showFileError("notes.txt", "it is not a license token") }},
		{"an error", func() { dialog.ShowError(errors.New("the keyring is locked"), h.win) }},
		{"the settings, with no field focused", func() { test.Tap(h.desk.toolbar[tbSettings]); h.win.Canvas().Unfocus() }},
		{"the add form, with no field focused", func() { test.Tap(h.desk.toolbar[tbAdd]); h.win.Canvas().Unfocus() }},
		{"the license removal, typing its name", func() { test.Tap(h.button(btnRemoveLicense)) }},
	}
	for _, c := range cases {
		c.open()
		if !h.dialogOpen() {
			t.Fatalf("%s did not open", c.name)
		}
		h.key(fyne.KeyEscape)
		if h.dialogOpen() {
			t.Errorf("Escape does not close %s", c.name)
			h.win.Canvas().Overlays().Top().Hide()
		}
	}
	if _, ok := h.svc.Instance("prod"); !ok {
		t.Fatal("Escape on the confirmation removed the instance")
	}

	// Enter presses the default button: OK closes an information; Remove
	// removes.
	h.desk.act.showFileError("notes.txt", "it is not a license token")
	h.key(fyne.KeyReturn)
	if h.dialogOpen() {
		t.Error("Enter does not close an information")
	}
	test.Tap(h.button(btnRemoveInst))
	h.key(fyne.KeyReturn)
	h.waitFor("the removal", func() bool { _, ok := h.svc.Instance("prod"); return !ok })
}

func TestEscapeAndCtrlWCloseTheHistory(t *testing.T) {
	h := newHarness(t)
	h.open()
	for _, how := range []string{"Escape", "Ctrl+W"} {
		test.Tap(h.desk.toolbar[tbHistory])
		hv := h.desk.history
		if hv == nil {
			t.Fatal("History did not open")
		}
		if how == "Escape" {
			key(hv.win.Canvas(), hv.keyDown, fyne.KeyEscape)
		} else {
			hv.win.Canvas().(interface {
				TypedShortcut(fyne.Shortcut)
			}).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault})
		}
		if h.desk.history != nil {
			t.Errorf("%s does not close the History window", how)
		}
	}
}

// focusOrder presses Tab n times from the filter and names what each reaches.
func focusOrder(h *harness, n int) []fyne.Focusable {
	c := h.win.Canvas()
	c.Focus(h.desk.list.filter)
	out := []fyne.Focusable{c.Focused()}
	for range n {
		test.FocusNext(c)
		out = append(out, c.Focused())
	}
	return out
}

func TestTabFollowsTheEyeAndTheArrowsSelect(t *testing.T) {
	h := newHarness(t)
	h.add("a", "Alpha", h.server(), "admin")
	h.add("b", "Bravo", h.server(), "admin")
	h.add("c", "Charlie", h.server(), "admin")
	h.open()
	l := h.desk.list

	// Down in the filter goes into the list and selects the first row;
	// the arrows move the selection, and the selected row is outlined.
	h.win.Canvas().Focus(l.filter)
	h.key(fyne.KeyDown)
	if h.win.Canvas().Focused() != l.list || l.Selected() == "" {
		t.Fatalf("Down from the filter: focus on %T, selection %q", h.win.Canvas().Focused(), l.Selected())
	}
	first := l.Selected()
	h.key(fyne.KeyDown)
	second := l.Selected()
	if second == first || h.desk.detail.id != second {
		t.Errorf("Down in the list selected %q after %q; the pane shows %q", second, first, h.desk.detail.id)
	}
	framed := 0
	for _, o := range objects(h.win.Canvas()) {
		if f, ok := o.(*focusFrame); ok && f.Visible() {
			framed++
		}
	}
	if framed != 1 {
		t.Errorf("%d rows are outlined as focused, want the selected one", framed)
	}

	// Tab goes filter, sort, list, the action bar, then the details.
	order := focusOrder(h, 4)
	want := []fyne.Focusable{l.filter, l.sortSel, l.list, h.desk.detail.buttons[btnRefresh], h.desk.detail.buttons[btnRenew]}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("Tab stop %d is %T, want %T (%v)", i, order[i], want[i], order)
		}
	}
	rest := focusOrder(h, 12)
	sawDetails := false
	for _, f := range rest {
		if f == fyne.Focusable(h.desk.detail.notify) {
			sawDetails = true
		}
		if b, ok := f.(*widget.Button); ok && b == h.desk.toolbar[tbAdd] && !sawDetails {
			t.Error("Tab reaches the toolbar before the details")
		}
	}
	if !sawDetails {
		t.Error("Tab never reaches the details after the action bar")
	}
}

func TestTheAuthChoiceIsOneTabStop(t *testing.T) {
	h := newHarness(t)
	h.open()
	test.Tap(h.desk.toolbar[tbAdd])
	f := h.desk.form
	c := h.win.Canvas()
	c.Focus(f.url)
	test.FocusNext(c)
	if c.Focused() != fyne.Focusable(f.auth) {
		t.Fatalf("Tab from the URL reaches %T, want the sign-in choice", c.Focused())
	}
	test.FocusNext(c)
	if c.Focused() != fyne.Focusable(f.username) {
		t.Errorf("Tab from the sign-in choice reaches %T, want the username: the choice is more than one stop", c.Focused())
	}
	c.Focus(f.auth)
	h.key(fyne.KeyDown)
	if f.auth.Selected != authBearerLabel || !f.fields["token"].box.Visible() {
		t.Errorf("Down on the choice selects %q", f.auth.Selected)
	}
}
