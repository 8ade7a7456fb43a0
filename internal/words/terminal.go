package words

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isControl says whether r would act on a terminal instead of showing:
// C0 and C1 controls (escape sequences, a line break that forges a table
// row, DEL) and the bidirectional overrides that reorder what is shown.
func isControl(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u200e', r == '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// HasControl says whether s holds a control character or invalid UTF-8,
// which no name, username, URL or path typed by a person does.
func HasControl(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsFunc(s, isControl)
}

// ForTerminal makes s safe to print on a terminal whatever a store or a server
// put in it: control characters and invalid bytes are shown as Go escapes
// (\x1b, \n, \u202e) instead of acting.
func ForTerminal(s string) string {
	if !HasControl(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}
