// Package localefix maps the "C.UTF-8" family of locales to plain "C" before
// Fyne reads the locale, so headless runs under cron or in containers do not
// print "Error parsing user locale" on stderr.
//
// It must initialise before fyne.io/fyne/v2/lang, which reads the locale in
// its init. Go initialises packages in import-path order once their imports
// are ready, so this module's path deliberately sorts before "fyne.io"; main
// imports it for its side effect only.
package localefix

import (
	"os"
	"strings"
)

func init() { Apply(os.Getenv, os.Setenv) }

// Apply rewrites the variable that decides the message locale (LC_ALL, then
// LC_MESSAGES, then LANG, as gettext reads them) when it names the C or POSIX
// locale with an encoding, which Fyne's locale parser rejects.
func Apply(getenv func(string) string, setenv func(string, string) error) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		base, _, _ = strings.Cut(base, "@")
		if (base == "C" || base == "POSIX") && v != base {
			_ = setenv(name, base)
		}
		return
	}
}
