package ui

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/internal/words"
)

// allInstances is the history filter's first choice.
const allInstances = "All instances"

// historyColumn is one column of the history table: its title, width and
// how it shows an entry.
type historyColumn struct {
	title string
	width float32
	cell  func(e history.Entry, loc *time.Location) (string, widget.Importance)
}

// historyColumns are the history table's columns.
var historyColumns = []historyColumn{
	{"When", 140, func(e history.Entry, loc *time.Location) (string, widget.Importance) {
		return e.Time.In(loc).Format("2 Jan 2006 15:04"), widget.MediumImportance
	}},
	{"Instance", 170, func(e history.Entry, _ *time.Location) (string, widget.Importance) {
		return cmp.Or(e.InstanceName, e.InstanceID), widget.MediumImportance
	}},
	{"Action", 76, func(e history.Entry, _ *time.Location) (string, widget.Importance) {
		return actionWord(e.Action), widget.MediumImportance
	}},
	{"Result", 90, func(e history.Entry, _ *time.Location) (string, widget.Importance) {
		switch e.Outcome {
		case history.OutcomeOK:
			return "OK", widget.SuccessImportance
		case history.OutcomeUnresolved:
			return "Not solved", widget.WarningImportance
		}
		return "Failed", widget.DangerImportance
	}},
	{"HTTP", 56, func(e history.Entry, _ *time.Location) (string, widget.Importance) {
		if e.HTTPStatus == 0 {
			return noValue()
		}
		return strconv.Itoa(e.HTTPStatus), widget.MediumImportance
	}},
	{"License until", 116, func(e history.Entry, loc *time.Location) (string, widget.Importance) {
		switch {
		case e.Outcome == history.OutcomeFailed:
			return noValue()
		case e.Action == history.ActionDelete:
			return "removed", widget.MediumImportance
		}
		return optionalDate(e.LicenseExpires, loc)
	}},
	{"Token until", 116, func(e history.Entry, loc *time.Location) (string, widget.Importance) {
		if e.Outcome == history.OutcomeFailed || e.Action == history.ActionDelete {
			return noValue()
		}
		return optionalDate(e.TokenExpires, loc)
	}},
	{"From", 116, func(e history.Entry, _ *time.Location) (string, widget.Importance) {
		if e.Source == "" {
			return noValue()
		}
		return sourceWord(e.Source), widget.MediumImportance
	}},
	{"Message", 320, func(e history.Entry, _ *time.Location) (string, widget.Importance) {
		switch {
		case e.Error != "":
			return shortError(e.Error), widget.DangerImportance
		case e.Note != "":
			return e.Note, widget.WarningImportance
		}
		return noValue()
	}},
}

// noValue fills a cell with nothing to say.
func noValue() (string, widget.Importance) { return "—", widget.LowImportance }

func optionalDate(t *time.Time, loc *time.Location) (string, widget.Importance) {
	if t == nil {
		return noValue()
	}
	return date(*t, loc), widget.MediumImportance
}

// historyView is a window of its own listing the renewals, uploads and
// removals, newest first, filterable by instance; it stays open beside
// the main window and follows the actions done there.
type historyView struct {
	env *env
	src historySource // the engine, or a fake in tests
	win fyne.Window

	filter  *widget.Select
	table   *widget.Table
	count   *widget.Label
	detail  *widget.Label
	reloadB *widget.Button

	all      []history.Entry
	shown    []history.Entry
	skipped  int
	readErr  error
	filterID map[string]string // filter label → instance id
	loading  bool
	again    bool // another reload was asked for while one ran
	// keyDown is the window's key-down handler (Escape closes it).
	keyDown func(*fyne.KeyEvent)
}

// showHistory opens the history window, or brings it forward.
func (d *desk) showHistory() {
	if d.history != nil {
		d.history.win.Show()
		d.history.win.RequestFocus()
		d.history.reload()
		return
	}
	h := newHistoryView(d.env, d.env.svc)
	h.win.SetOnClosed(func() {
		if d.history == h {
			d.history = nil
		}
	})
	d.history = h
	h.win.Show()
	h.reload()
}

func newHistoryView(e *env, src historySource) *historyView {
	h := &historyView{env: e, src: src, filterID: map[string]string{}}
	h.win = e.app.NewWindow("History — Licensedesk")
	h.filter = widget.NewSelect([]string{allInstances}, func(string) { h.applyFilter() })
	h.filter.Selected = allInstances // not SetSelected: the table is not built yet
	h.count = &widget.Label{Importance: widget.LowImportance}
	h.detail = &widget.Label{Wrapping: fyne.TextWrapWord}
	h.reloadB = &widget.Button{Text: "Reload", Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance, OnTapped: h.reload}

	h.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(h.shown), len(historyColumns) },
		func() fyne.CanvasObject { return &widget.Label{Truncation: fyne.TextTruncateEllipsis} },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < len(h.shown) {
				text, imp := historyCell(h.shown[id.Row], id.Col, e.loc)
				l := o.(*widget.Label)
				l.Importance = imp
				l.SetText(text)
			}
		},
	)
	h.table.ShowHeaderColumn = false
	h.table.CreateHeader = func() fyne.CanvasObject { return &widget.Label{TextStyle: fyne.TextStyle{Bold: true}} }
	h.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(historyColumns) {
			o.(*widget.Label).SetText(historyColumns[id.Col].title)
		}
	}
	for i, c := range historyColumns {
		h.table.SetColumnWidth(i, c.width)
	}
	h.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(h.shown) {
			h.detail.SetText(historyDetail(h.shown[id.Row], e.loc))
		}
	}

	top := container.NewBorder(nil, nil, widget.NewLabel("Instance:"), container.NewHBox(h.count, h.reloadB), h.filter)
	bottom := container.NewVBox(widget.NewSeparator(), h.detail)
	h.win.SetContent(container.NewBorder(container.NewPadded(top), container.NewPadded(bottom), nil, nil, h.table))
	h.win.Resize(fyne.NewSize(1220, 600))
	c := h.win.Canvas()
	c.AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) {
		e.app.Clipboard().SetContent(h.detail.Text)
	})
	// Escape and Ctrl+W close it, as they close a dialog and the main window.
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { h.win.Close() })
	h.keyDown = watchDialogKeys(c, func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			h.win.Close()
		}
	})
	return h
}

// reload reads the history file off the UI goroutine, then shows it.
func (h *historyView) reload() {
	if h.loading {
		h.again = true
		return
	}
	h.loading = true
	hist := h.src.History()
	h.env.background(func() func() {
		entries, skipped, err := hist.Scan("")
		return func() {
			h.loading = false
			h.all, h.skipped, h.readErr = entries, skipped, err
			h.updateFilterOptions()
			h.applyFilter()
			if h.again {
				h.again = false
				h.reload()
			}
		}
	})
}

// updateFilterOptions offers every configured instance, and those the
// history names that were removed since.
func (h *historyView) updateFilterOptions() {
	clear(h.filterID)
	opts := []string{allInstances}
	seen := map[string]bool{}
	add := func(id, label string) {
		if seen[id] {
			return
		}
		seen[id] = true
		if _, taken := h.filterID[label]; taken || label == allInstances {
			label += " (" + id + ")"
		}
		h.filterID[label] = id
		opts = append(opts, label)
	}
	for _, inst := range h.src.Instances() {
		add(inst.ID, inst.DisplayName())
	}
	var removed []history.Entry
	for _, e := range h.all {
		if !seen[e.InstanceID] && !slices.ContainsFunc(removed, func(r history.Entry) bool { return r.InstanceID == e.InstanceID }) {
			removed = append(removed, e)
		}
	}
	for _, e := range removed {
		add(e.InstanceID, cmp.Or(e.InstanceName, e.InstanceID)+" (removed)")
	}
	sel := h.filter.Selected
	h.filter.SetOptions(opts)
	if _, ok := h.filterID[sel]; !ok {
		sel = allInstances
	}
	h.filter.Selected = sel
	h.filter.Refresh()
}

func (h *historyView) applyFilter() {
	id := h.filterID[h.filter.Selected]
	h.shown = h.shown[:0]
	for _, e := range h.all {
		if id == "" || e.InstanceID == id {
			h.shown = append(h.shown, e)
		}
	}
	h.table.UnselectAll()
	h.table.Refresh()
	h.table.ScrollToTop()
	h.detail.SetText(h.summary(id))
	switch {
	case len(h.all) == 0:
		h.count.SetText("")
	case id != "":
		h.count.SetText(entryCount(len(h.shown)) + " of " + itoa(len(h.all)))
	default:
		h.count.SetText(entryCount(len(h.shown)))
	}
}

// summary is the line below the table before a row is picked.
func (h *historyView) summary(id string) string {
	var parts []string
	switch {
	case h.readErr != nil:
		parts = append(parts, words.Sentence(h.readErr.Error()))
	case len(h.all) == 0:
		parts = append(parts, "No renewals, uploads or removals yet: each one, from the window or the command line, is recorded here.")
	case len(h.shown) == 0 && id != "":
		parts = append(parts, "Nothing recorded for this instance.")
	default:
		parts = append(parts, "Newest first. Select a row to read all of it.")
	}
	if h.skipped > 0 {
		parts = append(parts, fmt.Sprintf("%s of the history file could not be read and %s skipped.",
			words.Plural(h.skipped, "line"), map[bool]string{true: "was", false: "were"}[h.skipped == 1]))
	}
	return strings.Join(parts, " ")
}

// historyCell is one cell's text and emphasis.
func historyCell(e history.Entry, col int, loc *time.Location) (string, widget.Importance) {
	if col < 0 || col >= len(historyColumns) {
		return "", widget.MediumImportance
	}
	return historyColumns[col].cell(e, loc)
}

// reCouldNot is the start every error of an action shares ("could not
// renew the license token at https://…: "); the table has the action already.
var reCouldNot = regexp.MustCompile(`^(?i)could not .*?: `)

// shortError is an error without the "could not renew …:" the row already says.
func shortError(msg string) string {
	if short := reCouldNot.ReplaceAllString(msg, ""); short != "" {
		return strings.ToUpper(short[:1]) + short[1:]
	}
	return msg
}

func sourceWord(s string) string {
	return strings.ToUpper(s[:1]) + s[1:]
}

func actionWord(a history.Action) string {
	switch a {
	case history.ActionRenew:
		return "Renew"
	case history.ActionUpload:
		return "Upload"
	case history.ActionDelete:
		return "Remove"
	}
	return string(a)
}

// newExpiry is what a successful action left: the new dates, or "license removed".
func newExpiry(e history.Entry, loc *time.Location) string {
	if e.Outcome == history.OutcomeFailed {
		return ""
	}
	if e.Action == history.ActionDelete {
		return "license removed"
	}
	var parts []string
	if e.LicenseExpires != nil {
		parts = append(parts, "license "+date(*e.LicenseExpires, loc))
	}
	if e.TokenExpires != nil {
		parts = append(parts, "token "+date(*e.TokenExpires, loc))
	}
	return strings.Join(parts, " · ")
}

// historyDetail is one entry in full, for the line below the table.
func historyDetail(e history.Entry, loc *time.Location) string {
	s := fmt.Sprintf("%s — %s of %s (%s)", e.Time.In(loc).Format("2 Jan 2006 15:04:05 MST"),
		actionWord(e.Action), cmp.Or(e.InstanceName, e.InstanceID), e.InstanceID)
	if e.Source != "" {
		s += " from the " + e.Source
	}
	switch e.Outcome {
	case history.OutcomeOK:
		s += ": done"
	case history.OutcomeUnresolved:
		s += ": done, but not solved"
	default:
		s += ": failed"
	}
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(", HTTP %d", e.HTTPStatus)
	}
	s += "."
	if x := newExpiry(e, loc); x != "" {
		s += " " + words.Sentence(strings.ReplaceAll(x, " · ", ", "))
	}
	if e.TokenID != "" {
		s += " Token ID " + e.TokenID + "."
	}
	for _, t := range []string{e.Error, e.Note} {
		if t != "" {
			s += " " + words.Sentence(t)
		}
	}
	return s
}

func entryCount(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return itoa(n) + " entries"
}
