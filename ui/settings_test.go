package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// withSettingsFile gives the harness a settings.json in a fresh folder, as
// the window has beside the user's store.
func withSettingsFile(h *harness) string {
	path := filepath.Join(h.t.TempDir(), config.SettingsFile)
	s, err := config.LoadSettings(path)
	if err != nil {
		h.t.Fatal(err)
	}
	h.settings = newSettingsStore(path, s)
	return path
}

// waitForFile waits until the settings file says what want checks.
func (h *harness) waitForSettings(path, what string, want func(app.Settings) bool) app.Settings {
	h.t.Helper()
	var s app.Settings
	h.waitFor(what, func() bool {
		var err error
		s, err = config.LoadSettings(path)
		return err == nil && want(s)
	})
	return s
}

func TestSettingsAreSavedInSettingsJSONAndApplyAtOnce(t *testing.T) {
	h := newHarness(t)
	path := withSettingsFile(h)
	srv := h.server(grafanatest.WithClaims(claimsLeft(40*day + time.Hour)))
	h.add("prod", "Prod", srv, "admin")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	w.waitChecks(1)
	// The list takes the check's result in its next batched update.
	w.waitFor("40 days ahead to show ok under the default 30-day warning", func() bool {
		st, _ := h.desk.list.Status("prod")
		return st.Eval.State.String() == "ok"
	})

	// When the user warns 45 days ahead and checks every 15 minutes.
	test.Tap(h.desk.toolbar[tbSettings])
	dlg := h.desk.settingsDlg
	if dlg == nil {
		t.Fatal("Settings opened no dialog")
	}
	if dlg.interval.Selected != "1 hour" || !dlg.notify.Checked || dlg.lic.Text != "" {
		t.Errorf("the dialog does not start from the defaults: every %q, notify %v, license %q",
			dlg.interval.Selected, dlg.notify.Checked, dlg.lic.Text)
	}
	dlg.interval.SetSelected("15 minutes")
	test.Type(dlg.lic, "45")
	test.Tap(h.button("Save"))

	// Then the file the command line reads says so, and the window and the
	// monitor follow without a restart.
	s := h.waitForSettings(path, "settings.json to be written", func(s app.Settings) bool { return s.LicenseWarnDays == 45 })
	if s.CheckIntervalMinutes != 15 || s.TokenWarnDays != 0 || !s.Notifications {
		t.Errorf("settings.json holds %+v", s)
	}
	w.waitFor("the row to turn to warning", func() bool { return h.shows("Warning · license expires in 40 days") })
	if p := h.svc.Policy(); p.LicenseWarnDays != 45 {
		t.Errorf("the engine warns %d days ahead, want 45", p.LicenseWarnDays)
	}
	if iv := h.desk.watch.mon.Interval(); iv != 15*time.Minute {
		t.Errorf("the monitor checks every %v, want 15 minutes", iv)
	}
	w.waitFor("the tray to show the warning", func() bool { return w.tray.iconState() == "tray-warning.png" })
}

func TestSettingsRefuseABadWarnPeriodAndKeepTheFile(t *testing.T) {
	h := newHarness(t)
	path := withSettingsFile(h)
	h.open()
	if err := config.SaveSettings(path, config.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	test.Tap(h.desk.toolbar[tbSettings])
	dlg := h.desk.settingsDlg
	test.Type(dlg.tok, "a week")
	save := h.button("Save")
	if !save.Disabled() {
		t.Error("Save is enabled with a warn period that is not a number")
	}
	if !h.shows("Enter a number of days from 1 to 365, or leave it empty") {
		t.Error("nothing says what a valid warn period is")
	}
	test.Tap(save)
	dlg.tok.SetText("")
	test.Type(dlg.tok, "400")
	if !h.button("Save").Disabled() {
		t.Error("Save is enabled with a warn period over a year")
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Errorf("the file changed:\n%s\nthen\n%s", before, after)
	}
}

func TestMuteFromTheDetailPaneSilencesTheInstance(t *testing.T) {
	h := newHarness(t)
	path := withSettingsFile(h)
	srv := h.server(grafanatest.WithClaims(claimsLeft(300 * day)))
	h.add("prod", "Prod", srv, "admin")
	notes, _ := watch.LoadNotifyState("")
	w := h.openWatched(notes)
	w.waitChecks(1)
	h.selectInstance("prod")
	check := h.desk.detail.notify
	if !check.Visible() || !check.Checked {
		t.Fatalf("the detail pane does not offer notifications as on (visible %v, checked %v)", check.Visible(), check.Checked)
	}

	test.Tap(check)
	h.waitForSettings(path, "the mute to be saved", func(s app.Settings) bool { return s.IsMuted("prod") })

	// The settings dialog agrees, and a warning now sends nothing while the tray still shows it.
	test.Tap(h.desk.toolbar[tbSettings])
	if got := h.desk.settingsDlg.mute.Selected; len(got) != 1 || got[0] != "Prod" {
		t.Errorf("the dialog's mute list ticks %q, want Prod", got)
	}
	test.Tap(h.button("Cancel"))
	srv.SetClaims(claimsLeft(10*day + time.Hour))
	h.desk.watch.mon.CheckNow()
	w.waitChecks(1)
	w.waitFor("the tray to show the warning", func() bool { return w.tray.iconState() == "tray-warning.png" })
	if sent := w.stopWatch(); len(sent) != 0 {
		t.Errorf("a muted instance notified %q", notifyTitles(sent))
	}
}

func TestTurningNotificationsOffGreysTheDetailToggle(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")
	test.Tap(h.desk.toolbar[tbSettings])
	test.Tap(h.desk.settingsDlg.notify)
	if !h.desk.settingsDlg.mute.Disabled() {
		t.Error("the mute list stays enabled with notifications off")
	}
	test.Tap(h.button("Save"))
	h.waitFor("the toggle to grey", func() bool { return h.desk.detail.notify.Disabled() })
	if !strings.Contains(h.desk.detail.notify.Text, "off in Settings") {
		t.Errorf("the toggle does not say why it is off: %q", h.desk.detail.notify.Text)
	}
}

func TestADamagedSettingsFileIsMovedAsideAndSaidInTheWindow(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "instances.json")
	if err := os.WriteFile(config.SettingsPath(store), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	st, warnings := loadWatchState(a.Preferences(), app.GUIContext{StorePath: store})
	if len(warnings) != 1 || !strings.Contains(warnings[0], "were damaged") || !strings.Contains(warnings[0], ".corrupt") {
		t.Fatalf("warnings %q, want one saying the file was moved aside", warnings)
	}
	if st.settings.cur.Interval() != time.Hour || st.settings.saver == nil {
		t.Errorf("the window does not fall back to the defaults in settings.json: %+v", st.settings)
	}
	if _, err := os.Stat(config.SettingsPath(store) + ".corrupt"); err != nil {
		t.Errorf("the damaged file was not kept: %v", err)
	}
}

func TestDemoWritesNoSettingsOrNotificationState(t *testing.T) {
	dir := t.TempDir()
	a := test.NewTempApp(t)
	st, warnings := loadWatchState(a.Preferences(), app.GUIContext{Demo: true, StorePath: filepath.Join(dir, "instances.json")})
	if len(warnings) != 0 || st.settings.saver != nil {
		t.Fatalf("the demo's settings are written to a file (warnings %q), want memory", warnings)
	}
	h := newHarness(t)
	h.settings = st.settings
	h.open()
	next := st.settings.cur
	next.LicenseWarnDays = 60
	done := false
	st.settings.set(h.env, next, func(err error) { done = err == nil })
	if !done {
		t.Error("saving the demo's settings failed")
	}
	h.waitFor("the demo's settings to apply", func() bool { return h.svc.Policy().LicenseWarnDays == 60 })
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the demo wrote %v", entries)
	}
}

func TestWarnDaysFromAnEarlierVersionMoveIntoSettingsJSON(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "instances.json")
	a := test.NewTempApp(t)
	a.Preferences().SetInt(prefLicenseWarn, 45)
	st, warnings := loadWatchState(a.Preferences(), app.GUIContext{StorePath: store})
	if len(warnings) != 0 {
		t.Fatal(warnings)
	}
	if st.settings.cur.LicenseWarnDays != 45 {
		t.Errorf("the window warns %d days ahead, want the 45 saved before", st.settings.cur.LicenseWarnDays)
	}
	s, err := config.LoadSettings(config.SettingsPath(store))
	if err != nil || s.LicenseWarnDays != 45 {
		t.Errorf("settings.json holds %+v (%v), want license_warn_days 45 for the command line too", s, err)
	}
	if a.Preferences().Int(prefLicenseWarn) != 0 {
		t.Error("the old preference is still there, to be carried over again")
	}
}

func TestRemovingAnInstanceForgetsItsMute(t *testing.T) {
	h := newHarness(t)
	path := withSettingsFile(h)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")
	test.Tap(h.desk.detail.notify)
	h.waitForSettings(path, "the mute to be saved", func(s app.Settings) bool { return s.IsMuted("prod") })

	test.Tap(h.button(btnRemoveInst))
	test.Tap(h.button("Remove instance"))
	h.waitForSettings(path, "the mute to be dropped", func(s app.Settings) bool { return !s.IsMuted("prod") })
}

func TestSettingsSayWhichBuildAndWhereTheListIsKept(t *testing.T) {
	h := newHarness(t)
	d := h.open()
	test.Tap(d.toolbar[tbSettings])
	if d.settingsDlg == nil {
		t.Fatal("Settings opened no dialog")
	}
	shown := strings.Join(texts(h.win.Canvas()), "\n")
	for _, want := range []string{"Licensedesk " + app.Build(), "Instances are kept in " + h.store + "."} {
		if !strings.Contains(shown, want) {
			t.Errorf("Settings do not say %q; they show:\n%s", want, shown)
		}
	}
}
