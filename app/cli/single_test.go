package cli

import (
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app"
)

// A second launch on the same instance list brings the running window
// forward and ends, instead of opening a second window, tray icon and
// monitor; a launch on another list opens its own window.
func TestASecondLaunchBringsTheRunningWindowForward(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	cfgFile := saveConfig(t, app.Instance{ID: "a", Name: "A", URL: "https://a.example/", Auth: app.AuthBearer})
	first := newTestEnv()
	opened, raised := make(chan app.GUIContext), make(chan struct{})
	quit := make(chan struct{})
	first.gui = func(ctx app.GUIContext) error {
		opened <- ctx
		<-ctx.Raise
		close(raised)
		<-quit
		return nil
	}
	done := make(chan cliRun)
	go func() { done <- first.run(t, "--config", cfgFile) }()
	<-opened

	second := newTestEnv()
	windows := 0
	second.gui = func(app.GUIContext) error { windows++; return nil }
	r := second.run(t, "--config", cfgFile)
	if r.code != 0 || windows != 0 || !strings.Contains(r.stderr, "already running") {
		t.Errorf("the second launch: code %d, %d windows, stderr %q", r.code, windows, r.stderr)
	}
	<-raised // the first window was asked to come forward

	other := saveConfig(t, app.Instance{ID: "b", Name: "B", URL: "https://b.example/", Auth: app.AuthBearer})
	if r := second.run(t, "--config", other); r.code != 0 || windows != 1 {
		t.Errorf("a launch on another list: code %d, %d windows, stderr %q", r.code, windows, r.stderr)
	}

	close(quit)
	<-done
	// Once the first window quit, a launch opens a window again.
	if r := second.run(t, "--config", cfgFile); r.code != 0 || windows != 2 {
		t.Errorf("after the first quit: code %d, %d windows, stderr %q", r.code, windows, r.stderr)
	}
}
