package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
)

// Snoozing quiets one reason of one instance for a day, five days or until
// it changes: no notification for it, the tray does not count it, and the
// window shows it as snoozed beside its state, which it never hides.

// Texts of the snooze controls.
const (
	btnSnooze = "Snooze…"
	snoozeTip = "Stop the notifications and the tray's alarm for one of this instance's warnings for a while; " +
		"a worse state is announced all the same"
	wakeTip       = "End this snooze: the warning is announced again"
	traySnoozeSub = "Snooze"
)

// snoozable are st's reasons that need attention and are not snoozed.
func snoozable(st app.Status, active []watch.Snooze) []client.Reason {
	var out []client.Reason
	for _, r := range st.Eval.Reasons {
		if r.State == client.StateOK || isSnoozed(active, r.Code) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func isSnoozed(active []watch.Snooze, code client.ReasonCode) bool {
	for _, z := range active {
		if z.Code == code {
			return true
		}
	}
	return false
}

// snoozeMenu offers each span for each reason; one reason gets the spans
// directly.
func snoozeMenu(reasons []client.Reason, snooze func(client.Reason, watch.SnoozeSpan)) *fyne.Menu {
	spans := func(r client.Reason) []*fyne.MenuItem {
		var items []*fyne.MenuItem
		for _, span := range watch.SnoozeSpans {
			items = append(items, fyne.NewMenuItem(span.Label(), func() { snooze(r, span) }))
		}
		return items
	}
	if len(reasons) == 1 {
		return fyne.NewMenu("", spans(reasons[0])...)
	}
	var items []*fyne.MenuItem
	for _, r := range reasons {
		item := fyne.NewMenuItem(r.Headline, nil)
		item.ChildMenu = fyne.NewMenu("", spans(r)...)
		items = append(items, item)
	}
	return fyne.NewMenu("", items...)
}

// snoozeLine words one active snooze: until when, and what it quiets.
func snoozeLine(z watch.Snooze, st app.Status, e *env) string {
	what := string(z.Code)
	for _, r := range st.Eval.Reasons {
		if r.Code == z.Code {
			what = r.Headline
		}
	}
	if z.Until.IsZero() {
		return "Snoozed until it changes: " + what
	}
	return fmt.Sprintf("Snoozed until %s: %s", z.Until.In(e.loc).Format("Mon 2 Jan 15:04"), what)
}

// showSnoozes lists the instance's active snoozes, each with Wake, and
// offers Snooze… while a reason is left to snooze.
func (d *DetailPane) showSnoozes(st app.Status) {
	active := d.env.snoozes.Active(st, d.env.now())
	d.snoozeBox.Objects = nil
	id := st.Instance.ID
	for _, z := range active {
		code := z.Code
		wake := &widget.Button{Text: "Wake", Icon: theme.VisibilityIcon(), Importance: widget.LowImportance,
			OnTapped: func() {
				if d.onWake != nil {
					d.onWake(id, code)
				}
			}}
		line := &widget.Label{Text: snoozeLine(z, st, d.env), Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
		d.snoozeBox.Objects = append(d.snoozeBox.Objects, container.NewBorder(nil, nil,
			widget.NewIcon(theme.VisibilityOffIcon()), withTip(d.env.tips, wake, wakeTip).obj, line))
	}
	d.snoozeBox.Refresh()
	showIf(d.snoozeBox, len(active) > 0)
	b := d.buttons[btnSnooze]
	if len(snoozable(st, active)) > 0 {
		b.Enable()
	} else {
		b.Disable()
	}
}

// openSnoozeMenu shows the snooze choices under the Snooze… button.
func (d *DetailPane) openSnoozeMenu(id string) {
	st := d.env.svc.Status(id)
	reasons := snoozable(st, d.env.snoozes.Active(st, d.env.now()))
	if len(reasons) == 0 || d.onSnooze == nil {
		return
	}
	menu := snoozeMenu(reasons, func(r client.Reason, span watch.SnoozeSpan) { d.onSnooze(id, r, span) })
	b := d.buttons[btnSnooze]
	c := d.env.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b).AddXY(0, b.Size().Height)
	widget.ShowPopUpMenuAtPosition(menu, c, pos)
}

// snooze quiets reason r of instance id for span; the file is written off
// the UI goroutine, then the window, list and tray show it.
func (d *desk) snooze(id string, r client.Reason, span watch.SnoozeSpan) {
	now := d.env.now()
	d.env.background(func() func() {
		err := d.env.snoozes.Add(id, r, span, now)
		return func() { d.snoozesChanged(id, err) }
	})
}

// wake ends the snooze of one reason.
func (d *desk) wake(id string, code client.ReasonCode) {
	d.env.background(func() func() {
		err := d.env.snoozes.Remove(id, code)
		return func() { d.snoozesChanged(id, err) }
	})
}

func (d *desk) snoozesChanged(id string, err error) {
	if err != nil {
		showErr(d.env.win, "Snooze not saved", err)
	}
	d.list.Update(d.env.svc.Status(id))
	if d.detail.id == id {
		d.showDetail(d.env.svc.Status(id))
	}
	d.scheduleTray()
}

// trayView is the tray's model over the statuses with snoozed reasons set
// aside: a snoozed warning no longer colours the icon; a worse state does.
func (d *desk) trayView() watch.TrayView {
	sts := d.env.svc.Statuses()
	now := d.env.now()
	for i, st := range sts {
		sts[i] = d.env.snoozes.Quiet(st, now)
	}
	return watch.TrayModel(sts)
}

// traySnooze snoozes, from the tray, the most urgent reason of id the tray
// still counts.
func (d *desk) traySnooze(id string, span watch.SnoozeSpan) {
	quiet := d.env.snoozes.Quiet(d.env.svc.Status(id), d.env.now())
	for _, r := range quiet.Eval.Reasons {
		if r.State != client.StateOK {
			d.snooze(id, r, span)
			return
		}
	}
}

// hushed says whether notification n is snoozed.
func (e *env) hushed(n watch.Notification) bool {
	return e.snoozes.Hushes(e.svc.Status(n.InstanceID), n.State, e.now())
}
