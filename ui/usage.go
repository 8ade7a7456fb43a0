package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// usageBarWidth is how wide a usage bar is drawn; its words sit beside it.
const usageBarWidth = 140

// usageContent shows each user count the license limits as a bar coloured
// by its state, with the count in the client's words beside it, then the
// counts Grafana reported that no limit covers. nil when no counts were read.
func (d *DetailPane) usageContent(st app.Status) fyne.CanvasObject {
	s := st.Stats
	if s == nil {
		return nil
	}
	g := &grid{col: d.cols}
	barred := map[string]bool{}
	for _, u := range st.Eval.Usage {
		barred[u.Kind] = true
		g.objs = append(g.objs, &widget.Label{Text: u.Name(), TextStyle: fyne.TextStyle{Bold: true}}, newUsageLine(u))
	}
	for _, c := range []struct {
		kind, label string
		n           int64
	}{
		{client.UsageUsers, "Active users", s.ActiveUsers},
		{client.UsageAdminsAndEditors, "Admins and editors", s.ActiveAdminsAndEditors},
		{client.UsageViewers, "Viewers", s.ActiveViewers},
	} {
		if !barred[c.kind] {
			g.add(c.label, itoa64(c.n))
		}
	}
	g.add("Anonymous devices", itoa64(s.ActiveAnonymousDevices))
	return g.container()
}

// usageLine is one limit: its bar, the state's icon, and the count in words.
type usageLine struct {
	widget.BaseWidget
	bar   *usageBar
	icon  *widget.Icon
	count *widget.Label
}

func newUsageLine(u client.Usage) *usageLine {
	l := &usageLine{
		bar:   newUsageBar(u),
		icon:  widget.NewIcon(stateIcon(u.State)),
		count: &widget.Label{Text: u.Count(), Wrapping: fyne.TextWrapWord, Importance: stateImportance(u.State)},
	}
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer lays the bar and icon before the words, or above them
// where the words would be squeezed into a narrow column.
func (l *usageLine) CreateRenderer() fyne.WidgetRenderer {
	bar := container.NewHBox(container.New(&fixedWidth{width: usageBarWidth}, l.bar), container.NewCenter(l.icon))
	return widget.NewSimpleRenderer(container.New(&besideOrBelow{}, bar, l.count))
}

// besideOrBelow lays its first object left of its second, a wrapping
// text, vertically centred; when the text would have less than
// minTextEms of width there, it goes below instead.
type besideOrBelow struct{ width float32 }

const minTextEms = 18

func (b *besideOrBelow) beside(objs []fyne.CanvasObject, width float32) bool {
	return width == 0 || width-objs[0].MinSize().Width-theme.Padding() >= minTextEms*theme.TextSize()
}

// MinSize is measured at the width last laid out, which decides where the
// text goes and how many lines it wraps to.
func (b *besideOrBelow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	first, text := objs[0].MinSize(), objs[1].MinSize()
	if b.beside(objs, b.width) {
		return fyne.NewSize(first.Width+theme.Padding()+text.Width, max(first.Height, text.Height))
	}
	return fyne.NewSize(max(first.Width, text.Width), firstRow(first)+text.Height-theme.InnerPadding())
}

// firstRow is the height the first object is centred in when the text goes
// below: a line of a label's, so it sits level with the row's name; the
// text's own top padding then overlaps this row's bottom one.
func firstRow(first fyne.Size) float32 {
	line := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.InnerPadding()
	return max(first.Height, line)
}

func (b *besideOrBelow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	b.width = size.Width
	first, text := objs[0], objs[1]
	fw := first.MinSize()
	if b.beside(objs, size.Width) {
		tx := fw.Width + theme.Padding()
		text.Move(fyne.NewPos(tx, 0))
		text.Resize(fyne.NewSize(size.Width-tx, size.Height))
		first.Move(fyne.NewPos(0, (size.Height-fw.Height)/2))
		first.Resize(fw)
		return
	}
	row := firstRow(fw)
	first.Move(fyne.NewPos(0, (row-fw.Height)/2))
	first.Resize(fw)
	y := row - theme.InnerPadding()
	text.Move(fyne.NewPos(0, y))
	text.Resize(fyne.NewSize(size.Width, max(size.Height-y, 0)))
}

// usageBar draws one count against its limit: a track filled to the share
// used (all of it once over), in the state's colour. The words beside it
// carry the numbers and the icon the state, so colour never speaks alone.
type usageBar struct {
	widget.BaseWidget
	// fill is the share of the track filled, 0 to 1.
	fill  float64
	state client.State
}

func newUsageBar(u client.Usage) *usageBar {
	b := &usageBar{state: u.State}
	if u.Included > 0 {
		b.fill = min(max(float64(u.Active)/float64(u.Included), 0), 1)
	}
	b.ExtendBaseWidget(b)
	return b
}

// stateColor is the theme colour of a state, as its text and icon use it.
func stateColor(s client.State) fyne.ThemeColorName {
	switch s {
	case client.StateOK:
		return theme.ColorNameSuccess
	case client.StateWarning:
		return theme.ColorNameWarning
	case client.StateCritical:
		return theme.ColorNameError
	}
	return theme.ColorNameDisabled
}

// CreateRenderer draws the track and the filled share.
func (b *usageBar) CreateRenderer() fyne.WidgetRenderer {
	r := &usageBarRenderer{b: b, track: &canvas.Rectangle{StrokeWidth: 1}, used: &canvas.Rectangle{}}
	r.Refresh()
	return r
}

type usageBarRenderer struct {
	b           *usageBar
	track, used *canvas.Rectangle
}

func (r *usageBarRenderer) height() float32 { return theme.TextSize() * 0.9 }

func (r *usageBarRenderer) MinSize() fyne.Size { return fyne.NewSize(4*r.height(), r.height()) }

func (r *usageBarRenderer) Layout(size fyne.Size) {
	h := r.height()
	y := (size.Height - h) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, h))
	r.used.Move(fyne.NewPos(0, y))
	r.used.Resize(fyne.NewSize(size.Width*float32(r.b.fill), h))
}

func (r *usageBarRenderer) Refresh() {
	radius := r.height() / 2
	r.track.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.track.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.track.CornerRadius = radius
	r.used.FillColor = theme.Color(stateColor(r.b.state))
	r.used.CornerRadius = radius
	if r.b.fill == 0 {
		r.used.Hide()
	} else {
		r.used.Show()
	}
	r.track.Refresh()
	r.used.Refresh()
}

func (r *usageBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.used} }
func (r *usageBarRenderer) Destroy()                     {}
