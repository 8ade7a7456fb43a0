//go:build integration && linux

package portal

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/internal/winetest"
)

// The Windows dialogs are tested for real: package portal, built for
// Windows, shows Wine's implementation of the system Open and Save As
// dialogs on the test's X display, and xdotool answers them as a user would.

// wineHost runs winchooser.exe, package portal's dialogs behind flags, in
// a Wine prefix of the test's own.
type wineHost struct {
	*winetest.Host
	exe string
}

func startWine(t *testing.T) *wineHost {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no X display: run the tests through scripts/session.sh (make test does)")
	}
	h := winetest.Start(t, "xdotool")
	return &wineHost{Host: h, exe: h.Build(t, "./testdata/winchooser", "winchooser.exe", false)}
}

// dialog is one run of winchooser: the dialog it shows and what it prints.
type dialog struct {
	t     *testing.T
	title string
	cmd   *exec.Cmd
	out   bytes.Buffer
}

// ask starts winchooser with args and waits for its dialog, titled title,
// to show.
func (w *wineHost) ask(t *testing.T, title string, args ...string) *dialog {
	t.Helper()
	d := &dialog{t: t, title: title}
	d.cmd = w.Command("wine", append([]string{w.exe, "-title", title}, args...)...)
	d.cmd.Stdout = &d.out
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.cmd.Process.Kill(); _ = d.cmd.Wait() })
	d.waitWindows(1)
	return d
}

// waitWindows waits until n windows titled as the dialog show (the dialog,
// then a question it asks) and returns the newest. The minute allowed is a
// bound on a hung Wine, not a measure.
func (d *dialog) waitWindows(n int) string {
	d.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^"+regexp.QuoteMeta(d.title)+"$").Output()
		if ids := strings.Fields(string(out)); len(ids) >= n {
			return ids[len(ids)-1]
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("%d window(s) titled %q never showed; the program printed %q", n, d.title, d.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// keys focuses window id and sends it xdotool's commands, as typing would.
func (d *dialog) keys(id string, cmds ...[]string) {
	d.t.Helper()
	if out, err := exec.Command("xdotool", "windowfocus", "--sync", id).CombinedOutput(); err != nil {
		d.t.Fatalf("focusing the dialog: %v %s", err, out)
	}
	for _, c := range cmds {
		if out, err := exec.Command("xdotool", c...).CombinedOutput(); err != nil {
			d.t.Fatalf("xdotool %v: %v %s", c, err, out)
		}
	}
}

// answer waits for winchooser to end and returns what it printed.
func (d *dialog) answer() string {
	d.t.Helper()
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		d.t.Fatalf("the dialog %q never closed", d.title)
	}
	return strings.TrimSpace(d.out.String())
}

func typed(s string) []string { return []string{"type", "--delay", "20", s} }
func key(k string) []string   { return []string{"key", k} }

// winPath is a Linux path as Wine's Z: drive shows it.
func winPath(p string) string { return "Z:" + strings.ReplaceAll(p, "/", `\`) }

func TestTheWindowsDialogsChooseAFile(t *testing.T) {
	w := startWine(t)
	dir := t.TempDir()
	for _, f := range []string{"license.jwt", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	folder := winPath(dir)
	tokens := []string{"-folder", folder, "-filter", "License tokens", "-ext", ".jwt"}

	t.Run("open starts in the folder asked", func(t *testing.T) {
		d := w.ask(t, "Choose the license token to upload", tokens...)
		d.keys(d.waitWindows(1), typed("license.jwt"), key("Return"))
		if got, want := d.answer(), "chose "+folder+`\license.jwt`; got != want {
			t.Errorf("the Open dialog gave %q, want %q", got, want)
		}
	})
	t.Run("Escape cancels", func(t *testing.T) {
		d := w.ask(t, "Choose the license token to upload", tokens...)
		d.keys(d.waitWindows(1), key("Escape"))
		if got := d.answer(); got != "cancelled" {
			t.Errorf("a cancelled dialog gave %q, want nothing chosen and no error", got)
		}
	})
	t.Run("save offers the name suggested", func(t *testing.T) {
		d := w.ask(t, "Save licensedesk-instances.json", "-save", "-folder", folder, "-name", "licensedesk-instances.json")
		d.keys(d.waitWindows(1), key("Return"))
		if got, want := d.answer(), "chose "+folder+`\licensedesk-instances.json`; got != want {
			t.Errorf("the Save As dialog gave %q, want %q", got, want)
		}
	})
	t.Run("save adds the filter's extension", func(t *testing.T) {
		d := w.ask(t, "Save the license token", append([]string{"-save"}, tokens...)...)
		d.keys(d.waitWindows(1), typed("renewed"), key("Return"))
		if got, want := d.answer(), "chose "+folder+`\renewed.jwt`; got != want {
			t.Errorf("a name typed without extension gave %q, want %q", got, want)
		}
	})
	t.Run("save asks before it replaces a file", func(t *testing.T) {
		d := w.ask(t, "Save the license token", append([]string{"-save", "-name", "license.jwt"}, tokens...)...)
		d.keys(d.waitWindows(1), key("Return"))
		// The question "Do you want to replace it?" opens under the same
		// title; No keeps the dialog open, and Escape then leaves it.
		d.keys(d.waitWindows(2), key("n"))
		d.keys(d.waitWindows(1), key("Escape"))
		if got := d.answer(); got != "cancelled" {
			t.Errorf("declining to replace license.jwt gave %q, want nothing chosen", got)
		}
	})
}
