package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/licensedesk/licensedesk/internal/words"
)

// DefaultTimeoutSeconds applies when an instance's timeout_seconds is 0.
const DefaultTimeoutSeconds = 15

// EnvPrefix starts the name of every environment variable Licensedesk reads
// a secret from: an instance file from elsewhere must not be able to send
// another program's secret (AWS_SECRET_ACCESS_KEY, say) to its URL.
const EnvPrefix = "LICENSEDESK_"

// Limits that keep a hand-edited instances.json sane.
const (
	maxIDLength       = 64
	maxTimeoutSeconds = 600
	maxNameLength     = 100  // characters: a name fits a list row
	maxUsernameLength = 256  // characters
	maxURLLength      = 2048 // bytes, as browsers and proxies accept
	maxPathLength     = 4096 // bytes, PATH_MAX
)

// textProblem catches what no typed name, username or path holds: control
// characters (a line break, an escape code) and text too long to be meant.
func textProblem(s string, max int, count func(string) int) string {
	switch {
	case words.HasControl(s):
		return "must not hold control characters (line breaks, tabs, escape codes)"
	case count(s) > max:
		return fmt.Sprintf("is longer than %d characters", max)
	}
	return ""
}

func bytesLen(s string) int { return len(s) }

// FieldError is one problem with one field of one instance, worded so that
// the add form can show it beside the field and the command line can print it.
type FieldError struct {
	InstanceID string // the instance's id; "" when the id itself is missing
	Position   int    // 1-based place in the list; 0 when not validated as part of a list
	Field      string // the JSON name of the field, e.g. "url"
	Problem    string // what is wrong and what to do, never the field's value
}

// Error reads like `instance "prod-eu": url: must start with http:// or https://`.
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.instance(), e.Field, e.Problem)
}

func (e *FieldError) instance() string {
	switch {
	case e.InstanceID != "":
		return strconv.Quote(e.InstanceID)
	case e.Position > 0:
		return fmt.Sprintf("instance #%d (no id)", e.Position)
	}
	return "new instance"
}

// ValidationError gathers every FieldError of an instance or an instance
// list; errors.As finds each *FieldError through it.
type ValidationError struct {
	Path     string // the file the instances came from; "" for a form
	Problems []*FieldError
}

// Error lists every problem, prefixed by the file when there is one.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	msg := strings.Join(parts, "; ")
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	return msg
}

// Unwrap returns the problems so errors.As reaches each *FieldError.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Field returns the first problem with the named field, or nil; forms use it
// to put the message beside the right entry.
func (e *ValidationError) Field(name string) *FieldError {
	for _, p := range e.Problems {
		if p.Field == name {
			return p
		}
	}
	return nil
}

// Validate checks one instance on its own, as the add and edit forms need;
// it returns nil or a *ValidationError naming every bad field.
func (inst Instance) Validate() error {
	if probs := inst.problems(0); len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	return nil
}

// ValidateInstances checks every instance and that ids are unique; it returns
// nil or a *ValidationError naming each instance and field at fault.
func ValidateInstances(list []Instance) error {
	var probs []*FieldError
	seen := make(map[string]bool, len(list))
	for i, inst := range list {
		probs = append(probs, inst.problems(i+1)...)
		if inst.ID == "" {
			continue
		}
		if seen[inst.ID] {
			probs = append(probs, &FieldError{InstanceID: inst.ID, Position: i + 1, Field: "id",
				Problem: "is used by an earlier instance too; every id must be unique"})
		}
		seen[inst.ID] = true
	}
	if len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	return nil
}

// problems lists what is wrong with inst; pos is its 1-based place in a list, or 0.
func (inst Instance) problems(pos int) []*FieldError {
	var probs []*FieldError
	add := func(field, problem string) {
		probs = append(probs, &FieldError{InstanceID: inst.ID, Position: pos, Field: field, Problem: problem})
	}
	if p := idProblem(inst.ID); p != "" {
		add("id", p)
	}
	if strings.TrimSpace(inst.Name) == "" {
		add("name", "is required")
	} else if p := textProblem(inst.Name, maxNameLength, utf8.RuneCountInString); p != "" {
		add("name", p)
	}
	if p := urlProblem(inst.URL); p != "" {
		add("url", p)
	}
	switch inst.Auth {
	case AuthBasic:
		if strings.TrimSpace(inst.Username) == "" {
			add("username", "is required for basic auth (a Grafana Server Admin user)")
		}
	case AuthBearer:
	default:
		add("auth", `must be "basic" or "bearer"`)
	}
	if p := textProblem(inst.Username, maxUsernameLength, utf8.RuneCountInString); p != "" {
		add("username", p)
	}
	if p := textProblem(inst.CAFile, maxPathLength, bytesLen); p != "" {
		add("ca_file", p)
	}
	if p := envNameProblem(inst.PasswordEnv); p != "" {
		add("password_env", p)
	}
	if p := envNameProblem(inst.TokenEnv); p != "" {
		add("token_env", p)
	}
	if inst.TimeoutSeconds < 0 || inst.TimeoutSeconds > maxTimeoutSeconds {
		add("timeout_seconds", fmt.Sprintf("must be between 0 (the default, %d) and %d seconds", DefaultTimeoutSeconds, maxTimeoutSeconds))
	}
	if p := proxyProblem(inst.Proxy); p != "" {
		add("proxy", p)
	}
	return probs
}

func idProblem(id string) string {
	switch {
	case id == "":
		return "is required"
	case len(id) > maxIDLength:
		return fmt.Sprintf("is longer than %d characters", maxIDLength)
	}
	for _, r := range id {
		if !isIDRune(r) {
			return "may hold only lower-case letters, digits, '-', '_' and '.'"
		}
	}
	return ""
}

func isIDRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}

// URLProblem says what is wrong with an instance's URL, or "": one rule for
// the add form, import, a hand-edited file and delete's root URL. It never
// quotes the URL, which may carry a password.
func URLProblem(raw string) string { return urlProblem(raw) }

// addScheme tells how to fix a URL typed without its scheme.
const addScheme = "add https:// (or http://) before the host name, e.g. https://grafana.example.com/"

// urlProblem never quotes the URL: a pasted one may carry a password.
func urlProblem(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return "is required"
	}
	if p := textProblem(raw, maxURLLength, bytesLen); p != "" {
		return p
	}
	// "grafana.example.com" or "10.0.0.5:3000" typed without a scheme is
	// the usual slip: say what to add.
	noScheme := !strings.Contains(raw, "://")
	u, err := url.Parse(raw)
	switch {
	case err != nil && noScheme:
		return "is not a valid URL: " + addScheme
	case err != nil:
		return "is not a valid URL"
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https" && noScheme:
		return "has no https:// or http:// in front: " + addScheme
	case u.Scheme != "http" && u.Scheme != "https":
		return "must start with http:// or https://"
	case u.Host == "" || u.Hostname() == "":
		return "has no host name"
	case u.User != nil:
		return "must not hold a user name or password; set them in the auth fields instead"
	case u.RawQuery != "" || u.Fragment != "":
		return "must be Grafana's root URL, without ?… or #…"
	}
	return ""
}

// CheckRootURL checks the root_url a delete sends the way an instance's URL
// is checked (scheme, host, no credentials, no query or fragment). Its error
// never quotes the URL, which may hold a password.
func CheckRootURL(raw string) error {
	if p := urlProblem(raw); p != "" {
		return fmt.Errorf("the root URL %s", p)
	}
	return nil
}

func proxyProblem(raw string) string {
	if raw == "" {
		return ""
	}
	if p := textProblem(raw, maxURLLength, bytesLen); p != "" {
		return p
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a valid URL"
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5" && u.Scheme != "socks5h":
		return "must start with http://, https:// or socks5://"
	case u.Hostname() == "":
		return "has no host name"
	case u.User != nil:
		// instances.json never holds a secret: an authenticating proxy is set in the environment.
		return "must not hold a user name or password (it would be saved in instances.json): leave it empty and set HTTPS_PROXY in the environment instead"
	}
	return ""
}

// envNameProblem catches a secret pasted where a variable's name belongs.
func envNameProblem(name string) string {
	if name == "" {
		return ""
	}
	// A service account token (glsa_…) or an API key (eyJ…) can be spelled
	// with letters, digits and '_' alone, like a variable's name.
	if strings.HasPrefix(name, "glsa_") || strings.HasPrefix(name, "eyJ") {
		return "holds a Grafana token, not the name of an environment variable: put the token in a variable and give its name here"
	}
	for i, r := range name {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return "must be the name of an environment variable (letters, digits and '_'), not its value"
		}
	}
	if !strings.HasPrefix(name, EnvPrefix) {
		return "must start with " + EnvPrefix + ": only such variables are read for a secret, so that an instance file cannot send another program's secret to its URL"
	}
	return ""
}

// NewID derives a unique id from a display name: "Prod EU" becomes "prod-eu",
// or "prod-eu-2" (then -3, …) when an instance in taken already uses it.
func NewID(name string, taken []Instance) string {
	base := slug(name)
	used := make(map[string]bool, len(taken))
	for _, inst := range taken {
		used[inst.ID] = true
	}
	if !used[base] {
		return base
	}
	for n := 2; ; n++ {
		suffix := "-" + strconv.Itoa(n)
		id := base
		if len(id)+len(suffix) > maxIDLength {
			id = strings.TrimRight(id[:maxIDLength-len(suffix)], "-_.")
		}
		id += suffix
		if !used[id] {
			return id
		}
	}
}

// slug keeps letters and digits (folding case and common accents away),
// turns every other run into one '-', and never returns "".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range accentFold.Replace(strings.ToLower(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	s := b.String()
	if len(s) > maxIDLength {
		s = strings.TrimRight(s[:maxIDLength], "-")
	}
	if s == "" {
		return "instance"
	}
	return s
}

// accentFold turns common accented letters into their plain ASCII base, so
// "Zürich" becomes "zurich" rather than "z-rich".
var accentFold = func() *strings.Replacer {
	from, to := []rune("àáâãäåçèéêëìíîïñòóôõöøùúûüýÿ"), "aaaaaaceeeeiiiinoooooouuuuyy"
	pairs := make([]string, 0, 2*len(from))
	for i, r := range from {
		pairs = append(pairs, string(r), to[i:i+1])
	}
	return strings.NewReplacer(pairs...)
}()
