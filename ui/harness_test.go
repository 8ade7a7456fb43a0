package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/contexts"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// harness is the real window on Fyne's test driver, over a real app.Service
// talking to grafanatest servers on loopback. The test goroutine plays the
// UI goroutine: work done in the background hands its widget updates to a
// queue that waitFor runs, so the race detector sees what a real app does.
type harness struct {
	t     *testing.T
	app   fyne.App
	win   fyne.Window
	svc   *app.Service
	env   *env
	desk  *desk
	queue chan func()
	// settings, when set before open, replace the in-memory defaults.
	settings *settingsStore
	dir      string // holds the store and the history
	store    string // the engine's instances.json
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	store := filepath.Join(dir, "instances.json")
	svc, err := app.NewService(app.Config{
		StorePath: store,
		Secrets:   vault.NewMemory(),
		History:   history.OpenHistory(filepath.Join(dir, history.HistoryFile)),
		Source:    history.SourceWindow,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, app: a, svc: svc, dir: dir, store: store, queue: make(chan func(), 4096)}
}

// server starts a grafanatest server that ends with the test.
func (h *harness) server(opts ...grafanatest.Option) *grafanatest.Server {
	s := grafanatest.New(opts...)
	h.t.Cleanup(s.Close)
	return s
}

// add configures an instance of srv signing in as admin/password.
func (h *harness) add(id, name string, srv *grafanatest.Server, password string) {
	h.t.Helper()
	inst := app.Instance{ID: id, Name: name, URL: srv.URL + "/", Auth: app.AuthBasic, Username: "admin"}
	if err := h.svc.AddInstance(inst, password); err != nil {
		h.t.Fatal(err)
	}
}

// useSecrets replaces the engine with one keeping secrets in secrets, and
// returns the path of its instance store.
func (h *harness) useSecrets(secrets vault.Store) string {
	h.t.Helper()
	store := filepath.Join(h.t.TempDir(), "instances.json")
	svc, err := app.NewService(app.Config{StorePath: store, Secrets: secrets})
	if err != nil {
		h.t.Fatal(err)
	}
	h.svc, h.store = svc, store
	return store
}

// addThroughForm fills the add form with a basic-auth instance as a user
// would, and saves it.
func (h *harness) addThroughForm(name, url, username, password string) {
	h.t.Helper()
	test.Tap(h.desk.toolbar[tbAdd])
	f := h.desk.form
	test.Type(f.name, name)
	test.Type(f.url, url)
	test.Type(f.username, username)
	test.Type(f.password, password)
	test.Tap(h.button("Save"))
}

// open builds the window over the configured instances.
func (h *harness) open() *desk {
	w := test.NewTempWindow(h.t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	h.win = w
	h.env = newEnv(h.app, w, h.svc)
	h.env.do = func(f func()) { h.queue <- f }
	h.env.storePath = h.store
	h.env.contextFiles = func() []contexts.Source { return nil } // not the HOME the tests run in
	if h.settings != nil {
		h.env.settings = h.settings
	}
	h.desk = newDesk(h.env)
	h.t.Cleanup(h.desk.unsubscribe)
	return h.desk
}

// waitFor runs queued UI updates until cond holds.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.After(20 * time.Second)
	// cond may also wait on something outside the queue (a monitor's
	// goroutine): look again now and then.
	again := time.NewTicker(10 * time.Millisecond)
	defer again.Stop()
	for !cond() {
		select {
		case f := <-h.queue:
			f()
		case <-again.C:
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; the window shows:\n%s", what, strings.Join(texts(h.win.Canvas()), "\n"))
		}
	}
}

// idle says whether no call is in flight for the instance.
func (h *harness) idle(id string) bool { return h.desk.act.busy[id] == "" }

// shows says whether any text on the canvas, dialogs included, contains s.
func (h *harness) shows(s string) bool {
	for _, t := range texts(h.win.Canvas()) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// select picks an instance in the list as a user would.
func (h *harness) selectInstance(id string) {
	h.t.Helper()
	p, ok := h.desk.list.pos[id]
	if !ok {
		h.t.Fatalf("%s is not in the list", id)
	}
	h.desk.list.list.Select(p)
	if h.desk.detail.id != id {
		h.t.Fatalf("selecting %s showed %q", id, h.desk.detail.id)
	}
}

// walk calls fn on o and everything visible inside it.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, child := range v.Objects {
			walk(child, fn)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(v).Objects() {
			walk(child, fn)
		}
	}
}

// objects lists everything drawn on c, overlays (dialogs) last.
func objects(c fyne.Canvas) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	add := func(o fyne.CanvasObject) { out = append(out, o) }
	walk(c.Content(), add)
	for _, o := range c.Overlays().List() {
		walk(o, add)
	}
	return out
}

// texts lists the visible words on c.
func texts(c fyne.Canvas) []string {
	var out []string
	for _, o := range objects(c) {
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		case *canvas.Text:
			out = append(out, v.Text)
		}
	}
	return out
}

// button finds a visible button by its text, dialogs first.
func (h *harness) button(text string) *widget.Button {
	h.t.Helper()
	var found *widget.Button
	for _, o := range objects(h.win.Canvas()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b // the last match is the topmost (an open dialog)
		}
	}
	if found == nil {
		h.t.Fatalf("no button %q; the window shows:\n%s", text, strings.Join(texts(h.win.Canvas()), "\n"))
	}
	return found
}

// dialogEntries lists the entries of the topmost dialog, in order.
func (h *harness) dialogEntries() []*escEntry {
	h.t.Helper()
	top := h.win.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatal("no dialog is open")
	}
	var out []*escEntry
	walk(top, func(o fyne.CanvasObject) {
		if e, ok := o.(*escEntry); ok {
			out = append(out, e)
		}
	})
	return out
}

var fyneKeyEscape = fyne.KeyEvent{Name: fyne.KeyEscape}

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}
