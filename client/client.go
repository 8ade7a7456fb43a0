package client

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// concurrent use.
type Client struct {
	opts    Options
	base    string // scheme://host[:port][/sub-path], no trailing slash
	rc      *resty.Client
	secrets []string // strings no error text may carry

	// sleep waits between retries; tests replace it to observe the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// New builds a client; it fails on a bad URL, CA file or proxy.
func New(opts Options) (*Client, error) {
	opts = withDefaults(opts)
	base, err := parseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	opts.Auth.Token = strings.TrimSpace(opts.Auth.Token)
	// A token pasted with its scheme still works.
	if t := opts.Auth.Token; len(t) > 7 && strings.EqualFold(t[:7], "bearer ") {
		opts.Auth.Token = strings.TrimSpace(t[7:])
	}
	if strings.ContainsAny(opts.Auth.Token, " \t\r\n") {
		return nil, errors.New("the API token contains spaces or line breaks: paste it again")
	}
	tlsConf, err := tlsConfig(opts)
	if err != nil {
		return nil, err
	}
	proxy, proxyURL, err := proxyFunc(opts.Proxy)
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: opts.Timeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 proxy,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   opts.Timeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          8,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	// No cookie jar: a Grafana session cookie is a credential of its own.
	rc := resty.NewWithClient(&http.Client{Transport: transport}).
		SetLogger(quietLogger{}).
		SetDebug(false).
		SetDisableWarn(true).
		SetDoNotParseResponse(true).
		SetRedirectPolicy(resty.RedirectPolicyFunc(sameOriginOnly)).
		SetHeader("User-Agent", opts.UserAgent).
		SetHeader("Accept", "application/json")

	c := &Client{opts: opts, base: base, rc: rc, sleep: sleepCtx}
	c.secrets = collectSecrets(opts.Auth, proxyURL)
	return c, nil
}

// Close releases the client's idle connections; the client still works after.
func (c *Client) Close() { c.rc.GetClient().CloseIdleConnections() }

// call describes one API request.
type call struct {
	op     Op
	method string
	path   string // below the base URL, e.g. "/api/licensing/token"
	body   any    // sent as JSON when not nil
	auth   bool
	retry  bool
	limit  int64 // body cap; 0 means Options.MaxBodyBytes
}

// answer is a response whose body was read within the size cap.
type answer struct {
	status     int
	ctype      string
	retryAfter string
	body       []byte
}

func (c *Client) url(path string) string { return c.base + path }

// do runs a call, retrying it within the RetryPolicy when it may.
func (c *Client) do(ctx context.Context, cl call) (*answer, error) {
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		a, err := c.attempt(ctx, cl)
		if err == nil && (a.status < 200 || a.status > 299) {
			err = c.apiError(cl, a)
		}
		if err == nil {
			return a, nil
		}
		if !cl.retry || attempt >= c.opts.Retry.MaxAttempts || !retryable(err) {
			return nil, withAttempts(err, attempt)
		}
		wait := c.backoff(attempt, a)
		if waited+wait > c.opts.Retry.MaxTotal {
			return nil, withAttempts(err, attempt)
		}
		if c.sleep(ctx, wait) != nil {
			return nil, c.contextError(ctx, cl, attempt)
		}
		waited += wait
	}
}

// attempt makes one request and reads at most MaxBodyBytes of the answer.
func (c *Client) attempt(ctx context.Context, cl call) (*answer, error) {
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req := c.rc.R().SetContext(actx)
	if cl.auth {
		c.authorize(req)
	}
	if cl.body != nil {
		req.SetBody(cl.body)
	}
	resp, err := req.Execute(cl.method, c.url(cl.path))
	if err != nil {
		return nil, c.networkError(ctx, actx, cl, err)
	}
	raw := resp.RawResponse
	defer raw.Body.Close()
	a := &answer{
		status:     raw.StatusCode,
		ctype:      printable(raw.Header.Get("Content-Type"), 100),
		retryAfter: raw.Header.Get("Retry-After"),
	}
	limit := max(cl.limit, c.opts.MaxBodyBytes)
	if raw.ContentLength > limit {
		return a, c.tooLarge(cl, a, limit)
	}
	// Read one byte past the cap to tell "exactly the cap" from "over it",
	// without ever holding more than that in memory.
	a.body, err = io.ReadAll(io.LimitReader(raw.Body, limit+1))
	if err != nil {
		return a, c.networkError(ctx, actx, cl, err)
	}
	if int64(len(a.body)) > limit {
		a.body = nil
		return a, c.tooLarge(cl, a, limit)
	}
	return a, nil
}

func (c *Client) authorize(req *resty.Request) {
	a := c.opts.Auth
	switch {
	case a.Username != "":
		req.SetBasicAuth(a.Username, a.Password)
	case a.Token != "":
		req.SetAuthToken(a.Token)
	}
}
