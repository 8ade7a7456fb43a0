package config

import (
	"errors"
	"strings"
	"testing"
)

func TestInstanceValidate(t *testing.T) {
	good := Instance{ID: "prod-eu", Name: "Prod EU", URL: "https://grafana.example.com/", Auth: AuthBasic, Username: "admin"}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid instance: %v", err)
	}
	bearer := Instance{ID: "ci_1.x", Name: "CI", URL: "http://127.0.0.1:3000/sub/path", Auth: AuthBearer,
		TokenEnv: "LICENSEDESK_CI_TOKEN", TimeoutSeconds: 600, Proxy: "socks5://127.0.0.1:1080", CAFile: "relative/ca.pem"}
	if err := bearer.Validate(); err != nil {
		t.Fatalf("valid bearer instance: %v", err)
	}

	cases := []struct {
		name  string
		edit  func(*Instance)
		field string
	}{
		{"empty id", func(i *Instance) { i.ID = "" }, "id"},
		{"upper-case id", func(i *Instance) { i.ID = "Prod" }, "id"},
		{"id with a slash", func(i *Instance) { i.ID = "a/b" }, "id"},
		{"id too long", func(i *Instance) { i.ID = strings.Repeat("a", 65) }, "id"},
		{"blank name", func(i *Instance) { i.Name = "  " }, "name"},
		{"empty url", func(i *Instance) { i.URL = "" }, "url"},
		{"url without scheme", func(i *Instance) { i.URL = "grafana.example.com" }, "url"},
		{"url of another scheme", func(i *Instance) { i.URL = "ftp://grafana.example.com" }, "url"},
		{"url without host", func(i *Instance) { i.URL = "https:///api" }, "url"},
		{"url that does not parse", func(i *Instance) { i.URL = "https://exa mple.com:port" }, "url"},
		{"url with a query", func(i *Instance) { i.URL = "https://grafana.example.com/?orgId=1" }, "url"},
		{"unknown auth", func(i *Instance) { i.Auth = "oauth" }, "auth"},
		{"missing auth", func(i *Instance) { i.Auth = "" }, "auth"},
		{"basic without username", func(i *Instance) { i.Username = "" }, "username"},
		{"negative timeout", func(i *Instance) { i.TimeoutSeconds = -1 }, "timeout_seconds"},
		{"absurd timeout", func(i *Instance) { i.TimeoutSeconds = 86400 }, "timeout_seconds"},
		{"proxy without scheme", func(i *Instance) { i.Proxy = "proxy.corp:3128" }, "proxy"},
		{"proxy that does not parse", func(i *Instance) { i.Proxy = "http://[::1" }, "proxy"},
		{"proxy with a password", func(i *Instance) { i.Proxy = "http://bob:s3cret@proxy.corp:3128" }, "proxy"},
		{"secret pasted as env name", func(i *Instance) { i.PasswordEnv = "hunter2!" }, "password_env"},
		{"token pasted as env name", func(i *Instance) { i.TokenEnv = "glsa_abc-def" }, "token_env"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inst := good
			tc.edit(&inst)
			err := inst.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v; want *ValidationError", err)
			}
			if ve.Field(tc.field) == nil {
				t.Fatalf("problems %v; want one for %q", ve.Problems, tc.field)
			}
			if !strings.Contains(err.Error(), tc.field+": ") {
				t.Errorf("message %q does not name the field", err)
			}
		})
	}

	t.Run("a password in the URL is refused and never repeated", func(t *testing.T) {
		inst := good
		inst.URL = "https://admin:S3cr3tPass@grafana.example.com/"
		err := inst.Validate()
		if err == nil || err.(*ValidationError).Field("url") == nil {
			t.Fatalf("Validate = %v; want a url problem", err)
		}
		if strings.Contains(err.Error(), "S3cr3tPass") {
			t.Fatalf("message leaks the password: %q", err)
		}
	})

	t.Run("every problem is reported at once", func(t *testing.T) {
		err := Instance{}.Validate()
		ve, _ := err.(*ValidationError)
		if ve == nil || len(ve.Problems) < 4 {
			t.Fatalf("Validate of an empty instance = %v; want problems with id, name, url and auth", err)
		}
		if !strings.Contains(err.Error(), "new instance: id: is required") {
			t.Errorf("message %q", err)
		}
	})
}

func TestNewID(t *testing.T) {
	names := map[string]string{
		"Prod EU":              "prod-eu",
		"  Prod   EU  ":        "prod-eu",
		"Zürich DC #1":         "zurich-dc-1",
		"grafana.example.com":  "grafana-example-com",
		"":                     "instance",
		"***":                  "instance",
		"Ünïcödé Çafé":         "unicode-cafe",
		"日本":                   "instance",
		"ops/monitoring (new)": "ops-monitoring-new",
	}
	for name, want := range names {
		if got := NewID(name, nil); got != want {
			t.Errorf("NewID(%q) = %q; want %q", name, got, want)
		}
	}

	t.Run("unique against taken ids", func(t *testing.T) {
		var taken []Instance
		want := []string{"prod-eu", "prod-eu-2", "prod-eu-3", "prod-eu-4"}
		for _, w := range want {
			id := NewID("Prod EU", taken)
			if id != w {
				t.Fatalf("NewID = %q; want %q", id, w)
			}
			taken = append(taken, Instance{ID: id, Name: "Prod EU", URL: "https://x.example.com", Auth: AuthBearer})
		}
		if err := ValidateInstances(taken); err != nil {
			t.Fatalf("generated ids are not valid and unique: %v", err)
		}
	})

	t.Run("long names stay within the id limit, suffix included", func(t *testing.T) {
		long := strings.Repeat("Very Long Name ", 10)
		first := NewID(long, nil)
		second := NewID(long, []Instance{{ID: first}})
		if first == second || len(first) > maxIDLength || len(second) > maxIDLength {
			t.Fatalf("ids %q and %q; want two different ids of at most %d characters", first, second, maxIDLength)
		}
		if idProblem(first) != "" || idProblem(second) != "" {
			t.Fatalf("ids %q, %q are not valid", first, second)
		}
	})
}
