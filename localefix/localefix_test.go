package localefix

import "testing"

func TestApply(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"C.UTF-8 in LANG becomes C", map[string]string{"LANG": "C.UTF-8"}, map[string]string{"LANG": "C"}},
		{"POSIX with modifier", map[string]string{"LC_ALL": "POSIX.utf8@euro"}, map[string]string{"LC_ALL": "POSIX"}},
		{"a real locale is kept", map[string]string{"LANG": "de_DE.UTF-8"}, map[string]string{"LANG": "de_DE.UTF-8"}},
		{"LC_ALL wins, LANG untouched", map[string]string{"LC_ALL": "en_GB.UTF-8", "LANG": "C.UTF-8"}, map[string]string{"LC_ALL": "en_GB.UTF-8", "LANG": "C.UTF-8"}},
		{"plain C untouched", map[string]string{"LANG": "C"}, map[string]string{"LANG": "C"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range tc.env {
				env[k] = v
			}
			Apply(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
			for k, v := range tc.want {
				if env[k] != v {
					t.Errorf("%s = %q, want %q", k, env[k], v)
				}
			}
		})
	}
}
