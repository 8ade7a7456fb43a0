package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"
)

// tooLarge explains an answer refused for its size.
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

// apiError turns a non-2xx answer into an APIError with what Grafana said;
// ge is its body as resty decoded it (nil or empty when it was not JSON).
func (c *Client) apiError(cl call, a *answer, ge *grafanaError, attempts int) error {
	e := &APIError{Op: cl.op, StatusCode: a.status, Attempts: attempts, Bearer: cl.auth && c.bearer()}
	if ge != nil {
		e.Message = printable(c.redact(text(ge.Message)), 300)
		e.MessageID = printable(text(ge.MessageID), 100)
		e.AccessErrorID = printable(text(ge.AccessErrorID), 100)
		e.Title = printable(c.redact(text(ge.Title)), 100)
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

// printable makes s safe to show on one line: valid UTF-8, no control
// characters, runs of space collapsed, at most n runes.
func printable(s string, n int) string {
	s = strings.ToValidUTF8(s, "�")
	var b strings.Builder
	space, count := false, 0
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			count++
		}
		space = false
		if count >= n {
			return b.String() + "…"
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}

var (
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlNoise = regexp.MustCompile(`(?is)<(script|style)[^>]*>.*?</(script|style)>|<!--.*?-->|<[^>]*>`)
)

// isHTML tells an HTML page (a login page, a proxy's error page) by its
// content type or its first bytes.
func isHTML(ctype string, body []byte) bool {
	if strings.Contains(strings.ToLower(ctype), "html") {
		return true
	}
	head := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 512)])))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.Contains(head, "<head") || strings.Contains(head, "<body")
}

// excerpt is a short, printable sample of a body: an HTML page's title, or
// its visible text, else the start of the body.
func excerpt(ctype string, body []byte) string {
	const n = 200
	if len(body) == 0 {
		return ""
	}
	if isHTML(ctype, body) {
		if m := htmlTitle.FindSubmatch(body); m != nil {
			if t := printable(html.UnescapeString(string(m[1])), n); t != "" {
				return "title: " + t
			}
		}
		return printable(html.UnescapeString(htmlNoise.ReplaceAllString(string(body), " ")), n)
	}
	return printable(string(body[:min(len(body), 4*n)]), n)
}

// jsonSyntax returns the syntax error of data, if any, in words that name
// where it is.
func jsonSyntax(data []byte) error {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v, at byte %d", se, se.Offset)
	}
	return err
}
