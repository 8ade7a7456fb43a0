package history

import (
	"strings"
	"testing"
)

func TestScrubSecretsKeepsPlainWords(t *testing.T) {
	for _, msg := range []string{
		`could not read the license token: Grafana answered 401 Unauthorized ("Unauthorized"). Check the instance's credentials (username and password, or token)`,
		"Grafana expects basic authentication for this call",
		"the token expired on 26 Nov 2026",
	} {
		if got := Scrub(msg); got != msg {
			t.Errorf("Scrub changed a harmless message:\n got %q\nwant %q", got, msg)
		}
	}
	long := strings.Repeat("é", 2000) + "\nsecond line"
	if got := Scrub(long); len([]rune(got)) != maxMessageRunes || strings.Contains(got, "\n") {
		t.Errorf("a long message should be cut to one line of %d characters, got %d", maxMessageRunes, len([]rune(got)))
	}
}
