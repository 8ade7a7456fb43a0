package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

const instancesSynopsis = "licensedesk instances list|add|set-secret ID|remove ID|import FILE|import --from grafanactl|gcx [FILE]|export"

func (c *cli) instances(args []string) int {
	if len(args) == 0 {
		return c.usageError(errors.New("instances needs a subcommand: list, add, set-secret, remove, import or export"), exitUsage)
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "list", "ls":
		return c.instancesList(rest)
	case "add":
		return c.instancesAdd(rest)
	case "set-secret":
		return c.instancesSetSecret(rest)
	case "remove", "rm":
		return c.instancesRemove(rest)
	case "import":
		return c.instancesImport(rest)
	case "export":
		return c.instancesExport(rest)
	case "-h", "--help", "help":
		printTerm(c.Stdout, "Usage: %s\n", instancesSynopsis)
		return exitOK
	}
	return c.usageError(fmt.Errorf("unknown instances subcommand %q: use list, add, set-secret, remove, import or export", sub), exitUsage)
}

// openStore builds the service for an instances subcommand and reports a
// load warning; the list may still be usable.
func (c *cli) openStore() (*app.Service, int) {
	svc, code := c.service(nil)
	if svc == nil {
		return nil, code
	}
	if w := svc.LoadWarning(); w != "" {
		c.errorf("%s", w)
	}
	return svc, 0
}

func (c *cli) instancesList(args []string) int {
	fs := c.flags("instances list")
	format := fs.String("format", "text", "output format: text or json (json is the export format)")
	if _, code, ok := c.parseVerb(fs, args, "licensedesk instances list [--format text|json]", 0, exitUsage); !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		return c.usageError(fmt.Errorf("unknown format %q: use text or json", *format), exitUsage)
	}
	svc, code := c.openStore()
	if svc == nil {
		return code
	}
	if *format == "json" {
		if err := svc.ExportInstances(c.Stdout); err != nil {
			c.errorf("could not write the list: %v", err)
			return exitFailed
		}
		return exitOK
	}
	list := svc.Instances()
	if len(list) == 0 {
		printTerm(c.Stdout, "No instances are configured (%s). Add one with: licensedesk instances add --name NAME --url URL --username USER --secret-stdin\n", c.configPath)
		return exitOK
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tURL\tAUTH\tSECRET\tTLS")
	for _, inst := range list {
		printTerm(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", inst.ID, words.OneLine(inst.Name), client.SanitizeURL(inst.URL), authText(inst), secretSource(inst), inst.TLS())
	}
	if err := tw.Flush(); err != nil {
		c.errorf("could not write the list: %v", err)
		return exitFailed
	}
	return exitOK
}

func authText(inst app.Instance) string {
	if inst.Auth == app.AuthBasic && inst.Username != "" {
		return fmt.Sprintf("basic (%s)", inst.Username)
	}
	return inst.Auth
}

// secretSource says where the secret comes from without reading it, so
// listing never unlocks the keyring.
func secretSource(inst app.Instance) string {
	switch {
	case inst.Auth == app.AuthBearer && inst.TokenEnv != "":
		return "$" + inst.TokenEnv
	case inst.Auth == app.AuthBasic && inst.PasswordEnv != "":
		return "$" + inst.PasswordEnv
	}
	return "keyring"
}

func (c *cli) instancesAdd(args []string) int {
	fs := c.flags("instances add")
	var inst app.Instance
	fs.StringVar(&inst.Name, "name", "", "display `name`, e.g. \"Prod EU\" (required)")
	fs.StringVar(&inst.URL, "url", "", "Grafana's root `URL` (required)")
	fs.StringVar(&inst.Auth, "auth", "", "basic or bearer (default: bearer with --token-env, else basic)")
	fs.StringVar(&inst.Username, "username", "", "Grafana Server Admin `user` for basic auth")
	fs.StringVar(&inst.ID, "id", "", "instance `id` (default: made from the name)")
	fs.StringVar(&inst.TokenEnv, "token-env", "", "environment `variable` holding the bearer token")
	fs.StringVar(&inst.PasswordEnv, "password-env", "", "environment `variable` holding the password")
	fs.StringVar(&inst.CAFile, "ca-file", "", "PEM `file` of a private CA to trust")
	fs.BoolVar(&inst.InsecureSkipVerify, "insecure-skip-verify", false, "do not verify the TLS certificate (unsafe)")
	fs.StringVar(&inst.Proxy, "proxy", "", "proxy `URL` (default: HTTPS_PROXY)")
	timeout := fs.String("timeout", "", "per-request `timeout`, in seconds or as a duration like 30s (default 15s)")
	secretStdin := fs.Bool("secret-stdin", false, "read the password or token from stdin and keep it in the system keyring")
	const synopsis = "licensedesk instances add --name NAME --url URL [--username USER] [--secret-stdin] [flags]"
	if _, code, ok := c.parseVerb(fs, args, synopsis, 0, exitUsage); !ok {
		return code
	}
	if err := completeInstance(&inst, *timeout); err != nil {
		return c.usageError(err, exitUsage)
	}
	svc, code := c.openStore()
	if svc == nil {
		return code
	}
	secret, err := c.checkNewInstance(svc, &inst, *secretStdin)
	if err != nil {
		c.errorf("the instance was not added: %v", err)
		return exitFailed
	}
	if err := svc.AddInstance(inst, secret); err != nil {
		c.errorf("%v", err)
		if errors.Is(err, vault.ErrKeyringUnavailable) {
			c.errorf("Nothing was added. To go on without a keyring, either name an environment variable that holds the %s "+
				"(--%s-env %s…), or add the instance without --secret-stdin and enter the %s in the window, which can keep it for this session only.",
				inst.SecretWord(), inst.SecretWord(), config.EnvPrefix, inst.SecretWord())
		}
		return exitFailed
	}
	printTerm(c.Stdout, "Added instance %s (%s).\n", inst.ID, inst.Name)
	c.warnConnection(inst)
	if secret == "" && secretSource(inst) == "keyring" {
		printTerm(c.Stderr, "Note: no secret is stored for %s yet; add one with --secret-stdin, or name a variable with --password-env or --token-env.\n", inst.ID)
	}
	return exitOK
}

// completeInstance fills in what the add flags left to defaults.
func completeInstance(inst *app.Instance, timeout string) error {
	if inst.Auth == "" {
		inst.Auth = app.AuthBasic
		if inst.TokenEnv != "" && inst.Username == "" {
			inst.Auth = app.AuthBearer
		}
	}
	if timeout != "" {
		secs, err := parseSeconds(timeout)
		if err != nil {
			return fmt.Errorf("--timeout: %v", err)
		}
		inst.TimeoutSeconds = secs
	}
	return nil
}

// checkNewInstance gives inst an id, validates it and, with fromStdin,
// reads its secret, which only happens once the rest is known to be good.
func (c *cli) checkNewInstance(svc *app.Service, inst *app.Instance, fromStdin bool) (string, error) {
	if inst.ID == "" && strings.TrimSpace(inst.Name) != "" {
		inst.ID = config.NewID(inst.Name, svc.Instances())
	}
	if err := inst.Validate(); err != nil {
		return "", err
	}
	if !fromStdin {
		return "", nil
	}
	return c.readSecret(*inst)
}

// parseSeconds reads "30" or "30s" or "1m" as whole seconds.
func parseSeconds(v string) (int, error) {
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, errors.New("must not be negative")
		}
		return n, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a number of seconds nor a duration like 30s", v)
	}
	if d < 0 {
		return 0, errors.New("must not be negative")
	}
	secs := int((d + time.Second - 1) / time.Second)
	return secs, nil
}

// maxSecretBytes bounds what --secret-stdin reads.
const maxSecretBytes = 64 << 10

// readSecret reads the secret from stdin: its first line, so `echo`, a
// password manager's pipe and a typed answer all work. On a terminal it asks.
func (c *cli) readSecret(inst app.Instance) (string, error) {
	what := "password"
	if inst.Auth == app.AuthBearer {
		what = "token"
	}
	if c.StdinIsTerminal {
		printTerm(c.Stderr, "The %s for %s: ", what, inst.Name)
		if f, ok := c.Stdin.(*os.File); ok {
			s, err := readHidden(f)
			fmt.Fprintln(c.Stderr)
			if err == nil {
				return checkSecret(s, what)
			}
			if !errors.Is(err, errNoHiddenInput) {
				return "", err
			}
		}
	}
	line, err := bufio.NewReader(io.LimitReader(c.Stdin, maxSecretBytes)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("cannot read the %s from stdin: %w", what, err)
	}
	return checkSecret(line, what)
}

func checkSecret(line, what string) (string, error) {
	s := strings.TrimRight(line, "\r\n")
	if s == "" {
		return "", fmt.Errorf("--secret-stdin was given but stdin held no %s", what)
	}
	return s, nil
}

// instanceArg parses an instances subcommand that names one instance, opens
// the store and finds it; a nil service means return code at once.
func (c *cli) instanceArg(fs *flag.FlagSet, args []string, synopsis string) (*app.Service, app.Instance, int) {
	rest, code, ok := c.parseVerb(fs, args, synopsis, 1, exitUsage)
	if !ok {
		return nil, app.Instance{}, code
	}
	svc, code := c.openStore()
	if svc == nil {
		return nil, app.Instance{}, code
	}
	inst, ok := c.knownInstance(svc, rest[0])
	if !ok {
		return nil, app.Instance{}, exitFailed
	}
	return svc, inst, 0
}

func (c *cli) instancesSetSecret(args []string) int {
	fs := c.flags("instances set-secret")
	fs.Bool("secret-stdin", true, "read the password or token from stdin (the default, and the only way: never from an argument)")
	svc, inst, code := c.instanceArg(fs, args, "licensedesk instances set-secret ID [--secret-stdin]")
	if svc == nil {
		return code
	}
	secret, err := c.readSecret(inst)
	if err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	if err := svc.SetSecret(inst.ID, secret); err != nil {
		c.errorf("the %s of %s was not stored: %v", inst.SecretWord(), inst.ID, err)
		return exitFailed
	}
	printTerm(c.Stdout, "Stored the %s of %s for %s.\n", inst.SecretWord(), inst.ID, vault.KeyFor(inst).Address())
	return exitOK
}

func (c *cli) instancesRemove(args []string) int {
	svc, inst, code := c.instanceArg(c.flags("instances remove"), args, "licensedesk instances remove ID")
	if svc == nil {
		return code
	}
	if err := svc.RemoveInstance(inst.ID); err != nil {
		c.errorf("%v", err)
		if _, still := svc.Instance(inst.ID); still {
			return exitFailed
		}
		// Removed from the list; only the keyring entry stayed behind.
	}
	printTerm(c.Stdout, "Removed instance %s (%s).\n", inst.ID, inst.Name)
	return exitOK
}

// importSynopsis is instances import's usage line, for both sources.
const importSynopsis = "licensedesk instances import FILE   (- reads stdin)\n" +
	"       licensedesk instances import --from grafanactl|gcx [FILE]   (FILE defaults to the tool's own config file)"

func (c *cli) instancesImport(args []string) int {
	fs := c.flags("instances import")
	from := fs.String("from", "", "import the contexts of a Grafana command-line `tool`'s config file: grafanactl or gcx")
	rest, code, ok := c.parseVerb(fs, args, importSynopsis, -1, exitUsage)
	if !ok {
		return code
	}
	if len(rest) > 1 {
		c.verbUsageError(fs, importSynopsis, fmt.Errorf("unexpected argument %q", rest[1]))
		return exitUsage
	}
	if *from != "" {
		return c.importContexts(fs, *from, rest)
	}
	if len(rest) == 0 {
		c.verbUsageError(fs, importSynopsis, errors.New("missing argument: the exported list to import, or --from grafanactl|gcx"))
		return exitUsage
	}
	svc, code := c.openStore()
	if svc == nil {
		return code
	}
	var r io.Reader = c.Stdin
	if rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			c.errorf("cannot read the list to import: %v", err)
			return exitFailed
		}
		defer f.Close()
		r = f
	}
	plan, err := svc.ReadImport(r)
	if err != nil {
		c.errorf("nothing was imported: %v", err)
		return exitFailed
	}
	n, code := c.applyImport(svc, plan, rest[0] != "-")
	if n > 0 {
		fmt.Fprintln(c.Stderr, "Note: an exported list holds no secrets; give each imported instance its own with the window, or name variables with token_env / password_env.")
	}
	return code
}

// applyImport shows the plan, asks a person at a terminal (unless the plan
// came on stdin, which then holds no answer) and applies it, all or nothing.
// It returns how many instances were added and the exit code.
func (c *cli) applyImport(svc *app.Service, plan *app.ImportPlan, ask bool) (int, int) {
	c.showImportPlan(plan)
	if len(plan.Add) > 0 && c.StdinIsTerminal && ask && !c.confirm(fmt.Sprintf("Import %d instance(s)?", len(plan.Add))) {
		c.errorf("nothing was imported")
		return 0, exitFailed
	}
	n, err := svc.ApplyImport(plan)
	if err != nil {
		c.errorf("nothing was imported: %v", err)
		return 0, exitFailed
	}
	printTerm(c.Stdout, "Imported %d instance(s); %d configured now.\n", n, len(svc.Instances()))
	return n, exitOK
}

// showImportPlan lists, before anything is written, each instance an import
// adds with every setting that decides where its secret goes and what the
// source held that it cannot carry, then what the import leaves alone.
func (c *cli) showImportPlan(plan *app.ImportPlan) {
	for _, inst := range plan.Add {
		printTerm(c.Stderr, "  + %s (%s): %s\n", inst.ID, words.OneLine(inst.Name), inst.SecretRoute())
		for _, note := range plan.Notes[inst.ID] {
			printTerm(c.Stderr, "      %s\n", note)
		}
	}
	for _, id := range plan.Skipped {
		printTerm(c.Stderr, "  = %s: already configured, skipped\n", id)
	}
	for _, left := range plan.Left {
		printTerm(c.Stderr, "  - %s\n", left)
	}
	if note := plan.SecretsNote(); note != "" && len(plan.Add) > 0 {
		printTerm(c.Stderr, "%s\n", note)
	}
}

func (c *cli) instancesExport(args []string) int {
	fs := c.flags("instances export")
	if _, code, ok := c.parseVerb(fs, args, "licensedesk instances export   (writes the list, without secrets, to stdout)", 0, exitUsage); !ok {
		return code
	}
	svc, code := c.openStore()
	if svc == nil {
		return code
	}
	if err := svc.ExportInstances(c.Stdout); err != nil {
		c.errorf("could not write the list: %v", err)
		return exitFailed
	}
	return exitOK
}
