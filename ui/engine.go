package ui

import (
	"context"
	"io"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/contexts"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/launch"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
)

// Engine is what the window needs from app.Service, as the screens' own
// small interfaces put together; tests may pass a fake for any of them.
type Engine interface {
	instanceEditor
	actionEngine
	historySource
	LoadWarning() string
	Rescan() (changed []string, err error)
	RemoveInstance(id string) error
	ReadImport(r io.Reader) (*app.ImportPlan, error)
	ApplyImport(plan *app.ImportPlan) (int, error)
	ExportInstances(w io.Writer) error
	Statuses() []app.Status
	RefreshAll(ctx context.Context, ids []string, progress func(done, total int, st app.Status)) []app.Status
	RenewAll(ctx context.Context, ids []string, progress func(done, total int, r verdict.RenewResult)) []verdict.RenewResult
	Subscribe(fn func(app.Status)) (unsubscribe func())
	Policy() client.Policy
	SetPolicy(p client.Policy)
}

// instanceEditor is what the add and edit form needs.
type instanceEditor interface {
	Instances() []app.Instance
	Instance(id string) (app.Instance, bool)
	AddInstance(inst app.Instance, secret string) error
	UpdateInstance(inst app.Instance, secret *string) error
	TestConnection(ctx context.Context, inst app.Instance, secret string) app.Status
}

// actionEngine is what an instance's actions need: read, renew, upload and
// remove its license.
type actionEngine interface {
	Instance(id string) (app.Instance, bool)
	Status(id string) app.Status
	Refresh(ctx context.Context, id string) app.Status
	Renew(ctx context.Context, id string) (app.Status, error)
	Upload(ctx context.Context, id, jwt string) (app.Status, error)
	Delete(ctx context.Context, id, rootURL string) (app.Status, error)
	PreviewUpload(id, jwt string) (app.UploadPreview, error)
}

// historySource is what the history window needs: the log, and the
// instances its filter names.
type historySource interface {
	History() *history.History
	Instances() []app.Instance
}

var _ Engine = (*app.Service)(nil)

// env is what every screen shares: the app, its window, the engine, the
// clock and the way back onto the UI goroutine.
type env struct {
	app   fyne.App
	win   fyne.Window
	svc   Engine
	prefs Prefs
	now   func() time.Time
	loc   *time.Location
	// do runs f on the UI goroutine; fyne.Do outside tests, which queue it
	// so the test goroutine plays the UI goroutine's part.
	do func(f func())
	// async runs slow work off the UI goroutine.
	async func(f func())
	// settings are the user's settings.json (in memory in demo mode).
	settings *settingsStore
	// trayHost says whether the desktop draws tray icons; it may block on
	// D-Bus for a moment, so it runs off the UI goroutine.
	trayHost func() bool
	// quit ends the app.
	quit func()
	// uploadDir, when set (demo mode), is where Upload token… starts looking.
	uploadDir string
	// tips draws the window's tooltips.
	tips *tooltips
	// chooser is the desktop's file chooser; nil shows Fyne's.
	chooser chooser
	// snoozes are the user's snoozes (in memory unless Run loads the file).
	snoozes *watch.Snoozes
	// releaseC, when set, hands the C heap's free memory back (WithRelease).
	releaseC func()
	// demo is set in demo mode; launchDemo starts the demo in a process of its own.
	demo       bool
	launchDemo func() error
	// storePath is the instances.json in use, watched for changes other
	// programs make; "" watches nothing.
	storePath string
	// contextFiles finds the Grafana CLIs' config files Import… offers.
	contextFiles func() []contexts.Source
}

func newEnv(a fyne.App, w fyne.Window, svc Engine) *env {
	e := &env{
		app:        a,
		win:        w,
		svc:        svc,
		prefs:      NewPrefs(a.Preferences()),
		now:        time.Now,
		loc:        time.Local,
		do:         fyne.Do,
		async:      func(f func()) { go f() },
		launchDemo: launch.Demo,
		settings:   newSettingsStore("", config.DefaultSettings()),
		trayHost: func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), trayHostTimeout)
			defer cancel()
			return watch.TrayHostPresent(ctx)
		},
		// Not a.Quit: it closes every window first, and GLFW may then hand a
		// pointer event still queued to a closing window, which crashes Fyne
		// 2.7.1 (a nil view in processMouseMoved). The driver's own Quit, which
		// Fyne uses on SIGTERM, ends the loop with the windows intact.
		quit: func() { a.Driver().Quit() },
	}
	e.contextFiles = func() []contexts.Source { return contexts.Found(os.Getenv) }
	e.tips = newTooltips(func(f func()) { e.do(f) })
	e.snoozes, _ = watch.LoadSnoozes("")
	if _, desktopApp := a.(desktop.App); desktopApp {
		e.chooser = desktopChooser{} // not under the test driver: its window has no desktop
	}
	return e
}

// trayHostTimeout bounds the question "does the desktop draw a tray?"; no
// answer in time counts as no tray, so closing quits rather than hides.
const trayHostTimeout = 2 * time.Second

// background runs work off the UI goroutine, then apply on it.
func (e *env) background(work func() func()) {
	e.async(func() {
		apply := work()
		if apply != nil {
			e.do(apply)
		}
	})
}
