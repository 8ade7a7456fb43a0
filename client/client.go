package client

import (
	"context"
	"errors"
	"time"
)

// Auth is how the client signs in: HTTP Basic when Username is set, else a
// bearer token (API key or service account token).
type Auth struct {
	Username string
	Password string
	Token    string
}

// RetryPolicy bounds the automatic retries of GET, renew and upload.
type RetryPolicy struct {
	MaxAttempts int           // attempts in all, first included; default 3
	BaseDelay   time.Duration // first backoff; default 250ms
	MaxDelay    time.Duration // cap on one wait, Retry-After included; default 5s
	MaxTotal    time.Duration // cap on all waiting; default 15s
}

// Options configure a Client for one Grafana instance.
type Options struct {
	BaseURL            string // Grafana's root URL; may carry a sub-path
	Auth               Auth
	Timeout            time.Duration // per attempt; default 15s
	CAFile             string        // PEM bundle added to the system pool
	InsecureSkipVerify bool
	Proxy              string // explicit proxy URL; else HTTPS_PROXY/NO_PROXY
	UserAgent          string // default "licensedesk/dev"
	Retry              RetryPolicy
	MaxBodyBytes       int64 // default 1 MiB
}

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
	Expiry    time.Time
	StateInfo string
	Edition   string
}

// Client talks to one Grafana instance's licensing API.
type Client struct {
	opts Options
}

var errNotImplemented = errors.New("not implemented yet")

// New builds a client; it fails on a bad URL, CA file or proxy.
func New(opts Options) (*Client, error) { return &Client{opts: opts}, nil }

// Token reads the license token (GET /api/licensing/token).
func (c *Client) Token(ctx context.Context) (*Token, error) { return nil, errNotImplemented }

// Renew asks Grafana to fetch a fresh token from grafana.com.
func (c *Client) Renew(ctx context.Context) (*Token, error) { return nil, errNotImplemented }

// Upload sends a license JWT to Grafana.
func (c *Client) Upload(ctx context.Context, jwt string) (*Token, error) {
	return nil, errNotImplemented
}

// Delete removes the license from Grafana's database; rootURL must be
// Grafana's root_url. It is never retried.
func (c *Client) Delete(ctx context.Context, rootURL string) error { return errNotImplemented }

// Check asks Grafana whether its license is valid.
func (c *Client) Check(ctx context.Context) (bool, error) { return false, errNotImplemented }

// Stats reads the active-user counts (GET /api/licensing/refresh-stats).
func (c *Client) Stats(ctx context.Context) (*Stats, error) { return nil, errNotImplemented }

// Health reads /api/health, which needs no credentials.
func (c *Client) Health(ctx context.Context) (*Health, error) { return nil, errNotImplemented }

// FrontendLicense reads licenseInfo from /api/frontend/settings.
func (c *Client) FrontendLicense(ctx context.Context) (*FrontendLicense, error) {
	return nil, errNotImplemented
}
