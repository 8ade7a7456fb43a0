// Package cli is Licensedesk's command line: check (text, JSON, Prometheus),
// renew, upload, delete and instances, a front-end beside the window over the
// same service. Verbs that live above it (serve) plug in through Env.Verbs.
package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
)

// Env is the world a command-line run sees, so tests can drive Main with
// their own streams, variables, keyring and clock.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StdinIsTerminal says whether a person can answer a question on Stdin.
	StdinIsTerminal bool
	// Getenv reads environment variables; default os.Getenv.
	Getenv func(string) string
	// UserConfigDir finds the user's config folder; default os.UserConfigDir.
	UserConfigDir func() (string, error)
	// Secrets holds instance secrets; default the OS keyring.
	Secrets vault.Store
	// Now is the clock; default time.Now.
	Now func() time.Time
	// StartDemo starts the demo instances for --demo (main wires in
	// demo.Start); nil means this build has no demo mode.
	StartDemo func(tune func(*app.Config)) (app.DemoSession, error)
	// Verbs are the commands that live in packages above app (serve).
	Verbs map[string]Verb
}

// Exit codes of the verbs other than check.
const (
	exitFailed = 1 // renew, upload, delete, instances: the action failed
	exitUsage  = 2 // a wrong command line, outside check
)

const usageText = `Licensedesk watches and manages the licenses of Grafana Enterprise instances.

Usage:
  licensedesk                         open the window
  licensedesk --demo                  open the window on built-in demo instances (no setup)
  licensedesk check [--format text|json|prometheus] [--instance ID]... [--concurrency N] [--timeout D]
  licensedesk renew ID
  licensedesk upload ID --token-file FILE
  licensedesk delete ID [--yes] [--root-url URL]
  licensedesk instances list|add|set-secret ID|remove ID|import FILE|export
  licensedesk instances import --from grafanactl|gcx [FILE]
  licensedesk serve [--listen ADDR] [--interval D] [--web.config.file FILE]
  licensedesk --version

Global flags:
  --config FILE   the instance list (default: $LICENSEDESK_CONFIG, else
                  instances.json in the user config folder's licensedesk/)

check exits with the worst state found: 2 if any instance is critical, else 3
if any is unknown (could not be read) or the usage was wrong, else 1 if any is
in warning, else 0. renew, upload and delete exit 0 on success and 1 otherwise.

Run "licensedesk VERB --help" for a verb's flags.
`

// Main runs the command line in args (args[0] is the program) against env
// and returns the exit code; with no verb it opens the window through gui.
func Main(args []string, gui app.GUIFunc, env Env) int {
	c := newCLI(gui, env)
	return c.run(args)
}

type cli struct {
	Env
	gui        app.GUIFunc
	configFlag string
	configPath string
	demoFlag   bool
	demo       app.DemoSession
	svc        *app.Service
	inWindow   bool // the run opens the window, so actions start there
}

func newCLI(gui app.GUIFunc, env Env) *cli {
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.UserConfigDir == nil {
		env.UserConfigDir = os.UserConfigDir
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	return &cli{Env: env, gui: gui}
}

func (c *cli) run(args []string) int {
	defer c.closeDemo()
	if len(args) > 0 {
		args = args[1:]
	}
	rest, code, ok := c.parseGlobal(args)
	if !ok {
		return code
	}
	if len(rest) == 0 {
		return c.window()
	}
	verbs := map[string]func([]string) int{
		"check":     c.check,
		"renew":     c.renew,
		"upload":    c.upload,
		"delete":    c.delete,
		"instances": c.instances,
		"help":      func([]string) int { fmt.Fprint(c.Stdout, usageText); return exitOK },
		"version":   func([]string) int { c.printVersion(); return exitOK },
	}
	for name, verb := range c.Verbs {
		verbs[name] = func(args []string) int { return verb(&Command{c}, args) }
	}
	if verb := verbs[rest[0]]; verb != nil {
		return verb(rest[1:])
	}
	return c.usageError(fmt.Errorf("unknown command %q", rest[0]), exitUsage)
}

func (c *cli) printVersion() {
	printTerm(c.Stdout, "licensedesk %s\n", app.Build())
}

// parseGlobal reads the flags before the verb (--config, --demo, --version,
// --help) and returns the verb and its arguments; ok is false when the run
// is over with code.
func (c *cli) parseGlobal(args []string) (rest []string, code int, ok bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return args[i+1:], 0, true
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return args[i:], 0, true
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "config":
			if !hasValue {
				if i+1 >= len(args) {
					return nil, c.usageError(errors.New("--config needs a file name"), exitUsage), false
				}
				i++
				value = args[i]
			}
			c.configFlag = value
		case "demo":
			c.demoFlag = true
		case "version":
			c.printVersion()
			return nil, exitOK, false
		case "h", "help":
			fmt.Fprint(c.Stdout, usageText)
			return nil, exitOK, false
		default:
			return nil, c.usageError(fmt.Errorf("unknown flag %s", a), exitUsage), false
		}
	}
	return nil, 0, true
}

// window opens the GUI on the user's instances, or on the demo's.
func (c *cli) window() int {
	if c.gui == nil {
		c.errorf("this build has no window; use a command such as: licensedesk check")
		return exitFailed
	}
	c.inWindow = true
	lock, code, ok := c.claimWindow()
	if !ok {
		return code
	}
	defer lock.Release()
	svc, code := c.service(nil)
	if svc == nil {
		return code
	}
	ctx := app.GUIContext{Service: svc, Version: app.Version, StorePath: c.configPath, Raise: lock.Raised()}
	if c.demo != nil {
		ctx.Demo, ctx.DemoLicense = true, c.demo.LicenseFile()
	}
	if err := c.gui(ctx); err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	return exitOK
}

// service builds the engine for this run: the demo's with --demo, else one
// on the configured store and the keyring. tune may adjust its Config. On
// failure it prints why and returns a nil service and an exit code.
func (c *cli) service(tune func(*app.Config)) (*app.Service, int) {
	if c.svc != nil {
		return c.svc, 0
	}
	if c.demoFlag {
		if c.StartDemo == nil {
			c.errorf("this build of Licensedesk has no demo mode")
			return nil, exitFailed
		}
		d, err := c.StartDemo(tune)
		if err != nil {
			c.errorf("could not start the demo instances: %v", err)
			return nil, exitFailed
		}
		c.demo = d
		c.configPath = d.StorePath()
		c.svc = d.Service()
		return c.svc, 0
	}
	path, err := c.storePath()
	if err != nil {
		c.errorf("%v", err)
		return nil, exitFailed
	}
	c.configPath = path
	secrets := c.Secrets
	if secrets == nil {
		secrets = vault.NewKeyring()
	}
	cfg := app.Config{
		StorePath: path,
		Secrets:   secrets,
		Now:       c.Now,
		Getenv:    c.Getenv,
		UserAgent: "licensedesk/" + app.Version,
		History:   history.OpenHistory(history.HistoryPath(path)),
		Source:    history.SourceCLI,
		// Secrets stored before they were bound to an address belong to
		// the user's own list; a list from elsewhere reusing an id gets none.
		AdoptLegacySecrets: config.IsOwnStore(path, c.UserConfigDir),
	}
	if c.inWindow {
		cfg.Source = history.SourceWindow
	}
	if tune != nil {
		tune(&cfg)
	}
	svc, err := app.NewService(cfg)
	if err != nil {
		c.errorf("%v", err)
		return nil, exitFailed
	}
	c.svc = svc
	return svc, 0
}

// storePath applies --config, then LICENSEDESK_CONFIG, then the user config folder.
func (c *cli) storePath() (string, error) {
	if c.configFlag != "" {
		return c.configFlag, nil
	}
	return config.StorePathFrom(c.Getenv, c.UserConfigDir)
}

func (c *cli) closeDemo() {
	if c.demo != nil {
		c.demo.Close()
		c.demo = nil
	}
}

// confirm asks a yes/no question on the terminal; only "y" or "yes" is yes.
func (c *cli) confirm(question string) bool {
	printTerm(c.Stderr, "%s [y/N] ", question)
	answer, _ := bufio.NewReader(c.Stdin).ReadString('\n')
	answer = strings.ToLower(strings.TrimSpace(answer))
	return answer == "y" || answer == "yes"
}

// errorf prints one plain-words line on stderr.
func (c *cli) errorf(format string, a ...any) {
	printTerm(c.Stderr, "licensedesk: "+format+"\n", a...)
}

// usageError prints what was wrong and the usage, and returns code.
func (c *cli) usageError(err error, code int) int {
	c.errorf("%v", err)
	fmt.Fprint(c.Stderr, "\n"+usageText)
	return code
}

// errHelp is returned by parseArgs when --help was asked for; the help is printed already.
var errHelp = errors.New("help requested")

// flags makes a verb's flag set; every verb also takes --config.
func (c *cli) flags(verb string) *flag.FlagSet {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("config", "the instance list `FILE`", func(v string) error {
		c.configFlag = v
		return nil
	})
	fs.Usage = func() {}
	return fs
}

// verbUsage prints a verb's synopsis and flags on w.
func verbUsage(w io.Writer, fs *flag.FlagSet, synopsis string) {
	fmt.Fprintf(w, "Usage: %s\n", synopsis)
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// parseArgs parses flags placed anywhere among the arguments (Go's flag
// package stops at the first argument) and returns the arguments. "--" ends
// the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseVerb parses a verb's arguments, printing help (exit 0) or a usage
// error (exit usageCode). ok is false when the caller should return code.
func (c *cli) parseVerb(fs *flag.FlagSet, args []string, synopsis string, wantArgs int, usageCode int) (rest []string, code int, ok bool) {
	rest, err := parseArgs(fs, args)
	if errors.Is(err, errHelp) {
		verbUsage(c.Stdout, fs, synopsis)
		return nil, exitOK, false
	}
	if err == nil && wantArgs >= 0 && len(rest) != wantArgs {
		switch {
		case len(rest) < wantArgs:
			err = errors.New("missing argument")
		default:
			err = fmt.Errorf("unexpected argument %q", rest[wantArgs])
		}
	}
	if err != nil {
		c.verbUsageError(fs, synopsis, err)
		return nil, usageCode, false
	}
	return rest, 0, true
}

// verbUsageError prints what was wrong with a verb's arguments and its usage.
func (c *cli) verbUsageError(fs *flag.FlagSet, synopsis string, err error) {
	c.errorf("%v", err)
	fmt.Fprintln(c.Stderr)
	verbUsage(c.Stderr, fs, synopsis)
}
