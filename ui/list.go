package ui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/internal/words"
)

// sortLabels are the sort choices as the user reads them.
var sortLabels = map[string]string{
	SortUrgency: "Most urgent first",
	SortName:    "Name",
	SortExpiry:  "Nearest expiry",
}

// listEntry is one instance as the list keeps it: its status and the
// lower-cased text the filter matches.
type listEntry struct {
	st  app.Status
	key string
}

// InstanceList is the left pane: a filter box, a sort choice and a
// virtualized list of instances, most urgent first by default.
type InstanceList struct {
	widget.BaseWidget
	env *env

	filter  *escEntry
	sortSel *widget.Select
	count   *widget.Label
	list    *keyList

	all   []listEntry
	index map[string]int // id → position in all
	view  []int          // positions in all, filtered and sorted
	pos   map[string]int // id → position in view
	busy  map[string]bool
	// shown is the row each instance on screen is drawn in, so that a new
	// status repaints that row alone: Fyne's RefreshItem lays out every row
	// in view and builds a template row each time, which thousands of
	// statuses a minute (a large fleet's first pass) cannot afford.
	shown  map[string]*instanceRow
	sortBy string
	query  string
	// rebuilds gathers the re-sorts that statuses ask for (scheduleRebuild).
	rebuilds coalescer

	selected string
	// OnSelected is called on the UI goroutine when the user picks an instance.
	OnSelected func(id string)
}

// NewInstanceList builds the list pane.
func newInstanceList(e *env) *InstanceList {
	l := &InstanceList{
		env:    e,
		index:  map[string]int{},
		pos:    map[string]int{},
		busy:   map[string]bool{},
		shown:  map[string]*instanceRow{},
		sortBy: e.prefs.Sort(),
	}
	l.rebuilds = coalescer{do: e.do, fn: l.rebuild, delay: rebuildDelay, every: rebuildEvery}
	l.filter = newEscEntry()
	l.filter.PlaceHolder = "Filter by name, host or id (Ctrl+F)"
	l.filter.OnChanged = l.setQuery
	l.filter.OnEscape = func() { l.filter.SetText("") }

	options := []string{sortLabels[SortUrgency], sortLabels[SortName], sortLabels[SortExpiry]}
	l.sortSel = widget.NewSelect(options, func(label string) {
		for k, v := range sortLabels {
			if v == label && k != l.sortBy {
				l.sortBy = k
				l.env.prefs.SetSort(k)
				l.rebuild()
			}
		}
	})
	l.sortSel.SetSelected(sortLabels[l.sortBy])

	l.count = &widget.Label{Importance: widget.LowImportance, SizeName: theme.SizeNameCaptionText}
	l.list = newKeyList(
		func() int { return len(l.view) },
		func() fyne.CanvasObject { return newInstanceRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(l.view) {
				l.bind(o.(*instanceRow), l.all[l.view[i]])
			}
		},
	)
	l.list.current = func() int {
		if p, ok := l.pos[l.selected]; ok {
			return p
		}
		return -1
	}
	// Down in the filter box goes on into the list, where the arrows select.
	l.filter.OnDown = func() { l.env.win.Canvas().Focus(l.list) }
	l.list.OnSelected = func(i widget.ListItemID) {
		if i >= len(l.view) {
			return
		}
		id := l.all[l.view[i]].st.Instance.ID
		if id == l.selected {
			return
		}
		l.selected = id
		if l.list.focused {
			l.list.Refresh() // the focus outline moves with the selection
		}
		if l.OnSelected != nil {
			l.OnSelected(id)
		}
	}
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer puts the filter and sort above the list, the count below.
func (l *InstanceList) CreateRenderer() fyne.WidgetRenderer {
	sortRow := container.NewBorder(nil, nil, widget.NewLabel("Sort:"), nil, l.sortSel)
	top := container.NewVBox(l.filter, sortRow)
	// Laid out in the order Tab follows: the filter and sort, then the list.
	return widget.NewSimpleRenderer(container.New(layout.NewBorderLayout(top, l.count, nil, nil), top, l.list, l.count))
}

// SetStatuses replaces every instance shown.
func (l *InstanceList) SetStatuses(sts []app.Status) {
	l.all = make([]listEntry, len(sts))
	clear(l.index)
	for i, st := range sts {
		l.all[i] = newListEntry(st)
		l.index[st.Instance.ID] = i
	}
	l.rebuild()
}

// bind draws one instance in a row of the list and notes which row shows it.
func (l *InstanceList) bind(row *instanceRow, e listEntry) {
	id := e.st.Instance.ID
	if row.id != id {
		if l.shown[row.id] == row {
			delete(l.shown, row.id)
		}
		row.id = id
		l.shown[id] = row
	}
	row.snoozed = len(l.env.snoozes.Active(e.st, l.env.now())) > 0
	row.set(e.st, l.busy[id])
	showIf(row.focus, l.list.focused && id == l.selected)
}

// redraw repaints the row showing the instance at position i of all, if
// one does.
func (l *InstanceList) redraw(i int) {
	if row := l.shown[l.all[i].st.Instance.ID]; row != nil {
		l.bind(row, l.all[i])
	}
}

// Update shows new statuses of instances: a row on screen shows its new
// status at once, and re-sorting waits a moment so a refresh of thousands
// of instances re-sorts a few times, not thousands.
func (l *InstanceList) Update(sts ...app.Status) {
	for _, st := range sts {
		id := st.Instance.ID
		i, ok := l.index[id]
		if !ok {
			l.index[id] = len(l.all)
			l.all = append(l.all, newListEntry(st))
			continue
		}
		l.all[i] = newListEntry(st)
		l.redraw(i)
	}
	l.scheduleRebuild()
}

// Status returns the list's copy of one instance's status.
func (l *InstanceList) Status(id string) (app.Status, bool) {
	i, ok := l.index[id]
	if !ok {
		return app.Status{}, false
	}
	return l.all[i].st, true
}

// SetBusy marks an instance as having a call in flight.
func (l *InstanceList) SetBusy(id string, busy bool) {
	if busy {
		l.busy[id] = true
	} else {
		delete(l.busy, id)
	}
	if i, ok := l.index[id]; ok {
		l.redraw(i)
	}
}

// VisibleIDs lists the ids the filter lets through, in the order shown.
func (l *InstanceList) VisibleIDs() []string {
	ids := make([]string, len(l.view))
	for i, p := range l.view {
		ids[i] = l.all[p].st.Instance.ID
	}
	return ids
}

// Filtered says whether the filter hides any instance.
func (l *InstanceList) Filtered() bool { return len(l.view) < len(l.all) }

// Selected is the id of the selected instance, or "".
func (l *InstanceList) Selected() string { return l.selected }

// Select selects an instance and scrolls to it.
func (l *InstanceList) Select(id string) {
	if p, ok := l.pos[id]; ok {
		l.list.Select(p)
		l.list.ScrollTo(p)
		return
	}
	if _, ok := l.index[id]; ok && l.selected != id {
		l.selected = id
		l.list.UnselectAll()
		if l.OnSelected != nil {
			l.OnSelected(id)
		}
	}
}

// FocusFilter puts the keyboard in the filter box.
func (l *InstanceList) FocusFilter() {
	l.env.win.Canvas().Focus(l.filter)
}

func (l *InstanceList) setQuery(q string) {
	l.query = strings.ToLower(strings.TrimSpace(q))
	l.rebuild()
}

func (l *InstanceList) scheduleRebuild() { l.rebuilds.request() }

// A re-sort waits rebuildDelay for more statuses, and while they keep
// coming it re-sorts at most once every rebuildEvery: each re-sort of a
// list longer than the screen brings other instances into view, and Fyne
// keeps a texture of every text it drew for a minute, so a large fleet's
// first pass re-sorted several times a second piled up tens of MiB of them.
const (
	rebuildDelay = 150 * time.Millisecond
	rebuildEvery = time.Second
)

// rebuild filters and sorts, then keeps the selection on the same instance.
func (l *InstanceList) rebuild() {
	l.rebuilds.ran()
	l.view = l.view[:0]
	for i, e := range l.all {
		if l.query == "" || strings.Contains(e.key, l.query) {
			l.view = append(l.view, i)
		}
	}
	slices.SortStableFunc(l.view, func(a, b int) int { return l.compare(l.all[a].st, l.all[b].st) })
	clear(l.pos)
	for i, p := range l.view {
		l.pos[l.all[p].st.Instance.ID] = i
	}
	l.updateCount()
	l.list.Refresh()
	if p, ok := l.pos[l.selected]; ok {
		l.list.Select(p)
	} else {
		l.list.UnselectAll()
	}
}

func (l *InstanceList) updateCount() {
	switch {
	case len(l.all) == 0:
		l.count.SetText("No instances yet: add one with Add instance (Ctrl+N)")
	case l.query != "":
		l.count.SetText(words.Plural(len(l.view), "instance") + " of " + itoa(len(l.all)) + " match the filter")
	default:
		l.count.SetText(words.Plural(len(l.all), "instance"))
	}
}

// compare orders two statuses by the chosen sort, then by name and id so
// the order is stable; urgency is the tray's order.
func (l *InstanceList) compare(a, b app.Status) int {
	switch l.sortBy {
	case SortUrgency:
		return watch.CompareUrgency(a, b)
	case SortExpiry:
		if c := watch.CompareNearest(a.Eval, b.Eval); c != 0 {
			return c
		}
	}
	if c := words.CompareFold(a.Instance.Name, b.Instance.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Instance.ID, b.Instance.ID)
}

func newListEntry(st app.Status) listEntry {
	inst := st.Instance
	return listEntry{st: st, key: strings.ToLower(inst.Name + "\x00" + inst.URL + "\x00" + inst.ID)}
}
