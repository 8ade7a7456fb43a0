package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// staticEngine serves fixed statuses to the window, for golden images of
// the whole window: real servers would put random ports in the picture.
// Calls the window makes only when the user acts are not served.
type staticEngine struct {
	Engine
	sts []app.Status
}

func (s *staticEngine) LoadWarning() string               { return "" }
func (s *staticEngine) Statuses() []app.Status            { return s.sts }
func (s *staticEngine) Subscribe(func(app.Status)) func() { return func() {} }
func (s *staticEngine) SetPolicy(client.Policy)           {}
func (s *staticEngine) Policy() client.Policy             { return client.Policy{} }
func (s *staticEngine) Instance(id string) (app.Instance, bool) {
	st := s.Status(id)
	return st.Instance, st.Instance.ID != ""
}

func (s *staticEngine) Instances() []app.Instance {
	var out []app.Instance
	for _, st := range s.sts {
		out = append(out, st.Instance)
	}
	return out
}

func (s *staticEngine) Status(id string) app.Status {
	for _, st := range s.sts {
		if st.Instance.ID == id {
			return st
		}
	}
	return app.Status{}
}

// goldenDesk opens the whole window at size over one instance in each
// state, in Licensedesk's own theme, with the warning one selected.
func goldenDesk(t *testing.T, size fyne.Size) *desk {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, newTheme())
	var sts []app.Status
	for _, state := range []client.State{client.StateOK, client.StateWarning, client.StateCritical, client.StateUnknown} {
		st := goldenStatus(t, state)
		st.Instance.ID = state.String()
		sts = append(sts, st)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(size)
	e := goldenEnv(t, w)
	e.svc = &staticEngine{sts: sts}
	e.tips.delay = 0
	d := newDesk(e)
	d.list.Select(client.StateWarning.String())
	w.Resize(size)
	d.detail.Refresh()
	w.Content().Refresh()
	return d
}

// bottomOf is where o ends on its canvas.
func bottomOf(o fyne.CanvasObject) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y + o.Size().Height
}

func TestWindowAt800x500(t *testing.T) {
	d := goldenDesk(t, fyne.NewSize(800, 500))
	c := d.env.win.Canvas()
	test.AssertRendersToImage(t, "window_800x500.png", c)

	if h, one := d.bar.Size().Height, d.toolbar[tbAdd].MinSize().Height; h > one+1 {
		t.Errorf("the toolbar is %.0f high, more than one line of buttons (%.0f)", h, one)
	}
	t.Run("the license details get most of the pane", func(t *testing.T) {
		if d.detail.pinned {
			t.Error("a 500-high window pins the header, leaving the details a sliver")
		}
		if h := d.detail.scroll.Size().Height; h < 0.6*c.Size().Height {
			t.Errorf("the scrolling details are %.0f high in a %.0f window", h, c.Size().Height)
		}
	})
}

func TestWindowAt600x800(t *testing.T) {
	d := goldenDesk(t, fyne.NewSize(600, 800))
	c := d.env.win.Canvas()
	test.AssertRendersToImage(t, "window_600x800.png", c)

	if d.split.Horizontal() {
		t.Fatal("at 600 wide the list and the details are still side by side")
	}
	t.Run("the toolbar keeps to one line, the rest under More", func(t *testing.T) {
		if h, one := d.bar.Size().Height, d.toolbar[tbAdd].MinSize().Height; h > one+1 {
			t.Errorf("the toolbar is %.0f high, more than one line of buttons (%.0f)", h, one)
		}
		hidden := d.bar.Overflowed()
		if len(hidden) == 0 {
			t.Fatal("at 600 wide every toolbar button shows; want some under More")
		}
		test.Tap(d.bar.more.btn)
		defer c.Overlays().Top().Hide()
		menu := texts(c)
		for _, name := range hidden {
			if !slices.Contains(menu, name) {
				t.Errorf("the More menu lacks %q; it shows %q", name, menu)
			}
		}
	})
	// The selected instance's license is in view, below the list.
	var company *widget.Label
	for _, o := range objects(c) {
		if l, ok := o.(*widget.Label); ok && l.Text == "Nordwind Logistics GmbH" {
			company = l
		}
	}
	if company == nil {
		t.Fatalf("no license data is shown; the window shows %q", texts(c))
	}
	if bottomOf(company) > bottomOf(d.detail.scroll) {
		t.Errorf("the license's company is below the visible details (%.0f > %.0f)", bottomOf(company), bottomOf(d.detail.scroll))
	}
	if bottomOf(d.list) <= 0 || d.list.Size().Height < 120 {
		t.Errorf("the list is squeezed to %.0f high", d.list.Size().Height)
	}
}

func TestWindowFitsTheScreenAtAnyScale(t *testing.T) {
	for _, c := range []struct {
		name   string
		want   fyne.Size
		screen Screen
		fits   fyne.Size
	}{
		{"1080p at 1.5", fyne.NewSize(1280, 800), Screen{Width: 1920, Height: 1050, Scale: 1.5}, fyne.NewSize(1228.8, 630)},
		{"768p at 1", fyne.NewSize(1280, 800), Screen{Width: 1366, Height: 740, Scale: 1}, fyne.NewSize(1280, 666)},
		{"4K at 2", fyne.NewSize(1280, 800), Screen{Width: 3840, Height: 2100, Scale: 2}, fyne.NewSize(1280, 800)},
		{"unknown screen", fyne.NewSize(1280, 800), Screen{}, fyne.NewSize(1280, 800)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := fitSize(c.want, c.screen)
			if got.Width > c.fits.Width+0.5 || got.Height > c.fits.Height+0.5 {
				t.Errorf("fitSize = %v, larger than the screen allows (%v)", got, c.fits)
			}
			if got.Width < c.fits.Width-1 || got.Height < c.fits.Height-1 {
				t.Errorf("fitSize = %v, smaller than needed (%v)", got, c.fits)
			}
		})
	}
}

func TestAddFormFits1280x720(t *testing.T) {
	h := newHarness(t)
	d := h.open()
	h.win.Resize(fyne.NewSize(1280, 720))
	test.Tap(d.toolbar[tbAdd])
	f := d.form
	if need, have := f.scroll.Content.MinSize().Height, f.scroll.Size().Height; need > have {
		t.Errorf("the add form needs %.0f of height and has %.0f: it scrolls at 1280×720", need, have)
	}
}

func TestSettingsFitASmallWindow(t *testing.T) {
	h := newHarness(t)
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		h.add(id, "Instance "+id, h.server(), "admin")
	}
	d := h.open()
	// 800×500 at scale 1 is, in Fyne's units, about what 1200×750 pixels
	// give at scale 1.5: less than the form needs.
	h.win.Resize(fyne.NewSize(800, 500))
	test.Tap(d.toolbar[tbSettings])
	win := h.win.Canvas().Size()
	drv := fyne.CurrentApp().Driver()
	save := h.button("Save")
	savePos := drv.AbsolutePositionForObject(save)
	if savePos.Y < 0 || savePos.Y+save.Size().Height > win.Height {
		t.Fatalf("Save sits at %v in a %v window: off screen", savePos, win)
	}

	// The last row, About, can be scrolled to and then shows above the
	// buttons, not under them.
	var about *widget.Label
	var scroll *container.Scroll
	walk(h.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *container.Scroll:
			if scroll == nil {
				scroll = v
			}
		case *widget.Label:
			if strings.HasPrefix(v.Text, "Licensedesk ") {
				about = v
			}
		}
	})
	if about == nil {
		t.Fatal("the settings show no About row")
	}
	if scroll != nil {
		scroll.ScrollToBottom()
	}
	pos := drv.AbsolutePositionForObject(about)
	if pos.Y+about.Size().Height > savePos.Y {
		t.Errorf("the About row ends at %.0f, under the buttons at %.0f: the settings cannot be read whole in a %v window", pos.Y+about.Size().Height, savePos.Y, win)
	}
}
