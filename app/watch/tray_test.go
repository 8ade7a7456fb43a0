package watch

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// trayRead is a successful read of instance id whose license ends after
// licenseLeft and whose token ends after tokenLeft, judged by the product's rules.
func trayRead(id, name string, licenseLeft, tokenLeft time.Duration) app.Status {
	now := time.Now()
	tok := &client.Token{
		Status: client.StatusValid, HasStatus: true, ID: "jti-" + id,
		LicenseExpiry: now.Add(licenseLeft).Truncate(time.Second),
		TokenExpiry:   now.Add(tokenLeft).Truncate(time.Second),
	}
	return app.Status{
		Instance: app.Instance{ID: id, Name: name}, Token: tok, Eval: client.Evaluate(tok, now, client.Policy{}),
		HTTPStatus: 200, CheckedAt: now, ReadAt: now,
	}
}

// trayFailed is a read that Grafana refused with code.
func trayFailed(id, name string, code int) app.Status {
	err := &client.APIError{Op: client.OpToken, StatusCode: code}
	return app.Status{
		Instance: app.Instance{ID: id, Name: name}, Err: err, HTTPStatus: code,
		Eval:      client.Evaluation{State: client.StateUnknown, Message: words.Capitalize(err.Error())},
		CheckedAt: time.Now(),
	}
}

// trayPending is an instance not read yet, as the Service reports it.
func trayPending(id, name string) app.Status {
	return app.Status{Instance: app.Instance{ID: id, Name: name}, Eval: client.Evaluate(nil, time.Now(), client.Policy{})}
}

const day = 24 * time.Hour

func labels(v TrayView) []string {
	var out []string
	for _, e := range v.Entries {
		out = append(out, e.Label)
	}
	return out
}

func TestTrayModelWithNothingToWatchShowsUnknown(t *testing.T) {
	v := TrayModel(nil)
	if v.State != client.StateUnknown || v.Summary != "No instances yet" || len(v.Entries) != 0 {
		t.Errorf("got %+v, want the unknown icon, \"No instances yet\" and no entries", v)
	}
}

func TestTrayModelAllHealthyShowsOKAndNoEntries(t *testing.T) {
	v := TrayModel([]app.Status{
		trayRead("a", "Prod EU", 300*day, 20*day),
		trayRead("b", "Prod US", 200*day, 20*day),
	})
	if v.State != client.StateOK {
		t.Errorf("icon state %v, want ok", v.State)
	}
	if v.Summary != "All 2 instances OK" {
		t.Errorf("summary %q", v.Summary)
	}
	if len(v.Entries) != 0 {
		t.Errorf("healthy instances are listed: %v", labels(v))
	}
	if one := TrayModel([]app.Status{trayRead("a", "Prod EU", 300*day, 20*day)}); one.Summary != "The instance is OK" {
		t.Errorf("one healthy instance: summary %q", one.Summary)
	}
}

func TestTrayModelListsTroubleMostUrgentFirst(t *testing.T) {
	v := TrayModel([]app.Status{
		trayRead("prod-eu", "Prod EU", 300*day, 20*day),
		trayRead("prod-us", "Prod US", 12*day+time.Hour, 20*day),
		trayPending("remote", "Remote Office"),
		trayRead("staging", "Staging US", 300*day, 26*time.Hour),
		trayFailed("sandbox", "Dev Sandbox", 401),
		trayRead("legacy", "Legacy DC", -3*day-time.Hour, 20*day),
		trayRead("soon", "Prod APAC", 5*day+time.Hour, 20*day),
	})
	if v.State != client.StateCritical {
		t.Errorf("icon state %v, want critical (an expired license)", v.State)
	}
	want := []string{
		"Legacy DC — license expired 3 days ago",
		"Dev Sandbox — could not be read (HTTP 401)",
		"Staging US — token expires in 25 hours",
		"Prod APAC — license expires in 5 days",
		"Prod US — license expires in 12 days",
	}
	if got := labels(v); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v.Entries[0].InstanceID != "legacy" || v.Entries[0].State != client.StateCritical {
		t.Errorf("the first entry is %+v, want legacy, critical", v.Entries[0])
	}
	if v.Summary != "5 of 7 instances need attention" {
		t.Errorf("summary %q", v.Summary)
	}
}

func TestTrayModelIgnoresInstancesNotReadYet(t *testing.T) {
	t.Run("given one warning and one pending, then the icon is warning", func(t *testing.T) {
		v := TrayModel([]app.Status{trayRead("us", "Prod US", 12*day+time.Hour, 20*day), trayPending("eu", "Prod EU")})
		if v.State != client.StateWarning || len(v.Entries) != 1 || v.Summary != "1 of 2 instances needs attention" {
			t.Errorf("got %+v", v)
		}
	})
	t.Run("given only pending ones, then the icon is unknown and the summary says they are being read", func(t *testing.T) {
		v := TrayModel([]app.Status{trayPending("us", "Prod US"), trayPending("eu", "Prod EU")})
		if v.State != client.StateUnknown || len(v.Entries) != 0 || v.Summary != "Reading 2 instances…" {
			t.Errorf("got %+v", v)
		}
	})
	t.Run("given healthy and pending ones, then nothing is claimed for the pending", func(t *testing.T) {
		v := TrayModel([]app.Status{trayRead("us", "Prod US", 300*day, 20*day), trayPending("eu", "Prod EU")})
		if v.State != client.StateOK || v.Summary != "No problems so far; 1 of 2 instances not read yet" {
			t.Errorf("got %+v", v)
		}
	})
}

func TestTrayModelChangesWhenAnInstanceEntersWarning(t *testing.T) {
	before := TrayModel([]app.Status{trayRead("us", "Prod US", 40*day, 20*day)})
	same := TrayModel([]app.Status{trayRead("us", "Prod US", 40*day, 20*day)})
	after := TrayModel([]app.Status{trayRead("us", "Prod US", 29*day+time.Hour, 20*day)})
	if !before.Equal(same) {
		t.Errorf("the same statuses give different views:\n%+v\n%+v", before, same)
	}
	if before.Equal(after) {
		t.Fatal("entering warning does not change the view")
	}
	if before.State != client.StateOK || after.State != client.StateWarning {
		t.Errorf("icon went %v → %v, want ok → warning", before.State, after.State)
	}
	if got := labels(after); len(got) != 1 || got[0] != "Prod US — license expires in 29 days" {
		t.Errorf("entries after: %q", got)
	}
}

func TestTrayModelKeepsTheMenuShort(t *testing.T) {
	var sts []app.Status
	for i := range MaxTrayEntries + 5 {
		sts = append(sts, trayRead(fmt.Sprintf("i%02d", i), fmt.Sprintf("Instance %02d", i), time.Duration(i+1)*day+time.Hour, 20*day))
	}
	long := strings.Repeat("Very Long Instance Name ", 6)
	sts = append(sts, trayRead("long", long, -day-time.Hour, 20*day))
	v := TrayModel(sts)
	if len(v.Entries) != MaxTrayEntries || v.More != 6 {
		t.Errorf("%d entries and %d more, want %d and 6", len(v.Entries), v.More, MaxTrayEntries)
	}
	first := v.Entries[0].Label
	if n := utf8.RuneCountInString(first); n > maxTrayLabel || !strings.HasSuffix(first, "…") || !strings.HasPrefix(first, "Very Long") {
		t.Errorf("a long name gives a %d-character entry %q, want at most %d ending in …", n, first, maxTrayLabel)
	}
}

// An answer that is not the licensing API's comes with HTTP 200: the menu
// names what came back, never "could not be read (HTTP 200)".
func TestTrayNamesAnAnswerThatIsNotTheAPI(t *testing.T) {
	st := trayFailed("sso", "Behind SSO", 200)
	st.Err = &client.BadResponseError{Op: client.OpToken, StatusCode: 200, ContentType: "text/html; charset=utf-8",
		Reason: "an HTML page, not JSON (a login page, or a proxy's page?)", Excerpt: "title: Sign in"}
	if got := labels(TrayModel([]app.Status{st})); len(got) != 1 || got[0] != "Behind SSO — answers with a web page, not the licensing API" {
		t.Errorf("entries %q", got)
	}
}
