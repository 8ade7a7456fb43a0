//go:build cgo && unix && !darwin && !ios && !android

package userlocale

import (
	"bufio"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// childEnv marks the test binary re-run with a chosen environment: the
// rewrite happens as a process starts, so only a new process shows it.
const childEnv = "USERLOCALE_TEST_CHILD"

// TestMain plays the child's part when asked: it prints the locale
// variables it sees and those a process it starts sees.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "" {
		os.Exit(m.Run())
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		os.Stdout.WriteString("own " + name + "=" + os.Getenv(name) + "\n")
	}
	out, err := Command("/usr/bin/env").Output()
	if err != nil {
		os.Stdout.WriteString("env: " + err.Error() + "\n")
		os.Exit(1)
	}
	for _, kv := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		os.Stdout.WriteString("child " + kv + "\n")
	}
	os.Exit(0)
}

func TestLocaleAsAProcessStartsAndForWhatItStarts(t *testing.T) {
	cases := []struct {
		name     string
		env      []string
		own      []string // what this process sees
		children []string // what a process it starts sees
	}{
		{"C.UTF-8 in LANG", []string{"LANG=C.UTF-8"}, []string{"LANG=C"}, []string{"LANG=C.UTF-8"}},
		{"POSIX with encoding and modifier in LC_ALL", []string{"LC_ALL=POSIX.utf8@euro", "LANG=de_DE.UTF-8"},
			[]string{"LC_ALL=POSIX", "LANG=de_DE.UTF-8"}, []string{"LC_ALL=POSIX.utf8@euro", "LANG=de_DE.UTF-8"}},
		{"an empty LC_ALL leaves LC_MESSAGES to decide", []string{"LC_ALL=", "LC_MESSAGES=C.UTF-8"},
			[]string{"LC_MESSAGES=C"}, []string{"LC_MESSAGES=C.UTF-8"}},
		{"a real locale is kept", []string{"LANG=de_DE.UTF-8"}, []string{"LANG=de_DE.UTF-8"}, []string{"LANG=de_DE.UTF-8"}},
		{"LC_ALL wins, LANG untouched", []string{"LC_ALL=en_GB.UTF-8", "LANG=C.UTF-8"},
			[]string{"LC_ALL=en_GB.UTF-8", "LANG=C.UTF-8"}, []string{"LC_ALL=en_GB.UTF-8", "LANG=C.UTF-8"}},
		{"plain C untouched", []string{"LANG=C"}, []string{"LANG=C"}, []string{"LANG=C"}},
		{"a word that only starts with C is kept", []string{"LANG=Cy.UTF-8"}, []string{"LANG=Cy.UTF-8"}, []string{"LANG=Cy.UTF-8"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append([]string{childEnv + "=1", "PATH=" + os.Getenv("PATH")}, tc.env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			own, children := map[string]string{}, map[string]string{}
			sc := bufio.NewScanner(strings.NewReader(string(out)))
			for sc.Scan() {
				if kv, ok := strings.CutPrefix(sc.Text(), "own "); ok {
					k, v, _ := strings.Cut(kv, "=")
					own[k] = v
				}
				if kv, ok := strings.CutPrefix(sc.Text(), "child "); ok {
					k, v, _ := strings.Cut(kv, "=")
					children[k] = v
				}
			}
			for _, want := range tc.own {
				k, v, _ := strings.Cut(want, "=")
				if own[k] != v {
					t.Errorf("the process sees %s=%q, want %q", k, own[k], v)
				}
			}
			for _, want := range tc.children {
				k, v, _ := strings.Cut(want, "=")
				if children[k] != v {
					t.Errorf("a started process sees %s=%q, want %q (the user's own)", k, children[k], v)
				}
			}
		})
	}
}

func TestRestoreReplacesOnlyTheRewrittenVariable(t *testing.T) {
	got := restore([]string{"HOME=/h", "LANG=C", "LANGUAGE=de"}, "LANG=C.UTF-8")
	want := []string{"HOME=/h", "LANGUAGE=de", "LANG=C.UTF-8"}
	if !slices.Equal(got, want) {
		t.Errorf("restore = %q, want %q", got, want)
	}
	if got := restore([]string{"LANG=de_DE.UTF-8"}, ""); !slices.Equal(got, []string{"LANG=de_DE.UTF-8"}) {
		t.Errorf("with nothing rewritten the environment changed: %q", got)
	}
}
