package ui

import (
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
	badge  *StateBadge
	name   *widget.Label
	expiry *widget.Label
	host   *widget.Label
	flag   *widget.Label // "TLS not verified", "last read failed"
	flagIc *widget.Icon
	busy   *widget.Label
}

func newInstanceRow() *instanceRow {
	r := &instanceRow{
		badge:  NewStateBadge(client.StateUnknown),
		name:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		expiry: &widget.Label{Alignment: fyne.TextAlignTrailing},
		host:   &widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
		flag:   &widget.Label{Importance: widget.WarningImportance, SizeName: theme.SizeNameCaptionText},
		flagIc: widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())),
		busy:   &widget.Label{Text: "Working…", Importance: widget.LowImportance, Alignment: fyne.TextAlignTrailing},
	}
	r.ExtendBaseWidget(r)
	return r
}

// set shows one instance's status.
func (r *instanceRow) set(st app.Status, busy bool) {
	r.badge.SetState(st.Eval.State)
	name := st.Instance.Name
	if name == "" {
		name = st.Instance.ID
	}
	r.name.SetText(name)
	r.host.SetText(hostOf(st.Instance.URL))

	exp := rowSummary(st)
	r.expiry.Importance = stateImportance(st.Eval.State)
	r.expiry.SetText(exp)

	var flags []string
	if st.Instance.InsecureSkipVerify {
		flags = append(flags, "TLS not verified")
	}
	if st.Err != nil {
		if st.Stale {
			flags = append(flags, "last read failed, showing older data")
		} else {
			flags = append(flags, "could not read")
		}
	}
	r.flag.SetText(joinDot(flags))
	showIf(r.flag, len(flags) > 0)
	showIf(r.flagIc, len(flags) > 0)
	showIf(r.busy, busy)
	showIf(r.expiry, !busy)
}

// CreateRenderer lays out the badge, the name and expiry on the first line,
// the host and flags on the second.
func (r *instanceRow) CreateRenderer() fyne.WidgetRenderer {
	badge := container.New(&fixedWidth{width: badgeWidth()}, r.badge)
	top := container.NewBorder(nil, nil, nil, container.NewStack(r.expiry, r.busy), r.name)
	bottom := container.NewBorder(nil, nil, nil, container.NewHBox(r.flagIc, r.flag), r.host)
	lines := container.New(tightVBox{}, top, bottom)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, badge, nil, lines))
}

// badgeWidth fits the widest state word so names line up.
func badgeWidth() float32 {
	w := float32(0)
	for _, s := range []client.State{client.StateOK, client.StateWarning, client.StateUnknown, client.StateCritical} {
		w = max(w, NewStateBadge(s).MinSize().Width)
	}
	return w
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

// tightVBox stacks objects without padding so two-line rows stay compact.
type tightVBox struct{}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - 2*theme.Padding()
	}
	return s.AddWidthHeight(0, 2*theme.Padding())
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for i, o := range objs {
		h := o.MinSize().Height
		if i > 0 {
			y -= 2 * theme.Padding()
		}
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

func joinDot(parts []string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += " · "
		}
		s += p
	}
	return s
}
