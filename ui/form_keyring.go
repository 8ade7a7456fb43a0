package ui

import (
	"fmt"

	"fyne.io/fyne/v2/dialog"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/internal/words"
)

// offerSessionSecret explains a missing keyring and offers to keep the
// secret in memory until Licensedesk quits; it is never written to disk. A
// new instance was not saved (adding is all or nothing); an edited one was,
// without its new secret.
func (f *instanceForm) offerSessionSecret(inst app.Instance, secret string, err error) {
	keeper, ok := f.env.svc.(sessionSecrets)
	adding := f.editing == nil
	what := fmt.Sprintf("%s was saved, but its %s was not", inst.Name, inst.SecretWord())
	if adding {
		what = fmt.Sprintf("%s was not added: its %s cannot be stored", inst.Name, inst.SecretWord())
	}
	msg := fmt.Sprintf("%s, because the system keyring is not available.\n\n%s", what, words.Sentence(err.Error()))
	if !ok {
		if !adding {
			f.dlg.Hide()
			f.onSaved(inst.ID)
		}
		showFailure(f.env.win, "Keyring not available", msg+"\n\nStart your keyring, then save again.")
		return
	}
	f.dlg.Hide()
	msg += "\n\nLicensedesk can keep it in memory for this session only: it is never written to disk, and you enter it again after restarting."
	d := dialog.NewConfirm("Keyring not available", msg, func(keep bool) {
		switch {
		case keep && adding:
			if err := keeper.AddInstanceForSession(inst, secret); err != nil {
				showErr(f.env.win, "Not kept for this session", err)
				f.dlg.Show()
				return
			}
		case keep:
			if err := keeper.KeepSecretForSession(inst.ID, secret); err != nil {
				showErr(f.env.win, "Not kept for this session", err)
			}
		case adding:
			f.dlg.Show() // nothing was saved: back to the form, as the user left it
			return
		}
		f.onSaved(inst.ID) // read it now, with the secret or without
	}, f.env.win)
	d.SetConfirmText("Keep for this session")
	d.SetDismissText("Don't keep it")
	if adding {
		d.SetDismissText("Back to the form")
	}
	d.Show()
}
