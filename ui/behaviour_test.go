package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

func TestRenewShowsTheNewToken(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")

	test.Tap(h.button(btnRefresh))
	h.waitFor("the first read", func() bool { return h.shows("License token read") })
	before := h.svc.Status("prod").Token
	if !h.shows(before.ID) {
		t.Fatalf("the token card does not show the token id %s", before.ID)
	}

	test.Tap(h.button(btnRenew))
	if !h.button(btnRenew).Disabled() || !h.button(btnUpload).Disabled() {
		t.Error("the action buttons stay enabled while the renewal is in flight")
	}
	if !h.shows("Renewing the token…") {
		t.Error("nothing says a renewal is in flight")
	}
	h.waitFor("the renewal", func() bool { return h.shows("Token renewed") })

	after := h.svc.Status("prod").Token
	if after.ID == before.ID {
		t.Fatal("the emulator did not issue a new token; the test proves nothing")
	}
	if !h.shows(after.ID) || h.shows(before.ID) {
		t.Errorf("the token card should show the new token id %s instead of %s", after.ID, before.ID)
	}
	if h.button(btnRenew).Disabled() {
		t.Error("the Renew button stays disabled after the renewal")
	}
}

func TestRemoveLicenseAsksThenShowsNoLicense(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")

	test.Tap(h.button(btnRemoveLicense))
	entries := h.dialogEntries()
	if len(entries) != 2 {
		t.Fatalf("the dialog has %d entries, want the root URL and the name", len(entries))
	}
	rootURL, name := entries[0], entries[1]
	if rootURL.Text != srv.URL+"/" {
		t.Errorf("the root URL to send is %q, want the instance's URL %q", rootURL.Text, srv.URL+"/")
	}
	if !h.shows("license.jwt") || !h.shows("license_text") {
		t.Error("the dialog does not warn that a license.jwt file or license_text setting may still apply")
	}
	confirm := h.button("Remove license")
	if !confirm.Disabled() {
		t.Fatal("Remove license is enabled before the instance's name is typed")
	}
	test.Type(name, "Pro")
	if !confirm.Disabled() {
		t.Fatal("Remove license is enabled with part of the name typed")
	}
	if _, loaded := srv.Claims(); !loaded {
		t.Fatal("the license went before the user confirmed")
	}
	test.Type(name, "d")
	if confirm.Disabled() {
		t.Fatal("Remove license stays disabled with the name typed")
	}
	test.Tap(confirm)

	h.waitFor("the removal", func() bool { return h.shows("License removed") })
	if _, loaded := srv.Claims(); loaded {
		t.Error("the emulator still has a license")
	}
	if !h.shows("No license was found on this Grafana") {
		t.Error("the header does not say the instance has no license")
	}
	if got := h.desk.detail.badge.Text(); got != "Critical" {
		t.Errorf("the badge says %q, want Critical", got)
	}
}

func TestWrongPasswordShowsTheCredentialsHint(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "not-the-password")
	h.open()
	h.selectInstance("prod")

	test.Tap(h.button(btnRefresh))
	h.waitFor("the failed read", func() bool { return h.idle("prod") && h.shows("401") })
	if advice := strings.ToLower(h.desk.detail.outcomeDo.Text); !strings.Contains(advice, "check the instance's credentials") {
		t.Errorf("the 401 is not explained with the credentials hint:\n%s", strings.Join(texts(h.win.Canvas()), "\n"))
	}
	if got := h.desk.detail.badge.Text(); got != "Unknown" {
		t.Errorf("the badge says %q, want Unknown", got)
	}
}

func TestRemoveWithWrongRootURLShowsBothURLs(t *testing.T) {
	h := newHarness(t)
	const root = "https://grafana.example.com/"
	srv := h.server(grafanatest.WithRootURL(root))
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")
	test.Tap(h.button(btnRefresh))
	h.waitFor("the first read", func() bool { return h.shows("License token read") })

	test.Tap(h.button(btnRemoveLicense))
	test.Type(h.dialogEntries()[1], "Prod")
	test.Tap(h.button("Remove license"))
	h.waitFor("the refusal", func() bool { return h.idle("prod") && h.shows("422") })

	advice := h.desk.detail.outcomeDo.Text
	if !strings.Contains(advice, srv.URL+"/") || !strings.Contains(advice, root) {
		t.Errorf("the advice should name the URL sent (%s) and the licensed one (%s): %q", srv.URL+"/", root, advice)
	}
	if _, loaded := srv.Claims(); !loaded {
		t.Error("the license is gone though Grafana refused")
	}
}

func TestAddInstanceSaysWhatIsWrongBesideEachField(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.open()

	test.Tap(h.desk.toolbar[tbAdd])
	f := h.desk.form
	test.Type(f.name, "Prod EU")
	if f.id.Text != "prod-eu" {
		t.Errorf("the id made from the name is %q, want prod-eu", f.id.Text)
	}
	test.Type(f.url, "ftp://grafana.example.com")
	test.Tap(h.button("Save"))

	want := map[string]string{
		"url":      "URL must start with http:// or https://",
		"username": "Username is required for basic auth",
		"password": "Password is required",
	}
	for field, msg := range want {
		e := f.fields[field].err
		if !e.Visible() || !strings.HasPrefix(e.Text, msg) {
			t.Errorf("beside %s: %q (visible %v), want %q", field, e.Text, e.Visible(), msg)
		}
	}
	if f.fields["name"].err.Visible() {
		t.Errorf("the valid name is flagged: %q", f.fields["name"].err.Text)
	}
	if len(h.svc.Instances()) != 0 {
		t.Fatal("an invalid instance was saved")
	}

	f.url.SetText("")
	test.Type(f.url, srv.URL+"/")
	test.Type(f.username, "admin")
	test.Type(f.password, "admin")
	test.Tap(h.button("Test connection"))
	h.waitFor("the connection test", func() bool { return strings.HasPrefix(f.result.Text, "Connected") })
	if !strings.Contains(f.result.Text, "Grafana 11.2.2") {
		t.Errorf("the test result does not name Grafana's version: %q", f.result.Text)
	}
	if len(h.svc.Instances()) != 0 {
		t.Fatal("testing the connection saved the instance")
	}

	test.Tap(h.button("Save"))
	h.waitFor("the new instance to be read", func() bool { return h.shows("License token read") })
	for field := range f.fields {
		if f.fields[field].err.Visible() {
			t.Errorf("%s still flagged: %q", field, f.fields[field].err.Text)
		}
	}
	if inst, ok := h.svc.Instance("prod-eu"); !ok || inst.Username != "admin" {
		t.Fatalf("the instance was not saved: %+v", inst)
	}
	if h.desk.list.Selected() != "prod-eu" {
		t.Errorf("the new instance is not selected")
	}
}

func TestFilterNarrowsTheList(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod-eu", "Prod EU", srv, "admin")
	h.add("prod-us", "Prod US", srv, "admin")
	h.add("staging", "Staging", srv, "admin")
	h.open()
	if n := h.desk.list.list.Length(); n != 3 {
		t.Fatalf("the list shows %d instances, want 3", n)
	}

	test.Type(h.desk.list.filter, "prod")
	if got := h.desk.list.VisibleIDs(); len(got) != 2 || h.desk.list.list.Length() != 2 {
		t.Errorf("filtering by name shows %v, want the two Prod instances", got)
	}
	if !h.shows("2 instances of 3 match the filter") {
		t.Error("the count does not say the list is filtered")
	}

	h.desk.list.filter.SetText("")
	test.Type(h.desk.list.filter, "STAGING")
	if got := h.desk.list.VisibleIDs(); len(got) != 1 || got[0] != "staging" {
		t.Errorf("filtering by id, in capitals, shows %v, want staging", got)
	}

	h.desk.list.filter.TypedKey(&fyneKeyEscape)
	if h.desk.list.list.Length() != 3 {
		t.Error("Escape in the filter box does not clear the filter")
	}
}

func TestWindowReopensOnTheLastSelectionAndCtrlFFocusesTheFilter(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod-eu", "Prod EU", srv, "admin")
	h.add("prod-us", "Prod US", srv, "admin")
	NewPrefs(h.app.Preferences()).SetSelection("prod-us")
	h.open()
	if h.desk.detail.id != "prod-us" || h.desk.list.Selected() != "prod-us" {
		t.Errorf("the window opened on %q, want the last selection prod-us", h.desk.detail.id)
	}

	h.desk.list.FocusFilter()
	if h.win.Canvas().Focused() != h.desk.list.filter {
		t.Error("Ctrl+F does not put the keyboard in the filter box")
	}
}

func TestStatusTableCSVHoldsEveryInstanceAndNoSecret(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin-password-never-exported")
	h.svc.Refresh(t.Context(), "prod")
	var b strings.Builder
	if err := writeStatusCSV(&b, h.svc.Statuses()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "id,name,url,state,message,license_expires") {
		t.Fatalf("want a header and one row per instance:\n%s", out)
	}
	if !strings.Contains(lines[1], "prod,Prod,"+srv.URL+"/,unknown") {
		t.Errorf("the row does not say the instance could not be read: %s", lines[1])
	}
	if strings.Contains(out, "admin-password-never-exported") {
		t.Error("the CSV holds the password")
	}
}

func TestRefreshAllShowsProgressAndRenewAllKeepsToTheFilter(t *testing.T) {
	h := newHarness(t)
	eu, us, staging := h.server(), h.server(), h.server()
	h.add("prod-eu", "Prod EU", eu, "admin")
	h.add("prod-us", "Prod US", us, "admin")
	h.add("staging", "Staging", staging, "admin")
	h.open()

	test.Tap(h.desk.toolbar[tbRefreshAll])
	if got := h.desk.statusTxt.Text; got != "Refreshing 0 of 3…" {
		t.Errorf("the status line says %q as the refresh starts", got)
	}
	if !h.desk.toolbar[tbRefreshAll].Disabled() || !h.desk.progress.Visible() {
		t.Error("no progress bar, or Refresh all stays enabled, while refreshing")
	}
	h.waitFor("the refresh to end", func() bool { return h.desk.act.bulk == nil })
	if got := h.desk.statusTxt.Text; !strings.HasPrefix(got, "3 instances: 3 ok") {
		t.Errorf("after the refresh the status line says %q", got)
	}
	if h.desk.progress.Visible() || h.desk.toolbar[tbRefreshAll].Disabled() {
		t.Error("the progress bar stays, or Refresh all stays disabled")
	}

	test.Type(h.desk.list.filter, "prod")
	test.Tap(h.desk.toolbar[tbRenewAll])
	h.waitFor("the renewals to end", func() bool { return h.desk.act.bulk == nil })
	for _, c := range []struct {
		id   string
		srv  *grafanatest.Server
		want int
	}{{"prod-eu", eu, 1}, {"prod-us", us, 1}, {"staging", staging, 0}} {
		if got := c.srv.RequestCount("/api/licensing/token/renew"); got != c.want {
			t.Errorf("%s was asked to renew %d times, want %d", c.id, got, c.want)
		}
	}
}

func TestARenewalWhoseHistoryCannotBeWrittenSaysSo(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	h.add("prod", "Prod", srv, "admin")
	// A folder where the history file belongs: the entry cannot be written.
	if err := os.MkdirAll(filepath.Join(h.dir, history.HistoryFile), 0o700); err != nil {
		t.Fatal(err)
	}
	h.open()
	h.selectInstance("prod")

	test.Tap(h.button(btnRenew))
	h.waitFor("the renewal", func() bool { return h.shows("Token renewed") })
	if !h.shows("not recorded in the history") {
		t.Errorf("the window does not say that the renewal is missing from the history:\n%s", strings.Join(texts(h.win.Canvas()), "\n"))
	}
}
