package config

import (
	"errors"
	"strings"
	"testing"
)

// A URL typed without its scheme, the usual slip, is told what to add.
func TestURLWithoutSchemeSuggestsHTTPS(t *testing.T) {
	for _, raw := range []string{"grafana.corp.test", "10.0.0.5:3000", "grafana.corp.test:3000/grafana"} {
		inst := Instance{ID: "x", Name: "X", URL: raw, Auth: AuthBasic, Username: "admin"}
		var ve *ValidationError
		if !errors.As(inst.Validate(), &ve) {
			t.Fatalf("%q passed validation", raw)
		}
		var msg string
		for _, p := range ve.Problems {
			if p.Field == "url" {
				msg = p.Problem
			}
		}
		if !strings.Contains(msg, "add https://") {
			t.Errorf("%q: %q does not suggest adding https://", raw, msg)
		}
		if strings.Contains(msg, raw) {
			t.Errorf("%q: the message quotes the URL, which may carry a password: %q", raw, msg)
		}
	}
	inst := Instance{ID: "x", Name: "X", URL: "ftp://grafana.example.com", Auth: AuthBasic, Username: "admin"}
	if err := inst.Validate(); err == nil || strings.Contains(err.Error(), "add https://") {
		t.Errorf("ftp:// has a scheme, the wrong one: %v", err)
	}
}
