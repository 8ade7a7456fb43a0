// Package client speaks Grafana Enterprise's Licensing HTTP API and decides what its answers mean.
package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TokenStatus is Grafana's license token status enum.
type TokenStatus int

// The token statuses Grafana reports, in its own numbering.
const (
	StatusNotLoaded      TokenStatus = 0
	StatusValid          TokenStatus = 1
	StatusLoaded         TokenStatus = 2
	StatusInvalid        TokenStatus = 3
	StatusNotFound       TokenStatus = 4
	StatusExpired        TokenStatus = 5
	StatusInvalidSubject TokenStatus = 6
)

// String names the status the way Grafana's code does.
func (s TokenStatus) String() string {
	switch s {
	case StatusNotLoaded:
		return "NotLoaded"
	case StatusValid:
		return "Valid"
	case StatusLoaded:
		return "Loaded"
	case StatusInvalid:
		return "Invalid"
	case StatusNotFound:
		return "NotFound"
	case StatusExpired:
		return "Expired"
	case StatusInvalidSubject:
		return "InvalidSubject"
	}
	return "Status" + strconv.Itoa(int(s))
}

// Meaning explains the status in plain words for an administrator.
func (s TokenStatus) Meaning() string {
	switch s {
	case StatusNotLoaded:
		return "no license has been loaded yet"
	case StatusValid:
		return "the license is valid"
	case StatusLoaded:
		return "the license is loaded"
	case StatusInvalid:
		return "the license token is invalid"
	case StatusNotFound:
		return "no license was found on this Grafana"
	case StatusExpired:
		return "the license has expired"
	case StatusInvalidSubject:
		return "license URL does not match this Grafana's root_url"
	}
	return fmt.Sprintf("unknown license status %d", int(s))
}

// Short names a status that makes a license unusable in a few words, for a
// list row; "" for the statuses that do not.
func (s TokenStatus) Short() string {
	switch s {
	case StatusInvalid:
		return "license invalid"
	case StatusNotFound:
		return "no license"
	case StatusExpired:
		return "license expired"
	case StatusInvalidSubject:
		return "license URL mismatch"
	}
	return ""
}

// Field is one top-level field of a token exactly as Grafana sent it.
type Field struct {
	Name  string
	Value json.RawMessage
}

// Token is Grafana's license token object. Known fields are typed; times are
// zero when absent or zero. Fields keeps every field, unknown ones included,
// in the order Grafana sent them.
type Token struct {
	Status    TokenStatus
	HasStatus bool // Grafana 7.x tokens carry no status

	ID            string    // jti
	Issuer        string    // iss
	Subject       string    // sub: the licensed URL, a glob, maybe "hmac:"-prefixed
	IssuedAt      time.Time // iat: token issued
	TokenExpiry   time.Time // exp
	LicenseIssued time.Time // nbf
	LicenseExpiry time.Time // lexp
	LicenseID     string    // lid
	LimitBy       string

	IncludedUsers   int64
	IncludedAdmins  int64 // Grafana 7.4–8.x
	IncludedViewers int64 // Grafana 7.4–8.x

	LicenseWarnDays int // lic_exp_warn_days; 0 when absent
	TokenWarnDays   int // tok_exp_warn_days; 0 when absent
	UpdateDays      int

	Products                  []string
	Company                   string
	Account                   string
	Slug                      string
	UsageBilling              bool
	MaxConcurrentUserSessions int64
	DetailsURL                string
	Trial                     bool
	TrialExpiry               time.Time
	AnonymousRatio            float64

	// Implausible lists the time fields (iat, exp, nbf, lexp, trial_exp)
	// Grafana sent with a value that cannot be a Unix time in seconds —
	// negative, fractional, before 2015 or after 2200 (milliseconds, say) —
	// as sent; their typed times stay zero. Absent or zero is not implausible.
	Implausible []Field

	Fields []Field
	Raw    json.RawMessage
}

// AWSMarketplaceIssuer is the iss of a license bought through AWS Marketplace.
const AWSMarketplaceIssuer = "AWS/Marketplace"

// Words for a license bought through AWS Marketplace, as every surface shows it.
const (
	// AWSMarketplaceLicense names such a license.
	AWSMarketplaceLicense = "AWS Marketplace license"
	// AWSMarketplaceTerms says why it has no licensed URL and no license
	// expiry: that is normal, not missing data.
	AWSMarketplaceTerms = "Billed through AWS: no licensed URL and no license expiry of its own; the token's expiry is what counts"
)

// FromAWSMarketplace says whether the license was bought through AWS
// Marketplace: such a license has no licensed URL and no license expiry.
func (t *Token) FromAWSMarketplace() bool {
	return t != nil && t.Issuer == AWSMarketplaceIssuer
}

// MarshalJSON writes the token as Grafana sent it, except that bytes which
// are not UTF-8 become U+FFFD, so a report holding it stays valid JSON.
func (t *Token) MarshalJSON() ([]byte, error) {
	if len(t.Raw) == 0 {
		return []byte("null"), nil
	}
	if !utf8.Valid(t.Raw) {
		return bytes.ToValidUTF8(t.Raw, []byte("\uFFFD")), nil
	}
	return t.Raw, nil
}

// Field returns the raw value of the named field and whether Grafana sent it.
func (t *Token) Field(name string) (json.RawMessage, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// looksLikeToken tells a token from some other JSON object (a proxy's
// {"message":"OK"}): every Grafana sends at least one of these fields.
func (t *Token) looksLikeToken() bool {
	for _, name := range []string{"status", "jti", "sub", "exp", "lexp", "lid"} {
		if _, ok := t.Field(name); ok {
			return true
		}
	}
	return false
}

// ErrNotJSONObject is returned when a token body is valid JSON but not an object.
var ErrNotJSONObject = errors.New("not a JSON object")

// ParseToken decodes a token object. It is lenient with types (numbers sent
// as strings, strings sent as numbers, null anywhere) because the fields
// "may change at any time", and keeps every field it does not know.
func ParseToken(data []byte) (*Token, error) {
	raw := append(json.RawMessage(nil), bytes.TrimSpace(data)...)
	fields, err := orderedFields(raw)
	if err != nil {
		return nil, err
	}
	t := &Token{Fields: fields, Raw: raw}
	for _, f := range fields {
		t.set(f.Name, f.Value)
	}
	return t, nil
}

// orderedFields splits a JSON object into its fields, in order. It refuses
// anything but one object: an array, a bare value, or data after the object.
// Each field's value is a slice of data, not a copy: a token is kept for
// every instance of a fleet, and its fields then cost little beside Raw.
func orderedFields(data []byte) ([]Field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty: no JSON object")
	}
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, ErrNotJSONObject
	}
	var fields []Field
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := k.(string)
		start := dec.InputOffset() // after the name; the colon is still ahead
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		fields = append(fields, Field{Name: name, Value: inData(data, start, dec.InputOffset(), v)})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	// dec.Token would accept a stray '}' after the object; look at the bytes.
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, errors.New("unexpected data after the JSON object")
	}
	return slices.Clone(fields), nil // no spare capacity kept with the token
}

// inData finds the value v, decoded from data[start:end] (a colon, spaces
// and the value), in data itself, so that it holds no memory of its own.
func inData(data []byte, start, end int64, v json.RawMessage) json.RawMessage {
	if start < 0 || end > int64(len(data)) || start > end {
		return v
	}
	span := bytes.TrimSpace(data[start:end])
	span = bytes.TrimSpace(bytes.TrimPrefix(span, []byte(":")))
	if !bytes.Equal(span, v) {
		return v // not where it was expected: keep the decoder's copy
	}
	return span[:len(span):len(span)]
}

func (t *Token) set(name string, v json.RawMessage) {
	switch name {
	case "status":
		if n, ok := number(v); ok && n == math.Trunc(n) && math.Abs(n) < math.MaxInt32 {
			t.Status, t.HasStatus = TokenStatus(int(n)), true
		} else if !isNull(v) {
			// Present but no status number: outside Grafana's enum, so
			// Evaluate reports it unknown with the value as sent.
			t.Status, t.HasStatus = statusUnreadable, true
		}
	case "jti":
		t.ID = text(v)
	case "iss":
		t.Issuer = text(v)
	case "sub":
		t.Subject = text(v)
	case "iat":
		t.IssuedAt = t.time(name, v)
	case "exp":
		t.TokenExpiry = t.time(name, v)
	case "nbf":
		t.LicenseIssued = t.time(name, v)
	case "lexp":
		t.LicenseExpiry = t.time(name, v)
	case "lid":
		t.LicenseID = text(v)
	case "limit_by":
		t.LimitBy = text(v)
	case "included_users":
		t.IncludedUsers = integer(v)
	case "included_admins":
		t.IncludedAdmins = integer(v)
	case "included_viewers":
		t.IncludedViewers = integer(v)
	case "lic_exp_warn_days":
		t.LicenseWarnDays = int(integer(v))
	case "tok_exp_warn_days":
		t.TokenWarnDays = int(integer(v))
	case "update_days":
		t.UpdateDays = int(integer(v))
	case "prod":
		t.Products = stringList(v)
	case "company":
		t.Company = text(v)
	case "account":
		t.Account = text(v)
	case "slug":
		t.Slug = text(v)
	case "usage_billing":
		t.UsageBilling = boolean(v)
	case "max_concurrent_user_sessions":
		t.MaxConcurrentUserSessions = integer(v)
	case "details_url":
		t.DetailsURL = text(v)
	case "trial":
		t.Trial = boolean(v)
	case "trial_exp":
		t.TrialExpiry = t.time(name, v)
	case "anonymousRatio":
		t.AnonymousRatio, _ = number(v)
	}
}

func number(v json.RawMessage) (float64, bool) {
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil || n == "" {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return 0, false
		}
		n = json.Number(strings.TrimSpace(s))
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func integer(v json.RawMessage) int64 {
	f, ok := number(v)
	// float64(math.MaxInt64) rounds up to 2^63, which int64 cannot hold.
	if !ok || f >= math.MaxInt64 || f < math.MinInt64 {
		return 0
	}
	return int64(f)
}

// The plausible range of a license time: Grafana Enterprise licenses
// postdate 2015, and a value past 2200 is most likely in milliseconds.
var (
	minPlausible = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxPlausible = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// statusUnreadable stands for a status Grafana sent that is no number at all.
const statusUnreadable TokenStatus = -1

// parseTime reads a Unix time in seconds. Absent, null, empty or zero is
// "not reported" (zero, plausible); anything else outside the plausible
// range, or not a whole number, is implausible.
func parseTime(v json.RawMessage) (at time.Time, plausible bool) {
	var s string
	if isNull(v) || (json.Unmarshal(v, &s) == nil && strings.TrimSpace(s) == "") {
		return time.Time{}, true
	}
	f, ok := number(v)
	switch {
	case ok && f == 0:
		return time.Time{}, true
	case !ok || f != math.Trunc(f) || f < float64(minPlausible) || f > float64(maxPlausible):
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0).UTC(), true
}

// time reads the time field name, keeping it in Implausible when it cannot be one.
func (t *Token) time(name string, v json.RawMessage) time.Time {
	at, ok := parseTime(v)
	if !ok {
		t.Implausible = append(t.Implausible, Field{Name: name, Value: v})
	}
	return at
}

// unixTime reads a Unix time in seconds, zero unless it is plausible.
func unixTime(v json.RawMessage) time.Time {
	at, _ := parseTime(v)
	return at
}

func isNull(v json.RawMessage) bool {
	return len(v) == 0 || string(bytes.TrimSpace(v)) == "null"
}

func text(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	return ""
}

func boolean(v json.RawMessage) bool {
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return b
	}
	return text(v) == "true"
}

func stringList(v json.RawMessage) []string {
	var items []json.RawMessage
	if json.Unmarshal(v, &items) == nil {
		if items == nil {
			return nil
		}
		list := make([]string, 0, len(items))
		for _, it := range items {
			list = append(list, text(it))
		}
		return list
	}
	if s := text(v); s != "" {
		return []string{s}
	}
	return nil
}

// DecodeJWT reads the claims of a license JWT locally, without verifying its
// signature (only Grafana can), so a token can be previewed before upload.
func DecodeJWT(jwt string) (*Token, error) {
	jwt = strings.TrimSpace(jwt)
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return nil, errors.New("not a license token: a JWT has three dot-separated parts")
	}
	header, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil || !json.Valid(header) {
		return nil, errors.New("not a license token: its header is not base64url-encoded JSON")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, errors.New("not a license token: its claims are not base64url-encoded")
	}
	t, err := ParseToken(payload)
	if err != nil {
		return nil, fmt.Errorf("not a license token: its claims are not a JSON object: %w", err)
	}
	return t, nil
}

// SubjectMatches reports whether a license's sub (the licensed URL, a glob
// where * matches anything) covers a Grafana URL, compared as Grafana's
// root_url is: case-insensitive, trailing slash ignored, scheme optional in
// the sub. comparable is false when either side is empty or the sub is an
// "hmac:" hash that only Grafana can check.
func SubjectMatches(sub, grafanaURL string) (matches, comparable bool) {
	norm := func(s string) string {
		s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "/")
		// A default port is no port: https://h:443/ is https://h/.
		for scheme, port := range map[string]string{"https://": ":443", "http://": ":80"} {
			if rest, ok := strings.CutPrefix(s, scheme); ok {
				host, path, _ := strings.Cut(rest, "/")
				if h, ok := strings.CutSuffix(host, port); ok {
					s = strings.TrimSuffix(scheme+h+"/"+path, "/")
				}
			}
		}
		return s
	}
	sub, u := norm(sub), norm(grafanaURL)
	if sub == "" || u == "" || strings.HasPrefix(sub, "hmac:") {
		return false, false
	}
	if !strings.Contains(sub, "://") {
		if _, rest, ok := strings.Cut(u, "://"); ok {
			u = rest
		}
	}
	pattern := "^" + strings.ReplaceAll(regexp.QuoteMeta(sub), `\*`, `.*`) + "$"
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(u), true
}
