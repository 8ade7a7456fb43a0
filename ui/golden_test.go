package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

// goldenNow is the fixed clock of the golden images, so they never drift.
var goldenNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// goldenToken is a Grafana 11 token whose license expires at lexp.
func goldenToken(t *testing.T, lexp time.Time) *client.Token { return goldenTokenWith(t, lexp) }

// goldenTokenWith is goldenToken with fields changed: pairs of old and new
// text, as strings.NewReplacer takes them (`"trial":false`, `"trial":true`).
func goldenTokenWith(t *testing.T, lexp time.Time, edits ...string) *client.Token {
	t.Helper()
	body := fmt.Sprintf(`{"status":1,"jti":"4711","iss":"https://grafana.com","sub":"https://grafana.example.com/",`+
		`"iat":%d,"exp":%d,"nbf":%d,"lexp":%d,"lid":"10500","limit_by":"users","included_users":250,`+
		`"lic_exp_warn_days":30,"tok_exp_warn_days":2,"update_days":1,"prod":["grafana-enterprise"],`+
		`"company":"Nordwind Logistics GmbH","account":"nordwind","slug":"nordwind","usage_billing":false,`+
		`"max_concurrent_user_sessions":0,"details_url":"","trial":false,"trial_exp":0,"anonymousRatio":0,"new_field":"kept"}`,
		goldenNow.Add(-time.Hour).Unix(), goldenNow.Add(6*24*time.Hour).Unix(),
		goldenNow.AddDate(-1, 0, 0).Unix(), lexp.Unix())
	tok, err := client.ParseToken([]byte(strings.NewReplacer(edits...).Replace(body)))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func goldenStatus(t *testing.T, state client.State) app.Status {
	inst := app.Instance{ID: "prod-eu", Name: "Prod EU", URL: "https://grafana.example.com/", Auth: app.AuthBasic, Username: "admin"}
	st := app.Status{Instance: inst, CheckedAt: goldenNow.Add(-2 * time.Minute), ReadAt: goldenNow.Add(-2 * time.Minute),
		HTTPStatus: 200, Health: &client.Health{Version: "11.2.2"}}
	switch state {
	case client.StateOK:
		st.Token = goldenToken(t, goldenNow.AddDate(0, 4, 0))
	case client.StateWarning:
		st.Instance.Name, st.Instance.URL = "Prod US", "https://grafana.us.example.com/"
		st.Token = goldenToken(t, goldenNow.Add(12*24*time.Hour+time.Hour))
	case client.StateCritical:
		st.Instance.Name, st.Instance.URL = "Legacy DC", "https://legacy.example.com:3000/"
		st.Instance.InsecureSkipVerify = true
		st.Token = goldenToken(t, goldenNow.Add(-3*24*time.Hour))
	default:
		st.Instance.Name, st.Instance.URL = "Dev Sandbox", "https://dev.example.com/grafana/"
		st.ReadAt = time.Time{}
		st.HTTPStatus = 0
		st.Health = nil
		st.Err = &client.NetworkError{Op: client.OpToken, URL: "https://dev.example.com/grafana/api/licensing/token", Kind: client.NetTimeout}
	}
	if st.Token != nil {
		st.Stats = &client.Stats{ActiveUsers: 180, ActiveAdminsAndEditors: 20, ActiveViewers: 160}
	}
	st.Eval = client.EvaluateWithUsage(st.Token, st.Stats, goldenNow, client.Policy{})
	if st.Err != nil {
		st.Eval.State, st.Eval.Message = client.StateUnknown, verdict.Reason(st.Err)
	}
	return st
}

// goldenEnv is an env on a fixed clock in UTC, with no engine: the golden
// tests show widgets, not calls.
func goldenEnv(t *testing.T, w fyne.Window) *env {
	a := fyne.CurrentApp()
	e := newEnv(a, w, nil)
	e.now = func() time.Time { return goldenNow }
	e.loc = time.UTC
	return e
}

func TestInstanceRowInEachState(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, test.Theme())
	for _, state := range []client.State{client.StateOK, client.StateWarning, client.StateCritical, client.StateUnknown} {
		t.Run(state.String(), func(t *testing.T) {
			r := newInstanceRow()
			st := goldenStatus(t, state)
			r.set(st, false)
			w := test.NewTempWindow(t, container.NewPadded(r))
			w.Resize(fyne.NewSize(360, r.MinSize().Height+2*8))
			test.AssertRendersToImage(t, "row_"+state.String()+".png", w.Canvas())

			if got := r.state.Text; got[:len(state.Title())] != state.Title() {
				t.Errorf("the row says %q: it must name the state %q in words", got, state.Title())
			}
		})
	}
}

func TestDetailPane(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, test.Theme())
	show := func(t *testing.T, st app.Status, master string) {
		w := test.NewTempWindow(t, nil)
		e := goldenEnv(t, w)
		d := newDetailPane(e, newActions(e))
		d.Display(st, "", nil)
		w.SetContent(d)
		w.Resize(fyne.NewSize(760, 1180))
		test.AssertRendersToImage(t, master, w.Canvas())
	}
	t.Run("ok", func(t *testing.T) {
		show(t, goldenStatus(t, client.StateOK), "detail_ok.png")
	})
	t.Run("stale after a failed read", func(t *testing.T) {
		st := goldenStatus(t, client.StateWarning)
		st.Err = &client.APIError{Op: client.OpToken, StatusCode: 401, Message: "Unauthorized"}
		st.Stale = true
		st.CheckedAt = goldenNow
		st.Eval.State = client.StateUnknown
		show(t, st, "detail_stale.png")
	})
}
