package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Stats is the answer of refresh-stats.
type Stats struct {
	ActiveUsers            int64 `json:"active_users"`
	ActiveAdminsAndEditors int64 `json:"active_admins_and_editors"`
	ActiveViewers          int64 `json:"active_viewers"`
	ActiveAnonymousDevices int64 `json:"active_anonymous_devices"`
}

// Health is the answer of /api/health.
type Health struct {
	Database string `json:"database"`
	Version  string `json:"version"`
	Commit   string `json:"commit"`
}

// FrontendLicense is the licenseInfo part of /api/frontend/settings, readable
// without licensing permissions.
type FrontendLicense struct {
	Expiry    time.Time // zero when not reported
	StateInfo string
	Edition   string
}

// Token reads the license token (GET /api/licensing/token).
func (c *Client) Token(ctx context.Context) (*Token, error) {
	return c.token(ctx, call{op: OpToken, method: http.MethodGet, path: "/api/licensing/token", auth: true, retry: true})
}

// Renew asks Grafana to fetch a fresh token from grafana.com.
func (c *Client) Renew(ctx context.Context) (*Token, error) {
	return c.token(ctx, call{op: OpRenew, method: http.MethodPost, path: "/api/licensing/token/renew",
		body: struct{}{}, auth: true, retry: true})
}

// Upload sends a license JWT to Grafana.
func (c *Client) Upload(ctx context.Context, jwt string) (*Token, error) {
	jwt = strings.TrimSpace(jwt)
	if jwt == "" {
		return nil, &SettingError{Setting: "token", Problem: fmt.Sprintf("could not %s: the token is empty", OpUpload),
			Fix: "Choose the file that holds the license token from grafana.com"}
	}
	return c.token(ctx, call{op: OpUpload, method: http.MethodPost, path: "/api/licensing/token",
		body: map[string]string{"token": jwt}, auth: true, retry: true})
}

// token reads a token answer. It is parsed by hand, not by resty's
// SetResult, to keep every field exactly as Grafana sent it, in its order.
func (c *Client) token(ctx context.Context, cl call) (*Token, error) {
	a, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	t, err := ParseToken(a.body)
	if err != nil || !t.looksLikeToken() {
		return nil, c.badAnswer(cl, a, "a license token object")
	}
	return t, nil
}

// Delete removes the license from Grafana's database; rootURL must be
// Grafana's root_url. It is never retried.
func (c *Client) Delete(ctx context.Context, rootURL string) error {
	rootURL = strings.TrimSpace(rootURL)
	if rootURL == "" {
		return &SettingError{Setting: "root URL", Problem: fmt.Sprintf("could not %s: Grafana's root URL is needed, and none was given", OpDelete),
			Fix: "Give the root_url from Grafana's configuration"}
	}
	_, err := c.do(ctx, call{op: OpDelete, method: http.MethodDelete, path: "/api/licensing/token",
		body: map[string]string{"instance": rootURL}, auth: true})
	var ae *APIError
	if errors.As(err, &ae) {
		ae.SentInstance = SanitizeURL(rootURL)
	}
	return err
}

// Check asks Grafana whether its license is valid. Its bare true or false
// (quoted by some proxies) is read by hand.
func (c *Client) Check(ctx context.Context) (bool, error) {
	cl := call{op: OpCheck, method: http.MethodGet, path: "/api/licensing/check", auth: true, retry: true}
	a, err := c.do(ctx, cl)
	if err != nil {
		return false, err
	}
	switch strings.Trim(strings.TrimSpace(string(a.body)), `"`) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, c.badAnswer(cl, a, "true or false")
}

// statsAnswer, healthAnswer and settingsAnswer are what resty decodes the
// answers into; raw fields keep reading when Grafana sends a number as a
// string or the other way round.
type statsAnswer struct {
	ActiveUsers            json.RawMessage `json:"active_users"`
	ActiveAdminsAndEditors json.RawMessage `json:"active_admins_and_editors"`
	ActiveViewers          json.RawMessage `json:"active_viewers"`
	ActiveAnonymousDevices json.RawMessage `json:"active_anonymous_devices"`
}

type healthAnswer struct {
	Database json.RawMessage `json:"database"`
	Version  json.RawMessage `json:"version"`
	Commit   json.RawMessage `json:"commit"`
}

type settingsAnswer struct {
	LicenseInfo *struct {
		Expiry    json.RawMessage `json:"expiry"`
		StateInfo json.RawMessage `json:"stateInfo"`
		Edition   json.RawMessage `json:"edition"`
	} `json:"licenseInfo"`
}

// Stats reads the active-user counts (GET /api/licensing/refresh-stats).
func (c *Client) Stats(ctx context.Context) (*Stats, error) {
	var r statsAnswer
	cl := call{op: OpStats, method: http.MethodGet, path: "/api/licensing/refresh-stats", auth: true, retry: true, result: &r}
	a, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	if a.decodeErr != nil {
		return nil, c.badAnswer(cl, a, "usage statistics")
	}
	return &Stats{
		ActiveUsers:            integer(r.ActiveUsers),
		ActiveAdminsAndEditors: integer(r.ActiveAdminsAndEditors),
		ActiveViewers:          integer(r.ActiveViewers),
		ActiveAnonymousDevices: integer(r.ActiveAnonymousDevices),
	}, nil
}

// Health reads /api/health, which needs no credentials; none are sent.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var r healthAnswer
	cl := call{op: OpHealth, method: http.MethodGet, path: "/api/health", retry: true, result: &r}
	a, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	if a.decodeErr != nil {
		return nil, c.badAnswer(cl, a, "Grafana's health")
	}
	return &Health{Database: text(r.Database), Version: text(r.Version), Commit: text(r.Commit)}, nil
}

// FrontendLicense reads licenseInfo from /api/frontend/settings.
func (c *Client) FrontendLicense(ctx context.Context) (*FrontendLicense, error) {
	var r settingsAnswer
	cl := call{op: OpSettings, method: http.MethodGet, path: "/api/frontend/settings", auth: true, retry: true,
		limit: settingsBodyBytes, result: &r}
	a, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	switch {
	case a.decodeErr != nil:
		return nil, c.badAnswer(cl, a, "Grafana's frontend settings")
	case r.LicenseInfo == nil:
		return nil, c.badAnswer(cl, a, "frontend settings with licenseInfo")
	}
	info := r.LicenseInfo
	return &FrontendLicense{Expiry: unixTime(info.Expiry), StateInfo: text(info.StateInfo), Edition: text(info.Edition)}, nil
}
