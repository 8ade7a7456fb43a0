package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-resty/resty/v2"
	"golang.org/x/net/http/httpproxy"
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

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

// settingsBodyBytes is the cap for /api/frontend/settings, which lists every
// data source and plugin and so can outgrow MaxBodyBytes on a large Grafana.
const settingsBodyBytes = 16 << 20

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

// Client talks to one Grafana instance's licensing API. It is safe for
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

// parseBaseURL checks Grafana's root URL and returns it without a trailing
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

func tlsConfig(o Options) (*tls.Config, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: o.InsecureSkipVerify} //nolint:gosec // the user's explicit choice
	if o.CAFile == "" {
		return conf, nil
	}
	pem, err := os.ReadFile(o.CAFile)
	if err != nil {
		return nil, fmt.Errorf("could not read the CA file %s: %w", o.CAFile, errors.Unwrap(err))
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the CA file %s holds no PEM certificate: it should contain "+
			"\"-----BEGIN CERTIFICATE-----\" blocks", o.CAFile)
	}
	conf.RootCAs = pool
	return conf, nil
}

// proxyFunc returns the explicit proxy, or one read from HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY now (net/http caches the environment for the
// process's life; reading it per client lets a changed setting apply).
func proxyFunc(raw string) (func(*http.Request) (*url.URL, error), *url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		env := httpproxy.FromEnvironment().ProxyFunc()
		return func(r *http.Request) (*url.URL, error) { return env(r.URL) }, nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, nil, fmt.Errorf("the proxy URL %s is not valid: write it like http://proxy.example.com:3128", SanitizeURL(raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, nil, fmt.Errorf("the proxy URL %s must start with http://, https:// or socks5://", SanitizeURL(raw))
	}
	return http.ProxyURL(u), u, nil
}

func collectSecrets(a Auth, proxy *url.URL) []string {
	var s []string
	add := func(v string) {
		if v != "" {
			s = append(s, v)
		}
	}
	add(a.Password)
	add(a.Token)
	if a.Username != "" || a.Password != "" {
		add(basicValue(a.Username, a.Password))
	}
	if proxy != nil && proxy.User != nil {
		p, _ := proxy.User.Password()
		add(p)
	}
	return s
}

// quietLogger keeps resty silent: its log lines could carry request details.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

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

func (c *Client) tooLarge(cl call, a *answer, limit int64) error {
	return &BadResponseError{Op: cl.op, StatusCode: a.status, ContentType: a.ctype,
		Reason: "a body over " + formatBytes(limit) + ", far more than the licensing API sends (not read)"}
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// apiError turns a non-2xx answer into an APIError with what Grafana said.
func (c *Client) apiError(cl call, a *answer) error {
	e := &APIError{Op: cl.op, StatusCode: a.status}
	if fields, err := orderedFields(a.body); err == nil {
		for _, f := range fields {
			switch f.Name {
			case "message":
				e.Message = printable(c.redact(text(f.Value)), 300)
			case "messageId":
				e.MessageID = printable(text(f.Value), 100)
			case "accessErrorId":
				e.AccessErrorID = printable(text(f.Value), 100)
			case "title":
				e.Title = printable(c.redact(text(f.Value)), 100)
			}
		}
	}
	// Redact before cutting the excerpt, so no secret survives half-cut.
	e.Body = excerpt(a.ctype, []byte(c.redact(string(a.body))))
	return e
}

// badAnswer explains a 2xx answer that is not what the endpoint returns.
func (c *Client) badAnswer(cl call, a *answer, what string) error {
	e := &BadResponseError{Op: cl.op, StatusCode: a.status, ContentType: a.ctype}
	trimmed := strings.TrimSpace(string(a.body))
	var syntax string
	if err := jsonSyntax(a.body); err != nil {
		syntax = err.Error()
	}
	switch {
	case trimmed == "":
		e.Reason = "an empty body instead of " + what
	case isHTML(a.ctype, a.body):
		e.Reason = "an HTML page, not JSON (a login page, or a proxy's page?)"
	case syntax != "" && looksLikeJSON(a.ctype, trimmed):
		e.Reason = "invalid JSON (" + syntax + ")"
	case syntax != "":
		e.Reason = "not JSON"
	default:
		e.Reason = "JSON, but not " + what
	}
	e.Excerpt = excerpt(a.ctype, []byte(c.redact(string(a.body))))
	return e
}

func looksLikeJSON(ctype, body string) bool {
	return strings.Contains(strings.ToLower(ctype), "json") || strings.HasPrefix(body, "{") || strings.HasPrefix(body, "[")
}

// networkError turns a transport failure into a NetworkError (or a
// RedirectError), keeping the caller's cancellation recognisable.
func (c *Client) networkError(ctx, actx context.Context, cl call, err error) error {
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		return &RedirectError{Op: cl.op, URL: SanitizeURL(c.url(cl.path)), Target: redirect.Target}
	}
	if ctx.Err() != nil {
		return c.contextError(ctx, cl, 1)
	}
	ne := &NetworkError{Op: cl.op, URL: SanitizeURL(c.url(cl.path))}
	inner := err
	var uerr *url.Error
	if errors.As(err, &uerr) {
		inner = uerr.Err // its URL may carry a query; ours is sanitised
	}
	if actx.Err() != nil {
		ne.Kind, ne.Err = NetTimeout, fmt.Errorf("no answer within %s", c.opts.Timeout)
		return ne
	}
	ne.Kind, ne.retry = classify(inner)
	if ne.Kind == NetOther && strings.Contains(inner.Error(), "HTTP response to HTTPS client") {
		ne.Err = errors.New("the server speaks plain HTTP: use an http:// URL")
		return ne
	}
	ne.Err = c.redactErr(inner)
	return ne
}

// contextError reports the caller's own cancellation or deadline.
func (c *Client) contextError(ctx context.Context, cl call, attempts int) error {
	kind := NetCanceled
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		kind = NetTimeout
	}
	return &NetworkError{Op: cl.op, URL: SanitizeURL(c.url(cl.path)), Kind: kind, Err: ctx.Err(), Attempts: attempts}
}

// classify names a transport failure and says whether another attempt may help.
func classify(err error) (kind NetworkKind, transient bool) {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var alert tls.AlertError
	var netErr net.Error
	switch {
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		return NetProxy, errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
	case errors.As(err, &dnsErr):
		return NetDNS, false
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid),
		errors.As(err, &verify), errors.As(err, &record), errors.As(err, &alert),
		strings.Contains(err.Error(), "tls: "), strings.Contains(err.Error(), "x509: "):
		return NetTLS, false
	case errors.Is(err, syscall.ECONNREFUSED):
		return NetRefused, true
	case errors.As(err, &netErr) && netErr.Timeout():
		return NetTimeout, false
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return NetOther, true
	}
	return NetOther, false
}

func retryable(err error) bool {
	var ne *NetworkError
	if errors.As(err, &ne) {
		return ne.retry
	}
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

func withAttempts(err error, n int) error {
	var ne *NetworkError
	var ae *APIError
	switch {
	case errors.As(err, &ne):
		ne.Attempts = n
	case errors.As(err, &ae):
		ae.Attempts = n
	}
	return err
}

// backoff is the wait before the next attempt: Retry-After when the server
// sent one, else exponential from BaseDelay with jitter; MaxDelay caps both.
func (c *Client) backoff(attempt int, a *answer) time.Duration {
	p := c.opts.Retry
	if a != nil {
		if d, ok := parseRetryAfter(a.retryAfter, time.Now()); ok {
			return min(d, p.MaxDelay)
		}
	}
	d := p.MaxDelay
	if attempt < 30 && p.BaseDelay<<(attempt-1) < p.MaxDelay {
		d = p.BaseDelay << (attempt - 1)
	}
	// Half fixed, half random, so many clients do not retry in step.
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads Retry-After as seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, 86400)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// redact removes every secret from s: a backstop, since no error text the
// client builds should carry one. A short secret inside a longer word is
// left alone, so the password "admin" does not garble "included_admins".
func (c *Client) redact(s string) string {
	for _, secret := range c.secrets {
		s = redactWord(s, secret)
	}
	return s
}

func redactWord(s, secret string) string {
	if secret == "" {
		return s
	}
	first, _ := utf8.DecodeRuneInString(secret)
	last, _ := utf8.DecodeLastRuneInString(secret)
	var b strings.Builder
	done, from := 0, 0 // s[:done] is written; search resumes at from
	for {
		j := strings.Index(s[from:], secret)
		if j < 0 {
			break
		}
		i, end := from+j, from+j+len(secret)
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[end:])
		inWord := (i > 0 && isWordRune(first) && isWordRune(before)) || (end < len(s) && isWordRune(last) && isWordRune(after))
		if len(secret) < longSecret && inWord {
			_, n := utf8.DecodeRuneInString(s[i:])
			from = i + n
			continue
		}
		b.WriteString(s[done:i])
		b.WriteString("[redacted]")
		done, from = end, end
	}
	b.WriteString(s[done:])
	return b.String()
}

// longSecret is the length from which a secret is redacted wherever it
// appears: too long to be an ordinary word by chance.
const longSecret = 8

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// redactErr keeps err when its text is clean; otherwise it replaces the
// whole chain, so no Unwrap can reach the secret.
func (c *Client) redactErr(err error) error {
	msg := err.Error()
	if clean := c.redact(msg); clean != msg {
		return errors.New(clean)
	}
	return err
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
