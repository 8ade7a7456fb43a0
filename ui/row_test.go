package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

// The row names the reason that decides the state, in the words the detail
// pane's header starts with, not the nearest date beside another message.
func TestTheRowShowsTheReasonThatDecidesItsState(t *testing.T) {
	test.NewTempApp(t)
	for _, state := range []client.State{client.StateOK, client.StateWarning, client.StateCritical} {
		st := goldenStatus(t, state)
		r := newInstanceRow()
		r.set(st, false)
		head := st.Eval.Message
		if i := strings.Index(head, " — "); i > 0 {
			head = head[:i]
		}
		if want := state.Title() + " · " + strings.ToLower(head[:1]) + head[1:]; r.state.Text != want {
			t.Errorf("%v: the row says %q, want %q (the header says %q)", state, r.state.Text, want, st.Eval.Message)
		}
	}
}

// Near a warning threshold the window shows hours, so a token 2.99 days
// from its end beside a 2-day warning does not read "in 2 days" in green.
func TestNearAThresholdTheWindowShowsHours(t *testing.T) {
	test.NewTempApp(t)
	st := goldenStatus(t, client.StateOK)
	for _, c := range []struct {
		left time.Duration
		want string
	}{
		{2*day + 23*time.Hour + 30*time.Minute, "in 2 days 23 hours"},
		{47 * time.Hour, "in 47 hours"},
		{20 * time.Hour, "in 20 hours"},
	} {
		tok := *st.Token
		tok.TokenExpiry = goldenNow.Add(c.left)
		s := app.Status{Instance: st.Instance, Token: &tok, ReadAt: goldenNow, CheckedAt: goldenNow}
		s.Eval = client.Evaluate(&tok, goldenNow, client.Policy{})
		if got := expiryText(s.Eval.Token, time.UTC); !strings.HasSuffix(got, c.want) {
			t.Errorf("%v left: the token card says %q, want … %q", c.left, got, c.want)
		}
	}
}
