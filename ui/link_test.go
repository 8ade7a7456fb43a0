package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/client"
)

// The license card links to the license on grafana.com, over https only.
func TestTheLicenseLinksToGrafanaCom(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	e := goldenEnv(t, w)
	d := newDetailPane(e, newActions(e))
	w.SetContent(d)
	link := func(details string) *widget.Hyperlink {
		st := goldenStatus(t, client.StateOK)
		tok := *st.Token
		tok.DetailsURL, tok.Issuer, tok.LicenseID = details, "https://grafana.com", "10500"
		st.Token = &tok
		d.Display(st, "", nil)
		for _, o := range objects(w.Canvas()) {
			if l, ok := o.(*widget.Hyperlink); ok && l.Text == licenseLinkText {
				return l
			}
		}
		return nil
	}
	if l := link("https://grafana.com/orgs/nordwind/licenses"); l == nil || l.URL.String() != "https://grafana.com/orgs/nordwind/licenses" {
		t.Errorf("details_url gives the link %v", l)
	}
	if l := link(""); l == nil || l.URL.String() != "https://grafana.com/licenses/10500" {
		t.Errorf("iss and lid give the link %v", l)
	}
	if l := link("http://grafana.example/licenses"); l != nil && strings.HasPrefix(l.URL.String(), "http:") {
		t.Errorf("a plain http link is offered: %v", l.URL)
	}
}
