package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// An answer that is not the API's is explained from the error's parts: the
// advice is the client's hint, never a piece of the content type after its
// ";", and Grafana's words are quoted without Go's escapes.
func TestAnswerThatIsNotTheAPIIsExplainedWhole(t *testing.T) {
	h := newHarness(t)
	page := h.server(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHTML, Path: "/api/licensing/token"}))
	broken := h.server(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultMalformedJSON, Path: "/api/licensing/token"}))
	h.add("sso", "Behind SSO", page, "admin")
	h.add("broken", "Broken proxy", broken, "admin")
	h.open()

	h.selectInstance("sso")
	test.Tap(h.button(btnRefresh))
	h.waitFor("the failed read", func() bool { return h.idle("sso") })
	what, do := h.desk.detail.outcomeWhat.Text, h.desk.detail.outcomeDo.Text
	if !strings.Contains(strings.ToLower(what), "text/html; charset=utf-8") || !strings.Contains(what, "an HTML page") {
		t.Errorf("the headline does not keep the content type whole: %q", what)
	}
	if do != "What to do: Check the URL: it should be Grafana's root URL, not a login page or proxy." {
		t.Errorf("the advice is %q", do)
	}

	h.selectInstance("broken")
	test.Tap(h.button(btnRefresh))
	h.waitFor("the failed read", func() bool { return h.idle("broken") })
	if what := h.desk.detail.outcomeWhat.Text; strings.Contains(what, `\"`) || !strings.Contains(what, `“{ "jti":"2"`) {
		t.Errorf("Grafana's JSON is shown escaped, or not at all: %q", what)
	}
}

// Testing an instance not saved yet, with no password typed, asks for the
// password: there is no keyring entry to speak of.
func TestTestConnectionWithoutAPasswordAsksForIt(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.open()
	test.Tap(h.desk.toolbar[tbAdd])
	f := h.desk.form
	test.Type(f.name, "Prod")
	test.Type(f.url, srv.URL+"/")
	test.Type(f.username, "admin")
	test.Tap(h.button("Test connection"))
	h.waitFor("the test", func() bool {
		return !f.testBtn.Disabled() && f.result.Text != "" && !strings.HasPrefix(f.result.Text, "Connecting")
	})
	got := f.result.Text + " " + f.resultDo.Text
	if strings.Contains(got, "keyring") || !strings.Contains(got, "Enter the password") {
		t.Errorf("the test result says %q", got)
	}
}
