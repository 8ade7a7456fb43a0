package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestImportShowsWhereSecretsGoBeforeWriting: the window lists each new
// instance with its address, proxy, variable and unverified TLS, and writes
// nothing until the user agrees.
func TestImportShowsWhereSecretsGoBeforeWriting(t *testing.T) {
	h := newHarness(t)
	h.open()
	plan, err := h.svc.ReadImport(strings.NewReader(`{"version":1,"instances":[
	 {"id":"edge","name":"Edge","url":"https://edge.example.com/","auth":"basic","username":"admin","proxy":"http://proxy.corp:3128","insecure_skip_verify":true}]}`))
	if err != nil {
		t.Fatal(err)
	}

	h.desk.confirmImport("team.json", plan, exportedListNote)

	want := "Edge: sends its password to https://edge.example.com:443, through the proxy http://proxy.corp:3128, WITHOUT verifying the TLS certificate"
	if !h.shows(want) {
		t.Fatalf("the preview does not show %q", want)
	}
	if n := len(h.svc.Instances()); n != 0 {
		t.Fatalf("%d instances were written before the user agreed", n)
	}
	test.Tap(h.button("Import"))
	h.waitFor("the import", func() bool { return len(h.svc.Instances()) == 1 })
}
