package ui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
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
