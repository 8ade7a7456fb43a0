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
	"time"
)

// failure turns a request that got no usable answer into the client's typed
// error: a RedirectError, a LocalError, or a NetworkError, keeping the
// caller's cancellation recognisable.
func (c *Client) failure(ctx context.Context, cl call, err error, attempts int) error {
	where := SanitizeURL(c.url(cl.path))
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		return &RedirectError{Op: cl.op, URL: where, Target: redirect.Target}
	}
	if ctx.Err() != nil {
		return c.contextError(ctx, cl, attempts)
	}
	inner := err
	var uerr *url.Error
	if errors.As(err, &uerr) {
		inner = uerr.Err // its URL may carry a query; ours is sanitised
	}
	if isLocal(inner) {
		return &LocalError{Op: cl.op, URL: where, Err: c.redactErr(inner), Attempts: attempts}
	}
	ne := &NetworkError{Op: cl.op, URL: where, Attempts: attempts}
	ne.Kind, ne.retry = classify(inner)
	switch {
	case ne.Kind == NetTimeout && errors.Is(inner, context.DeadlineExceeded):
		// The per-attempt timeout (http.Client.Timeout) ran out.
		ne.Err = fmt.Errorf("no answer within %s", c.opts.Timeout)
	case ne.Kind == NetTLS:
		ne.Cert, ne.cert = certProblem(inner, c.host(), time.Now())
		ne.Err = c.redactErr(inner)
	case ne.Kind == NetOther && strings.Contains(inner.Error(), "HTTP response to HTTPS client"):
		ne.Err = errors.New("the server speaks plain HTTP: use an http:// URL")
	default:
		ne.Err = c.redactErr(inner)
	}
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

// isLocal tells a failure of this computer (out of descriptors or ports)
// from one of the network or the instance.
func isLocal(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, syscall.EADDRNOTAVAIL)
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
	case isLocal(err):
		return NetOther, true
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

// maxCertNames bounds how many of a certificate's names the advice lists.
const maxCertNames = 4

// certProblem says why a certificate was refused, with what its advice names.
func certProblem(err error, host string, now time.Time) (CertProblem, certInfo) {
	info := certInfo{host: host}
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &hostErr):
		if cert := hostErr.Certificate; cert != nil {
			names := append([]string(nil), cert.DNSNames...)
			for _, ip := range cert.IPAddresses {
				names = append(names, ip.String())
			}
			for i, n := range names {
				if i == maxCertNames {
					info.names = append(info.names, "…")
					break
				}
				info.names = append(info.names, printable(n, 100))
			}
		}
		return CertNameMismatch, info
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired && invalid.Cert != nil:
		if now.Before(invalid.Cert.NotBefore) {
			info.at = invalid.Cert.NotBefore
			return CertNotYetValid, info
		}
		info.at = invalid.Cert.NotAfter
		return CertExpired, info
	case errors.As(err, &unknownCA), strings.Contains(err.Error(), "certificate signed by unknown authority"):
		return CertUnknownAuthority, info
	}
	return CertNone, info
}

// host is the host of the instance's URL, as the certificate should name it.
func (c *Client) host() string {
	u, err := url.Parse(c.base)
	if err != nil {
		return c.base
	}
	return u.Hostname()
}
