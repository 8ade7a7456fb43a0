//go:build integration

package portal

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// The macOS panels are shown by a JavaScript for Automation script that
// osascript runs. No Mac is at hand, so testdata/osascript.js runs that very
// script under Node.js, as osascript would, with panels that answer as the
// test says and note what they were asked.

type osaAsked struct {
	Op        string         `json:"op"`
	Opts      map[string]any `json:"opts"`
	Activated bool           `json:"activated"`
}

func fakeOSA(t *testing.T, pick string) (exe string, asked func() osaAsked) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is missing: run make deps (it installs Node.js)")
	}
	exe, err := filepath.Abs("testdata/osascript.js")
	if err != nil {
		t.Fatal(err)
	}
	record := filepath.Join(t.TempDir(), "asked.json")
	t.Setenv("OSA_PICK", pick)
	t.Setenv("OSA_ASKED", record)
	return exe, func() osaAsked {
		t.Helper()
		var a osaAsked
		b, err := os.ReadFile(record)
		if err != nil {
			t.Fatalf("the panel was never shown: %v", err)
		}
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
}

func TestTheMacPanelsChooseAFile(t *testing.T) {
	ctx := context.Background()
	t.Run("open", func(t *testing.T) {
		const pick = "/Users/ada/Licenses/prod eu.jwt"
		exe, asked := fakeOSA(t, pick)
		got, err := osaChoose(ctx, exe, false, Request{Title: "Choose the license token to upload",
			Folder: "/Users/ada/Licenses", FilterName: "License tokens", Extensions: []string{".jwt", ".JWT", ".txt"}})
		if err != nil || got != pick {
			t.Fatalf("the open panel gave %q, %v; want %q", got, err, pick)
		}
		a := asked()
		want := map[string]any{"withPrompt": "Choose the license token to upload",
			"defaultLocation": "/Users/ada/Licenses", "ofType": []any{"jwt", "txt"}}
		if a.Op != "chooseFile" || !reflect.DeepEqual(a.Opts, want) || !a.Activated {
			t.Errorf("the open panel was asked %+v, want chooseFile %v in front", a, want)
		}
	})
	t.Run("save", func(t *testing.T) {
		const pick = "/Users/ada/Desktop/licensedesk-instances.json"
		exe, asked := fakeOSA(t, pick)
		got, err := osaChoose(ctx, exe, true, Request{Title: "Save licensedesk-instances.json", Name: "licensedesk-instances.json"})
		if err != nil || got != pick {
			t.Fatalf("the save panel gave %q, %v; want %q", got, err, pick)
		}
		a := asked()
		want := map[string]any{"withPrompt": "Save licensedesk-instances.json", "defaultName": "licensedesk-instances.json"}
		if a.Op != "chooseFileName" || !reflect.DeepEqual(a.Opts, want) {
			t.Errorf("the save panel was asked %+v, want chooseFileName %v", a, want)
		}
	})
	t.Run("a title is never read as code", func(t *testing.T) {
		const title = `Upload "prod"'); app.doShellScript("touch /tmp/pwned"); ('` + "`${1}`\n\\"
		exe, asked := fakeOSA(t, "/Users/ada/a.jwt")
		if _, err := osaChoose(ctx, exe, false, Request{Title: title}); err != nil {
			t.Fatal(err)
		}
		if got := asked().Opts["withPrompt"]; got != title {
			t.Errorf("the panel's prompt is %q, want the title as given", got)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		exe, _ := fakeOSA(t, "")
		got, err := osaChoose(ctx, exe, false, Request{Title: "Choose"})
		if err != nil || got != "" {
			t.Errorf("a cancelled panel gave %q, %v; want nothing and no error", got, err)
		}
	})
	t.Run("a refused panel falls back to the window's chooser", func(t *testing.T) {
		exe, _ := fakeOSA(t, "!denied")
		_, err := osaChoose(ctx, exe, true, Request{Title: "Save"})
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("a refused panel gave %v, want ErrUnavailable", err)
		}
	})
	t.Run("no osascript falls back too", func(t *testing.T) {
		_, err := osaChoose(ctx, filepath.Join(t.TempDir(), "osascript"), false, Request{Title: "Choose"})
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("with no osascript: %v, want ErrUnavailable", err)
		}
	})
}
