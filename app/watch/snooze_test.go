package watch

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
)

var snoozeNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// judged is an instance checked at now with the given reasons.
func judged(reasons ...client.Reason) app.Status {
	st := app.Status{Instance: app.Instance{ID: "prod"}, CheckedAt: snoozeNow}
	for _, r := range reasons {
		st.Eval.Add(r)
	}
	return st
}

var (
	tokenSoon   = client.Reason{Code: client.ReasonTokenExpiring, State: client.StateWarning, Message: "Token expires in 1 day", Headline: "Token expires in 1 day"}
	licenseGone = client.Reason{Code: client.ReasonLicenseExpired, State: client.StateCritical, Message: "License expired 3 days ago", Headline: "License expired 3 days ago"}
	usersNear   = client.Reason{Code: client.ReasonUsersNearLimit, State: client.StateWarning, Message: "85% of users", Headline: "85% of users"}
)

func TestASnoozeQuietsItsReasonForItsTime(t *testing.T) {
	s, _ := LoadSnoozes("")
	st := judged(tokenSoon)
	if err := s.Add("prod", tokenSoon, SnoozeOneDay, snoozeNow); err != nil {
		t.Fatal(err)
	}
	if !s.Hushes(st, client.StateWarning, snoozeNow.Add(time.Hour)) {
		t.Error("a warning snoozed for a day is announced an hour later")
	}
	if got := s.Quiet(st, snoozeNow.Add(time.Hour)).Eval.State; got != client.StateOK {
		t.Errorf("the tray sees a snoozed warning as %s", got)
	}
	if s.Hushes(st, client.StateWarning, snoozeNow.Add(25*time.Hour)) {
		t.Error("the snooze outlasts its day")
	}
	if len(s.Active(st, snoozeNow)) != 0 {
		t.Error("an ended snooze is still kept")
	}
}

func TestASnoozeNeverHidesAWorseState(t *testing.T) {
	s, _ := LoadSnoozes("")
	_ = s.Add("prod", tokenSoon, SnoozeFiveDays, snoozeNow)
	both := judged(licenseGone, tokenSoon)
	if s.Hushes(both, client.StateCritical, snoozeNow) {
		t.Error("snoozing the token's warning hushes the license's critical")
	}
	if got := s.Quiet(both, snoozeNow).Eval; got.State != client.StateCritical || got.Message != licenseGone.Message {
		t.Errorf("the tray sees %s %q; want the license's critical", got.State, got.Message)
	}

	worse := tokenSoon
	worse.State = client.StateCritical
	if s.Hushes(judged(worse), client.StateCritical, snoozeNow.Add(time.Hour)) {
		t.Error("the snoozed reason got worse and is still hushed")
	}
	if len(s.Active(judged(tokenSoon), snoozeNow)) != 0 {
		t.Error("a snooze whose reason got worse is not ended")
	}
}

func TestASnoozeUntilItChangesEndsWithTheChange(t *testing.T) {
	s, _ := LoadSnoozes("")
	_ = s.Add("prod", usersNear, SnoozeUntilChange, snoozeNow)
	later := snoozeNow.AddDate(0, 2, 0)
	if !s.Hushes(judged(usersNear), client.StateWarning, later) {
		t.Error("an unchanged reason is announced again before it changed")
	}
	failed := judged()
	failed.Err = errors.New("timeout")
	failed.Eval.Add(client.Reason{Code: client.ReasonUnreadable, State: client.StateUnknown, Message: "Could not read"})
	if len(s.Active(failed, later)) != 0 || len(s.Active(judged(usersNear), later)) != 1 {
		t.Error("a failed read, which says nothing of the users, ended or showed the snooze")
	}
	if len(s.Active(judged(), later)) != 0 {
		t.Error("the reason went away and its snooze stays")
	}
	if s.Hushes(judged(usersNear), client.StateWarning, later) {
		t.Error("the reason came back after it went away and is still hushed")
	}
}

func TestSnoozesOutliveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), SnoozeFile)
	s, err := LoadSnoozes(path)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Add("prod", tokenSoon, SnoozeFiveDays, snoozeNow)
	_ = s.Add("lab", usersNear, SnoozeUntilChange, snoozeNow)
	_ = s.Forget("lab")

	again, err := LoadSnoozes(path)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Hushes(judged(tokenSoon), client.StateWarning, snoozeNow.AddDate(0, 0, 4)) {
		t.Error("the snooze did not survive a restart")
	}
	lab := judged(usersNear)
	lab.Instance.ID = "lab"
	if again.Hushes(lab, client.StateWarning, snoozeNow) {
		t.Error("a removed instance's snooze came back")
	}
	if err := again.Remove("prod", tokenSoon.Code); err != nil {
		t.Fatal(err)
	}
	if third, _ := LoadSnoozes(path); third.Hushes(judged(tokenSoon), client.StateWarning, snoozeNow) {
		t.Error("a woken snooze came back after a restart")
	}

	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	damaged, err := LoadSnoozes(path)
	if err == nil || damaged == nil {
		t.Fatalf("a damaged file gives %v, %v; want usable snoozes and the reason", damaged, err)
	}
}
