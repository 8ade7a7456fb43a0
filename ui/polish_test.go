package ui

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/client"
)

// sensors maps each button on the canvas to the sensor giving its tooltip.
func sensors(c fyne.Canvas) map[*widget.Button]*tipSensor {
	out := map[*widget.Button]*tipSensor{}
	walk(c.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*tipSensor); ok {
			if b, ok := s.target.(*widget.Button); ok {
				out[b] = s
			}
		}
	})
	return out
}

func TestEveryToolbarAndActionButtonHasATooltip(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	d := h.open()
	h.env.tips.delay = 0
	h.selectInstance("prod")
	tips := sensors(h.win.Canvas())

	check := func(name string, b *widget.Button) {
		s, ok := tips[b]
		if !ok || strings.TrimSpace(s.tip) == "" {
			t.Errorf("%q has no tooltip", name)
			return
		}
		s.MouseIn(&desktop.MouseEvent{})
		if got := h.env.tips.Text(); got != s.tip {
			t.Errorf("hovering %q shows %q, want its tip %q", name, got, s.tip)
		}
		s.MouseOut()
		if got := h.env.tips.Text(); got != "" {
			t.Errorf("the tip of %q stays after the pointer left: %q", name, got)
		}
	}
	for name, b := range d.toolbar {
		check(name, b)
	}
	for name, b := range d.detail.buttons {
		check(name, b)
	}
	check("Stop", d.stopBtn)

	renew := tips[d.detail.buttons[btnRenew]].tip
	if !strings.Contains(renew, "renew its license token") || !strings.Contains(renew, "not the license") {
		t.Errorf("Renew's tooltip %q must say it renews the token, not the license", renew)
	}
}

func TestNoTooltipOverADialog(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	d := h.open()
	h.env.tips.delay = 0
	h.selectInstance("prod")
	test.Tap(d.detail.buttons[btnRemoveInst]) // the dialog opens before the tip's wait is over
	sensors(h.win.Canvas())[d.detail.buttons[btnRemoveLicense]].MouseIn(&desktop.MouseEvent{})
	if got := h.env.tips.Text(); got != "" {
		t.Errorf("a tooltip shows behind the open dialog: %q", got)
	}
}

func TestTooltipWaitsForThePointerToRest(t *testing.T) {
	h := newHarness(t)
	d := h.open()
	s := sensors(h.win.Canvas())[d.toolbar[tbAdd]]
	s.MouseIn(&desktop.MouseEvent{})
	if h.env.tips.Text() != "" {
		t.Error("the tip shows at once, before the pointer rests")
	}
	h.waitFor("the tip", func() bool { return h.env.tips.Text() == toolTips[tbAdd] })
	s.MouseOut()
}

// topDialog lists the buttons and icons of the topmost dialog.
func topDialog(t *testing.T, c fyne.Canvas) (buttons []*widget.Button, icons []fyne.Resource) {
	t.Helper()
	top := c.Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	walk(top, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			buttons = append(buttons, v)
		case *widget.Icon:
			icons = append(icons, v.Resource)
		}
	})
	return buttons, icons
}

func TestConfirmationsShareOneStyle(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	d := h.open()
	h.selectInstance("prod")
	for _, c := range []struct {
		open   func()
		action string
	}{
		{func() { test.Tap(d.detail.buttons[btnRemoveInst]) }, "Remove instance"},
		{func() { test.Tap(d.detail.buttons[btnRemoveLicense]) }, "Remove license"},
	} {
		t.Run(c.action, func(t *testing.T) {
			c.open()
			buttons, _ := topDialog(t, h.win.Canvas())
			if len(buttons) < 2 {
				t.Fatalf("the confirmation has %d buttons", len(buttons))
			}
			cancel, act := buttons[len(buttons)-2], buttons[len(buttons)-1]
			if cancel.Text != "Cancel" {
				t.Errorf("the first button says %q, want Cancel", cancel.Text)
			}
			if act.Text != c.action || act.Importance != widget.DangerImportance {
				t.Errorf("the confirm button is %q (importance %v), want %q in red", act.Text, act.Importance, c.action)
			}
			test.Tap(cancel)
			if h.win.Canvas().Overlays().Top() != nil {
				t.Error("Cancel left the dialog open")
			}
		})
	}
}

func TestFailuresShowTheErrorIcon(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	h.open()
	h.desk.act.previewUpload("prod", "notes.txt", "hello")
	_, icons := topDialog(t, h.win.Canvas())
	found := false
	for _, r := range icons {
		found = found || r != nil && strings.HasPrefix(r.Name(), "error_")
	}
	if !found {
		t.Error("the failure dialog has no error icon")
	}
}

func TestCardValuesLineUp(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	e := goldenEnv(t, w)
	d := newDetailPane(e, newActions(e))
	d.Display(goldenStatus(t, client.StateOK), "", nil)
	w.SetContent(d)
	w.Resize(fyne.NewSize(760, 1180))

	xs := map[string]float32{}
	for _, label := range []string{"Company", "Token ID", "Admins and editors"} {
		for _, card := range []*widget.Card{d.license, d.token, d.usage} {
			var all []fyne.CanvasObject
			walk(card.Content, func(o fyne.CanvasObject) { all = append(all, o) })
			for i, o := range all {
				if l, ok := o.(*widget.Label); ok && l.Text == label && i+1 < len(all) {
					for _, v := range all[i+1:] {
						if vl, ok := v.(*widget.Label); ok {
							xs[label] = fyne.CurrentApp().Driver().AbsolutePositionForObject(vl).X
							break
						}
					}
				}
			}
		}
	}
	if len(xs) != 3 {
		t.Fatalf("found the values of %v only", xs)
	}
	if xs["Company"] != xs["Token ID"] || xs["Company"] != xs["Admins and editors"] {
		t.Errorf("the values start at different x from card to card: %v", xs)
	}
}

func startsWithCapital(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s == "" || !unicode.IsLower(r)
}

func TestHintsStartWithACapital(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	d := h.open()
	test.Tap(d.toolbar[tbAdd])
	f := d.form
	for _, auth := range []string{authBasicLabel, authBearerLabel} {
		f.auth.SetSelected(auth)
		for key, field := range f.fields {
			if !startsWithCapital(field.hint.Text) {
				t.Errorf("the %s hint %q starts in lower case", key, field.hint.Text)
			}
		}
	}
	f.dlg.Hide()

	test.Tap(d.toolbar[tbSettings])
	s := d.settingsDlg
	for _, en := range []*escEntry{s.lic, s.tok} {
		test.Type(en, "x")
		if err := en.Validate(); err == nil || !startsWithCapital(err.Error()) {
			t.Errorf("the warn-days field's complaint %v starts in lower case", err)
		}
	}
}

func TestSplitterIsAHandle(t *testing.T) {
	h := newHarness(t)
	d := h.open()
	hd := d.split.handle
	if hd.Cursor() != desktop.HResizeCursor {
		t.Error("the divider shows no resize cursor")
	}
	r := test.WidgetRenderer(hd).(*handleRenderer)
	if len(r.dots) == 0 {
		t.Error("the divider has no grip")
	}
	before := d.split.Offset
	hd.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(120, 10)}, Dragged: fyne.NewDelta(120, 0)})
	if d.split.Offset <= before {
		t.Errorf("dragging the handle right moved the split from %.2f to %.2f", before, d.split.Offset)
	}
}
