package grafanatest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"
)

// The token statuses Grafana reports, in its own numbering.
const (
	StatusNotLoaded      = 0
	StatusValid          = 1
	StatusLoaded         = 2
	StatusInvalid        = 3
	StatusNotFound       = 4
	StatusExpired        = 5
	StatusInvalidSubject = 6
)

// Claims are a license token's fields. Zero times are sent as 0. An empty
// Subject, when loaded into a Server, stands for that server's root URL.
type Claims struct {
	ID                        string    // jti
	Issuer                    string    // iss
	Subject                   string    // sub: the licensed root URL
	IssuedAt                  time.Time // iat: token issued
	TokenExpiry               time.Time // exp
	LicenseIssued             time.Time // nbf
	LicenseExpiry             time.Time // lexp
	LicenseID                 string    // lid
	LimitBy                   string    // limit_by
	IncludedUsers             int64     // included_users
	IncludedAdmins            int64     // included_admins, Grafana 7.4–8.x
	IncludedViewers           int64     // included_viewers, Grafana 7.4–8.x
	LicenseWarnDays           int       // lic_exp_warn_days
	TokenWarnDays             int       // tok_exp_warn_days
	UpdateDays                int       // update_days
	Products                  []string  // prod
	Company                   string    // company
	Account                   string    // account
	Slug                      string    // slug
	UsageBilling              bool      // usage_billing
	MaxConcurrentUserSessions int64     // max_concurrent_user_sessions
	DetailsURL                string    // details_url
	Trial                     bool      // trial
	TrialExpiry               time.Time // trial_exp
	AnonymousRatio            float64   // anonymousRatio
}

// DefaultTokenLifetime is how long a token issued or renewed by the emulator lasts.
const DefaultTokenLifetime = 7 * 24 * time.Hour

// DefaultClaims returns a healthy license as of now: the license runs a year,
// the token 7 days, and the subject is left empty so a Server fills in its
// own root URL.
func DefaultClaims(now time.Time) Claims {
	now = now.Truncate(time.Second)
	return Claims{
		ID:              newID(),
		Issuer:          "https://grafana.com",
		IssuedAt:        now,
		TokenExpiry:     now.Add(DefaultTokenLifetime),
		LicenseIssued:   now.AddDate(0, 0, -30),
		LicenseExpiry:   now.AddDate(1, 0, 0),
		LicenseID:       "10500",
		LimitBy:         "users",
		IncludedUsers:   100,
		LicenseWarnDays: 30,
		TokenWarnDays:   2,
		UpdateDays:      1,
		Products:        []string{"grafana-enterprise"},
		Company:         "Example Corp",
		Account:         "example",
		Slug:            "example",
		DetailsURL:      "https://grafana.com/orgs/example/licenses",
	}
}

// field is one name and value of a JSON object, kept in order.
type field struct {
	name  string
	value any
}

// fields lists the claims in the order Grafana 9+ sends them; legacy gives
// the Grafana 7.4–8.x shape with included_admins and included_viewers.
func (c *Claims) fields(legacy bool) []field {
	f := []field{
		{"jti", c.ID},
		{"iss", c.Issuer},
		{"sub", c.Subject},
		{"iat", unix(c.IssuedAt)},
		{"exp", unix(c.TokenExpiry)},
		{"nbf", unix(c.LicenseIssued)},
		{"lexp", unix(c.LicenseExpiry)},
		{"lid", c.LicenseID},
		{"limit_by", c.LimitBy},
	}
	if legacy {
		f = append(f, field{"included_admins", c.IncludedAdmins}, field{"included_viewers", c.IncludedViewers})
	} else {
		f = append(f, field{"included_users", c.IncludedUsers})
	}
	f = append(f,
		field{"lic_exp_warn_days", c.LicenseWarnDays},
		field{"tok_exp_warn_days", c.TokenWarnDays},
		field{"update_days", c.UpdateDays},
		field{"prod", c.Products},
		field{"company", c.Company},
		field{"account", c.Account},
		field{"slug", c.Slug},
		field{"usage_billing", c.UsageBilling},
		field{"max_concurrent_user_sessions", c.MaxConcurrentUserSessions},
		field{"details_url", c.DetailsURL},
		field{"trial", c.Trial},
		field{"trial_exp", unix(c.TrialExpiry)},
	)
	if !legacy {
		f = append(f, field{"anonymousRatio", finite(c.AnonymousRatio)})
	}
	return f
}

// jwtFields are the claims as a JWT carries them: the modern shape, plus
// the legacy user counts when set.
func (c *Claims) jwtFields() []field {
	f := c.fields(false)
	if c.IncludedAdmins != 0 || c.IncludedViewers != 0 {
		f = append(f, field{"included_admins", c.IncludedAdmins}, field{"included_viewers", c.IncludedViewers})
	}
	return f
}

// encodeObject writes fields as one JSON object, in order.
func encodeObject(fields []field) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.name)
		b.Write(k)
		b.WriteByte(':')
		var v []byte
		if raw, ok := f.value.(json.RawMessage); ok {
			v = raw
		} else {
			var err error
			if v, err = json.Marshal(f.value); err != nil {
				v = []byte("null")
			}
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// newID returns a fresh token id, as a renewal would.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// jwtKey signs every token the emulators in this process issue, so a token
// issued by one server uploads cleanly to another.
var jwtKey = func() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}()

// IssueJWT returns c as a signed license JWT (HS256), the kind of string a
// license.jwt file holds, so tests and the demo can upload real-looking tokens.
func IssueJWT(c Claims) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := enc.EncodeToString(encodeObject(c.jwtFields()))
	mac := hmac.New(sha256.New, jwtKey)
	mac.Write([]byte(header + "." + payload))
	return header + "." + payload + "." + enc.EncodeToString(mac.Sum(nil))
}

// parseJWT checks a JWT's shape (three base64url parts, JSON object header
// and claims) and reads its claims leniently, as Grafana would before
// verifying it.
func parseJWT(jwt string) (Claims, error) {
	parts := strings.Split(strings.TrimSpace(jwt), ".")
	if len(parts) != 3 {
		return Claims{}, errors.New("a license token has three dot-separated parts")
	}
	enc := base64.RawURLEncoding
	header, err := enc.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil || !isObject(header) {
		return Claims{}, errors.New("the token header is not base64url-encoded JSON")
	}
	payload, err := enc.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, errors.New("the token claims are not base64url-encoded")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil || m == nil {
		return Claims{}, errors.New("the token claims are not a JSON object")
	}
	if sig, err := enc.DecodeString(strings.TrimRight(parts[2], "=")); err != nil || len(sig) == 0 {
		return Claims{}, errors.New("the token signature is missing or not base64url-encoded")
	}
	return claimsFromMap(m), nil
}

func isObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && m != nil
}

// claimsFromMap reads claims leniently: a value of the wrong type reads as zero.
func claimsFromMap(m map[string]json.RawMessage) Claims {
	str := func(k string) string {
		var s string
		if json.Unmarshal(m[k], &s) == nil {
			return s
		}
		var n json.Number
		if json.Unmarshal(m[k], &n) == nil {
			return n.String()
		}
		return ""
	}
	num := func(k string) float64 {
		var f float64
		if json.Unmarshal(m[k], &f) == nil {
			return finite(f)
		}
		return 0
	}
	integer := func(k string) int64 {
		f := num(k)
		if f > math.MaxInt64/2 || f < math.MinInt64/2 {
			return 0
		}
		return int64(f)
	}
	when := func(k string) time.Time {
		n := integer(k)
		if n <= 0 || n > maxUnix {
			return time.Time{}
		}
		return time.Unix(n, 0)
	}
	flag := func(k string) bool {
		var b bool
		_ = json.Unmarshal(m[k], &b)
		return b
	}
	var prod []string
	_ = json.Unmarshal(m["prod"], &prod)
	return Claims{
		ID:                        str("jti"),
		Issuer:                    str("iss"),
		Subject:                   str("sub"),
		IssuedAt:                  when("iat"),
		TokenExpiry:               when("exp"),
		LicenseIssued:             when("nbf"),
		LicenseExpiry:             when("lexp"),
		LicenseID:                 str("lid"),
		LimitBy:                   str("limit_by"),
		IncludedUsers:             integer("included_users"),
		IncludedAdmins:            integer("included_admins"),
		IncludedViewers:           integer("included_viewers"),
		LicenseWarnDays:           int(integer("lic_exp_warn_days")),
		TokenWarnDays:             int(integer("tok_exp_warn_days")),
		UpdateDays:                int(integer("update_days")),
		Products:                  prod,
		Company:                   str("company"),
		Account:                   str("account"),
		Slug:                      str("slug"),
		UsageBilling:              flag("usage_billing"),
		MaxConcurrentUserSessions: integer("max_concurrent_user_sessions"),
		DetailsURL:                str("details_url"),
		Trial:                     flag("trial"),
		TrialExpiry:               when("trial_exp"),
		AnonymousRatio:            num("anonymousRatio"),
	}
}

// maxUnix is the end of the year 9999, beyond which a time is nonsense.
const maxUnix = 253402300799
