package grafanatest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// tokenOf reads s's token answer as admin.
func tokenOf(t *testing.T, s *Server) map[string]any {
	t.Helper()
	a := call(t, s, "GET", "/api/licensing/token", "admin:admin", "")
	var m map[string]any
	if a.status != 200 || json.Unmarshal([]byte(a.body), &m) != nil {
		t.Fatalf("token answer %d %s", a.status, a.body)
	}
	return m
}

func TestShapes(t *testing.T) {
	now := time.Now().Truncate(time.Second)

	t.Run("trial", func(t *testing.T) {
		s := New(WithClaims(TrialClaims(now, now.Add(-time.Hour))))
		defer s.Close()
		m := tokenOf(t, s)
		if m["trial"] != true || m["trial_exp"] != float64(now.Add(-time.Hour).Unix()) || m["status"] != float64(StatusValid) {
			t.Errorf("trial token %v", m)
		}
	})

	t.Run("AWS Marketplace", func(t *testing.T) {
		s := New(WithClaims(AWSMarketplaceClaims(now)))
		defer s.Close()
		m := tokenOf(t, s)
		if m["iss"] != AWSMarketplaceIssuer || m["sub"] != "" || m["lexp"] != float64(0) || m["status"] != float64(StatusValid) {
			t.Errorf("AWS token %v", m)
		}
	})

	t.Run("stalled renewal", func(t *testing.T) {
		s := New(WithClaims(StalledRenewalClaims(now, 6*24*time.Hour)), WithOffline())
		defer s.Close()
		m := tokenOf(t, s)
		if m["iat"] != float64(now.Add(-6*24*time.Hour).Unix()) || m["exp"].(float64) <= float64(now.Unix()) {
			t.Errorf("stalled token %v", m)
		}
		if a := call(t, s, "POST", "/api/licensing/token/renew", "admin:admin", "{}"); a.status != 500 {
			t.Errorf("renew of a stalled instance: %d", a.status)
		}
	})

	t.Run("HA pair", func(t *testing.T) {
		newest, stale := NewHAPair(now, 3*24*time.Hour)
		defer newest.Close()
		defer stale.Close()
		a, b := tokenOf(t, newest), tokenOf(t, stale)
		if a["sub"] != b["sub"] || a["lid"] != b["lid"] || a["jti"] == b["jti"] || a["status"] != float64(1) || b["status"] != float64(1) {
			t.Errorf("pair %v\n%v", a, b)
		}
		if lag := a["iat"].(float64) - b["iat"].(float64); lag != 3*86400 {
			t.Errorf("lag %v s", lag)
		}
		if newest.URL == stale.URL {
			t.Error("two nodes on one address")
		}
	})

	t.Run("a known field replaced as sent", func(t *testing.T) {
		s := New(WithExtraField("lexp", json.RawMessage(`1795536000000`)))
		defer s.Close()
		a := call(t, s, "GET", "/api/licensing/token", "admin:admin", "")
		var fields []string
		dec := json.NewDecoder(strings.NewReader(a.body))
		dec.Token()
		for dec.More() {
			k, _ := dec.Token()
			fields = append(fields, k.(string))
			var v json.RawMessage
			dec.Decode(&v)
			if k == "lexp" && string(v) != "1795536000000" {
				t.Errorf("lexp %s", v)
			}
		}
		n := 0
		for _, f := range fields {
			if f == "lexp" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("lexp sent %d times: %v", n, fields)
		}
	})
}
