package app

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

// ConnectionWarnings are what a person should know before trusting the
// connection to inst: its secret crossing the network in clear, or a
// certificate that is not checked. The add and edit forms and the command
// line show them alike; nil when there is nothing to say.
func ConnectionWarnings(inst Instance) []string {
	var out []string
	if w := clearTextWarning(inst); w != "" {
		out = append(out, w)
	}
	if inst.TLS() == config.TLSNotVerified {
		out = append(out, fmt.Sprintf("the TLS certificate of %s is not verified (insecure_skip_verify): anyone on the network "+
			"in between can pose as the server and read its %s; trust its CA with a CA file instead",
			client.SanitizeURL(inst.URL), secretWord(inst)))
	}
	return out
}

// clearTextWarning warns that inst's secret would travel unencrypted: a
// plain http:// URL to anything but this machine.
func clearTextWarning(inst Instance) string {
	if inst.TLS() != config.TLSNotUsed {
		return ""
	}
	u, err := url.Parse(strings.TrimSpace(inst.URL))
	if err != nil || isLoopback(u.Hostname()) {
		return ""
	}
	return fmt.Sprintf("the %s for %s travels in clear over http://: anyone on the network in between can read it; use https://",
		secretWord(inst), client.SanitizeURL(inst.URL))
}

// isLoopback says whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
