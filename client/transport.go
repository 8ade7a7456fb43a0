package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

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
