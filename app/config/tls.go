package config

import (
	"net/url"
	"strings"
)

// TLSUse is how the connection to an instance is protected.
type TLSUse int

// How an instance's connection can be protected.
const (
	TLSVerified    TLSUse = iota // https, the certificate checked
	TLSNotVerified               // https with insecure_skip_verify: anyone in between can pose as the server
	TLSNotUsed                   // plain http: nothing is encrypted
)

// String is the word every front-end shows for t.
func (t TLSUse) String() string {
	switch t {
	case TLSNotVerified:
		return "not verified"
	case TLSNotUsed:
		return "not used"
	}
	return "verified"
}

// TLS says how the connection to inst is protected.
func (inst Instance) TLS() TLSUse {
	switch {
	case isPlainHTTP(inst.URL):
		return TLSNotUsed
	case inst.InsecureSkipVerify:
		return TLSNotVerified
	}
	return TLSVerified
}

func isPlainHTTP(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && strings.EqualFold(u.Scheme, "http")
}
