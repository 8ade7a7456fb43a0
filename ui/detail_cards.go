package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// The detail pane's cards: the license, the token, usage and every field.

// grid builds a two-column label/value grid.
type grid struct {
	objs []fyne.CanvasObject
	// col, when set, is a label column shared with other grids, so their
	// values line up from card to card.
	col *labelColumn
}

func (g *grid) add(label, value string) *widget.Label {
	v := &widget.Label{Text: value, Wrapping: fyne.TextWrapWord}
	if value == notReported {
		v.Importance = widget.LowImportance
	}
	g.objs = append(g.objs, &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}}, v)
	return v
}

// addExpiry adds a date coloured by its state; a date Grafana did not
// report is "not reported", in the faint colour, never a state's.
func (g *grid) addExpiry(label string, e client.Expiry, loc *time.Location) {
	v := g.add(label, expiryText(e, loc))
	if e.Reported() {
		v.Importance = stateImportance(e.State)
	}
}

func (g *grid) addWarning(text string) {
	g.addNote(theme.NewWarningThemedResource(theme.WarningIcon()), text, widget.WarningImportance)
}

// addReason adds a reason's sentence under the row it explains.
func (g *grid) addReason(r client.Reason) {
	g.objs = append(g.objs, layout.NewSpacer(), reasonLine(r))
}

// addNote adds a sentence with an icon in the value column, under the row it belongs to.
func (g *grid) addNote(icon fyne.Resource, text string, imp widget.Importance) {
	g.objs = append(g.objs, layout.NewSpacer(), noteLine(icon, text, imp))
}

// noteLine is a sentence after an icon, wrapped.
func noteLine(icon fyne.Resource, text string, imp widget.Importance) fyne.CanvasObject {
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil,
		&widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Importance: imp})
}

// reasonLine is a reason's sentence with its state's icon and colour.
func reasonLine(r client.Reason) fyne.CanvasObject {
	return noteLine(stateIcon(r.State), r.Message, stateImportance(r.State))
}

// reasonOf is the evaluation's reason with code, if it has one.
func reasonOf(ev client.Evaluation, code client.ReasonCode) (client.Reason, bool) {
	for _, r := range ev.Reasons {
		if r.Code == code {
			return r, true
		}
	}
	return client.Reason{}, false
}

func (g *grid) container() *fyne.Container {
	if g.col == nil {
		return container.New(layout.NewFormLayout(), g.objs...)
	}
	for i := 0; i < len(g.objs); i += 2 {
		g.col.width = max(g.col.width, g.objs[i].MinSize().Width)
	}
	return container.New(&alignedForm{col: g.col}, g.objs...)
}

// labelColumn is the width of the label column the detail pane's cards
// share; Display starts it afresh.
type labelColumn struct{ width float32 }

// alignedForm lays label/value pairs in rows like Fyne's form layout, with
// the labels' column as wide as the widest label of every card.
type alignedForm struct{ col *labelColumn }

func (f *alignedForm) labelWidth(objs []fyne.CanvasObject) float32 {
	w := f.col.width
	for i := 0; i < len(objs); i += 2 {
		w = max(w, objs[i].MinSize().Width)
	}
	return w
}

// MinSize is the label column, a gap and the widest value, by the rows' height.
func (f *alignedForm) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var valueW, h float32
	rows := 0
	for i := 0; i+1 < len(objs); i += 2 {
		l, v := objs[i].MinSize(), objs[i+1].MinSize()
		valueW = max(valueW, v.Width)
		h += max(l.Height, v.Height)
		rows++
	}
	if rows > 1 {
		h += pad * float32(rows-1)
	}
	return fyne.NewSize(f.labelWidth(objs)+pad+valueW, h)
}

// Layout places each pair on its row, values starting at one x in every card.
func (f *alignedForm) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	lw := f.labelWidth(objs)
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		label, value := objs[i], objs[i+1]
		value.Move(fyne.NewPos(lw+pad, y))
		value.Resize(fyne.NewSize(max(size.Width-lw-pad, 0), value.MinSize().Height))
		h := max(label.MinSize().Height, value.MinSize().Height)
		value.Resize(fyne.NewSize(value.Size().Width, h))
		label.Move(fyne.NewPos(0, y))
		label.Resize(fyne.NewSize(lw, label.MinSize().Height))
		y += h + pad
	}
}

func orNotReported(s string) string {
	if strings.TrimSpace(s) == "" {
		return notReported
	}
	return s
}

func (d *DetailPane) licenseGrid(st app.Status) fyne.CanvasObject {
	t := st.Token
	if t == nil {
		return &widget.Label{Text: "No license token has been read from this instance yet.", Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	}
	loc := d.env.loc
	g := &grid{col: d.cols}
	g.add("Company", orNotReported(t.Company))
	g.add("Products", orNotReported(strings.Join(t.Products, ", ")))
	aws := t.FromAWSMarketplace()
	if aws {
		// No licensed URL and no license expiry is how AWS sells it, not missing data.
		g.add("Bought through", client.AWSMarketplaceLicense)
		g.addNote(theme.InfoIcon(), client.AWSMarketplaceTerms, widget.MediumImportance)
		g.add("AWS account", orNotReported(t.Account))
	}
	if !aws || t.Subject != "" {
		g.add("Licensed URL", orNotReported(t.Subject))
		d.addSubjectNote(g, t, st.Instance.URL)
	}
	g.add("License ID", orNotReported(t.LicenseID))
	if link := licenseLink(t); link != nil {
		g.objs = append(g.objs, layout.NewSpacer(), link)
	}
	g.add("Issued", date(t.LicenseIssued, loc))
	if !aws || st.Eval.License.Reported() {
		g.addExpiry("Expires", st.Eval.License, loc)
	}
	switch {
	case t.IncludedUsers > 0:
		g.add("Included users", itoa64(t.IncludedUsers))
	case t.IncludedAdmins > 0 || t.IncludedViewers > 0:
		g.add("Included admins", itoa64(t.IncludedAdmins))
		g.add("Included viewers", itoa64(t.IncludedViewers))
	default:
		g.add("Included users", notReported)
	}
	g.add("Limited by", orNotReported(t.LimitBy))
	switch ev := st.Eval; {
	case !t.Trial:
		g.add("Trial", "No")
	case ev.Trial.Reported():
		// The trial's end counts down on its own, coloured by its own state.
		v := g.add("Trial ends", client.FormatDate(ev.Trial.At, loc)+" — "+ev.TrialCountdown())
		v.Importance = stateImportance(ev.Trial.State)
	default:
		g.add("Trial", "Yes — end "+notReported)
	}
	return g.container()
}

func (d *DetailPane) tokenGrid(st app.Status) fyne.CanvasObject {
	t := st.Token
	if t == nil {
		return &widget.Label{Text: "No token yet.", Importance: widget.LowImportance}
	}
	loc := d.env.loc
	g := &grid{col: d.cols}
	g.add("Token ID", orNotReported(t.ID))
	if t.HasStatus {
		g.add("Grafana says", fmt.Sprintf("%s (%d): %s", t.Status, int(t.Status), t.Status.Meaning()))
	}
	renewed := g.add("Last renewal", dateTime(t.IssuedAt, loc))
	if r, ok := reasonOf(st.Eval, client.ReasonRenewalStalled); ok {
		renewed.Importance = stateImportance(r.State)
		g.addReason(r)
	}
	g.addExpiry("Expires", st.Eval.Token, loc)
	if t.UpdateDays > 0 {
		g.add("Renewed every", client.Days(t.UpdateDays))
	} else {
		g.add("Renewed every", notReported)
	}
	return g.container()
}

// fieldsTitle heads the list of every field; the count is the shown token's.
const fieldsTitle = "All fields Grafana returned"

func (d *DetailPane) showFields(t *client.Token) {
	if t == nil {
		// A label of its own, not a form row: a form of one cell has no
		// height and would be drawn over the next header.
		d.fields.Objects = []fyne.CanvasObject{&widget.Label{Text: "None yet.", Importance: widget.LowImportance}}
		d.fields.Refresh()
		d.more.Items[0].Title = fieldsTitle
		d.more.Refresh()
		d.rawText = ""
		d.rawJSON.SetText("")
		d.copyRaw.Disable()
		return
	}
	g := &grid{}
	for _, f := range t.Fields {
		g.add(f.Name, rawValue(f.Value))
	}
	d.fields.Objects = []fyne.CanvasObject{g.container()}
	d.fields.Refresh()
	d.more.Items[0].Title = fmt.Sprintf("%s (%d)", fieldsTitle, len(t.Fields))
	d.more.Refresh()
	d.rawText = prettyJSON(t.Raw)
	if d.more.Items[1].Open {
		d.rawJSON.SetText(d.rawText)
	} else {
		d.rawJSON.SetText("") // filled when the item opens
	}
	d.copyRaw.Enable()
}

// addSubjectNote says, under the licensed URL, when it does not cover the
// URL this instance is reached by. That is information (an HA node's own
// address, a tunnel), not a state: only Grafana's status 6 makes it a
// problem, and then it is drawn as one.
func (d *DetailPane) addSubjectNote(g *grid, t *client.Token, instanceURL string) {
	note := client.SubjectWarning(t.Subject, instanceURL)
	switch {
	case note == "":
	case t.HasStatus && t.Status == client.StatusInvalidSubject:
		g.addWarning(note)
	default:
		g.addNote(theme.InfoIcon(), note, widget.MediumImportance)
	}
}

// licenseLinkText is the link to the license's page on grafana.com.
const licenseLinkText = "Open on grafana.com"

// licenseLink opens the license's page on grafana.com (details_url, else
// iss/licenses/lid), only ever an https address (client.Token.LicenseURL).
func licenseLink(t *client.Token) *widget.Hyperlink {
	raw := t.LicenseURL()
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	return widget.NewHyperlink(licenseLinkText, u)
}
