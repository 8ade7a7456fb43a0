package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// instanceRow is one row of the instance list: the list makes only as many
// as fit on screen and reuses them, so 10,000 instances stay fluid.
type instanceRow struct {
	widget.BaseWidget
	id    string // the instance it shows; "" before the list binds it
	icon  *widget.Icon
	name  *widget.Label
	trial *tagBadge     // shown for a trial license
	state *widget.Label // "Critical · license expired": the word, never colour alone
	host  *widget.Label
	flag  *widget.Label // "TLS not verified"
	busy  *widget.Activity
	// snoozed is set by the list before set: the row says so.
	snoozed bool
	// hostLine holds host and flag; it lays them out again when the flag
	// changes, or a long flag would stick out of the row.
	hostLine *fyne.Container
	// nameLine holds the name and the trial badge, laid out again when the badge shows or hides.
	nameLine *fyne.Container
	focus    *focusFrame // shown while the list has the keyboard and this row is selected
}

func newInstanceRow() *instanceRow {
	r := &instanceRow{
		icon:  widget.NewIcon(stateIcon(client.StateUnknown)),
		name:  &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		trial: newTagBadge(trialBadgeText),
		state: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		host:  &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
		flag:  &widget.Label{Importance: widget.WarningImportance, SizeName: theme.SizeNameCaptionText},
		busy:  widget.NewActivity(),
		focus: newFocusFrame(),
	}
	r.busy.Hide()
	r.ExtendBaseWidget(r)
	return r
}

// set shows one instance's status.
func (r *instanceRow) set(st app.Status, busy bool) {
	r.icon.SetResource(stateIcon(st.Eval.State))
	r.name.SetText(st.Instance.DisplayName())
	if trial := st.Token != nil && st.Token.Trial; trial != r.trial.Visible() {
		showIf(r.trial, trial)
		if r.nameLine != nil {
			r.nameLine.Refresh()
		}
	}
	r.host.SetText(hostOf(st.Instance.URL))

	line := st.Eval.State.Title()
	if busy {
		line += " · working…"
	} else if s := rowSummary(st); s != "" {
		line += " · " + s
	}
	r.state.Importance = stateImportance(st.Eval.State)
	r.state.SetText(line)

	var flags []string
	if st.Instance.InsecureSkipVerify {
		flags = append(flags, "⚠ TLS not verified")
	}
	if r.snoozed {
		flags = append(flags, "snoozed")
	}
	r.flag.SetText(strings.Join(flags, " · "))
	showIf(r.flag, len(flags) > 0)
	if r.hostLine != nil {
		r.hostLine.Refresh()
	}
	if busy {
		r.busy.Show()
		r.busy.Start()
	} else {
		r.busy.Stop()
		r.busy.Hide()
	}
}

// CreateRenderer puts the state icon left of three lines: the name; the
// state in words with the reason that decides it; the host and any flags.
// A trial's badge follows the name.
func (r *instanceRow) CreateRenderer() fyne.WidgetRenderer {
	icon := container.NewStack(container.NewCenter(r.icon), r.busy)
	r.hostLine = container.NewBorder(nil, nil, nil, r.flag, r.host)
	r.nameLine = container.NewBorder(nil, nil, nil, r.trial, r.name)
	lines := container.New(tightVBox{}, r.nameLine, r.state, r.hostLine)
	return widget.NewSimpleRenderer(container.NewStack(container.NewBorder(nil, nil, icon, nil, lines), r.focus))
}

// fixedWidth lays its objects at a fixed width, vertically centred.
type fixedWidth struct{ width float32 }

func (f *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.width, h)
}

func (f *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		m := o.MinSize()
		o.Resize(fyne.NewSize(size.Width, m.Height))
		o.Move(fyne.NewPos(0, (size.Height-m.Height)/2))
	}
}

// tightVBox stacks objects, overlapping the labels' inner padding so
// three-line rows stay compact.
type tightVBox struct{}

func tightOverlap() float32 { return theme.InnerPadding() * 1.5 }

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		n++
	}
	if n > 1 {
		s.Height -= float32(n-1) * tightOverlap()
	}
	return s
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	first := true
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if !first {
			y -= tightOverlap()
		}
		first = false
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}

var _ fyne.Layout = tightVBox{}

func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}
