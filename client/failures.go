package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

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
