package app

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/client"
)

func TestHistoryAppendReadAndFilter(t *testing.T) {
	h := history.OpenHistory(filepath.Join(t.TempDir(), "sub", history.HistoryFile))
	h.Source = history.SourceWindow
	if got, err := h.Read(""); err != nil || len(got) != 0 {
		t.Fatalf("a history never written should read empty: %v, %v", got, err)
	}

	renewed := readAt(prodEU, monday, &client.Token{
		ID: "a1b2c3", LicenseExpiry: monday.Add(365 * oneDay), TokenExpiry: monday.Add(7 * oneDay),
	})
	forbidden := &client.APIError{Op: client.OpRenew, StatusCode: 403, Message: "Access denied"}
	for _, e := range []history.Entry{
		NewEntry(monday, prodEU, history.ActionRenew, renewed, nil),
		NewEntry(monday.Add(time.Minute), stagingX, history.ActionRenew, Status{Instance: stagingX}, forbidden),
		NewEntry(monday.Add(2*time.Minute), prodEU, history.ActionDelete, Status{Instance: prodEU, HTTPStatus: 202}, nil),
	} {
		if err := h.Append(e); err != nil {
			t.Fatal(err)
		}
	}

	all, err := h.Read("")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Action != history.ActionDelete || all[2].Action != history.ActionRenew || all[2].InstanceID != "prod-eu" {
		t.Fatalf("want 3 entries newest first, got %+v", all)
	}
	first := all[2]
	if first.Outcome != history.OutcomeOK || first.InstanceName != "Prod EU" || first.HTTPStatus != 200 || first.TokenID != "a1b2c3" || first.Source != history.SourceWindow {
		t.Errorf("renew entry %+v", first)
	}
	if first.LicenseExpires == nil || !first.LicenseExpires.Equal(monday.Add(365*oneDay)) || first.TokenExpires == nil || !first.TokenExpires.Equal(monday.Add(7*oneDay)) {
		t.Errorf("renew entry should carry the new expiries: %v %v", first.LicenseExpires, first.TokenExpires)
	}
	failed := all[1]
	if failed.Outcome != history.OutcomeFailed || failed.HTTPStatus != 403 || !strings.Contains(failed.Error, "licensing permissions") {
		t.Errorf("failed entry %+v", failed)
	}
	if all[0].LicenseExpires != nil || all[0].HTTPStatus != 202 {
		t.Errorf("delete entry %+v", all[0])
	}

	prod, err := h.Read("prod-eu")
	if err != nil || len(prod) != 2 || prod[0].Action != history.ActionDelete || prod[1].Action != history.ActionRenew {
		t.Errorf("filtered by prod-eu: %+v, %v", prod, err)
	}
	if none, _ := h.Read("nope"); len(none) != 0 {
		t.Errorf("unknown instance should match nothing: %+v", none)
	}
	if fi, _ := os.Stat(h.Path()); fi.Mode().Perm() != 0o600 {
		t.Errorf("history mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestHistoryNeverHoldsASecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), history.HistoryFile)
	h := history.OpenHistory(path)
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJzZWNyZXQifQ.c2lnbmF0dXJlc2VjcmV0"
	tok, err := client.ParseToken([]byte(`{"status":1,"jti":"j-42","exp":1800000000,"lexp":1900000000,"license_text":"` + jwt + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{jwt, "hunter2", "glsa_abcDEF123_secret", "eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk"}
	errs := []error{
		errors.New("could not upload the license token at https://admin:hunter2@grafana.example.com/: the proxy failed"),
		fmt.Errorf("Grafana refused token %s", jwt),
		errors.New("Authorization: Bearer glsa_abcDEF123_secret rejected"),
		errors.New(`request {"password":"hunter2"} failed; api key eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk invalid`),
	}
	if err := h.Append(NewEntry(monday, prodEU, history.ActionUpload, readAt(prodEU, monday, tok), nil)); err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		if err := h.Append(NewEntry(monday, prodEU, history.ActionUpload, Status{}, e)); err != nil {
			t.Fatal(err)
		}
	}
	// Even a hand-built entry is scrubbed.
	if err := h.Append(history.Entry{InstanceID: "prod-eu", Action: history.ActionRenew, Outcome: history.OutcomeFailed, Error: "token=hunter2&x=1"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(string(data), s) {
			t.Errorf("secret %q written to the history:\n%s", s, data)
		}
	}
	entries, _ := h.Read("")
	if len(entries) != 6 || entries[5].TokenID != "j-42" {
		t.Fatalf("entries %+v", entries)
	}
	if !strings.Contains(entries[4].Error, "https://grafana.example.com/") || !strings.Contains(entries[4].Error, "proxy failed") {
		t.Errorf("scrubbing should keep the useful part of the message: %q", entries[4].Error)
	}
}

func TestHistorySkipsAndCountsCorruptLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), history.HistoryFile)
	h := history.OpenHistory(path)
	if err := h.Append(NewEntry(monday, prodEU, history.ActionRenew, Status{}, nil)); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "not json at all")
	fmt.Fprintln(f, `{"time":"2026-11-26T10:00:00Z","instance_id":"prod-eu","act`) // cut short by a crash
	fmt.Fprintln(f, `{"x":`+strings.Repeat("9", 200<<10)+`}`)                      // absurdly long
	fmt.Fprintln(f, "")
	f.Close()
	if err := h.Append(NewEntry(monday.Add(time.Hour), prodEU, history.ActionUpload, Status{}, nil)); err != nil {
		t.Fatal(err)
	}

	entries, skipped, err := h.Scan("")
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 3 || len(entries) != 2 || entries[0].Action != history.ActionUpload || entries[1].Action != history.ActionRenew {
		t.Errorf("want 2 entries and 3 skipped lines, got %d skipped and %+v", skipped, entries)
	}
}

func TestHistoryNilRecordsNothing(t *testing.T) {
	var h *history.History
	if err := h.Append(history.Entry{InstanceID: "x", Action: history.ActionRenew}); err != nil {
		t.Errorf("a nil history should accept and drop entries: %v", err)
	}
	if got, err := h.Read(""); got != nil || err != nil {
		t.Errorf("a nil history reads empty: %v %v", got, err)
	}
}

// TestHistoryHelperProcess appends entries when run as a child process of
// TestHistoryTwoProcessesLoseNoLine; otherwise it does nothing. It says
// it is ready, then waits for the go-ahead so that all writers overlap.
func TestHistoryHelperProcess(t *testing.T) {
	path := os.Getenv("LICENSEDESK_HISTORY_HELPER")
	if path == "" {
		return
	}
	n, _ := strconv.Atoi(os.Getenv("LICENSEDESK_HISTORY_COUNT"))
	dir := filepath.Dir(path)
	if err := os.WriteFile(filepath.Join(dir, "ready-"+strconv.Itoa(os.Getpid())), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	waitForFiles(t, filepath.Join(dir, "go"), 1)
	h := history.OpenHistory(path)
	h.Source = history.SourceCLI
	for i := range n {
		inst := Instance{ID: "cli-" + strconv.Itoa(os.Getpid()), Name: strings.Repeat("n", i%300)}
		if err := h.Append(NewEntry(time.Now(), inst, history.ActionRenew, Status{}, nil)); err != nil {
			t.Fatal(err)
		}
	}
}

// waitForFiles waits, for at most a minute, until n files match pattern.
func waitForFiles(t *testing.T, pattern string, n int) {
	t.Helper()
	for range 60000 {
		if m, _ := filepath.Glob(pattern); len(m) >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("%d files matching %s never appeared", n, pattern)
}

func TestHistoryTwoProcessesLoseNoLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, history.HistoryFile)
	const perWriter = 1500
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHistoryHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LICENSEDESK_HISTORY_HELPER="+path, "LICENSEDESK_HISTORY_COUNT="+strconv.Itoa(perWriter))
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if err := cmd.Wait(); err != nil {
				errs <- fmt.Errorf("helper process: %v\n%s", err, out.String())
			}
		})
	}
	waitForFiles(t, filepath.Join(dir, "ready-*"), 2)
	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h := history.OpenHistory(path) // and the window, in this process
	for i := range perWriter {
		inst := Instance{ID: "window", Name: strings.Repeat("w", i%300)}
		if err := h.Append(NewEntry(time.Now(), inst, history.ActionUpload, Status{}, nil)); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	entries, skipped, err := history.OpenHistory(path).Scan("")
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 0 || len(entries) != 3*perWriter {
		t.Fatalf("got %d entries and %d damaged lines, want %d and 0", len(entries), skipped, 3*perWriter)
	}
	perID := map[string]int{}
	for _, e := range entries {
		perID[e.InstanceID]++
	}
	if len(perID) != 3 || perID["window"] != perWriter {
		t.Errorf("entries per writer: %v", perID)
	}
}
