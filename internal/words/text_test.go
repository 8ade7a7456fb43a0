package words

import "testing"

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
