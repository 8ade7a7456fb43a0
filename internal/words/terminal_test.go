package words

import "testing"

func TestForTerminalEscapesWhatWouldActOnATerminal(t *testing.T) {
	for in, want := range map[string]string{
		"Prod EU":             "Prod EU",
		"Zürich ✓":            "Zürich ✓",
		"a\x1b[2Jb":           `a\x1b[2Jb`,
		"row\nforged\tcell\r": `row\nforged\tcell\r`,
		"x\u0085y\x7f":        `x\u0085y\x7f`,
		"abc\u202edcb":        `abc\u202edcb`,
		"bad\xffbyte":         `bad\xffbyte`,
	} {
		if got := ForTerminal(in); got != want {
			t.Errorf("ForTerminal(%q) = %q, want %q", in, got, want)
		}
		if got := ForTerminal(ForTerminal(in)); got != want {
			t.Errorf("ForTerminal is not idempotent on %q: %q", in, got)
		}
		if HasControl(want) {
			t.Errorf("the escaped %q still holds a control character", want)
		}
	}
}
