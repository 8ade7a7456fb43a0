package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// settingsStore holds the user's settings: app.Settings in settings.json
// beside the instance store, shared with the command line, or in memory
// only in demo mode. cur is read and changed on the UI goroutine; files
// are written off it, newest last.
type settingsStore struct {
	saver *config.SettingsSaver // nil keeps the settings in memory
	cur   app.Settings
	// onChange hands new settings to the engine, the notifier and the
	// monitor; it runs on the UI goroutine.
	onChange []func(old, cur app.Settings)
}

func newSettingsStore(path string, s app.Settings) *settingsStore {
	st := &settingsStore{cur: s}
	if path != "" {
		st.saver = config.NewSettingsSaver(path)
	}
	return st
}

// watch calls f whenever the settings change.
func (s *settingsStore) watch(f func(old, cur app.Settings)) {
	s.onChange = append(s.onChange, f)
}

// set applies next at once and saves it in the background; done, when
// set, learns on the UI goroutine whether the file was written.
func (s *settingsStore) set(e *env, next app.Settings, done func(error)) {
	if err := next.Validate(); err != nil {
		if done != nil {
			done(err)
		}
		return
	}
	old := s.cur
	s.cur = next
	for _, f := range s.onChange {
		f(old, next)
	}
	if s.saver == nil {
		if done != nil {
			done(nil)
		}
		return
	}
	save := s.saver.Prepare(next)
	e.background(func() func() {
		err := save()
		if done == nil {
			return nil
		}
		return func() { done(err) }
	})
}

// setMuted mutes or unmutes one instance's notifications and saves.
func (s *settingsStore) setMuted(e *env, id string, mute bool) {
	next := s.cur
	next.SetMuted(id, mute)
	s.set(e, next, func(err error) {
		if err != nil {
			showErr(e.win, "Settings not saved", err)
		}
	})
}

// The legacy keys of the warn-day overrides, kept in Fyne's preferences
// before settings.json existed; read once to carry them over.
const (
	prefLicenseWarn = "policy.license_warn_days"
	prefTokenWarn   = "policy.token_warn_days"
)

// migrateWarnDays carries warn-day overrides saved by an earlier version in
// Fyne's preferences into s, when s has none; it says whether it did.
func migrateWarnDays(p fyne.Preferences, s *app.Settings) bool {
	lic, tok := p.Int(prefLicenseWarn), p.Int(prefTokenWarn)
	if (lic <= 0 && tok <= 0) || s.LicenseWarnDays > 0 || s.TokenWarnDays > 0 {
		return false
	}
	s.LicenseWarnDays, s.TokenWarnDays = min(max(lic, 0), 365), min(max(tok, 0), 365)
	p.RemoveValue(prefLicenseWarn)
	p.RemoveValue(prefTokenWarn)
	return true
}

// intervalChoices are the check intervals offered; a value set by hand in
// settings.json is added to them.
var intervalChoices = []time.Duration{
	5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

func intervalLabel(d time.Duration) string {
	if d%time.Hour == 0 {
		return words.Plural(int(d/time.Hour), "hour")
	}
	if d > time.Hour {
		return fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return words.Plural(int(d/time.Minute), "minute")
}

// settingsDialog edits the settings; it is built fresh each time it opens.
type settingsDialog struct {
	d        *desk
	dlg      *dialog.CustomDialog
	interval *widget.Select
	notify   *widget.Check
	mute     *widget.CheckGroup
	muteIDs  map[string]string // option label → instance id
	lic, tok *escEntry
	minimize *widget.Check

	intervals map[string]time.Duration
}

// showSettings opens the settings dialog.
func (d *desk) showSettings() {
	s := &settingsDialog{d: d, muteIDs: map[string]string{}, intervals: map[string]time.Duration{}}
	d.settingsDlg = s
	s.build(d.env.settings.cur)
	s.dlg.Show()
}

func (s *settingsDialog) build(cur app.Settings) {
	e := s.d.env
	choices := slices.Clone(intervalChoices)
	if iv := cur.Interval(); !slices.Contains(choices, iv) {
		choices = append(choices, iv)
		slices.Sort(choices)
	}
	var labels []string
	for _, c := range choices {
		l := intervalLabel(c)
		s.intervals[l] = c
		labels = append(labels, l)
	}
	s.interval = widget.NewSelect(labels, nil)
	s.interval.SetSelected(intervalLabel(cur.Interval()))

	s.notify = widget.NewCheck("Show desktop notifications", nil)
	s.notify.SetChecked(cur.Notifications)
	opts, muted := s.muteOptions(cur)
	s.mute = widget.NewCheckGroup(opts, nil)
	s.mute.SetSelected(muted)
	s.notify.OnChanged = func(on bool) {
		if on {
			s.mute.Enable()
		} else {
			s.mute.Disable()
		}
	}
	s.notify.OnChanged(cur.Notifications)

	s.lic = s.daysEntry(cur.LicenseWarnDays, client.DefaultLicenseWarnDays)
	s.tok = s.daysEntry(cur.TokenWarnDays, client.DefaultTokenWarnDays)

	s.minimize = widget.NewCheck("Start minimized to the tray", nil)
	s.minimize.SetChecked(e.prefs.StartMinimized())
	if _, ok := e.app.(desktop.App); !ok {
		s.minimize.Disable()
	}

	muteBox := fyne.CanvasObject(&widget.Label{Text: "No instances yet.", Importance: widget.LowImportance})
	if len(s.mute.Options) > 0 {
		rows := min(len(s.mute.Options), 4)
		muteBox = container.New(&fixedHeight{height: float32(rows) * s.mute.MinSize().Height / float32(len(s.mute.Options))},
			container.NewVScroll(s.mute))
	}
	items := []*widget.FormItem{
		{Text: "Check every", Widget: s.interval,
			HintText: "Every instance is read at start, then this often in the background."},
		{Text: "Notifications", Widget: s.notify,
			HintText: "On warning, critical, " + strconv.Itoa(cur.UnreadableAfter) + " failed reads in a row, and recovery; once a day at most."},
		{Text: "Mute", Widget: muteBox,
			HintText: "Muted instances send no notifications; the window and tray still show them."},
		{Text: "License warning", Widget: s.lic,
			HintText: "Days before a license expires. Empty: the license's lic_exp_warn_days, else 30."},
		{Text: "Token warning", Widget: s.tok,
			HintText: "Days before a token expires. Empty: the license's tok_exp_warn_days, else 2."},
		{Text: "Tray", Widget: s.minimize,
			HintText: "Only where the desktop shows a tray; elsewhere the window opens as usual."},
		s.about(),
	}
	// The form scrolls inside a dialog no taller than the window, so Save
	// and Cancel stay on screen at any scale (at 1.5 on an 800-pixel screen
	// the form is taller than the window).
	form := widget.NewForm(items...)
	save := &widget.Button{Text: "Save", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance}
	cancel := &widget.Button{Text: "Cancel", Icon: theme.CancelIcon()}
	form.SetOnValidationChanged(func(err error) {
		if err != nil {
			save.Disable()
		} else {
			save.Enable()
		}
	})
	s.dlg = dialog.NewCustomWithoutButtons("Settings", container.NewVScroll(form), e.win)
	saved := false
	save.OnTapped = func() { saved = true; s.dlg.Hide() }
	cancel.OnTapped = s.dlg.Hide
	s.dlg.SetButtons([]fyne.CanvasObject{cancel, save})
	s.dlg.SetOnClosed(func() { s.onClose(saved) })
	s.lic.OnEscape, s.tok.OnEscape = s.dlg.Hide, s.dlg.Hide
	fitDialog(s.dlg, e.win, 720, form.MinSize().Height+dialogChrome)
}

// about says which build this is and where the instance list is kept, so
// an administrator can tell both without a terminal.
func (s *settingsDialog) about() *widget.FormItem {
	build := &widget.Label{Text: "Licensedesk " + app.Build(), Selectable: true}
	hint := "Instances are kept in " + s.d.env.storePath + "."
	if s.d.env.storePath == "" {
		hint = "This instance list is not kept in a file."
	}
	return &widget.FormItem{Text: "About", Widget: build, HintText: hint}
}

// dialogChrome is what a dialog adds to its content's height: its title
// and its row of buttons.
const dialogChrome = 140

// muteOptions lists the instances by name (with the id when two share a
// name) and ticks the muted ones.
func (s *settingsDialog) muteOptions(cur app.Settings) (opts, muted []string) {
	insts := s.d.env.svc.Instances()
	names := map[string]int{}
	for _, inst := range insts {
		names[inst.Name]++
	}
	for _, inst := range insts {
		label := inst.Name
		if label == "" || names[label] > 1 {
			label = strings.TrimSpace(inst.Name + " (" + inst.ID + ")")
		}
		s.muteIDs[label] = inst.ID
		opts = append(opts, label)
		if cur.IsMuted(inst.ID) {
			muted = append(muted, label)
		}
	}
	return opts, muted
}

// daysEntry is a warn-days field; empty means the license's own value.
func (s *settingsDialog) daysEntry(v, def int) *escEntry {
	en := newEscEntry()
	en.PlaceHolder = "License's own (default " + strconv.Itoa(def) + ")"
	if v > 0 {
		en.SetText(strconv.Itoa(v))
	}
	en.Validator = func(text string) error {
		if _, err := parseDays(text); err != nil {
			return errors.New(words.Capitalize(err.Error())) // shown as the field's hint
		}
		return nil
	}
	return en
}

// parseDays reads a warn period: empty is 0 (the license's own), else 1 to 365.
func parseDays(text string) (int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || n > 365 {
		return 0, errors.New("enter a number of days from 1 to 365, or leave it empty")
	}
	return n, nil
}

// values reads the dialog into a copy of cur.
func (s *settingsDialog) values(cur app.Settings) (app.Settings, error) {
	next := cur
	next.Notifications = s.notify.Checked
	if iv, ok := s.intervals[s.interval.Selected]; ok {
		next.CheckIntervalMinutes = int(iv / time.Minute)
	}
	var err error
	if next.LicenseWarnDays, err = parseDays(s.lic.Text); err != nil {
		return cur, fmt.Errorf("license warning: %w", err)
	}
	if next.TokenWarnDays, err = parseDays(s.tok.Text); err != nil {
		return cur, fmt.Errorf("token warning: %w", err)
	}
	for label, id := range s.muteIDs {
		next.SetMuted(id, slices.Contains(s.mute.Selected, label))
	}
	return next, nil
}

func (s *settingsDialog) onClose(save bool) {
	e := s.d.env
	if s.d.settingsDlg == s {
		s.d.settingsDlg = nil
	}
	if !save {
		return
	}
	next, err := s.values(e.settings.cur)
	if err != nil {
		showErr(e.win, "Settings not saved", err)
		return
	}
	e.prefs.SetStartMinimized(s.minimize.Checked)
	e.settings.set(e, next, func(err error) {
		if err != nil {
			showErr(e.win, "Settings not saved", err)
		}
	})
}

// fixedHeight gives its only child a fixed height, for a scroll inside a form.
type fixedHeight struct{ height float32 }

// MinSize is the child's width and the fixed height.
func (f *fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w := float32(0)
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, f.height)
}

// Layout gives every child the whole space.
func (f *fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
