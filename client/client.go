package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"
)

// Client talks to one Grafana instance's licensing API. It is safe for
// concurrent use. Call Close when done with it.
type Client struct {
	opts    Options
	base    string // scheme://host[:port][/sub-path], no trailing slash
	rc      *resty.Client
	secrets []string // strings no error text may carry
	hold    *hold    // the shared transport this client uses

	// sleep, when a test sets it, takes the waits between retries in
	// place of resty, so the test sees each wait without spending it.
	sleep func(ctx context.Context, d time.Duration) error
}

// New builds a client; it fails on a bad URL, CA file, proxy or token. The
// client shares its transport, and so its connections, with every other
// client whose CA file, proxy, skip-verify and MaxConnsPerHost agree.
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
		return nil, &SettingError{Setting: "token", Problem: "the API token contains spaces or line breaks", Fix: "Paste it again"}
	}
	ts, err := settingsFor(opts)
	if err != nil {
		return nil, err
	}
	h := transports.acquire(ts)
	c := &Client{opts: opts, base: base, hold: h, secrets: collectSecrets(opts.Auth, ts.proxyURL)}
	// A client dropped without Close still gives its hold back.
	runtime.AddCleanup(c, func(h *hold) { h.release() }, h)

	// No cookie jar: a Grafana session cookie is a credential of its own.
	c.rc = resty.NewWithClient(&http.Client{Transport: h.st.t}).
		SetLogger(quietLogger{}).
		SetDebug(false).
		SetDisableWarn(true).
		// Per attempt: net/http's Client.Timeout bounds each request resty
		// sends, reading the body included.
		SetTimeout(opts.Timeout).
		SetRedirectPolicy(resty.RedirectPolicyFunc(sameOriginOnly)).
		SetResponseBodyLimit(int(opts.MaxBodyBytes)).
		SetError(grafanaError{}).
		SetRetryCount(opts.Retry.MaxAttempts-1).
		// retryWait decides every wait whole; resty's floor would shift it.
		SetRetryWaitTime(0).
		SetRetryMaxWaitTime(opts.Retry.MaxDelay).
		SetRetryAfter(c.retryWait).
		SetHeader("User-Agent", opts.UserAgent).
		SetHeader("Accept", "application/json")
	return c, nil
}

// Close releases the client's hold on its shared transport; when no client
// holds that transport any more, its idle connections are closed. The
// client still works after Close, but should be dropped.
func (c *Client) Close() { c.hold.release() }

// call describes one API request.
type call struct {
	op     Op
	method string
	path   string // below the base URL, e.g. "/api/licensing/token"
	body   any    // sent as JSON when not nil
	auth   bool
	retry  bool
	limit  int64 // body cap; 0 means Options.MaxBodyBytes
	result any   // a pointer resty decodes a 2xx JSON answer into; nil: none
}

// answer is a 2xx response whose body was read within the size cap.
type answer struct {
	status int
	ctype  string
	body   []byte
	// decodeErr is why the body did not decode into the call's result.
	decodeErr error
}

// grafanaError is the JSON of Grafana's error answers. The fields are kept
// raw, so a number where a string was expected still reads.
type grafanaError struct {
	Message       json.RawMessage `json:"message"`
	MessageID     json.RawMessage `json:"messageId"`
	AccessErrorID json.RawMessage `json:"accessErrorId"`
	Title         json.RawMessage `json:"title"`
}

func (c *Client) url(path string) string { return c.base + path }

// do runs a call through resty, retries included, and turns what came back
// into an answer or one of the client's typed errors.
func (c *Client) do(ctx context.Context, cl call) (*answer, error) {
	req := c.rc.R().
		SetContext(withRetryState(ctx)).
		// Grafana's answers are JSON whatever their Content-Type says.
		ForceContentType("application/json").
		AddRetryCondition(retryCondition(cl))
	if cl.auth {
		c.authorize(req)
	}
	if cl.body != nil {
		req.SetBody(cl.body)
	}
	if cl.limit > c.opts.MaxBodyBytes {
		req.SetResponseBodyLimit(int(min(cl.limit, maxBodyLimit)))
	}
	if cl.result != nil {
		req.SetResult(cl.result)
	}
	resp, err := req.Execute(cl.method, c.url(cl.path))
	attempts := max(req.Attempt, 1)
	if errors.Is(err, errRetryBudget) {
		err = nil // the next wait would pass MaxTotal: the last answer stands
	}
	var raw *http.Response
	if resp != nil {
		raw = resp.RawResponse
	}
	a := &answer{}
	if raw != nil {
		a.status, a.ctype, a.body = raw.StatusCode, printable(raw.Header.Get("Content-Type"), 100), resp.Body()
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, c.contextError(ctx, cl, attempts)
	case err != nil && raw != nil && errors.Is(err, resty.ErrResponseBodyTooLarge):
		return nil, c.tooLarge(cl, a, max(cl.limit, c.opts.MaxBodyBytes))
	case err != nil && raw != nil && resp.IsSuccess() && isDecodeError(err):
		a.decodeErr = err
	case err != nil:
		return nil, c.failure(ctx, cl, err, attempts)
	case !resp.IsSuccess():
		ge, _ := resp.Error().(*grafanaError)
		return nil, c.apiError(cl, a, ge, attempts)
	}
	if cl.result != nil && a.decodeErr == nil && !bytes.HasPrefix(bytes.TrimSpace(a.body), []byte("{")) {
		a.decodeErr = ErrNotJSONObject // resty takes null for an empty object
	}
	return a, nil
}

// isDecodeError tells resty's failure to decode a body into the call's
// result from a failure to read it.
func isDecodeError(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syntax) || errors.As(err, &typ)
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

// bearer is whether the client signs in with a bearer token.
func (c *Client) bearer() bool { return c.opts.Auth.Username == "" && c.opts.Auth.Token != "" }
