package client

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// collectSecrets lists the strings no error text may carry: the password,
// the token, the Basic header's value and the proxy's password.
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

// basicValue is the Authorization value HTTP Basic sends, itself a secret.
func basicValue(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}
