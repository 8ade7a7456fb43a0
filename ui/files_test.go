package ui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app/portal"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// fakeChooser plays the desktop's file chooser: it answers pick, or err.
type fakeChooser struct {
	mu    sync.Mutex
	pick  string
	err   error
	asked []portal.Request
}

func (f *fakeChooser) OpenFile(_ context.Context, r portal.Request) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, r)
	return f.pick, f.err
}

func (f *fakeChooser) SaveFile(ctx context.Context, r portal.Request) (string, error) {
	return f.OpenFile(ctx, r)
}

func (f *fakeChooser) requests() []portal.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]portal.Request(nil), f.asked...)
}

func TestUploadAsksTheDesktopsChooser(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	h.open()
	h.selectInstance("prod")
	dir := t.TempDir()
	file := filepath.Join(dir, "license.jwt")
	claims := grafanatest.DefaultClaims(time.Now())
	claims.Company = "Picked Through The Portal"
	if err := os.WriteFile(file, []byte(grafanatest.IssueJWT(claims)), 0o600); err != nil {
		t.Fatal(err)
	}
	fc := &fakeChooser{pick: file}
	h.env.chooser = fc
	h.env.uploadDir = dir

	test.Tap(h.desk.detail.buttons[btnUpload])
	h.waitFor("the upload preview", func() bool { return h.shows("Picked Through The Portal") })
	asked := fc.requests()
	if len(asked) != 1 || asked[0].Folder != dir || len(asked[0].Extensions) == 0 || asked[0].Extensions[0] != ".jwt" {
		t.Errorf("the desktop's chooser was asked %+v; want one request starting in %s for .jwt files", asked, dir)
	}
}

func TestWithoutAPortalFynesChooserFillsTheWindowInListView(t *testing.T) {
	h := newHarness(t)
	h.open()
	h.env.chooser = &fakeChooser{err: portal.ErrUnavailable}
	test.Tap(h.desk.toolbar[tbImport])
	var top fyne.CanvasObject
	h.waitFor("Fyne's chooser", func() bool { top = h.win.Canvas().Overlays().Top(); return top != nil })

	grid := false
	walk(top, func(o fyne.CanvasObject) {
		if _, ok := o.(*widget.GridWrap); ok {
			grid = true
		}
	})
	if grid {
		t.Error("the chooser shows files as a grid of icons, which cuts long names")
	}
	pop, ok := top.(*widget.PopUp)
	if !ok {
		t.Fatalf("the chooser is a %T", top)
	}
	box, win := pop.Content.Size(), h.win.Canvas().Size()
	if box.Width < win.Width*0.9 || box.Height < win.Height*0.9 {
		t.Errorf("the chooser is %v in a %v window; want it nearly as large", box, win)
	}
}

func TestACancelledChooserDoesNothing(t *testing.T) {
	h := newHarness(t)
	h.open()
	fc := &fakeChooser{}
	h.env.chooser = fc
	test.Tap(h.desk.toolbar[tbImport])
	h.waitFor("the chooser", func() bool { return len(fc.requests()) == 1 })
	for len(h.queue) > 0 {
		(<-h.queue)()
	}
	if top := h.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a cancelled chooser left a dialog: %q", texts(h.win.Canvas()))
	}
}

func TestExportsOfferTheirKindOfFile(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	d := h.open()
	dir := t.TempDir()
	fc := &fakeChooser{pick: filepath.Join(dir, "fleet.json")}
	h.env.chooser = fc
	d.exportInstances()
	h.waitFor("the saved instance list", func() bool { return h.shows("was saved to " + filepath.Join(dir, "fleet.json") + ".") })
	fc.mu.Lock()
	fc.pick = filepath.Join(dir, "fleet.csv")
	fc.mu.Unlock()
	d.exportCSV()
	h.waitFor("the saved status table", func() bool { return h.shows("was saved to " + filepath.Join(dir, "fleet.csv") + ".") })

	// The chooser filters on the kind and adds its extension to a name
	// typed without one, as the Windows Save As dialog does.
	asked := fc.requests()
	want := []struct{ name, kind, ext string }{
		{"licensedesk-instances.json", "Instance lists (JSON)", ".json"},
		{"licensedesk-status.csv", "Status tables (CSV)", ".csv"},
	}
	if len(asked) != len(want) {
		t.Fatalf("the chooser was asked %d times, want %d", len(asked), len(want))
	}
	for i, w := range want {
		a := asked[i]
		if a.Name != w.name || a.FilterName != w.kind || len(a.Extensions) != 1 || a.Extensions[0] != w.ext {
			t.Errorf("saving %s asked the chooser for %q %q %v; want files of kind %q (%s)", w.name, a.Name, a.FilterName, a.Extensions, w.kind, w.ext)
		}
	}
}

func TestTheDesktopsChooserEndsTheHover(t *testing.T) {
	h := newHarness(t)
	d := h.open()
	h.env.tips.delay = 0
	fc := &fakeChooser{}
	h.env.chooser = fc
	s := sensors(h.win.Canvas())[d.toolbar[tbImport]]
	hover := &hoverRecorder{Hoverable: s.target}
	s.target = hover
	s.MouseIn(&desktop.MouseEvent{})
	if h.env.tips.Text() == "" {
		t.Fatal("no tip shows over Import…")
	}
	// The pointer stays on the button: while the desktop's chooser is open
	// the window hears no pointer leave, so the tip must go with the click.
	test.Tap(d.toolbar[tbImport])
	h.waitFor("the chooser", func() bool { return len(fc.requests()) == 1 })
	if got := h.env.tips.Text(); got != "" {
		t.Errorf("the tip %q stays on screen while the desktop's chooser is open", got)
	}
	if hover.in {
		t.Error("Import… stays highlighted as if hovered while the desktop's chooser is open")
	}
}

// hoverRecorder passes hover events on to a button and notes whether the
// pointer is over it, as the button's highlight shows.
type hoverRecorder struct {
	desktop.Hoverable
	in bool
}

func (r *hoverRecorder) MouseIn(e *desktop.MouseEvent) { r.in = true; r.Hoverable.MouseIn(e) }
func (r *hoverRecorder) MouseOut()                     { r.in = false; r.Hoverable.MouseOut() }
