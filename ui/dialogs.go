package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/internal/words"
)

// Every failure and every confirmation the window shows goes through here,
// so they all look alike: a failure has the error icon, a title saying what
// failed, the reason and OK; a confirmation has a title, the text, Cancel
// and a button named for what it does, red when it changes or removes
// something that cannot simply be undone.

// dialogWidth is the width of these dialogs, before the window caps it.
const dialogWidth = 560

// dialogMargin is the window's edge left around a dialog.
const dialogMargin = 20

// fitDialog sizes d to width × height, or less where the window is smaller,
// so no dialog reaches past the window at any scale; a height of 0 leaves
// it as tall as its content needs.
func fitDialog(d dialog.Dialog, win fyne.Window, width, height float32) {
	size := win.Canvas().Size()
	d.Resize(fyne.NewSize(min(width, size.Width-2*dialogMargin), min(height, size.Height-2*dialogMargin)))
}

// failureIcon marks a dialog that reports a failure.
func failureIcon() fyne.CanvasObject {
	return container.NewVBox(widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon())))
}

// showFailure tells of a failure: title says what failed, message (whole
// sentences: a file name may start it) why and what to do.
func showFailure(win fyne.Window, title, message string) {
	text := &widget.Label{Text: message, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustom(title, "OK", container.NewBorder(nil, nil, failureIcon(), nil, text), win)
	fitDialog(d, win, dialogWidth, 0)
	d.Show()
}

// showErr is showFailure for an error value, made a sentence.
func showErr(win fyne.Window, title string, err error) {
	showFailure(win, title, words.Sentence(err.Error()))
}

// confirmation describes one confirm dialog.
type confirmation struct {
	title   string
	content fyne.CanvasObject // the text, and anything the user must see first
	action  string            // the confirm button's text, naming what it does
	icon    fyne.Resource     // the confirm button's icon
	// safe marks an action that only adds: its button is the primary colour, not red.
	safe bool
	do   func()
}

// confirmText is a confirmation's content made of plain text.
func confirmText(text string) fyne.CanvasObject {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
}

// showConfirm opens c; it returns the dialog and its confirm button, which a
// caller may disable until the user has done what is asked first.
func showConfirm(win fyne.Window, c confirmation) (*dialog.CustomDialog, *widget.Button) {
	dlg := dialog.NewCustomWithoutButtons(c.title, c.content, win)
	imp := widget.DangerImportance
	if c.safe {
		imp = widget.HighImportance
	}
	ok := &widget.Button{Text: c.action, Icon: c.icon, Importance: imp}
	ok.OnTapped = func() {
		if ok.Disabled() {
			return
		}
		dlg.Hide()
		c.do()
	}
	cancel := &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: dlg.Hide}
	dlg.SetButtons([]fyne.CanvasObject{cancel, ok})
	fitDialog(dlg, win, dialogWidth, 0)
	dlg.Show()
	return dlg, ok
}
