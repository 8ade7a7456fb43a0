package client

import (
	"net/url"
	"strings"
)

// LicenseURL is the page of the license on grafana.com: details_url, else
// iss + "/licenses/" + lid. It is "" unless that is an https URL with a
// host, so a token cannot make the product open anything else.
func (t *Token) LicenseURL() string {
	if t == nil {
		return ""
	}
	link := t.DetailsURL
	if link == "" && t.Issuer != "" && t.LicenseID != "" {
		link = strings.TrimSuffix(t.Issuer, "/") + "/licenses/" + url.PathEscape(t.LicenseID)
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}
