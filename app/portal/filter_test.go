package portal

import (
	"strings"
	"testing"
	"unicode/utf16"
)

// decode turns a Windows filter list back into its NUL-ended strings.
func decode(spec []uint16) []string {
	s := string(utf16.Decode(spec))
	if !strings.HasSuffix(s, "\x00\x00") {
		return []string{"<not ended by two NULs>"}
	}
	return strings.Split(strings.TrimSuffix(s, "\x00\x00"), "\x00")
}

func TestTheWindowsFilterOffersTheExtensionsThenAllFiles(t *testing.T) {
	got := decode(filterSpec(Request{FilterName: "PEM certificates", Extensions: []string{".pem", ".CRT", "cer", ".PEM"}}))
	want := []string{"PEM certificates (*.pem;*.crt;*.cer)", "*.pem;*.crt;*.cer", "All files (*.*)", "*.*"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("filter = %q, want %q", got, want)
	}
	if got := decode(filterSpec(Request{})); strings.Join(got, "|") != "All files (*.*)|*.*" {
		t.Errorf("with no extensions the filter is %q, want all files only", got)
	}
}
