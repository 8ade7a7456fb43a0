// Package words holds the small wording helpers every surface shares (the
// window, the tray, notifications, the command line and the client's error
// messages), so a sentence is shaped the same way wherever it is shown.
package words

import (
	"cmp"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Capitalize upper-cases the first letter of s.
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// LowerFirst lowers the first letter of s, to follow a colon or a dash,
// unless the first word is an acronym such as "TLS" or "URL".
func LowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// Sentence capitalises s and ends it with a full stop unless it already
// ends a sentence.
func Sentence(s string) string {
	s = Capitalize(strings.TrimSpace(s))
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "…") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

// Plural writes a count with its unit: "1 day", "12 days", "-1 day".
func Plural(n int, unit string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// Shorten cuts s to at most n runes, ending a cut one with "…".
func Shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// OneLine folds every run of white space, line breaks included, into one
// space, so a value cannot break a table row or a log line.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// CompareFold orders a and b as cmp.Compare(strings.ToLower(a),
// strings.ToLower(b)) does, without building the lower-cased copies:
// sorting a list of ten thousand names compares them hundreds of
// thousands of times, and the copies were most of the work and all the
// garbage.
func CompareFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if la, lb := unicode.ToLower(ra), unicode.ToLower(rb); la != lb {
			return cmp.Compare(la, lb)
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}
