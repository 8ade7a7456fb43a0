package client

import (
	"strings"
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
	// MaxConnsPerHost bounds the connections (dialing, in use and idle)
	// to one host through this client's shared transport, so a caller can
	// bound descriptors; 0 means no bound beyond the caller's concurrency.
	// Clients with different values do not share a transport.
	MaxConnsPerHost int
}

// The defaults New applies to zero Options and RetryPolicy fields.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultUserAgent    = "licensedesk/dev"
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxAttempts  = 3
	DefaultBaseDelay    = 250 * time.Millisecond
	DefaultMaxDelay     = 5 * time.Second
	DefaultMaxTotal     = 15 * time.Second
)

// settingsBodyBytes is the cap for /api/frontend/settings, which lists every
// data source and plugin and so can outgrow MaxBodyBytes on a large Grafana.
const settingsBodyBytes = 16 << 20

// maxBodyLimit keeps a body cap within resty's int on every platform.
const maxBodyLimit = 1<<31 - 1

func withDefaults(o Options) Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if strings.TrimSpace(o.UserAgent) == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	o.MaxBodyBytes = min(o.MaxBodyBytes, maxBodyLimit)
	r := &o.Retry
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = DefaultMaxAttempts
	}
	if r.BaseDelay <= 0 {
		r.BaseDelay = DefaultBaseDelay
	}
	if r.MaxDelay <= 0 {
		r.MaxDelay = DefaultMaxDelay
	}
	if r.MaxTotal <= 0 {
		r.MaxTotal = DefaultMaxTotal
	}
	return o
}
