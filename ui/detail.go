package ui

import (
	"bytes"
	"encoding/json"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
)

// DetailPane is the right pane: the selected instance's state, its
// actions, the license, the token, usage and every field Grafana returned.
type DetailPane struct {
	widget.BaseWidget
	env *env
	act *actions

	id string // shown instance; "" when none

	empty      *fyne.Container
	content    *fyne.Container
	firstStep  fyne.CanvasObject // shown while no instance is configured
	fleetEmpty bool
	steps      *firstSteps
	demoBtn    *widget.Button
	demoBox    *fyne.Container

	name     *widget.Label
	url      *widget.Label
	badge    *StateBadge
	trial    *tagBadge       // shown for a trial license
	stateRow *fyne.Container // badges and message: laid out again when the trial's badge shows or hides
	message  *widget.Label
	readLine *widget.Label
	stale    *widget.Label
	// uploadNote says, after a read, whether Grafana serves the token
	// uploaded in this session (it must restart first).
	uploadNote *widget.Label
	activity   *widget.Activity
	busyText   *widget.Label

	outcomeBox  *fyne.Container
	outcomeIcon *widget.Icon
	outcomeWhat *widget.Label
	outcomeDo   *widget.Label

	buttons   map[string]*widget.Button
	actionBar *overflowBar
	cancelBtn *widget.Button // stops the call in flight

	license *widget.Card
	token   *widget.Card
	usage   *widget.Card
	peers   *widget.Card
	fields  *fyne.Container
	rawJSON *widget.Label
	// rawText is the JSON rawJSON shows once its item is open: a label
	// with text is measured even while folded, which would load the
	// monospace font (a few MiB with its emoji fallback) for nothing.
	rawText string
	copyRaw *widget.Button
	more    *widget.Accordion
	scroll  *container.Scroll

	// The header (name, state, actions) sits in top, above the scroll, or
	// in scrolled, above the body, as the pane's height allows (pin).
	header, body, top, scrolled *fyne.Container
	pinned                      bool
	lastOut                     *outcome
	cols                        *labelColumn // shared by the cards, so their values line up

	// notify is ticked while the instance may send desktop notifications;
	// onMute hears when the user changes it.
	notify  *widget.Check
	setting bool // notify is being set from the settings, not by the user
	onMute  func(id string, mute bool)

	// snoozeBox lists the active snoozes; onSnooze and onWake hear the
	// user snooze a reason or end a snooze.
	snoozeBox *fyne.Container
	onSnooze  func(id string, r client.Reason, span watch.SnoozeSpan)
	onWake    func(id string, code client.ReasonCode)

	// names gives the name an instance is listed under; onPeer selects a
	// peer the user picked in the peers card.
	names  func(id string) string
	onPeer func(id string)
}

// Button names, also used by tests.
const (
	btnRefresh       = "Refresh"
	btnRenew         = "Renew"
	btnUpload        = "Upload token…"
	btnRemoveLicense = "Remove license…"
	btnEdit          = "Edit…"
	btnRemoveInst    = "Remove instance…"
	btnCancel        = "Cancel"
)

func newDetailPane(e *env, act *actions) *DetailPane {
	d := &DetailPane{
		env:         e,
		act:         act,
		name:        &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis},
		url:         &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		badge:       NewStateBadge(client.StateUnknown),
		trial:       newTagBadge(trialBadgeText),
		message:     &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}},
		readLine:    &widget.Label{Wrapping: fyne.TextWrapWord},
		stale:       &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord},
		uploadNote:  &widget.Label{Wrapping: fyne.TextWrapWord},
		activity:    widget.NewActivity(),
		busyText:    &widget.Label{Importance: widget.LowImportance},
		outcomeIcon: widget.NewIcon(nil),
		outcomeWhat: &widget.Label{Wrapping: fyne.TextWrapWord},
		outcomeDo:   &widget.Label{Wrapping: fyne.TextWrapWord}, // no italic: a font style of its own costs MiBs
		buttons:     map[string]*widget.Button{},
		license:     widget.NewCard("License", "", nil),
		token:       widget.NewCard("Token", "", nil),
		usage:       widget.NewCard("Usage", "", nil),
		peers:       widget.NewCard("Peers", "", nil),
		fields:      container.NewStack(),
		rawJSON:     &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}, Wrapping: fyne.TextWrapBreak},
	}
	d.copyRaw = &widget.Button{Text: "Copy JSON", Icon: theme.ContentCopyIcon(), OnTapped: d.onCopyRaw}
	d.notify = widget.NewCheck(notifyLabel, func(on bool) {
		if !d.setting && d.id != "" && d.onMute != nil {
			d.onMute(d.id, !on)
		}
	})
	d.ExtendBaseWidget(d)
	d.build()
	return d
}

// actionTips say what each action does, shown as its tooltip.
var actionTips = map[string]string{
	btnRefresh: "Read this instance's license token now",
	btnRenew: "Ask Grafana to renew its license token from grafana.com now. " +
		"This renews the token, not the license: the license's expiry date stays as it is",
	btnUpload:        "Send a license token file (license.jwt) to this Grafana, after showing what it holds",
	btnRemoveLicense: "Delete the license stored in this Grafana's database, after you confirm",
	btnEdit:          "Change this instance's name, address, sign-in or connection settings",
	btnRemoveInst:    "Stop watching this instance and delete its saved password or token; Grafana is not changed",
	btnSnooze:        snoozeTip,
}

// copyTip is the Copy JSON button's tooltip.
const copyTip = "Copy the token as Grafana returned it"

func (d *DetailPane) button(name string, icon fyne.Resource, imp widget.Importance, tapped func(id string)) tipped {
	b := &widget.Button{Text: name, Icon: icon, Importance: imp, OnTapped: func() {
		if d.id != "" {
			tapped(d.id)
		}
	}}
	d.buttons[name] = b
	return withTip(d.env.tips, b, actionTips[name])
}

func (d *DetailPane) build() {
	d.actionBar = newOverflowBar(d.env.tips,
		d.button(btnRefresh, theme.ViewRefreshIcon(), widget.MediumImportance, d.act.refresh),
		d.button(btnRenew, theme.HistoryIcon(), widget.MediumImportance, d.act.renew),
		d.button(btnUpload, theme.UploadIcon(), widget.MediumImportance, d.act.upload),
		d.button(btnRemoveLicense, theme.DeleteIcon(), widget.MediumImportance, d.act.removeLicense),
		d.button(btnEdit, theme.DocumentCreateIcon(), widget.LowImportance, d.act.editInstance),
		d.button(btnRemoveInst, theme.ContentRemoveIcon(), widget.LowImportance, d.act.removeInstance),
	)
	d.cancelBtn = &widget.Button{Text: btnCancel, Icon: theme.CancelIcon(), Importance: widget.LowImportance, OnTapped: func() {
		if d.id != "" {
			d.act.cancel(d.id)
		}
	}}
	d.cancelBtn.Hide()
	busy := container.NewHBox(d.activity, d.busyText, d.cancelBtn)
	d.outcomeBox = container.NewBorder(nil, nil, container.NewVBox(d.outcomeIcon), nil,
		container.NewVBox(d.outcomeWhat, d.outcomeDo))
	badges := container.NewHBox(d.badge, d.trial)
	d.stateRow = container.NewBorder(nil, nil, container.NewVBox(badges), nil, d.message)

	d.more = widget.NewAccordion(
		widget.NewAccordionItem(fieldsTitle, d.fields),
		widget.NewAccordionItem("Raw JSON", container.New(&unfoldLayout{unfold: d.fillRaw},
			container.NewBorder(container.NewHBox(withTip(d.env.tips, d.copyRaw, copyTip).obj), nil, nil, nil, d.rawJSON))),
	)
	d.more.MultiOpen = true

	d.header = container.NewVBox(container.New(tightVBox{}, d.name, d.url), d.stateRow, d.actionBar, busy)
	d.snoozeBox = container.NewVBox()
	// Snooze… sits by the notification toggle: both decide what is announced.
	quiet := container.NewHBox(d.notify, d.button(btnSnooze, theme.VisibilityOffIcon(), widget.LowImportance, d.openSnoozeMenu).obj)
	d.body = container.NewVBox(d.readLine, d.stale, d.uploadNote, d.snoozeBox, quiet, d.outcomeBox, d.license, d.token, d.peers, d.usage, d.more)
	d.top = container.NewVBox(d.header)
	d.scrolled = container.NewVBox(d.body)
	d.scroll = container.NewVScroll(d.scrolled)
	// Laid out in the order Tab follows: the action bar, then the details.
	d.content = container.New(layout.NewBorderLayout(d.top, nil, nil, nil), d.top, d.scroll)
	d.pinned = true

	hint := &widget.Label{Text: "Select an instance on the left to see its license, or add one with Add instance (Ctrl+N).",
		Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance}
	d.empty = container.NewCenter(container.New(&fixedWidth{width: 360}, hint))
	d.firstStep = d.buildFirstStep()
	d.firstStep.Hide()
	d.content.Hide()
}

// CreateRenderer shows the instance, or a hint when none is selected, or
// the first step when there is none at all.
func (d *DetailPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&detailLayout{d: d}, d.empty, container.New(whileShown{}, d.firstStep), container.NewPadded(d.content)))
}

// fillRaw shows the raw JSON; its item is open.
func (d *DetailPane) fillRaw() {
	if d.rawJSON.Text != d.rawText {
		d.rawJSON.SetText(d.rawText)
	}
}

// unfoldLayout gives its content the whole space and tells unfold first:
// an accordion lays out only the items that are open.
type unfoldLayout struct{ unfold func() }

func (l *unfoldLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (l *unfoldLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.unfold()
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}

// pinHeaderFrom is the pane height from which the name, state and actions
// stay in place above the scrolling details; a shorter pane scrolls them
// too, so the details are not left a sliver.
const pinHeaderFrom = 520

// detailLayout stacks the pane's objects, pinning the header or letting it
// scroll with the details as the height allows.
type detailLayout struct{ d *DetailPane }

func (l *detailLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

func (l *detailLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.d.pin(size.Height >= pinHeaderFrom)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// pin moves the header above the scroll (true) or into it (false).
func (d *DetailPane) pin(on bool) {
	if d.pinned == on {
		return
	}
	d.pinned = on
	if on {
		d.scrolled.Objects = []fyne.CanvasObject{d.body}
		d.top.Objects = []fyne.CanvasObject{d.header}
	} else {
		d.top.Objects = nil
		d.scrolled.Objects = []fyne.CanvasObject{d.header, d.body}
	}
	d.top.Refresh()
	d.scrolled.Refresh()
	d.content.Refresh()
}

// Display shows an instance's status, what is running on it and the last outcome.
func (d *DetailPane) Display(st app.Status, busy string, out *outcome) {
	if st.Instance.ID == "" {
		d.Clear()
		return
	}
	if d.id != st.Instance.ID {
		d.id = st.Instance.ID
		d.more.CloseAll()
		d.scroll.ScrollToTop()
	}
	d.empty.Hide()
	d.firstStep.Hide()
	d.content.Show()
	d.showHeader(st)
	d.showNotify()
	d.showBusy(busy)
	d.showOutcome(st, out)
	d.cols = &labelColumn{}
	d.license.SetContent(d.licenseGrid(st))
	d.token.SetContent(d.tokenGrid(st))
	setCard(d.usage, d.usageContent(st))
	setCard(d.peers, d.peersContent(st))
	d.showFields(st.Token)
	d.showSnoozes(st)
}

// setCard shows content in card, or hides the card when there is none.
func setCard(card *widget.Card, content fyne.CanvasObject) {
	if content == nil {
		card.Hide()
		return
	}
	card.SetContent(content)
	card.Show()
}

// Clear shows the "select an instance" hint.
func (d *DetailPane) Clear() {
	d.id = ""
	d.content.Hide()
	d.SetFleetEmpty(d.fleetEmpty)
}

func (d *DetailPane) showHeader(st app.Status) {
	inst := st.Instance
	d.name.SetText(inst.Name)
	u := client.SanitizeURL(inst.URL)
	if st.Health != nil && st.Health.Version != "" {
		u += " · Grafana " + st.Health.Version
	}
	if inst.InsecureSkipVerify {
		u += " · TLS certificate not verified"
	}
	d.url.SetText(u)
	d.badge.SetState(st.Eval.State)
	if trial := st.Token != nil && st.Token.Trial; trial != d.trial.Visible() {
		showIf(d.trial, trial)
		d.stateRow.Refresh()
	}
	msg := headerMessage(st, d.env.loc)
	d.message.Importance = stateImportance(st.Eval.State)
	if msg != d.message.Text {
		d.message.SetText(msg)
		// A message of fewer lines than the last leaves the header as
		// tall as before unless the pane lays it out again.
		d.content.Refresh()
	}

	now := d.env.now()
	switch {
	case st.ReadAt.IsZero() && st.CheckedAt.IsZero():
		d.readLine.SetText("Not read yet: press Refresh (or Refresh all, Ctrl+R).")
	case st.ReadAt.IsZero():
		d.readLine.SetText("Never read successfully; last tried " + ago(st.CheckedAt, now) + ".")
	case st.Err != nil:
		d.readLine.SetText("Read " + ago(st.ReadAt, now) + "; last tried " + ago(st.CheckedAt, now) + ".")
	default:
		d.readLine.SetText("Read " + ago(st.ReadAt, now) + ".")
	}
	if u := st.Upload; u != nil && u.Read {
		d.uploadNote.Importance = widget.SuccessImportance
		if !u.Served() {
			d.uploadNote.Importance = widget.WarningImportance
		}
		d.uploadNote.SetText(u.Note(d.env.loc))
		d.uploadNote.Show()
	} else {
		d.uploadNote.Hide()
	}
	if st.Stale && st.Token != nil {
		d.stale.SetText("Stale: the last read failed, so the details below are from the token read " + ago(st.ReadAt, now) + ".")
		d.stale.Show()
	} else {
		d.stale.Hide()
	}
}

// Texts of the notification toggle.
const (
	notifyLabel    = "Desktop notifications for this instance"
	notifyOffLabel = "Desktop notifications for this instance (all are off in Settings)"
)

// showNotify ticks the toggle unless the instance is muted.
func (d *DetailPane) showNotify() {
	s := d.env.settings
	if s == nil || d.onMute == nil {
		d.notify.Hide()
		return
	}
	d.setting = true
	d.notify.SetChecked(!s.cur.IsMuted(d.id))
	d.setting = false
	if s.cur.Notifications {
		d.notify.Text = notifyLabel
		d.notify.Enable()
	} else {
		d.notify.Text = notifyOffLabel
		d.notify.Disable()
	}
	d.notify.Refresh()
	d.notify.Show()
}

// showBusy disables the calls on the instance while one is in flight, one
// at a time; Edit and Remove instance stay, so a hung instance can be fixed
// or dropped, and Cancel stops the call.
func (d *DetailPane) showBusy(busy string) {
	for name, b := range d.buttons {
		if busy != "" && name != btnEdit && name != btnRemoveInst {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if busy == "" {
		d.activity.Stop()
		d.activity.Hide()
		d.busyText.Hide()
		d.cancelBtn.Hide()
		return
	}
	d.busyText.SetText(busy)
	d.busyText.Show()
	d.activity.Show()
	d.activity.Start()
	d.cancelBtn.Show()
}

// headerMessage is the state in plain words; a failed read's details are in
// the error box below, so the header stays short.
func headerMessage(st app.Status, loc *time.Location) string {
	switch {
	case st.Err == nil:
		return st.Eval.Message
	case st.Token != nil:
		return "Could not read the license token — showing the one read earlier"
	case st.Frontend != nil && st.Eval.License.Reported():
		return "Could not read the license token — Grafana's settings say the license expires " + expiryText(st.Eval.License, loc)
	}
	return "Could not read the license token"
}

func (d *DetailPane) onCopyRaw() {
	d.env.app.Clipboard().SetContent(d.rawText)
	d.copyRaw.SetText("Copied")
	time.AfterFunc(2*time.Second, func() { d.env.do(func() { d.copyRaw.SetText("Copy JSON") }) })
}

// rawValue shows a JSON value as text: strings without quotes, null as "null".
func rawValue(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		if s == "" {
			return "(empty)"
		}
		return s
	}
	return string(v)
}

func prettyJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return string(raw)
	}
	return b.String()
}
