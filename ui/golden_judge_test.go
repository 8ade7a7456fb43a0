package ui

import (
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// Golden images of what Grafana itself judges: a trial, users over the
// limit, a stale HA node, an AWS Marketplace license and a stalled renewal.

// unixField is a token field's JSON text holding at's Unix time.
func unixField(name string, at time.Time) string {
	return `"` + name + `":` + strconv.FormatInt(at.Unix(), 10)
}

// goldenIssued is when goldenToken's token was issued.
var goldenIssued = goldenNow.Add(-time.Hour)

// judged is a status read from tok at goldenNow with stats, judged as the engine does.
func judged(id, name, url string, tok *client.Token, stats *client.Stats) app.Status {
	st := app.Status{
		Instance:  app.Instance{ID: id, Name: name, URL: url, Auth: app.AuthBasic, Username: "admin"},
		CheckedAt: goldenNow.Add(-2 * time.Minute), ReadAt: goldenNow.Add(-2 * time.Minute),
		HTTPStatus: 200, Health: &client.Health{Version: "11.2.2"}, Token: tok, Stats: stats,
	}
	st.Eval = client.EvaluateWithUsage(tok, stats, goldenNow, client.Policy{})
	return st
}

func goldenTrial(t *testing.T) app.Status {
	tok := goldenTokenWith(t, goldenNow.AddDate(1, 0, 0),
		`"trial":false,"trial_exp":0`, `"trial":true,`+unixField("trial_exp", goldenNow.Add(5*day+time.Hour)),
		`"included_users":250`, `"included_users":10`)
	return judged("trial-lab", "Trial Lab", "https://grafana.example.com/", tok, &client.Stats{ActiveUsers: 6, ActiveAdminsAndEditors: 2, ActiveViewers: 4})
}

func goldenOverLimit(t *testing.T) app.Status {
	tok := goldenTokenWith(t, goldenNow.AddDate(0, 4, 0),
		`"limit_by":"users","included_users":250`, `"limit_by":"role_users","included_admins":20,"included_viewers":180`)
	return judged("support", "Support Portal", "https://grafana.example.com/", tok,
		&client.Stats{ActiveUsers: 180, ActiveAdminsAndEditors: 22, ActiveViewers: 158, ActiveAnonymousDevices: 12})
}

// goldenHAStale is node B of an HA pair, serving a token issued two days
// before node A's; names lists both nodes.
func goldenHAStale(t *testing.T) (st app.Status, names map[string]string) {
	lexp := goldenNow.AddDate(0, 4, 0)
	a := goldenToken(t, lexp)
	b := goldenTokenWith(t, lexp, `"jti":"4711"`, `"jti":"4690"`,
		unixField("iat", goldenIssued), unixField("iat", goldenIssued.Add(-2*day)))
	st = judged("node-b", "Prod HA · node B", "https://grafana-b.example.com/", b, &client.Stats{ActiveUsers: 180, ActiveAdminsAndEditors: 20, ActiveViewers: 160})
	st.Peers = []string{"node-a"}
	st.Eval.Add(client.PeerReasons(map[string]*client.Token{"node-a": a, "node-b": b}, goldenNow)["node-b"])
	return st, map[string]string{"node-a": "Prod HA · node A", "node-b": "Prod HA · node B"}
}

func goldenAWS(t *testing.T) app.Status {
	lexp := goldenNow.AddDate(1, 0, 0)
	tok := goldenTokenWith(t, lexp,
		`"iss":"https://grafana.com","sub":"https://grafana.example.com/"`, `"iss":"AWS/Marketplace","sub":""`,
		unixField("lexp", lexp), `"lexp":0`, `"lid":"10500"`, `"lid":"aws-3f2a9c"`,
		`"company":"Nordwind Logistics GmbH","account":"nordwind","slug":"nordwind"`, `"company":"Nordwind Logistics GmbH","account":"123456789012","slug":""`)
	return judged("aws", "Analytics (AWS)", "https://analytics.example.com/", tok, &client.Stats{ActiveUsers: 40, ActiveAdminsAndEditors: 5, ActiveViewers: 35})
}

func goldenStalled(t *testing.T) app.Status {
	issued := goldenNow.Add(-6*day - 3*time.Hour)
	tok := goldenTokenWith(t, goldenNow.AddDate(0, 4, 0),
		unixField("iat", goldenIssued), unixField("iat", issued),
		unixField("exp", goldenNow.Add(6*day)), unixField("exp", goldenNow.Add(8*day)))
	return judged("edge", "Edge (behind a proxy)", "https://grafana.example.com/", tok, &client.Stats{ActiveUsers: 180, ActiveAdminsAndEditors: 20, ActiveViewers: 160})
}

func TestDetailPaneJudgesAsGrafana(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, test.Theme())
	show := func(t *testing.T, st app.Status, names map[string]string, master string) {
		w := test.NewTempWindow(t, nil)
		e := goldenEnv(t, w)
		d := newDetailPane(e, newActions(e))
		d.names = func(id string) string { return names[id] }
		d.Display(st, "", nil)
		w.SetContent(d)
		w.Resize(fyne.NewSize(760, 1420)) // tall enough for every card
		test.AssertRendersToImage(t, master, w.Canvas())
	}
	t.Run("trial", func(t *testing.T) { show(t, goldenTrial(t), nil, "detail_trial.png") })
	t.Run("users over the limit", func(t *testing.T) { show(t, goldenOverLimit(t), nil, "detail_usage.png") })
	t.Run("stale HA node", func(t *testing.T) {
		st, names := goldenHAStale(t)
		show(t, st, names, "detail_ha_stale.png")
	})
	t.Run("AWS Marketplace", func(t *testing.T) { show(t, goldenAWS(t), nil, "detail_aws.png") })
	t.Run("renewal stalled", func(t *testing.T) { show(t, goldenStalled(t), nil, "detail_stalled.png") })
}

func TestTrialRow(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, test.Theme())
	r := newInstanceRow()
	r.set(goldenTrial(t), false)
	w := test.NewTempWindow(t, container.NewPadded(r))
	w.Resize(fyne.NewSize(360, r.MinSize().Height+2*8))
	test.AssertRendersToImage(t, "row_trial.png", w.Canvas())
}
