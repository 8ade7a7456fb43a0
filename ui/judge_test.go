package ui

import (
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// What the window shows of Grafana's own judgements: a trial, users against
// the limit, a stalled renewal, HA peers and an AWS Marketplace license,
// each read from an emulated Grafana on loopback.

// readAll refreshes every instance as the toolbar does and waits until
// the list shows each read.
func (h *harness) readAll(ids ...string) {
	h.t.Helper()
	test.Tap(h.desk.toolbar[tbRefreshAll])
	h.waitFor("every read", func() bool {
		for _, id := range ids {
			if st, _ := h.desk.list.Status(id); !h.idle(id) || st.CheckedAt.IsZero() {
				return false
			}
		}
		return !h.desk.list.rebuilds.pending
	})
}

// rowTexts lists the words drawn in the list's row for the instance named name.
func (h *harness) rowTexts(name string) []string {
	h.t.Helper()
	for _, o := range objects(h.win.Canvas()) {
		if r, ok := o.(*instanceRow); ok && r.name.Text == name {
			return textsIn(r)
		}
	}
	h.t.Fatalf("no row for %s; the window shows:\n%s", name, strings.Join(texts(h.win.Canvas()), "\n"))
	return nil
}

// textsIn lists the words shown inside o: each label's and link's whole
// text, and each text drawn on its own (a card's title, a badge).
func textsIn(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Hyperlink:
			out = append(out, v.Text)
		case *canvas.Text:
			out = append(out, v.Text)
		}
	})
	return out
}

// headerTexts lists the words of the detail pane's header.
func (h *harness) headerTexts() []string { return textsIn(h.desk.detail.header) }

func TestTrialBadgeShowsForATrialOnly(t *testing.T) {
	h := newHarness(t)
	now := time.Now()
	h.add("lab", "Trial Lab", h.server(grafanatest.WithClaims(grafanatest.TrialClaims(now, now.Add(5*day+time.Hour)))), "admin")
	h.add("ended", "Ended Trial", h.server(grafanatest.WithClaims(grafanatest.TrialClaims(now, now.Add(-2*day-time.Hour)))), "admin")
	h.add("prod", "Prod", h.server(), "admin")
	h.open()
	h.readAll("lab", "ended", "prod")

	for name, want := range map[string]bool{"Trial Lab": true, "Ended Trial": true, "Prod": false} {
		if got := slices.Contains(h.rowTexts(name), trialBadgeText); got != want {
			t.Errorf("%s's row shows the %q badge: %v, want %v (%q)", name, trialBadgeText, got, want, h.rowTexts(name))
		}
	}
	for _, c := range []struct {
		id, countdown string
		imp           widget.Importance
	}{
		{"lab", "in 5 days", widget.WarningImportance},
		{"ended", "ended 2 days ago", widget.DangerImportance},
	} {
		h.selectInstance(c.id)
		if !slices.Contains(h.headerTexts(), trialBadgeText) {
			t.Errorf("%s: the header shows no %q badge: %v", c.id, trialBadgeText, h.headerTexts())
		}
		v := valueBeside(h.win.Canvas(), "License", "Trial ends")
		if v == nil || !strings.HasSuffix(v.Text, " — "+c.countdown) || v.Importance != c.imp {
			t.Errorf("%s: the license card's trial end is %+v, want … — %s in the trial's state colour", c.id, v, c.countdown)
		}
	}
	h.selectInstance("prod")
	if slices.Contains(h.headerTexts(), trialBadgeText) {
		t.Errorf("a license that is no trial shows the %q badge in the header", trialBadgeText)
	}
	if v := valueBeside(h.win.Canvas(), "License", "Trial"); v == nil || v.Text != "No" {
		t.Errorf("the license card's trial row is %+v, want No", v)
	}
}

// usageLines are the usage bars the detail pane shows.
func (h *harness) usageLines() []*usageLine {
	var out []*usageLine
	walk(h.desk.detail, func(o fyne.CanvasObject) {
		if l, ok := o.(*usageLine); ok {
			out = append(out, l)
		}
	})
	return out
}

func TestUsageBarsAtTheLimitsEdges(t *testing.T) {
	h := newHarness(t)
	c := grafanatest.DefaultClaims(time.Now())
	c.IncludedUsers = 100
	srv := h.server(grafanatest.WithClaims(c))
	h.add("prod", "Prod", srv, "admin")
	h.open()
	h.selectInstance("prod")
	for _, tc := range []struct {
		active int64
		fill   float64
		colour fyne.ThemeColorName
		imp    widget.Importance
	}{
		{79, 0.79, theme.ColorNameSuccess, widget.SuccessImportance},
		{80, 0.8, theme.ColorNameWarning, widget.WarningImportance},
		{100, 1, theme.ColorNameWarning, widget.WarningImportance},
		{101, 1, theme.ColorNameError, widget.DangerImportance},
	} {
		t.Run(itoa(int(tc.active)), func(t *testing.T) {
			srv.SetStats(grafanatest.Stats{ActiveUsers: tc.active, ActiveViewers: tc.active})
			test.Tap(h.button(btnRefresh))
			h.waitFor("the read", func() bool {
				st := h.svc.Status("prod")
				return h.idle("prod") && st.Stats != nil && st.Stats.ActiveUsers == tc.active
			})
			lines := h.usageLines()
			if len(lines) != 1 {
				t.Fatalf("%d usage bars, want 1 (users)", len(lines))
			}
			l := lines[0]
			want := itoa(int(tc.active)) + " active of 100 included (" + itoa(int(tc.active)) + " %)"
			if l.count.Text != want || l.count.Importance != tc.imp {
				t.Errorf("beside the bar: %q (importance %v), want %q (%v)", l.count.Text, l.count.Importance, want, tc.imp)
			}
			if l.bar.fill != tc.fill {
				t.Errorf("the bar is filled to %v, want %v", l.bar.fill, tc.fill)
			}
			used := test.WidgetRenderer(l.bar).(*usageBarRenderer).used
			if !sameColor(used.FillColor, theme.Color(tc.colour)) {
				t.Errorf("the bar is drawn in %v, want the theme's %s", used.FillColor, tc.colour)
			}
			if v := valueBeside(h.win.Canvas(), "Usage", "Active users"); v != nil {
				t.Errorf("users are shown both as a bar and as the row %q", v.Text)
			}
			if v := valueBeside(h.win.Canvas(), "Usage", "Viewers"); v == nil || v.Text != itoa(int(tc.active)) {
				t.Errorf("the viewers, which no limit covers, are %+v", v)
			}
		})
	}
}

func sameColor(a, b color.Color) bool {
	return color.NRGBAModel.Convert(a) == color.NRGBAModel.Convert(b)
}

func TestHAPeersAreListedByNameAndSelectable(t *testing.T) {
	h := newHarness(t)
	newest, stale := grafanatest.NewHAPair(time.Now(), 2*day)
	h.t.Cleanup(newest.Close)
	h.t.Cleanup(stale.Close)
	h.add("node-a", "Prod HA · node A", newest, "admin")
	h.add("node-b", "Prod HA · node B", stale, "admin")
	h.add("prod", "Prod", h.server(), "admin")
	h.open()
	// Node B read first, then node A: B's row follows what A's read shows.
	for _, id := range []string{"node-b", "node-a"} {
		h.selectInstance(id)
		test.Tap(h.button(btnRefresh))
		h.waitFor("the read of "+id, func() bool { return h.idle(id) && h.svc.Status(id).Token != nil })
	}
	h.waitFor("node B's row to know its peer", func() bool {
		st, _ := h.desk.list.Status("node-b")
		return len(st.Peers) > 0 && !h.desk.list.rebuilds.pending
	})
	if got := strings.Join(h.rowTexts("Prod HA · node B"), " "); !strings.Contains(got, "Warning · serves an older token than its peer") {
		t.Errorf("node B's row says %q: it serves an older token than node A's", got)
	}

	h.selectInstance("node-b")
	if !h.desk.detail.peers.Visible() {
		t.Fatal("node B shows no peers card")
	}
	shown := textsIn(h.desk.detail.peers)
	if !slices.Contains(shown, "Prod HA · node A") || !slices.ContainsFunc(shown, func(s string) bool {
		return strings.HasPrefix(s, "Serves an older token than its peer node-a")
	}) {
		t.Errorf("node B's peers card shows %q: want node A by name and the stale_token sentence", shown)
	}
	var link *widget.Hyperlink
	walk(h.desk.detail.peers, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Hyperlink); ok && l.Text == "Prod HA · node A" {
			link = l
		}
	})
	if link == nil {
		t.Fatal("node A is not a link")
	}
	test.TapAt(link, fyne.NewPos(link.MinSize().Width/2, link.MinSize().Height/2)) // on the words, as a link wants
	if h.desk.detail.id != "node-a" || h.desk.list.Selected() != "node-a" {
		t.Fatalf("tapping node A shows %q, selects %q", h.desk.detail.id, h.desk.list.Selected())
	}
	shown = textsIn(h.desk.detail.peers)
	if !slices.Contains(shown, "Prod HA · node B") || slices.ContainsFunc(shown, func(s string) bool { return strings.HasPrefix(s, "Serves an older") }) {
		t.Errorf("node A's peers card shows %q: want node B, and no stale token of its own", shown)
	}

	h.selectInstance("prod")
	if h.desk.detail.peers.Visible() {
		t.Error("an instance alone with its license shows a peers card")
	}
}

func TestAWSMarketplaceLicenseIsNotMissingData(t *testing.T) {
	h := newHarness(t)
	h.add("aws", "Analytics (AWS)", h.server(grafanatest.WithClaims(grafanatest.AWSMarketplaceClaims(time.Now()))), "admin")
	h.open()
	h.readAll("aws")
	h.selectInstance("aws")

	c := h.win.Canvas()
	if v := valueBeside(c, "License", "Bought through"); v == nil || v.Text != "AWS Marketplace license" {
		t.Errorf("the license card says %+v, want AWS Marketplace license", v)
	}
	if v := valueBeside(c, "License", "AWS account"); v == nil || v.Text != "123456789012" {
		t.Errorf("the AWS account is %+v", v)
	}
	license := textsIn(h.desk.detail.license)
	for _, missing := range []string{"Licensed URL", "Expires", notReported} {
		if slices.Contains(license, missing) {
			t.Errorf("the license card shows %q, as if an AWS license lacked something: %q", missing, license)
		}
	}
	if !slices.ContainsFunc(h.headerTexts(), func(s string) bool { return strings.HasPrefix(s, "AWS Marketplace license: token valid for") }) {
		t.Errorf("the header says %q", h.headerTexts())
	}
}

func TestStalledRenewalShowsInTheTokenCard(t *testing.T) {
	h := newHarness(t)
	now := time.Now()
	h.add("edge", "Edge", h.server(grafanatest.WithClaims(grafanatest.StalledRenewalClaims(now, 6*day)), grafanatest.WithOffline()), "admin")
	h.open()
	h.readAll("edge")
	h.selectInstance("edge")

	st := h.svc.Status("edge")
	v := valueBeside(h.win.Canvas(), "Token", "Last renewal")
	if v == nil || v.Text != dateTime(st.Token.IssuedAt, h.env.loc) || v.Importance != widget.WarningImportance {
		t.Errorf("the token card's last renewal is %+v, want %s in the warning colour", v, dateTime(st.Token.IssuedAt, h.env.loc))
	}
	r, _ := reasonOf(st.Eval, client.ReasonRenewalStalled)
	if r.Message == "" || !slices.Contains(textsIn(h.desk.detail.token), r.Message) {
		t.Errorf("the token card does not say the renewal_stalled sentence %q: %q", r.Message, textsIn(h.desk.detail.token))
	}
}

// A header whose message shrinks (another instance picked, its peer say)
// gives its room back to the details below.
func TestHeaderShrinksWithItsMessage(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	e := goldenEnv(t, w)
	d := newDetailPane(e, newActions(e))
	w.SetContent(d)
	w.Resize(fyne.NewSize(760, 900))
	long, _ := goldenHAStale(t)
	d.Display(long, "", nil)
	tall := d.top.Size().Height

	d.Display(goldenStatus(t, client.StateOK), "", nil)
	if got, want := d.top.Size().Height, d.header.MinSize().Height; got != want || got >= tall {
		t.Errorf("after a one-line message the header is %v high, needs %v (it was %v with three lines)", got, want, tall)
	}
}
