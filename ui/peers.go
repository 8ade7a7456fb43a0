package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// peersIntro says what the peers card lists.
const peersIntro = "These instances serve the same license (licensed URL and license ID), as HA nodes behind one root_url do:"

// peersContent lists the instances that share this one's license, by
// name, each a link that selects it, and the stale_token reason when this
// node serves an older token than its peers. nil when it has no peers.
func (d *DetailPane) peersContent(st app.Status) fyne.CanvasObject {
	if len(st.Peers) == 0 {
		return nil
	}
	box := container.NewVBox(&widget.Label{Text: peersIntro, Wrapping: fyne.TextWrapWord})
	for _, id := range st.Peers {
		link := &widget.Hyperlink{Text: d.peerName(id)}
		if d.onPeer != nil {
			link.OnTapped = func() { d.onPeer(id) }
		}
		box.Add(link)
	}
	if r, ok := reasonOf(st.Eval, client.ReasonStaleToken); ok {
		box.Add(reasonLine(r))
	}
	return box
}

// peerName is the name an instance is listed under, or its id when the
// window does not know it.
func (d *DetailPane) peerName(id string) string {
	if d.names != nil {
		if name := d.names(id); name != "" {
			return name
		}
	}
	return id
}
