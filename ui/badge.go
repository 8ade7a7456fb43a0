package ui

import (
	"fyne.io/fyne/v2"
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
