package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"

	"github.com/licensedesk/licensedesk/app/contexts"
)

// importContexts imports the contexts of grafanactl's or gcx's config file
// (its own default one without FILE): one instance per context, its
// password or token moved into the keyring, never into instances.json.
func (c *cli) importContexts(flags *flag.FlagSet, from string, rest []string) int {
	tool, err := contexts.ParseTool(from)
	if err != nil {
		c.verbUsageError(flags, importSynopsis, fmt.Errorf("--from: %v", err))
		return exitUsage
	}
	var file *contexts.File
	switch {
	case len(rest) == 1 && rest[0] == "-":
		file, err = contexts.Read(c.Stdin, "stdin")
	case len(rest) == 1:
		file, err = contexts.ReadFile(rest[0])
	default:
		path, perr := contexts.DefaultPath(tool, c.Getenv)
		if perr != nil {
			c.errorf("%v", perr)
			return exitFailed
		}
		if file, err = contexts.ReadFile(path); errors.Is(err, fs.ErrNotExist) {
			c.errorf("nothing was imported: %s has no config file at %s; name the file: licensedesk instances import --from %s FILE", tool, path, tool)
			return exitFailed
		}
	}
	if err != nil {
		c.errorf("nothing was imported: %v", err)
		return exitFailed
	}
	svc, code := c.openStore()
	if svc == nil {
		return code
	}
	plan, err := contexts.Plan(svc.Instances(), file)
	if err != nil {
		c.errorf("nothing was imported: %v", err)
		return exitFailed
	}
	n, code := c.applyImport(svc, plan, len(rest) == 0 || rest[0] != "-")
	if n > len(plan.Secrets) {
		fmt.Fprintln(c.Stderr, "Note: give each imported instance without a secret its own with: licensedesk instances set-secret ID")
	}
	return code
}
