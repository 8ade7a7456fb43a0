package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// manyStatuses makes n statuses in every state, without servers.
func manyStatuses(n int) []app.Status {
	states := []client.State{client.StateOK, client.StateWarning, client.StateUnknown, client.StateCritical}
	sts := make([]app.Status, n)
	for i := range sts {
		id := fmt.Sprintf("grafana-%05d", i)
		sts[i] = app.Status{
			Instance: app.Instance{ID: id, Name: fmt.Sprintf("Grafana %05d", i), URL: "https://" + id + ".example.com/"},
			Eval: client.Evaluation{State: states[i%len(states)],
				License: client.Expiry{At: goldenNow.Add(time.Duration(i%97) * 24 * time.Hour), DaysLeft: i % 97}},
		}
	}
	return sts
}

func newTestList(t testing.TB) (*InstanceList, fyne.Window) {
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	e := newEnv(a, w, nil)
	l := newInstanceList(e)
	w.SetContent(l)
	w.Resize(fyne.NewSize(500, 800))
	return l, w
}

func TestListOfTenThousandBuildsOnlyVisibleRows(t *testing.T) {
	l, w := newTestList(t)
	l.SetStatuses(manyStatuses(10000))
	if n := l.list.Length(); n != 10000 {
		t.Fatalf("the list has %d items, want 10000", n)
	}
	rows := 0
	for _, o := range objects(w.Canvas()) {
		if _, ok := o.(*instanceRow); ok {
			rows++
		}
	}
	if rows == 0 || rows > 40 {
		t.Errorf("%d row widgets for 10,000 instances: the list must build only the rows on screen", rows)
	}
}

func TestListSortsByUrgencyThenDaysLeft(t *testing.T) {
	l, _ := newTestList(t)
	mk := func(id string, s client.State, days int) app.Status {
		return app.Status{Instance: app.Instance{ID: id, Name: id},
			Eval: client.Evaluation{State: s, License: client.Expiry{At: goldenNow.Add(time.Duration(days) * 24 * time.Hour), DaysLeft: days}}}
	}
	l.SetStatuses([]app.Status{
		mk("ok-far", client.StateOK, 300), mk("warn-20", client.StateWarning, 20), mk("unknown", client.StateUnknown, 0),
		mk("ok-near", client.StateOK, 100), mk("critical", client.StateCritical, -3), mk("warn-5", client.StateWarning, 5),
	})
	want := []string{"critical", "unknown", "warn-5", "warn-20", "ok-near", "ok-far"}
	if got := l.VisibleIDs(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("urgency order %v, want %v", got, want)
	}

	l.sortSel.SetSelected(sortLabels[SortName])
	if got := l.VisibleIDs(); got[0] != "critical" || got[5] != "warn-5" {
		t.Errorf("name order %v", got)
	}
	if got := l.env.prefs.Sort(); got != SortName {
		t.Errorf("the chosen sort is not remembered: %q", got)
	}
}

func TestPrefsRememberTheWindowAndFallBackToSaneValues(t *testing.T) {
	a := test.NewTempApp(t)
	p := NewPrefs(a.Preferences())
	if got := p.WindowSize(); got != fyne.NewSize(1280, 800) {
		t.Errorf("default size %v, want 1280×800", got)
	}
	if p.Sort() != SortUrgency || p.Selection() != "" {
		t.Errorf("defaults: sort %q, selection %q", p.Sort(), p.Selection())
	}
	p.SetWindowSize(fyne.NewSize(300, 200))
	if got := p.WindowSize(); got != fyne.NewSize(minWidth, minHeight) {
		t.Errorf("a tiny saved size comes back as %v, want at least %d×%d", got, minWidth, minHeight)
	}
	p.SetSplit(0.99)
	if got := p.Split(); got != defaultSplit {
		t.Errorf("an unusable split comes back as %v", got)
	}
	p.SetSplit(0.5)
	p.SetSort(SortExpiry)
	p.SetSelection("prod-eu")
	if p.Split() != 0.5 || p.Sort() != SortExpiry || p.Selection() != "prod-eu" {
		t.Errorf("not remembered: split %v, sort %q, selection %q", p.Split(), p.Sort(), p.Selection())
	}
	a.Preferences().SetString(prefSort, "bogus")
	if p.Sort() != SortUrgency {
		t.Errorf("an unknown sort comes back as %q", p.Sort())
	}
}

func BenchmarkListRebuildTenThousand(b *testing.B) {
	l, _ := newTestList(b)
	l.SetStatuses(manyStatuses(10000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.setQuery(fmt.Sprintf("grafana %d", i%10))
	}
}
