package client

import (
	"context"
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
		return nil, fmt.Errorf("could not %s: the token is empty", OpUpload)
	}
	return c.token(ctx, call{op: OpUpload, method: http.MethodPost, path: "/api/licensing/token",
		body: map[string]string{"token": jwt}, auth: true, retry: true})
}

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
		return fmt.Errorf("could not %s: Grafana's root URL is needed, and none was given", OpDelete)
	}
	_, err := c.do(ctx, call{op: OpDelete, method: http.MethodDelete, path: "/api/licensing/token",
		body: map[string]string{"instance": rootURL}, auth: true})
	var ae *APIError
	if errors.As(err, &ae) {
		ae.SentInstance = SanitizeURL(rootURL)
	}
	return err
}

// Check asks Grafana whether its license is valid.
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

// Stats reads the active-user counts (GET /api/licensing/refresh-stats).
func (c *Client) Stats(ctx context.Context) (*Stats, error) {
	cl := call{op: OpStats, method: http.MethodGet, path: "/api/licensing/refresh-stats", auth: true, retry: true}
	a, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	fields, err := orderedFields(a.body)
	if err != nil {
		return nil, c.badAnswer(cl, a, "usage statistics")
	}
	s := &Stats{}
	for _, f := range fields {
		switch f.Name {
		case "active_users":
			s.ActiveUsers = integer(f.Value)
		case "active_admins_and_editors":
			s.ActiveAdminsAndEditors = integer(f.Value)
		case "active_viewers":
			s.ActiveViewers = integer(f.Value)
		case "active_anonymous_devices":
			s.ActiveAnonymousDevices = integer(f.Value)
		}
	}
	return s, nil
}

// Health reads /api/health, which needs no credentials; none are sent.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	cl := call{op: OpHealth, method: http.MethodGet, path: "/api/health", retry: true}
	a, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	fields, err := orderedFields(a.body)
	if err != nil {
		return nil, c.badAnswer(cl, a, "Grafana's health")
	}
	h := &Health{}
	for _, f := range fields {
		switch f.Name {
		case "database":
			h.Database = text(f.Value)
		case "version":
			h.Version = text(f.Value)
		case "commit":
			h.Commit = text(f.Value)
		}
	}
	return h, nil
}

// FrontendLicense reads licenseInfo from /api/frontend/settings.
func (c *Client) FrontendLicense(ctx context.Context) (*FrontendLicense, error) {
	cl := call{op: OpSettings, method: http.MethodGet, path: "/api/frontend/settings", auth: true, retry: true,
		limit: settingsBodyBytes}
	a, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	fields, err := orderedFields(a.body)
	if err != nil {
		return nil, c.badAnswer(cl, a, "Grafana's frontend settings")
	}
	for _, f := range fields {
		if f.Name != "licenseInfo" {
			continue
		}
		info, err := orderedFields(f.Value)
		if err != nil {
			break
		}
		l := &FrontendLicense{}
		for _, g := range info {
			switch g.Name {
			case "expiry":
				l.Expiry = unixTime(g.Value)
			case "stateInfo":
				l.StateInfo = text(g.Value)
			case "edition":
				l.Edition = text(g.Value)
			}
		}
		return l, nil
	}
	return nil, c.badAnswer(cl, a, "frontend settings with licenseInfo")
}
