// Package userlocale keeps Fyne quiet under the "C.UTF-8" locale of cron
// jobs and containers, and gives the user's own locale back to every
// process Licensedesk starts.
//
// Fyne's lang package reads the locale in its init, before main runs, and
// logs "Error parsing user locale C" on stderr for C.UTF-8 or POSIX.utf8
// (cron mails every stderr line). So the rewrite cannot wait for main, and
// it must not depend on the order in which Go initialises packages: on
// systems where the locale comes from the environment, a C constructor
// (userlocale_cgo.go) rewrites the variable to plain "C" as the process
// starts, before any Go code runs, and keeps the original value for
// Environ. Importing this package, even blank, is all it takes.
package userlocale

import (
	"os"
	"os/exec"
	"strings"
)

// Environ is os.Environ with the locale variable the program was started
// with, as the user had set it.
func Environ() []string {
	return restore(os.Environ(), original())
}

// Command is exec.Command for a program that should run in the user's own
// locale (a browser, a file manager): every process Licensedesk starts goes
// through it, as the environment of this process holds the rewritten locale.
func Command(name string, arg ...string) *exec.Cmd {
	cmd := exec.Command(name, arg...)
	cmd.Env = Environ()
	return cmd
}

// restore puts the original "NAME=value" entry back into env in place of
// the rewritten one.
func restore(env []string, orig string) []string {
	name, _, ok := strings.Cut(orig, "=")
	if !ok || name == "" {
		return env
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != name {
			out = append(out, kv)
		}
	}
	return append(out, orig)
}
