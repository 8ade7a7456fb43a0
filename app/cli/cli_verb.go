package cli

import (
	"flag"
	"io"
	"time"

	"github.com/licensedesk/licensedesk/app"
)

// Verb is a command that lives in a package above app (serve): main hands it
// to Main through Env.Verbs, as app may not import the packages that use it.
// It returns the exit code.
type Verb func(cmd *Command, args []string) int

// Command is the command line as a Verb sees it: the run's streams, the
// flags check takes, and the engine built the way check builds it.
type Command struct{ c *cli }

// Stdout is where the verb prints its results.
func (cmd *Command) Stdout() io.Writer { return cmd.c.Stdout }

// Stderr is where the verb says what went wrong.
func (cmd *Command) Stderr() io.Writer { return cmd.c.Stderr }

// Errorf prints one plain-words line on stderr, as every verb does.
func (cmd *Command) Errorf(format string, a ...any) { cmd.c.errorf(format, a...) }

// Flags starts a verb's flag set with --config and the engine flags check
// takes (--concurrency, --timeout, --license-warn-days, --token-warn-days),
// whose values land in the returned options when the set is parsed.
func (cmd *Command) Flags(verb string) (*flag.FlagSet, *EngineOptions) {
	fs := cmd.c.flags(verb)
	o := &EngineOptions{}
	o.define(fs)
	return fs, o
}

// Parse parses a verb's arguments (no positional ones) and checks the
// engine options. ok is false when the verb should return code at once: 0
// after --help printed the usage, 2 after a wrong command line was
// explained.
func (cmd *Command) Parse(fs *flag.FlagSet, args []string, synopsis string, o *EngineOptions) (code int, ok bool) {
	if _, code, ok := cmd.c.parseVerb(fs, args, synopsis, 0, exitUsage); !ok {
		return code, false
	}
	if err := o.validate(); err != nil {
		cmd.c.verbUsageError(fs, synopsis, err)
		return exitUsage, false
	}
	return 0, true
}

// UsageError explains what is wrong with the verb's command line, prints its
// usage and returns the exit code for a wrong command line.
func (cmd *Command) UsageError(fs *flag.FlagSet, synopsis string, err error) int {
	cmd.c.verbUsageError(fs, synopsis, err)
	return exitUsage
}

// Service builds the engine as check does, from o: the same concurrency,
// per-instance timeout, retries and warn days. It never writes or moves the
// instance file, and fails (having said why) on one it cannot read whole and
// valid. On failure the service is nil and code is the exit code.
func (cmd *Command) Service(o EngineOptions) (svc *app.Service, code int) {
	return cmd.c.engineService(o, true)
}

// StorePath is the instance file in use, once Service has built the engine.
func (cmd *Command) StorePath() string { return cmd.c.configPath }

// Now is the run's clock.
func (cmd *Command) Now() time.Time { return cmd.c.Now() }

// WriteCheckJSON writes check's JSON report of statuses as of now: the one
// writer of that document, which serve's /api/v1/instances serves too.
func WriteCheckJSON(w io.Writer, statuses []app.Status, now time.Time) error {
	return writeCheckJSON(w, statuses, now)
}

// WriteCheckPrometheus writes check's Prometheus series for statuses as of
// now, in the text exposition format: the one home of those series, which
// serve's /metrics exposes too.
func WriteCheckPrometheus(w io.Writer, statuses []app.Status, now time.Time) error {
	return writeCheckPrometheus(w, statuses, now)
}
