package contexts

import (
	"errors"
	"fmt"
	"strings"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

// keychainRef starts a gcx value that refers to gcx's own keychain entry
// instead of holding the secret: gcx moves secrets there when it can.
const keychainRef = "keychain:gcx:"

// Plan turns the files' contexts into one import plan against the
// instances configured now: an instance per context, named after it, with
// an id made from its name that no instance uses yet. A context already
// imported (an instance of its name at its address and user) is skipped; a
// context without a server is left out, and the plan says so. If any
// context would make an invalid instance, the whole plan is refused.
func Plan(existing []config.Instance, files ...*File) (*config.ImportPlan, error) {
	plan := &config.ImportPlan{Secrets: config.Secrets{}, Notes: map[string][]string{}}
	taken := append([]config.Instance(nil), existing...)
	from := map[string]string{} // planned id → the file it came from
	for _, f := range files {
		for _, c := range f.contexts {
			if left := c.leftOut(); left != "" {
				plan.Left = append(plan.Left, fmt.Sprintf("context %q of %s %s, so it is not imported", c.name, f.Path, left))
				continue
			}
			inst, secret, notes := c.instance()
			if same := sameInstance(existing, inst); same != "" {
				plan.Skipped = append(plan.Skipped, same)
				continue
			}
			if same := sameInstance(plan.Add, inst); same != "" {
				plan.Left = append(plan.Left, fmt.Sprintf("context %q of %s is the one already read from %s", c.name, f.Path, from[same]))
				continue
			}
			inst.ID = config.NewID(c.name, taken)
			if err := inst.Validate(); err != nil {
				return nil, fmt.Errorf("context %q of %s: %s", c.name, f.Path, fileProblems(err))
			}
			taken = append(taken, inst)
			from[inst.ID] = f.Path
			plan.Add = append(plan.Add, inst)
			if secret != "" {
				plan.Secrets[inst.ID] = secret
			}
			if len(notes) > 0 {
				plan.Notes[inst.ID] = notes
			}
		}
	}
	return plan, nil
}

// leftOut says why the context cannot become an instance, or "".
func (c context) leftOut() string {
	switch {
	case c.missing != "":
		return fmt.Sprintf("names the stack %q, which the file does not hold", c.missing)
	case c.grafana == nil || strings.TrimSpace(c.grafana.Server) == "":
		return "has no server"
	}
	return ""
}

// instance makes the context's instance (without an id), the secret to
// keep for it, and what the preview must say about it.
func (c context) instance() (config.Instance, string, []string) {
	g := c.grafana
	inst := config.Instance{Name: c.name, URL: strings.TrimSpace(g.Server), Auth: config.AuthBearer}
	var dropped, notes []string
	secret := g.Token
	switch {
	case g.User != "":
		// Basic auth with a Server Admin is what the licensing API wants,
		// so the user and password win over a token, unlike in the tools.
		inst.Auth, inst.Username = config.AuthBasic, g.User
		secret = g.Password
		if g.Token != "" {
			dropped = append(dropped, "token (the user and password are used)")
		}
	case g.Password != "":
		dropped = append(dropped, "password (no user goes with it)")
	}
	if g.OAuthToken != "" {
		dropped = append(dropped, "oauth-token (gcx's own sign-in)")
	}
	switch {
	case strings.HasPrefix(secret, keychainRef):
		secret = ""
		notes = append(notes, fmt.Sprintf("its %s is kept in gcx's keychain, not in the file: enter it after the import", inst.SecretWord()))
	case secret == "" && inst.Auth == config.AuthBasic:
		notes = append(notes, "the file holds no password for it: enter it after the import")
	case secret == "" && g.Token == "" && g.User == "":
		notes = append(notes, "the file holds no user or token for it")
	}
	if inst.Auth == config.AuthBearer {
		notes = append(notes, client.BearerNote)
	}
	if t := g.TLS; t != nil {
		inst.InsecureSkipVerify = t.Insecure
		inst.CAFile = t.CAFile
		dropped = append(dropped, t.unsupported()...)
	}
	inst.InsecureSkipVerify = inst.InsecureSkipVerify || g.InsecureSkipTLSVerify
	if len(dropped) > 0 {
		note := "not carried over, as Licensedesk has no such setting: " + strings.Join(dropped, ", ")
		if g.TLS != nil && g.TLS.CAData != "" {
			note += "; keep the CA certificate in a PEM file and set it as the instance's CA file"
		}
		notes = append(notes, note)
	}
	return inst, secret, notes
}

// unsupported names the TLS settings that are set and that an instance
// cannot hold: inline certificates, a client certificate (Licensedesk
// signs in with a password or token), SNI and ALPN overrides.
func (t *tlsYAML) unsupported() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"tls.ca-data", t.CAData != ""},
		{"tls.cert-file", t.CertFile != ""},
		{"tls.key-file", t.KeyFile != ""},
		{"tls.cert-data", t.CertData != ""},
		{"tls.key-data", t.KeyData != ""},
		{"tls.server-name", t.ServerName != ""},
		{"tls.next-protos", len(t.NextProtos) > 0},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// sameInstance is the id of the instance in list that inst repeats (the
// same name, address and user), or "".
func sameInstance(list []config.Instance, inst config.Instance) string {
	for _, other := range list {
		if other.Name == inst.Name && other.Username == inst.Username && config.Origin(other.URL) == config.Origin(inst.URL) {
			return other.ID
		}
	}
	return ""
}

// fileFields names an instance's fields as the tools' files spell them.
var fileFields = map[string]string{
	"name":     "the context's name",
	"url":      "grafana.server",
	"username": "grafana.user",
	"ca_file":  "tls.ca-file",
}

// fileProblems words a validation error in the file's own field names.
func fileProblems(err error) string {
	var verr *config.ValidationError
	if !errors.As(err, &verr) {
		return err.Error()
	}
	parts := make([]string, len(verr.Problems))
	for i, p := range verr.Problems {
		field := fileFields[p.Field]
		if field == "" {
			field = p.Field
		}
		parts[i] = field + " " + p.Problem
	}
	return strings.Join(parts, "; ")
}
