package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/licensedesk/licensedesk/client"
)

// Origin reduces a URL to scheme://host:port in lower case with the port
// always written, so https://H/ and https://h:443/grafana/ are one origin.
func Origin(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.ToLower(strings.TrimSpace(raw))
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// SecretRoute words, for the instance, every setting that decides where its
// secret is sent or read from: the address, the proxy, an environment
// variable, and unverified TLS. Import shows it before anything is written.
func (inst Instance) SecretRoute() string {
	parts := []string{"sends its " + inst.SecretWord() + " to " + Origin(inst.URL)}
	if inst.Proxy != "" {
		parts = append(parts, "through the proxy "+Origin(inst.Proxy))
	}
	if env := inst.secretEnv(); env != "" {
		parts = append(parts, "read from the environment variable "+env)
	}
	if inst.InsecureSkipVerify {
		parts = append(parts, "WITHOUT verifying the TLS certificate")
	}
	return strings.Join(parts, ", ")
}

// SecretWord names what the instance signs in with: "password" or "token".
func (inst Instance) SecretWord() string {
	if inst.Auth == AuthBearer {
		return "token"
	}
	return "password"
}

// secretEnv is the variable the instance takes its secret from, or "".
func (inst Instance) secretEnv() string {
	if inst.Auth == AuthBearer {
		return inst.TokenEnv
	}
	return inst.PasswordEnv
}

// ConnectionWarnings are what a person should know before trusting the
// connection to the instance: its secret crossing the network in clear, or a
// certificate that is not checked. The add and edit forms and the command
// line show them alike; nil when there is nothing to say.
func (inst Instance) ConnectionWarnings() []string {
	var out []string
	if w := clearTextWarning(inst); w != "" {
		out = append(out, w)
	}
	if inst.TLS() == TLSNotVerified {
		out = append(out, fmt.Sprintf("the TLS certificate of %s is not verified (insecure_skip_verify): anyone on the network "+
			"in between can pose as the server and read its %s; trust its CA with a CA file instead",
			client.SanitizeURL(inst.URL), inst.SecretWord()))
	}
	return out
}

// clearTextWarning warns that inst's secret would travel unencrypted: a
// plain http:// URL to anything but this machine.
func clearTextWarning(inst Instance) string {
	if inst.TLS() != TLSNotUsed {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(inst.URL))
	if err != nil || isLoopback(u.Hostname()) {
		return ""
	}
	return fmt.Sprintf("the %s for %s travels in clear over http://: anyone on the network in between can read it; use https://",
		inst.SecretWord(), client.SanitizeURL(inst.URL))
}

// isLoopback says whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
