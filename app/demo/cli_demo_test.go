package demo

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/cli"
)

// TestDemoFlagOpensTheWindowOnDemoInstances: --demo hands the window the
// demo's service and store, and the store is gone once the window closes.
func TestDemoFlagOpensTheWindowOnDemoInstances(t *testing.T) {
	var got app.GUIContext
	var store string
	gui := func(ctx app.GUIContext) error {
		got = ctx
		store = ctx.StorePath
		if _, err := os.Stat(store); err != nil {
			t.Errorf("the demo store is missing while the window is open: %v", err)
		}
		return nil
	}
	var out, errOut bytes.Buffer
	code := cli.Main([]string{"licensedesk", "--demo"}, gui, cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv:    func(string) string { return "" },
		StartDemo: Start,
	})

	if code != 0 || !got.Demo || len(got.Service.Instances()) != len(demoInstances) {
		t.Fatalf("code %d, stderr %q, demo %v", code, errOut.String(), got.Demo)
	}
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("the demo's temporary store outlived the window: %v", err)
	}
}
