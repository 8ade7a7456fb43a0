package client

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

// parseBaseURL checks Grafana's root URL and returns it without a trailing
// slash, so "/grafana" and "/grafana/" both lead to "/grafana/api/…".
func parseBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	bad := func(problem, fix string) error {
		return &SettingError{Setting: "URL", Problem: problem, Fix: fix}
	}
	const rootFix = "Use Grafana's root URL, such as https://grafana.example.com/"
	if raw == "" {
		return "", bad("the Grafana URL is empty", rootFix)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", bad("the Grafana URL is not a valid URL", "Check for typos")
	}
	shown := SanitizeURL(raw)
	if u.User != nil {
		return "", bad("the Grafana URL "+shown+" carries a username or password",
			"Remove them from the URL and set them as the instance's credentials")
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Host == "" {
		return "", bad("the Grafana URL "+shown+" must start with https:// or http:// and name a host", rootFix)
	}
	if u.RawQuery != "" || u.ForceQuery {
		return "", bad("the Grafana URL "+shown+" must not carry a query (?…)", rootFix)
	}
	u.Scheme, u.Fragment, u.RawFragment = scheme, "", ""
	return strings.TrimRight(u.String(), "/"), nil
}

// sameOriginOnly follows redirects within Grafana's own origin only, so a
// credential never reaches another host, port or scheme.
func sameOriginOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if origin(req.URL) != origin(via[0].URL) {
		return &RedirectError{Target: origin(req.URL)}
	}
	return nil
}

// origin is scheme://host:port, with the scheme's default port made explicit.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// SanitizeURL drops the userinfo, query and fragment of a URL so it can be
// shown in an error or a log.
func SanitizeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "(an unreadable URL)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}
