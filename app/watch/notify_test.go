package watch

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

var (
	prodEU   = app.Instance{ID: "prod-eu", Name: "Prod EU", URL: "https://grafana.example.com/"}
	stagingX = app.Instance{ID: "staging", Name: "Staging", URL: "https://staging.example.com/"}
	monday   = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
)

// readAt is a successful read at now of a token with the given expiries.
func readAt(inst app.Instance, now time.Time, tok *client.Token) app.Status {
	return app.Status{Instance: inst, Token: tok, Eval: client.Evaluate(tok, now, client.Policy{}), HTTPStatus: 200, CheckedAt: now, ReadAt: now}
}

func licenseLeft(inst app.Instance, now time.Time, left time.Duration) app.Status {
	return readAt(inst, now, &client.Token{
		Status: client.StatusValid, HasStatus: true,
		LicenseExpiry: now.Add(left), TokenExpiry: now.Add(20 * oneDay),
	})
}

func unreadable(inst app.Instance, now time.Time, err error) app.Status {
	return app.Status{Instance: inst, Err: err, Eval: client.Evaluation{State: client.StateUnknown, Message: err.Error()}, CheckedAt: now}
}

func newNotifier(t *testing.T) (*Notifier, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), NotifyStateFile)
	n, err := LoadNotifyState(path)
	if err != nil {
		t.Fatal(err)
	}
	return n, path
}

func expectOne(t *testing.T, got []Notification) Notification {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("got %d notifications, want 1: %+v", len(got), got)
	}
	return got[0]
}

func expectNone(t *testing.T, got []Notification, why string) {
	t.Helper()
	if len(got) != 0 {
		t.Fatalf("%s: got %+v, want no notification", why, got)
	}
}

func TestNotifierWarningIsAnnouncedOncePerDayAcrossRestarts(t *testing.T) {
	n, path := newNotifier(t)

	got := expectOne(t, n.Observe(licenseLeft(prodEU, monday, 5*oneDay), monday))
	if got.Title != "Prod EU: license expires in 5 days" {
		t.Errorf("title %q", got.Title)
	}
	if got.InstanceID != "prod-eu" || got.State != client.StateWarning {
		t.Errorf("notification %+v", got)
	}
	if !strings.Contains(got.Body, "1 Dec 2026") || !strings.Contains(got.Body, "upload") {
		t.Errorf("body %q should give the date and what to do", got.Body)
	}

	later := monday.Add(3 * time.Hour)
	expectNone(t, n.Observe(licenseLeft(prodEU, later, 5*oneDay-3*time.Hour), later), "same state, same day")

	restarted, err := LoadNotifyState(path)
	if err != nil {
		t.Fatal(err)
	}
	evening := monday.Add(11 * time.Hour)
	expectNone(t, restarted.Observe(licenseLeft(prodEU, evening, 4*oneDay+13*time.Hour), evening), "after a restart, same day")

	tuesday := monday.Add(oneDay)
	again := expectOne(t, restarted.Observe(licenseLeft(prodEU, tuesday, 4*oneDay), tuesday))
	if again.Title != "Prod EU: license expires in 4 days" {
		t.Errorf("next day's reminder %q", again.Title)
	}
}

func TestNotifierFollowsWarningCriticalAndRecovery(t *testing.T) {
	n, _ := newNotifier(t)
	expectNone(t, n.Observe(licenseLeft(prodEU, monday, 200*oneDay), monday), "healthy at first sight")

	warn := expectOne(t, n.Observe(licenseLeft(prodEU, monday, 10*oneDay), monday))
	if warn.State != client.StateWarning {
		t.Errorf("state %v, want warning", warn.State)
	}

	crit := expectOne(t, n.Observe(licenseLeft(prodEU, monday, -time.Hour), monday))
	if crit.State != client.StateCritical || !strings.HasPrefix(crit.Title, "Prod EU: license expired") {
		t.Errorf("critical notification %+v", crit)
	}
	if !strings.Contains(crit.Body, "expired on 26 Nov 2026") {
		t.Errorf("body %q should say when it expired", crit.Body)
	}

	ok := expectOne(t, n.Observe(licenseLeft(prodEU, monday, 365*oneDay), monday))
	if ok.State != client.StateOK || ok.Title != "Prod EU: license OK again" {
		t.Errorf("recovery notification %+v", ok)
	}
	if !strings.Contains(ok.Body, "License valid for 365 days") {
		t.Errorf("recovery body %q", ok.Body)
	}
	expectNone(t, n.Observe(licenseLeft(prodEU, monday, 365*oneDay), monday), "still ok")
	// Flapping back the same day is not announced twice.
	expectNone(t, n.Observe(licenseLeft(prodEU, monday, -time.Hour), monday), "critical again the same day")
}

func TestNotifierExplainsTokenAndStatusProblems(t *testing.T) {
	n, _ := newNotifier(t)
	tok := expectOne(t, n.Observe(readAt(prodEU, monday, &client.Token{
		Status: client.StatusValid, HasStatus: true,
		LicenseExpiry: monday.Add(200 * oneDay), TokenExpiry: monday.Add(36 * time.Hour),
	}), monday))
	if tok.Title != "Prod EU: token expires in 36 hours" || !strings.Contains(tok.Body, "license token expires on 27 Nov 2026") {
		t.Errorf("token warning %+v", tok)
	}

	wrongURL := expectOne(t, n.Observe(readAt(stagingX, monday, &client.Token{
		Status: client.StatusInvalidSubject, HasStatus: true, Subject: "https://other.example.com/",
		LicenseExpiry: monday.Add(200 * oneDay), TokenExpiry: monday.Add(20 * oneDay),
	}), monday))
	if wrongURL.State != client.StateCritical || !strings.HasPrefix(wrongURL.Title, "Staging: license URL does not match") {
		t.Errorf("status 6 notification %+v", wrongURL)
	}
	if !strings.Contains(wrongURL.Body, "root_url") {
		t.Errorf("body %q should say to fix root_url or the license", wrongURL.Body)
	}
}

func TestNotifierAnnouncesUnreadableAfterThreeChecks(t *testing.T) {
	n, path := newNotifier(t)
	secretErr := errors.New("could not read the license token at https://admin:hunter2@grafana.example.com/: the connection was refused")
	expectNone(t, n.Observe(licenseLeft(prodEU, monday, 200*oneDay), monday), "healthy")

	at := monday
	for i := range 2 {
		at = at.Add(time.Hour)
		expectNone(t, n.Observe(unreadable(prodEU, at, secretErr), at), "failure "+string(rune('1'+i)))
	}
	// A restart does not reset the count: quitting writes it (the monitor's
	// Stop flushes the notifier).
	if err := n.Flush(); err != nil {
		t.Fatal(err)
	}
	n, err := LoadNotifyState(path)
	if err != nil {
		t.Fatal(err)
	}
	at = at.Add(time.Hour)
	got := expectOne(t, n.Observe(unreadable(prodEU, at, secretErr), at))
	if got.State != client.StateUnknown || got.Title != "Prod EU: license could not be read" {
		t.Errorf("unreadable notification %+v", got)
	}
	if !strings.Contains(got.Body, "last 3 checks failed") || !strings.Contains(got.Body, "connection was refused") {
		t.Errorf("body %q should say how often and why", got.Body)
	}
	if strings.Contains(got.Body, "hunter2") {
		t.Fatalf("a password reached the notification: %q", got.Body)
	}
	at = at.Add(time.Hour)
	expectNone(t, n.Observe(unreadable(prodEU, at, secretErr), at), "fourth failure, same day")

	at = at.Add(time.Hour)
	back := expectOne(t, n.Observe(licenseLeft(prodEU, at, 200*oneDay), at))
	if back.Title != "Prod EU: license OK again" {
		t.Errorf("recovery %+v", back)
	}
}

func TestNotifierNeverBlamesAnInstanceForThisComputerRunningOutOfFiles(t *testing.T) {
	// Given an instance that was fine, and then could not be read three
	// times because this computer had no file descriptor left
	n, _ := newNotifier(t)
	expectNone(t, n.Observe(licenseLeft(prodEU, monday, 200*oneDay), monday), "healthy")
	outOfFiles := &client.LocalError{Op: client.OpToken, URL: "https://grafana.example.com/api/licensing/token",
		Err: errors.New("socket: too many open files")}
	at := monday
	for i := range 3 {
		at = at.Add(time.Hour)
		// Then no notification says the instance's license could not be read
		expectNone(t, n.Observe(unreadable(prodEU, at, outOfFiles), at), "local failure "+string(rune('1'+i)))
	}
	// And a real failure afterwards starts its count from one
	refused := errors.New("the connection was refused")
	for i := range 2 {
		at = at.Add(time.Hour)
		expectNone(t, n.Observe(unreadable(prodEU, at, refused), at), "failure "+string(rune('1'+i)))
	}
}

func TestNotifierWritesABurstOfChecksOnceRightAfter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Given a first pass that sees a hundred instances, healthy or failing
		n, path := newNotifier(t)
		for i := range 100 {
			inst := app.Instance{ID: fmt.Sprintf("grafana-%03d", i)}
			st := licenseLeft(inst, monday, 200*oneDay)
			if i%2 == 1 {
				st = unreadable(inst, monday, errors.New("the connection was refused"))
			}
			expectNone(t, n.Observe(st, monday), inst.ID)
		}
		// Then the state file is not rewritten after each one
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the state file was written during the burst: %v", err)
		}
		// But within a second of it, with every count
		time.Sleep(notifySaveDelay)
		synctest.Wait()
		again, err := LoadNotifyState(path)
		if err != nil {
			t.Fatal(err)
		}
		failing := 0
		for _, r := range again.records {
			failing += r.Failures
		}
		if len(again.records) != 100 || failing != 50 {
			t.Errorf("the state file holds %d instances and %d failures, want 100 and 50", len(again.records), failing)
		}
	})
}

func TestNotifierForgivesOccasionalFailures(t *testing.T) {
	n, _ := newNotifier(t)
	err := errors.New("Grafana did not answer in time")
	steps := []app.Status{
		licenseLeft(prodEU, monday, 200*oneDay),
		unreadable(prodEU, monday, err), unreadable(prodEU, monday, err),
		licenseLeft(prodEU, monday, 200*oneDay),
		unreadable(prodEU, monday, err), unreadable(prodEU, monday, err),
	}
	for i, st := range steps {
		expectNone(t, n.Observe(st, monday), "step "+string(rune('0'+i)))
	}
	// A token that reports no dates says nothing new either.
	expectNone(t, n.Observe(readAt(prodEU, monday, &client.Token{}), monday), "no dates reported")
}

func TestNotifierMuteAndOff(t *testing.T) {
	n, _ := newNotifier(t)
	s := config.DefaultSettings()
	s.SetMuted("prod-eu", true)
	n.SetSettings(s)

	expectNone(t, n.Observe(licenseLeft(prodEU, monday, 5*oneDay), monday), "muted instance")
	expectOne(t, n.Observe(licenseLeft(stagingX, monday, 5*oneDay), monday))

	s.SetMuted("prod-eu", false)
	n.SetSettings(s)
	later := monday.Add(time.Hour)
	// Unmuted while still in trouble: the user hears about it once.
	expectOne(t, n.Observe(licenseLeft(prodEU, later, 5*oneDay), later))

	s.Notifications = false
	n.SetSettings(s)
	expectNone(t, n.Observe(licenseLeft(prodEU, later, -time.Hour), later), "notifications off")
	expectNone(t, n.Observe(licenseLeft(stagingX, later, -time.Hour), later), "notifications off")
}

func TestNotifyStateFileIsSmallSafeAndSurvivesDamage(t *testing.T) {
	n, path := newNotifier(t)
	n.Observe(unreadable(prodEU, monday, errors.New("401 Unauthorized: password=hunter2")), monday)
	n.Observe(licenseLeft(stagingX, monday, 5*oneDay), monday)
	if err := n.SaveError(); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) || strings.Contains(string(data), "hunter2") {
		t.Fatalf("state file is not clean JSON: %s", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temp files left beside the state: %v", entries)
	}

	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh, err := LoadNotifyState(path)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("a damaged state file should be reported, got %v", err)
	}
	expectOne(t, fresh.Observe(licenseLeft(stagingX, monday, 5*oneDay), monday))
	if data, _ := os.ReadFile(path); !json.Valid(data) {
		t.Errorf("the damaged state file was not replaced: %s", data)
	}

	fresh.Forget("staging")
	after, _ := LoadNotifyState(path)
	expectOne(t, after.Observe(licenseLeft(stagingX, monday, 5*oneDay), monday))
}

func TestSettingsDefaultsAndRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), config.SettingsFile)
	s, err := config.LoadSettings(path)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Notifications || s.Interval() != time.Hour || s.UnreadableAfter != 3 || s.Policy() != (client.Policy{}) {
		t.Fatalf("defaults %+v", s)
	}

	s.Notifications = false
	s.CheckIntervalMinutes = 15
	s.LicenseWarnDays, s.TokenWarnDays = 60, 5
	s.SetMuted("staging", true)
	s.SetMuted("prod-eu", true)
	s.SetMuted("staging", true)
	if err := config.SaveSettings(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := config.LoadSettings(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Notifications || got.Interval() != 15*time.Minute || !got.IsMuted("prod-eu") || !got.IsMuted("staging") || len(got.Muted) != 2 {
		t.Errorf("loaded %+v", got)
	}
	if got.Policy() != (client.Policy{LicenseWarnDays: 60, TokenWarnDays: 5}) {
		t.Errorf("policy %+v", got.Policy())
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("settings mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestSettingsWarnDayOverridesReplaceGrafanas(t *testing.T) {
	tok := &client.Token{LicenseWarnDays: 30, LicenseExpiry: monday.Add(20 * oneDay), TokenExpiry: monday.Add(20 * oneDay)}
	if ev := client.Evaluate(tok, monday, config.DefaultSettings().Policy()); ev.State != client.StateWarning {
		t.Fatalf("with Grafana's 30 days: %v", ev.State)
	}
	s := config.DefaultSettings()
	s.LicenseWarnDays = 10
	if ev := client.Evaluate(tok, monday, s.Policy()); ev.State != client.StateOK {
		t.Errorf("with a 10-day override, 20 days left should be ok: %v (%s)", ev.State, ev.Message)
	}
}

func TestSettingsRejectBadValuesAndKeepTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), config.SettingsFile)
	if err := config.SaveSettings(path, config.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	for _, bad := range []func(*app.Settings){
		func(s *app.Settings) { s.CheckIntervalMinutes = 1 },
		func(s *app.Settings) { s.CheckIntervalMinutes = 3 * 24 * 60 },
		func(s *app.Settings) { s.LicenseWarnDays = -1 },
		func(s *app.Settings) { s.TokenWarnDays = 1000 },
	} {
		s := config.DefaultSettings()
		bad(&s)
		err := config.SaveSettings(path, s)
		if err == nil || !strings.Contains(err.Error(), "must be between") {
			t.Errorf("SaveSettings(%+v) = %v, want a plain-words refusal", s, err)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("a refused save changed the file:\n%s", after)
	}
}

func TestSettingsSurviveAHandEditedOrDamagedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, config.SettingsFile)
	if err := os.WriteFile(path, []byte(`{"check_interval_minutes":1,"muted":["b","a","b"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := config.LoadSettings(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Interval() != config.MinCheckInterval || !s.Notifications || len(s.Muted) != 2 {
		t.Errorf("a hand-edited file should be brought into range, keeping the rest: %+v", s)
	}

	damaged := []byte(`{"notifications": fal`)
	if err := os.WriteFile(path, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = config.LoadSettings(path)
	if err == nil || !strings.Contains(err.Error(), "moved to") {
		t.Errorf("a damaged file should be reported and moved aside, got %v", err)
	}
	if s.Interval() != time.Hour || !s.Notifications {
		t.Errorf("defaults expected after damage, got %+v", s)
	}
	if kept, _ := os.ReadFile(path + ".corrupt"); string(kept) != string(damaged) {
		t.Errorf("the damaged file was not kept aside: %q", kept)
	}
}

func TestASecondDamagedSettingsFileKeepsTheFirstCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), config.SettingsFile)
	for _, damaged := range []string{"{first", "{second"} {
		if err := os.WriteFile(path, []byte(damaged), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := config.LoadSettings(path); err == nil {
			t.Fatalf("%q loaded without a word", damaged)
		}
	}
	first, _ := os.ReadFile(path + ".corrupt")
	second, _ := os.ReadFile(path + ".corrupt-2")
	if string(first) != "{first" || string(second) != "{second" {
		t.Errorf("kept copies: %q and %q; want both damaged files", first, second)
	}
}
