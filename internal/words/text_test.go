package words

import (
	"cmp"
	"strings"
	"testing"
)

func TestWording(t *testing.T) {
	cases := []struct{ got, want string }{
		{Capitalize("über"), "Über"},
		{LowerFirst("Grafana answered"), "grafana answered"},
		{LowerFirst("TLS failed"), "TLS failed"},
		{Sentence(" grafana did not answer "), "Grafana did not answer."},
		{Sentence("Is it up?"), "Is it up?"},
		{Sentence(""), ""},
		{Plural(1, "day"), "1 day"},
		{Plural(-1, "day"), "-1 day"},
		{Plural(12, "instance"), "12 instances"},
		{Shorten("Prod EU — Frankfurt", 8), "Prod EU…"},
		{Shorten("short", 8), "short"},
		{OneLine("a\nforged\trow"), "a forged row"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Names sort the same, case aside, whether lower-cased copies are compared
// or CompareFold walks them: accents, capitals outside ASCII, prefixes,
// invalid bytes and the empty name included.
func TestCompareFoldOrdersAsLowerCasedCopies(t *testing.T) {
	names := []string{"", "a", "A", "ab", "Ab", "aB", "b", "Grafana 10", "grafana 9", "Grafana EU", "grafana eu 2",
		"Über", "über", "uber", "Ωmega", "ωmega", "Ж", "ж", "İstanbul", "istanbul", "\xff", "a\xffb", "A\xfeb", "ÆSIR", "æsir", "Z"}
	for _, a := range names {
		for _, b := range names {
			want := cmp.Compare(strings.ToLower(a), strings.ToLower(b))
			if got := CompareFold(a, b); got != want {
				t.Errorf("CompareFold(%q, %q) = %d, lower-cased copies compare %d", a, b, got, want)
			}
		}
	}
}
