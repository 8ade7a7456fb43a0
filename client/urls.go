package client

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

// slash, so "/grafana" and "/grafana/" both lead to "/grafana/api/…".
func parseBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("the Grafana URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("the Grafana URL is not a valid URL: check for typos")
	}
	if u.User != nil {
		return "", fmt.Errorf("the Grafana URL %s carries a username or password: "+
			"remove them from the URL and set them as the instance's credentials", SanitizeURL(raw))
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("the Grafana URL %s must start with https:// or http:// and name a host", SanitizeURL(raw))
	}
	if u.RawQuery != "" || u.ForceQuery {
		return "", fmt.Errorf("the Grafana URL %s must not carry a query (?…): use Grafana's root URL", SanitizeURL(raw))
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
