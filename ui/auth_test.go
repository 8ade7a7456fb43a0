package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The form starts on Basic auth and says the API needs a server
// administrator; choosing a bearer token says service accounts are no way in.
func TestTheFormSaysWhoMaySignIn(t *testing.T) {
	h := newHarness(t)
	h.open()
	test.Tap(h.desk.toolbar[tbAdd])
	f := h.desk.form
	if f.auth.Selected != authBasicLabel {
		t.Errorf("the form starts on %q, want Basic auth", f.auth.Selected)
	}
	if !h.shows("needs a Grafana server administrator") {
		t.Error("the form does not say the API needs a Grafana server administrator")
	}
	f.auth.SetSelected(authBearerLabel)
	if !h.shows("does not accept service account tokens") || f.fields["auth"].hint.Importance != widget.WarningImportance {
		t.Error("choosing a bearer token does not warn that service account tokens are refused")
	}
	if h.shows("glsa_") || h.shows("service account or API key") {
		t.Error("the form still invites a service account token")
	}
}
