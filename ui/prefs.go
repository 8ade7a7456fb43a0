package ui

import "fyne.io/fyne/v2"

// Sort orders of the instance list.
const (
	SortUrgency = "urgency"
	SortName    = "name"
	SortExpiry  = "expiry"
)

// The preference keys, named once.
const (
	prefWidth     = "window.width"
	prefHeight    = "window.height"
	prefSplit     = "window.split"
	prefSort      = "list.sort"
	prefSelection = "list.selection"
)

// Window size and split defaults: readable at 1280×800. A remembered size
// is never below the minimum, which any screen has room for; the window
// then shrinks to fit its screen (fitSize).
const (
	defaultWidth  = 1280
	defaultHeight = 800
	defaultSplit  = 0.38
	minWidth      = 480
	minHeight     = 360
)

// Prefs is the window's own state kept in Fyne Preferences; the instance
// list itself lives in app's store.
type Prefs struct {
	p fyne.Preferences
}

// NewPrefs wraps p.
func NewPrefs(p fyne.Preferences) Prefs { return Prefs{p: p} }

// WindowSize is the last window size, never smaller than 480×360.
func (s Prefs) WindowSize() fyne.Size {
	w := s.p.FloatWithFallback(prefWidth, defaultWidth)
	h := s.p.FloatWithFallback(prefHeight, defaultHeight)
	return fyne.NewSize(float32(max(w, minWidth)), float32(max(h, minHeight)))
}

// SetWindowSize remembers the window size.
func (s Prefs) SetWindowSize(size fyne.Size) {
	s.p.SetFloat(prefWidth, float64(size.Width))
	s.p.SetFloat(prefHeight, float64(size.Height))
}

// Split is the share of the window's width the instance list takes.
func (s Prefs) Split() float64 {
	v := s.p.FloatWithFallback(prefSplit, defaultSplit)
	if v < 0.15 || v > 0.85 {
		return defaultSplit
	}
	return v
}

// SetSplit remembers the split position.
func (s Prefs) SetSplit(v float64) { s.p.SetFloat(prefSplit, v) }

// Sort is the list's sort order, urgency unless the user chose another.
func (s Prefs) Sort() string {
	switch v := s.p.String(prefSort); v {
	case SortName, SortExpiry:
		return v
	}
	return SortUrgency
}

// SetSort remembers the sort order.
func (s Prefs) SetSort(v string) { s.p.SetString(prefSort, v) }

// Selection is the id of the last selected instance, or "".
func (s Prefs) Selection() string { return s.p.String(prefSelection) }

// SetSelection remembers the selected instance.
func (s Prefs) SetSelection(id string) { s.p.SetString(prefSelection, id) }

// prefStartMinimized is the "start minimized to the tray" choice: a window
// matter, so it stays in Fyne's preferences rather than settings.json.
const prefStartMinimized = "tray.start_minimized"

// StartMinimized says whether the window starts hidden in the tray.
func (s Prefs) StartMinimized() bool { return s.p.Bool(prefStartMinimized) }

// SetStartMinimized remembers whether to start hidden in the tray.
func (s Prefs) SetStartMinimized(v bool) { s.p.SetBool(prefStartMinimized, v) }

// prefToldAboutTray remembers that the user was told, once, that closing
// the window leaves Licensedesk watching from the tray.
const prefToldAboutTray = "tray.told_about_closing"

// ToldAboutTray says whether that was said already.
func (s Prefs) ToldAboutTray() bool { return s.p.Bool(prefToldAboutTray) }

// SetToldAboutTray remembers that it was said.
func (s Prefs) SetToldAboutTray() { s.p.SetBool(prefToldAboutTray, true) }
