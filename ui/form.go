package ui

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// Auth choices as the form words them.
const (
	authBasicLabel  = "Username and password of a server administrator"
	authBearerLabel = "Bearer token (through an auth proxy only)"
)

// sessionSecrets is what an engine offers when the keyring is missing: a
// secret kept in memory for this session only, never written to disk.
type sessionSecrets interface {
	KeepSecretForSession(id, secret string) error
	AddInstanceForSession(inst app.Instance, secret string) error
}

// formField is one row of the form: its label, input, and the message
// beside it saying what is wrong.
type formField struct {
	label *widget.Label
	input fyne.CanvasObject
	err   *widget.Label
	hint  *widget.Label
	box   *fyne.Container
}

func newFormField(label string, input fyne.CanvasObject, hint string) *formField {
	f := &formField{
		label: &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}},
		input: input,
		err:   &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
		hint:  &widget.Label{Text: hint, Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
	}
	f.err.Hide()
	showIf(f.hint, hint != "")
	f.box = container.New(tightVBox{}, input, f.err, f.hint)
	return f
}

func (f *formField) setError(msg string) {
	f.err.SetText(msg)
	showIf(f.err, msg != "")
}

func (f *formField) show(v bool) {
	showIf(f.label, v)
	showIf(f.box, v)
}

// advancedKeys are the fields under the folded connection options.
var advancedKeys = []string{"ca_file", "insecure_skip_verify", "proxy", "timeout_seconds"}

// advancedTitle names the folded connection options.
const advancedTitle = "Connection options: CA file, TLS, proxy, timeout"

// instanceForm is the add and edit dialog.
type instanceForm struct {
	env     *env
	editing *app.Instance // nil when adding
	// idTouched stops the id following the name once the user typed one.
	idTouched bool

	name, id, url, username, password, token, caFile, proxy, timeout *escEntry

	auth       *choiceGroup
	skipVerify *widget.Check
	skipWarn   *fyne.Container
	fields     map[string]*formField // by the instance's JSON field name

	advanced *widget.Accordion // the connection options, folded
	scroll   *container.Scroll
	result   *widget.Label
	resultDo *widget.Label
	activity *widget.Activity
	testBtn  *widget.Button
	saveBtn  *widget.Button
	dlg      *dialog.CustomDialog

	onSaved func(id string)
	// tested is what the last connection test used and came to.
	tested *testedWith
}

// testedWith is a connection test's input and whether it succeeded.
type testedWith struct {
	inst   app.Instance
	secret string
	ok     bool
	what   string
}

// showInstanceForm opens the add form (inst nil) or the edit form.
func showInstanceForm(e *env, inst *app.Instance, onSaved func(id string)) *instanceForm {
	f := &instanceForm{env: e, editing: inst, onSaved: onSaved, fields: map[string]*formField{}}
	f.build()
	f.dlg.Show()
	e.win.Canvas().Focus(f.name)
	return f
}

func (f *instanceForm) entry(placeholder string) *escEntry {
	en := newEscEntry()
	en.PlaceHolder = placeholder
	en.OnSubmitted = func(string) { f.save() }
	en.OnEscape = func() { f.dlg.Hide() }
	return en
}

func (f *instanceForm) build() {
	f.name = f.entry("e.g. Prod EU")
	f.id = f.entry("e.g. prod-eu")
	f.url = f.entry("e.g. https://grafana.example.com/")
	f.username = f.entry("e.g. admin")
	f.password = f.entry("")
	f.password.Password = true
	f.token = f.entry("the token your auth proxy takes")
	f.token.Password = true
	f.caFile = f.entry("PEM file of a private CA (optional)")
	f.proxy = f.entry("http://proxy.example.com:3128 (optional)")
	f.timeout = f.entry("15")

	f.auth = newChoiceGroup([]string{authBasicLabel, authBearerLabel}, func(string) { f.showAuth() })
	f.skipVerify = widget.NewCheck("Do not verify Grafana's TLS certificate", func(on bool) { showIf(f.skipWarn, on) })
	f.skipWarn = container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil,
		&widget.Label{Text: "Anyone between you and Grafana could read the password. Prefer setting the CA file.",
			Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	f.skipWarn.Hide()
	caPick := &widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), OnTapped: f.pickCA}

	secretHint := ""
	if f.editing != nil {
		secretHint = "Leave empty to keep the saved one"
	}
	add := func(key, label string, input fyne.CanvasObject, hint string) {
		f.fields[key] = newFormField(label, input, hint)
	}
	add("name", "Name", f.name, "")
	add("id", "Id", f.id, "Used by the command line; made from the name")
	add("url", "URL", f.url, "Grafana's root URL, as its root_url setting says")
	add("auth", "Sign in with", f.auth, words.Sentence(client.BasicAuthNote))
	add("username", "Username", f.username, "A Grafana server administrator, e.g. admin")
	add("password", "Password", f.password, secretHint+"; kept in the system keyring")
	add("token", "Token", f.token, words.Capitalize(strings.TrimPrefix(secretHint+"; kept in the system keyring", "; ")))
	add("ca_file", "CA file", container.NewBorder(nil, nil, nil, caPick, f.caFile), "")
	add("insecure_skip_verify", "TLS", container.NewVBox(f.skipVerify, f.skipWarn), "")
	add("proxy", "Proxy", f.proxy, "Empty: use HTTPS_PROXY and NO_PROXY")
	add("timeout_seconds", "Timeout (s)", f.timeout, "Seconds per attempt; empty: 15")
	if secretHint == "" {
		f.fields["password"].hint.SetText("Kept in the system keyring, never in a file")
	}

	rows := func(keys []string) *fyne.Container {
		var objs []fyne.CanvasObject
		for _, key := range keys {
			objs = append(objs, f.fields[key].label, f.fields[key].box)
		}
		return container.New(layout.NewFormLayout(), objs...)
	}
	// The connection options most instances leave empty fold away, so the
	// form fits a 1280×720 screen without scrolling.
	f.advanced = widget.NewAccordion(widget.NewAccordionItem(advancedTitle, rows(advancedKeys)))
	grid := container.NewVBox(rows([]string{"name", "id", "url", "auth", "username", "password", "token"}), f.advanced)

	f.result = &widget.Label{Wrapping: fyne.TextWrapWord}
	f.resultDo = &widget.Label{Wrapping: fyne.TextWrapWord}
	f.result.Hide()
	f.resultDo.Hide()
	f.activity = widget.NewActivity()
	f.activity.Hide()

	f.name.OnChanged = func(s string) {
		if f.editing == nil && !f.idTouched {
			f.id.SetText(config.NewID(s, f.env.svc.Instances()))
			f.idTouched = false
		}
	}
	f.id.OnChanged = func(string) { f.idTouched = true }
	f.fill()

	f.scroll = container.NewVScroll(grid)
	cancel := &widget.Button{Text: "Cancel", Icon: theme.CancelIcon(), OnTapped: func() { f.dlg.Hide() }}
	f.testBtn = &widget.Button{Text: "Test connection", Icon: theme.MediaPlayIcon(), OnTapped: f.test}
	f.saveBtn = &widget.Button{Text: "Save", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: f.save}

	title := "Add instance"
	if f.editing != nil {
		title = "Edit " + f.editing.Name
	}
	content := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, f.activity, nil, container.NewVBox(f.result, f.resultDo))), nil, nil,
		f.scroll)
	f.dlg = dialog.NewCustomWithoutButtons(title, content, f.env.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.testBtn, f.saveBtn})
	fitDialog(f.dlg, f.env.win, 680, 640)
}

// fill puts the edited instance's values in the fields.
func (f *instanceForm) fill() {
	inst := f.editing
	if inst == nil {
		f.auth.SetSelected(authBasicLabel) // Grafana's docs recommend a Server Admin user
		return
	}
	f.name.SetText(inst.Name)
	f.id.SetText(inst.ID)
	f.id.Disable() // the keyring entry and the command line know it by its id
	f.url.SetText(inst.URL)
	f.username.SetText(inst.Username)
	if inst.Auth == app.AuthBearer {
		f.auth.SetSelected(authBearerLabel)
	} else {
		f.auth.SetSelected(authBasicLabel)
	}
	f.caFile.SetText(inst.CAFile)
	f.skipVerify.SetChecked(inst.InsecureSkipVerify)
	f.proxy.SetText(inst.Proxy)
	if inst.TimeoutSeconds > 0 {
		f.timeout.SetText(strconv.Itoa(inst.TimeoutSeconds))
	}
	if inst.CAFile != "" || inst.InsecureSkipVerify || inst.Proxy != "" || inst.TimeoutSeconds > 0 {
		f.advanced.Open(0)
	}
}

// showAuth shows the fields of the chosen sign-in, and what Grafana accepts:
// a bearer token is no way in for a service account.
func (f *instanceForm) showAuth() {
	bearer := f.auth.Selected == authBearerLabel
	f.fields["username"].show(!bearer)
	f.fields["password"].show(!bearer)
	f.fields["token"].show(bearer)
	hint := f.fields["auth"].hint
	if bearer {
		hint.Importance = widget.WarningImportance
		hint.SetText(words.Sentence(client.BearerNote))
	} else {
		hint.Importance = widget.LowImportance
		hint.SetText(words.Sentence(client.BasicAuthNote))
	}
}

func (f *instanceForm) pickCA() {
	req := fileRequest{title: "Choose the CA certificate", filterName: "PEM certificates", extensions: []string{".pem", ".crt", ".cer"}}
	f.env.openFile(req, func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		f.caFile.SetText(localPath(r.URI()))
	})
}

// instance reads the fields; bad numbers become field errors.
func (f *instanceForm) instance() (app.Instance, map[string]string) {
	problems := map[string]string{}
	var inst app.Instance
	if f.editing != nil {
		inst = *f.editing // keeps token_env and password_env, which the form does not show
	}
	inst.Name = strings.TrimSpace(f.name.Text)
	inst.ID = strings.TrimSpace(f.id.Text)
	inst.URL = strings.TrimSpace(f.url.Text)
	inst.Auth = app.AuthBasic
	if f.auth.Selected == authBearerLabel {
		inst.Auth = app.AuthBearer
		inst.Username = ""
	} else {
		inst.Username = strings.TrimSpace(f.username.Text)
	}
	inst.CAFile = strings.TrimSpace(f.caFile.Text)
	inst.InsecureSkipVerify = f.skipVerify.Checked
	inst.Proxy = strings.TrimSpace(f.proxy.Text)
	inst.TimeoutSeconds = 0
	if t := strings.TrimSpace(f.timeout.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			problems["timeout_seconds"] = "Timeout must be a whole number of seconds"
		} else {
			inst.TimeoutSeconds = n
		}
	}
	if inst.CAFile != "" {
		if _, err := os.Stat(inst.CAFile); err != nil {
			problems["ca_file"] = "CA file cannot be read: check the path"
		}
	}
	return inst, problems
}

// secret is what the user typed for the chosen auth.
func (f *instanceForm) secret() string {
	if f.auth.Selected == authBearerLabel {
		return f.token.Text
	}
	return f.password.Text
}

// validate shows every problem beside its field and says whether there were none.
func (f *instanceForm) validate(forSave bool) (app.Instance, bool) {
	inst, problems := f.instance()
	var verr *config.ValidationError
	if errors.As(inst.Validate(), &verr) {
		for _, p := range verr.Problems {
			if _, seen := problems[p.Field]; !seen {
				problems[p.Field] = f.fieldLabel(p.Field) + " " + p.Problem
			}
		}
	}
	if f.editing == nil && problems["id"] == "" {
		if _, taken := f.env.svc.Instance(inst.ID); taken {
			problems["id"] = "Id is already used by another instance: choose another"
		}
	}
	if forSave && f.editing == nil && f.secret() == "" {
		if inst.Auth == app.AuthBearer && inst.TokenEnv == "" {
			problems["token"] = "Token is required: paste the token your auth proxy takes"
		} else if inst.Auth == app.AuthBasic && inst.PasswordEnv == "" {
			problems["password"] = "Password is required"
		}
	}
	for key, field := range f.fields {
		field.setError(problems[key])
	}
	for _, key := range advancedKeys {
		if problems[key] != "" {
			f.advanced.Open(0) // show the option that is wrong
		}
	}
	return inst, len(problems) == 0
}

func (f *instanceForm) fieldLabel(key string) string {
	if field, ok := f.fields[key]; ok {
		return field.label.Text
	}
	return key
}

func (f *instanceForm) setBusy(busy bool) {
	for _, b := range []*widget.Button{f.testBtn, f.saveBtn} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	showIf(f.activity, busy)
	if busy {
		f.activity.Start()
	} else {
		f.activity.Stop()
	}
}

func (f *instanceForm) showResult(ok bool, what, do string) {
	f.result.Importance = widget.SuccessImportance
	if !ok {
		f.result.Importance = widget.DangerImportance
	}
	f.result.SetText(what)
	f.result.Show()
	f.resultDo.SetText(do)
	showIf(f.resultDo, do != "")
}

// test reads the token with what is in the form, saving nothing.
func (f *instanceForm) test() {
	inst, ok := f.validate(false)
	if !ok {
		f.showResult(false, "Fix the fields marked above first.", "")
		return
	}
	secret := f.secret()
	f.setBusy(true)
	f.showResult(true, "Connecting to "+client.SanitizeURL(inst.URL)+"…", "")
	f.result.Importance = widget.MediumImportance
	f.result.Refresh()
	f.env.background(func() func() {
		st := f.env.svc.TestConnection(context.Background(), inst, secret)
		return func() {
			f.setBusy(false)
			f.tested = &testedWith{inst: inst, secret: secret, ok: st.Err == nil}
			if st.Err != nil {
				f.tested.what = explain(st.Err).What
				e := explain(st.Err)
				f.showResult(false, e.What, e.Do)
				return
			}
			what := "Connected. " + st.Eval.Message + "."
			if st.Health != nil && st.Health.Version != "" {
				what = "Connected to Grafana " + st.Health.Version + ". " + st.Eval.Message + "."
			}
			f.showResult(true, what, "")
		}
	})
}

// save validates, then adds or updates the instance off the UI goroutine
// (the keyring may prompt).
func (f *instanceForm) save() {
	inst, ok := f.validate(true)
	if !ok {
		f.showResult(false, "Fix the fields marked above.", "")
		return
	}
	secret := f.secret()
	if t := f.tested; t != nil && !t.ok && t.inst == inst && t.secret == secret {
		// The user saw it fail with exactly these settings: ask before saving.
		showConfirm(f.env.win, confirmation{title: "Save although the test failed?",
			content: confirmText("The connection test with these settings failed: " + words.LowerFirst(t.what) +
				"\n\nSave the instance anyway? Licensedesk will keep trying to read it and show why it cannot."),
			action: "Save anyway", icon: theme.DocumentSaveIcon(), safe: true,
			do: func() { f.store(inst, secret) }})
		return
	}
	f.store(inst, secret)
}

// store adds or updates the instance off the UI goroutine (the keyring may prompt).
func (f *instanceForm) store(inst app.Instance, secret string) {
	f.setBusy(true)
	svc := f.env.svc
	editing := f.editing != nil
	f.env.background(func() func() {
		var err error
		if editing {
			var s *string
			if secret != "" {
				s = &secret
			}
			err = svc.UpdateInstance(inst, s)
		} else {
			err = svc.AddInstance(inst, secret)
		}
		return func() { f.saved(inst, secret, err) }
	})
}

func (f *instanceForm) saved(inst app.Instance, secret string, err error) {
	f.setBusy(false)
	var verr *config.ValidationError
	switch {
	case err == nil:
		f.dlg.Hide()
		f.onSaved(inst.ID)
	case errors.As(err, &verr):
		f.validate(true)
		f.showResult(false, "Fix the fields marked above.", "")
	case errors.Is(err, vault.ErrKeyringUnavailable):
		f.offerSessionSecret(inst, secret, err)
	default:
		e := explain(err)
		f.showResult(false, e.What, e.Do)
	}
}
