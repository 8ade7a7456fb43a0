package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/client"
)

// policyEngine is an engine whose warn periods the user may override.
type policyEngine interface {
	Policy() client.Policy
	SetPolicy(client.Policy)
}

const (
	prefLicenseWarn = "policy.license_warn_days"
	prefTokenWarn   = "policy.token_warn_days"
)

// applyPolicy hands the saved warn-day overrides to the engine at start.
func applyPolicy(e *env) {
	if pe, ok := e.svc.(policyEngine); ok {
		p := e.app.Preferences()
		pe.SetPolicy(client.Policy{LicenseWarnDays: p.Int(prefLicenseWarn), TokenWarnDays: p.Int(prefTokenWarn)})
	}
}

// showSettings edits the warn periods; empty means Grafana's own value.
func (d *desk) showSettings() {
	pe, ok := d.env.svc.(policyEngine)
	if !ok {
		return
	}
	cur := pe.Policy()
	lic, tok := newEscEntry(), newEscEntry()
	lic.PlaceHolder = "Grafana's value (default " + strconv.Itoa(client.DefaultLicenseWarnDays) + ")"
	tok.PlaceHolder = "Grafana's value (default " + strconv.Itoa(client.DefaultTokenWarnDays) + ")"
	if cur.LicenseWarnDays > 0 {
		lic.SetText(strconv.Itoa(cur.LicenseWarnDays))
	}
	if cur.TokenWarnDays > 0 {
		tok.SetText(strconv.Itoa(cur.TokenWarnDays))
	}
	licErr := &widget.Label{Importance: widget.DangerImportance}
	tokErr := &widget.Label{Importance: widget.DangerImportance}
	parse := func(e *escEntry, msg *widget.Label) (int, bool) {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			msg.SetText("")
			return 0, true
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 3650 {
			msg.SetText("Enter a number of days from 1 to 3650, or leave it empty")
			return 0, false
		}
		msg.SetText("")
		return n, true
	}
	form := widget.NewForm(
		&widget.FormItem{Text: "Warn before the license expires (days)", Widget: container.NewVBox(lic, licErr)},
		&widget.FormItem{Text: "Warn before the token expires (days)", Widget: container.NewVBox(tok, tokErr)},
	)
	intro := &widget.Label{Wrapping: fyne.TextWrapWord, Text: "Each license says when to start warning (lic_exp_warn_days, " +
		"tok_exp_warn_days). Set a number here to use it for every instance instead."}
	var dlg *dialog.ConfirmDialog
	dlg = dialog.NewCustomConfirm("Settings", "Save", "Cancel", container.NewVBox(intro, form), func(save bool) {
		if !save {
			return
		}
		l, ok1 := parse(lic, licErr)
		t, ok2 := parse(tok, tokErr)
		if !ok1 || !ok2 {
			dlg.Show()
			return
		}
		prefs := d.env.app.Preferences()
		prefs.SetInt(prefLicenseWarn, l)
		prefs.SetInt(prefTokenWarn, t)
		policy := client.Policy{LicenseWarnDays: l, TokenWarnDays: t}
		d.env.background(func() func() {
			pe.SetPolicy(policy)
			return nil
		})
	}, d.env.win)
	lic.OnEscape, tok.OnEscape = dlg.Hide, dlg.Hide
	dlg.Resize(fyne.NewSize(560, 0))
	dlg.Show()
}
