package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/client"
)

// stateIcon is the icon of a state, coloured by the theme; its shape alone
// tells the states apart.
func stateIcon(s client.State) fyne.Resource {
	switch s {
	case client.StateOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case client.StateWarning:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case client.StateCritical:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	return theme.QuestionIcon()
}

func stateImportance(s client.State) widget.Importance {
	switch s {
	case client.StateOK:
		return widget.SuccessImportance
	case client.StateWarning:
		return widget.WarningImportance
	case client.StateCritical:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

// StateBadge shows a state as an icon and a word, never colour alone.
type StateBadge struct {
	widget.BaseWidget
	icon  *widget.Icon
	label *widget.Label
}

// NewStateBadge makes a badge showing s.
func NewStateBadge(s client.State) *StateBadge {
	b := &StateBadge{
		icon:  widget.NewIcon(nil),
		label: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
	}
	b.ExtendBaseWidget(b)
	b.SetState(s)
	return b
}

// SetState shows s.
func (b *StateBadge) SetState(s client.State) {
	b.icon.SetResource(stateIcon(s))
	b.label.Importance = stateImportance(s)
	b.label.SetText(s.Title())
}

// Text is the badge's word, for tests and accessibility.
func (b *StateBadge) Text() string { return b.label.Text }

// CreateRenderer lays the icon before the word.
func (b *StateBadge) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewHBox(b.icon, b.label))
}

// trialBadgeText marks a trial license on its row and in its header.
const trialBadgeText = "Trial"

// tagBadge is a short word on a rounded fill, beside an instance's name or
// state: a fact about the license (a trial), not a state, so it is drawn
// in the theme's primary colour with the text colour made for it, which
// theme_test.go holds to 4.5:1 in both variants.
type tagBadge struct {
	widget.BaseWidget
	text string
}

func newTagBadge(text string) *tagBadge {
	b := &tagBadge{text: text}
	b.ExtendBaseWidget(b)
	return b
}

// CreateRenderer draws the fill and the word.
func (b *tagBadge) CreateRenderer() fyne.WidgetRenderer {
	r := &tagRenderer{b: b, bg: &canvas.Rectangle{}, word: &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}}}
	r.Refresh()
	return r
}

type tagRenderer struct {
	b    *tagBadge
	bg   *canvas.Rectangle
	word *canvas.Text
}

func (r *tagRenderer) pad() fyne.Size {
	return fyne.NewSize(theme.InnerPadding(), theme.InnerPadding()/4)
}

func (r *tagRenderer) MinSize() fyne.Size {
	return r.word.MinSize().Add(r.pad().Add(r.pad()))
}

// Layout keeps the fill at its own height, centred, however tall the row it sits in.
func (r *tagRenderer) Layout(size fyne.Size) {
	h := min(size.Height, r.MinSize().Height)
	r.bg.Move(fyne.NewPos(0, (size.Height-h)/2))
	r.bg.Resize(fyne.NewSize(size.Width, h))
	w := r.word.MinSize()
	r.word.Move(fyne.NewPos((size.Width-w.Width)/2, (size.Height-w.Height)/2))
	r.word.Resize(w)
}

func (r *tagRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNamePrimary)
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.word.Text = r.b.text
	r.word.Color = theme.Color(theme.ColorNameForegroundOnPrimary)
	r.word.TextSize = theme.CaptionTextSize()
	r.bg.Refresh()
	r.word.Refresh()
}

func (r *tagRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.word} }
func (r *tagRenderer) Destroy()                     {}
