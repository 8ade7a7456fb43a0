package ui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// maxTokenFile caps a license file read for upload; real ones are a few KiB.
const maxTokenFile = 1 << 20

// actions runs the calls on instances: one at a time per instance, each off
// the UI goroutine, with its outcome kept until the next call.
type actions struct {
	env      *env
	busy     map[string]string   // id → what is running, e.g. "Renewing…"
	outcomes map[string]*outcome // id → last outcome
	cancels  map[string]context.CancelFunc
	// again holds the instances to read afresh once their call in flight
	// ends: they were edited meanwhile.
	again map[string]bool
	bulk  context.CancelFunc // non-nil while a refresh-all or renew-all runs

	// changed is called on the UI goroutine when an instance's busy state,
	// outcome or status changes.
	changed func(st app.Status)
	// progress is called on the UI goroutine as a bulk run goes on; total
	// is 0 when it ends.
	progress func(verb string, done, total int)
	// editInstance opens the edit form.
	editForm func(id string)
	// removed is called once an instance is gone.
	removed func(id string)
	// observed hears, on the UI goroutine, every read the user asked for,
	// so it notifies as a scheduled check does.
	observed func(st app.Status)
}

func newActions(e *env) *actions {
	return &actions{env: e, busy: map[string]string{}, outcomes: map[string]*outcome{},
		cancels: map[string]context.CancelFunc{}, again: map[string]bool{}}
}

// run starts one call on an instance: it marks it busy, runs call off the
// UI goroutine and shows what it came to.
func (a *actions) run(id, doing string, call func(ctx context.Context) (app.Status, *outcome)) {
	a.start(id, doing, false, call)
}

// start is run; read says the call is a read, whose result the monitor observes.
func (a *actions) start(id, doing string, read bool, call func(ctx context.Context) (app.Status, *outcome)) {
	if a.busy[id] != "" {
		return
	}
	a.busy[id] = doing
	delete(a.outcomes, id)
	ctx, cancel := context.WithCancel(context.Background())
	a.cancels[id] = cancel
	a.changed(a.env.svc.Status(id))
	a.env.background(func() func() {
		st, out := call(ctx)
		cancelled := ctx.Err() != nil
		cancel()
		if st.HistoryErr != nil && out != nil {
			out = out.withNote(history.Note(st.HistoryErr))
		}
		return func() {
			delete(a.busy, id)
			delete(a.cancels, id)
			if out != nil {
				a.outcomes[id] = out
			}
			a.changed(st)
			if read && !cancelled && a.observed != nil {
				a.observed(st)
			}
			if a.again[id] {
				delete(a.again, id)
				a.refresh(id)
			}
		}
	})
}

// cancel stops the call in flight on an instance: a hung read or action
// need not be waited out.
func (a *actions) cancel(id string) {
	if cancel := a.cancels[id]; cancel != nil {
		cancel()
	}
}

// reread reads an instance afresh: at once, or, when a call is in flight
// (it may hang on the old settings), by cancelling it and reading after.
func (a *actions) reread(id string) {
	if a.busy[id] == "" {
		a.refresh(id)
		return
	}
	a.again[id] = true
	a.cancel(id)
}

func (a *actions) refresh(id string) {
	a.start(id, "Reading the license token…", true, func(ctx context.Context) (app.Status, *outcome) {
		st := a.env.svc.Refresh(ctx, id)
		if ctx.Err() != nil {
			return st, &outcome{state: client.StateWarning, what: verdict.ReadCancelled}
		}
		if st.Err != nil {
			return st, failed(st.Err)
		}
		return st, &outcome{success: true, state: st.Eval.State, what: "License token read: " + words.LowerFirst(st.Eval.Message) + "."}
	})
}

func (a *actions) renew(id string) {
	a.run(id, "Renewing the token…", func(ctx context.Context) (app.Status, *outcome) {
		st, err := a.env.svc.Renew(ctx, id)
		return st, outcomeOf(verdict.Judge(history.ActionRenew, st, err, a.env.now().In(a.env.loc)))
	})
}

// upload picks a license file, previews it, then sends it.
func (a *actions) upload(id string) {
	req := fileRequest{title: "Choose the license token to upload", folder: a.env.uploadDir,
		filterName: "License tokens", extensions: []string{".jwt", ".txt", ".token"}}
	a.env.openFile(req, func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showErr(a.env.win, "Cannot open the file", err)
			return
		}
		if r == nil {
			return
		}
		a.env.background(func() func() {
			defer r.Close()
			data, err := io.ReadAll(io.LimitReader(r, maxTokenFile+1))
			switch {
			case err != nil:
				return func() { a.showFileError(r.URI().Name(), err.Error()) }
			case len(data) > maxTokenFile:
				return func() { a.showFileError(r.URI().Name(), "it is over 1 MiB, far larger than a license token") }
			}
			return func() { a.previewUpload(id, r.URI().Name(), string(data)) }
		})
	})
}

func (a *actions) showFileError(name, why string) {
	showFailure(a.env.win, "Cannot use this file", fmt.Sprintf("%s cannot be uploaded: %s.", name, why))
}

// previewUpload decodes a license locally and shows what it holds before
// anything is sent; a license for another URL is flagged.
func (a *actions) previewUpload(id, fileName, jwt string) {
	inst, ok := a.env.svc.Instance(id)
	if !ok {
		return
	}
	pre, err := a.env.svc.PreviewUpload(id, jwt)
	if err != nil {
		a.showFileError(fileName, words.LowerFirst(strings.TrimSuffix(err.Error(), ".")))
		return
	}
	tok, ev, warn := pre.Token, pre.Eval, pre.SubjectWarning
	g := &grid{}
	g.add("File", fileName)
	g.add("Company", orNotReported(tok.Company))
	g.add("Products", orNotReported(strings.Join(tok.Products, ", ")))
	g.add("Licensed URL", orNotReported(tok.Subject))
	if warn != "" {
		g.addWarning(warn)
	}
	g.add("License expires", expiryText(ev.License, a.env.loc))
	g.add("Token expires", expiryText(ev.Token, a.env.loc))
	g.add("Token ID", orNotReported(tok.ID))
	intro := &widget.Label{Text: fmt.Sprintf("Upload this license token to %s (%s)? Grafana checks its signature and replaces the license in its database.", inst.Name, client.SanitizeURL(inst.URL)), Wrapping: fyne.TextWrapWord}
	content := container.NewVBox(intro, g.container())
	confirm := "Upload token"
	if warn != "" {
		confirm = "Upload anyway"
	}
	showConfirm(a.env.win, confirmation{title: "Upload license token", content: content, action: confirm,
		icon: theme.UploadIcon(), do: func() { a.sendUpload(id, jwt) }})
}

func (a *actions) sendUpload(id, jwt string) {
	a.run(id, "Uploading the token…", func(ctx context.Context) (app.Status, *outcome) {
		st, err := a.env.svc.Upload(ctx, id, jwt)
		return st, outcomeOf(verdict.Judge(history.ActionUpload, st, err, a.env.now().In(a.env.loc)))
	})
}

// removeLicense asks first, shows and lets the user edit the root URL that
// Grafana must recognise, and wants the instance's name typed to go on.
func (a *actions) removeLicense(id string) {
	inst, ok := a.env.svc.Instance(id)
	if !ok {
		return
	}
	explainText := &widget.Label{Wrapping: fyne.TextWrapWord, Text: fmt.Sprintf(
		"Grafana will delete the license stored in its database. Until a license is uploaded again, "+
			"%s runs without its Enterprise features.", inst.Name)}
	warn := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance, Text: "A license.jwt file or a license_text setting on the server " +
		"is not removed: Grafana may still load that license after this."}
	rootURL := newEscEntry()
	rootURL.SetText(client.SanitizeURL(inst.URL))
	typed := newEscEntry()

	form := widget.NewForm(
		&widget.FormItem{Text: "Root URL sent", Widget: rootURL, HintText: "Must be Grafana's root_url, or Grafana refuses (422)"},
		&widget.FormItem{Text: "Type " + inst.Name, Widget: typed, HintText: "Type the instance's name to enable Remove license"},
	)
	content := container.NewVBox(explainText, container.NewBorder(nil, nil,
		widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())), nil, warn), form)

	ready := func() bool {
		return typed.Text == inst.Name && strings.TrimSpace(rootURL.Text) != ""
	}
	dlg, confirmBtn := showConfirm(a.env.win, confirmation{title: "Remove the license of " + inst.Name + "?", content: content,
		action: "Remove license", icon: theme.DeleteIcon(), do: func() { a.sendDelete(id, strings.TrimSpace(rootURL.Text)) }})
	confirmBtn.Disable()
	update := func(string) {
		if ready() {
			confirmBtn.Enable()
		} else {
			confirmBtn.Disable()
		}
	}
	typed.OnChanged, rootURL.OnChanged = update, update
	submit := func(string) { confirmBtn.OnTapped() }
	typed.OnSubmitted, rootURL.OnSubmitted = submit, submit
	typed.OnEscape, rootURL.OnEscape = dlg.Hide, dlg.Hide
	a.env.win.Canvas().Focus(typed)
}

func (a *actions) sendDelete(id, rootURL string) {
	a.run(id, "Removing the license…", func(ctx context.Context) (app.Status, *outcome) {
		st, err := a.env.svc.Delete(ctx, id, rootURL)
		return st, outcomeOf(verdict.Judge(history.ActionDelete, st, err, a.env.now().In(a.env.loc)))
	})
}

// removeInstance asks, then forgets an instance and its keyring entry;
// Grafana itself is not touched.
func (a *actions) removeInstance(id string) {
	inst, ok := a.env.svc.Instance(id)
	if !ok {
		return
	}
	msg := fmt.Sprintf("Remove %s (%s) from Licensedesk?\n\nIts saved password or token is deleted from the keyring. "+
		"Grafana and its license are not changed.", inst.Name, client.SanitizeURL(inst.URL))
	showConfirm(a.env.win, confirmation{title: "Remove instance", content: confirmText(msg), action: "Remove instance",
		icon: theme.ContentRemoveIcon(), do: func() {
			a.cancel(id) // a call hanging on it would only end in an error
			a.env.background(func() func() {
				err := a.env.svc.RemoveInstance(id)
				return func() {
					if a.removed != nil {
						a.removed(id)
					}
					if err != nil {
						showErr(a.env.win, "Instance removed, with a problem", err)
					}
				}
			})
		}})
}

func (a *actions) editInstance(id string) {
	if a.editForm != nil {
		a.editForm(id)
	}
}

// refreshAll reads the given instances (all when ids is nil) with the
// engine's bounded concurrency.
func (a *actions) refreshAll(ids []string) {
	if a.bulk != nil {
		return
	}
	svc := a.env.svc
	a.startBulk("Refreshing", len(ids), func(ctx context.Context, step func(app.Status)) {
		svc.RefreshAll(ctx, ids, func(done, total int, st app.Status) {
			if ctx.Err() == nil && a.observed != nil {
				a.env.do(func() { a.observed(st) })
			}
			step(st)
		})
	})
}

// renewAll renews the given instances, a few at a time.
func (a *actions) renewAll(ids []string) {
	if a.bulk != nil || len(ids) == 0 {
		return
	}
	svc := a.env.svc
	var results []verdict.RenewResult
	a.startBulk("Renewing", len(ids), func(ctx context.Context, step func(app.Status)) {
		results = svc.RenewAll(ctx, ids, func(done, total int, r verdict.RenewResult) {
			if ctx.Err() == nil || r.Err == nil {
				// Each renewal is judged as a single one is, and shown in its pane.
				out := outcomeOf(verdict.Judge(history.ActionRenew, r.Status, r.Err, a.env.now().In(a.env.loc)))
				a.env.do(func() { a.outcomes[r.Status.Instance.ID] = out })
			}
			step(r.Status)
		})
	}, func() {
		// The run ends with what it came to, judged as each single renewal is.
		dialog.ShowInformation("Renew all", verdict.RenewSummary(results, a.env.now().In(a.env.loc)), a.env.win)
	})
}

// startBulk runs work with a progress count; step is called from any
// goroutine as each instance finishes, and then, when set, on the UI
// goroutine once work returned.
func (a *actions) startBulk(verb string, total int, work func(ctx context.Context, step func(app.Status)), then ...func()) {
	ctx, cancel := context.WithCancel(context.Background())
	a.bulk = cancel
	if total == 0 {
		total = len(a.env.svc.Instances())
	}
	a.progress(verb, 0, total)
	var mu sync.Mutex
	done := 0
	a.env.background(func() func() {
		work(ctx, func(st app.Status) {
			mu.Lock()
			done++
			n := done
			mu.Unlock()
			a.env.do(func() {
				if a.bulk != nil {
					a.progress(verb, n, total)
				}
			})
		})
		return func() {
			cancel()
			a.bulk = nil
			a.progress(verb, total, 0)
			for _, f := range then {
				f()
			}
		}
	})
}

// stopBulk cancels a refresh-all or renew-all; calls already sent finish.
func (a *actions) stopBulk() {
	if a.bulk != nil {
		a.bulk()
	}
}
