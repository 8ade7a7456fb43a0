// Package contexts reads the config files of Grafana's command-line tools,
// grafanactl and gcx, whose contexts name the Grafana instances an
// administrator already works with, and turns them into an import plan:
// one instance per context, its password or token carried to the keyring.
package contexts

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxFileBytes bounds a config file read: one with hundreds of contexts,
// CA certificates inline, is far smaller.
const maxFileBytes = 4 << 20

// File is one tool's config file, read: its contexts, the current one first.
type File struct {
	Path     string
	contexts []context
}

// context is one context of a file, the Grafana connection it names.
type context struct {
	name    string
	current bool
	grafana *grafanaYAML // nil when the context names no Grafana
	missing string       // the stack a gcx context names that the file lacks
}

// fileYAML is both tools' format: grafanactl's (and gcx's before its
// version 1), where each context holds its grafana block, and gcx's
// version 1, where contexts name an entry of stacks. Fields Licensedesk has
// no use for (org-id, providers, datasources, cloud) are ignored.
type fileYAML struct {
	Version        int                     `yaml:"version"`
	CurrentContext string                  `yaml:"current-context"`
	Contexts       map[string]*contextYAML `yaml:"contexts"`
	Stacks         map[string]*stackYAML   `yaml:"stacks"`
}

type contextYAML struct {
	Grafana *grafanaYAML `yaml:"grafana"`
	Stack   string       `yaml:"stack"`
}

type stackYAML struct {
	Grafana *grafanaYAML `yaml:"grafana"`
}

type grafanaYAML struct {
	Server     string `yaml:"server"`
	User       string `yaml:"user"`
	Password   string `yaml:"password"`
	Token      string `yaml:"token"`
	OAuthToken string `yaml:"oauth-token"`
	// InsecureSkipTLSVerify is grafanactl's setting from before its tls block.
	InsecureSkipTLSVerify bool     `yaml:"insecure-skip-tls-verify"`
	TLS                   *tlsYAML `yaml:"tls"`
}

// tlsYAML holds the certificate data as the file has it (base64): only
// whether it is there matters, as none of it is carried over.
type tlsYAML struct {
	Insecure   bool     `yaml:"insecure-skip-verify"`
	CAFile     string   `yaml:"ca-file"`
	CAData     string   `yaml:"ca-data"`
	CertFile   string   `yaml:"cert-file"`
	KeyFile    string   `yaml:"key-file"`
	CertData   string   `yaml:"cert-data"`
	KeyData    string   `yaml:"key-data"`
	ServerName string   `yaml:"server-name"`
	NextProtos []string `yaml:"next-protos"`
}

// ReadFile reads a tool's config file; a missing one gives an error that
// errors.Is(err, fs.ErrNotExist) recognises and that names the path.
func ReadFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a config file's contexts from r; path names it in errors. A
// file that is not such a config (bad YAML, no contexts, too big) is an
// error that never quotes the file's values, which may be secrets.
func Read(r io.Reader, path string) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("could not read %s: %w", path, err)
	}
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s is over %d MiB: it is not a grafanactl or gcx config file", path, maxFileBytes>>20)
	}
	var y fileYAML
	if err := yaml.Unmarshal(data, &y); err != nil {
		return nil, fmt.Errorf("%s is not a grafanactl or gcx config file (%s)", path, yamlProblem(err))
	}
	if y.Version > 1 {
		return nil, fmt.Errorf("%s has version %d, newer than Licensedesk understands (1)", path, y.Version)
	}
	if len(y.Contexts) == 0 {
		return nil, fmt.Errorf("%s holds no contexts: it is not a grafanactl or gcx config file, or no context is set up yet", path)
	}
	f := &File{Path: path}
	for name, cy := range y.Contexts {
		c := context{name: name, current: name == y.CurrentContext}
		switch {
		case cy == nil:
		case cy.Grafana != nil:
			c.grafana = cy.Grafana
		case cy.Stack != "":
			if st := y.Stacks[cy.Stack]; st != nil {
				c.grafana = st.Grafana
			} else {
				c.missing = cy.Stack
			}
		}
		f.contexts = append(f.contexts, c)
	}
	// The current context first, as the tool itself would use it; then by name.
	sort.Slice(f.contexts, func(i, j int) bool {
		a, b := f.contexts[i], f.contexts[j]
		if a.current != b.current {
			return a.current
		}
		return a.name < b.name
	})
	return f, nil
}

// quoted matches what a YAML error quotes from the file: a `value`, or an
// 'anchor' name; a single quoted character (',' or ']') is the syntax's own.
var quoted = regexp.MustCompile("`[^`]*`|'[^']{2,}'")

// typeMismatch is a decoding error's gist, without Go's type names.
var typeMismatch = regexp.MustCompile(`^(line \d+): cannot unmarshal (!!\w+).*$`)

// yamlProblem words a YAML error without any value from the file.
func yamlProblem(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		first := quoted.ReplaceAllString(te.Errors[0], "…")
		return typeMismatch.ReplaceAllString(first, "$1: a $2 where the format has something else")
	}
	return strings.TrimPrefix(quoted.ReplaceAllString(err.Error(), "…"), "yaml: ")
}
