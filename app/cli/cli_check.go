package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// Exit codes of check, as monitoring plugins use them.
const (
	exitOK       = 0
	exitWarning  = 1
	exitCritical = 2
	exitUnknown  = 3
)

// checkExitCode ranks the states as DESIGN.md orders them: critical, then
// unknown, then warning, then ok. It is client.Worse's order, kept in one place.
func checkExitCode(statuses []app.Status) int {
	if len(statuses) == 0 {
		return exitUnknown
	}
	worst := client.StateOK
	for _, st := range statuses {
		worst = client.Worse(worst, st.Eval.State)
	}
	switch worst {
	case client.StateCritical:
		return exitCritical
	case client.StateUnknown:
		return exitUnknown
	case client.StateWarning:
		return exitWarning
	}
	return exitOK
}

const checkSynopsis = "licensedesk check [--format text|json|prometheus] [--instance ID]... [--no-usage] [--concurrency N] [--timeout D] [--deadline D] [--license-warn-days N] [--token-warn-days N]"

// checkTimeBudget explains, in check --help, how long a check may take.
const checkTimeBudget = `Time budget: each instance gets --timeout, retries included; --concurrency
instances are read at once; instances not read when --deadline passes are
reported unknown. The default deadline fits a monitoring plugin's usual 60 s.`

// DeadlineError means an overall deadline (check --deadline) passed before
// the instance could be read.
type DeadlineError struct {
	Deadline time.Duration
}

// Error says what happened and what to change.
func (e *DeadlineError) Error() string {
	return fmt.Sprintf("not read within the check's deadline of %s: raise --deadline, or lower --timeout or raise --concurrency", e.Deadline)
}

// defaultCheckDeadline leaves a 60 s plugin timeout room to print the report.
const defaultCheckDeadline = 50 * time.Second

// checkOptions are check's flags.
type checkOptions struct {
	format   string
	ids      stringList
	deadline time.Duration
	EngineOptions
}

// EngineOptions are the flags check and serve share: how instances are read
// and judged.
type EngineOptions struct {
	Concurrency int           // instances read at once
	Timeout     time.Duration // for all of one instance's calls; 0: twice its own timeout
	Policy      client.Policy // warn days given on the command line; 0: the saved settings, else Grafana's
	NoUsage     bool          // skip refresh-stats, so users are not judged against the license's limits
}

// define adds the engine's flags to fs.
func (o *EngineOptions) define(fs *flag.FlagSet) {
	fs.BoolVar(&o.NoUsage, "no-usage", false, "do not read the active-user counts (refresh-stats), so users are not judged against the license's limits")
	fs.IntVar(&o.Concurrency, "concurrency", app.DefaultConcurrency, "how many instances to read at once")
	fs.DurationVar(&o.Timeout, "timeout", 0, fmt.Sprintf("give up on one instance after this long (default: twice its timeout_seconds, %s when unset)", 2*app.DefaultTimeout))
	fs.IntVar(&o.Policy.LicenseWarnDays, "license-warn-days", 0, "warn this many days before a license expires (default: Grafana's lic_exp_warn_days, else 30)")
	fs.IntVar(&o.Policy.TokenWarnDays, "token-warn-days", 0, "warn this many days before a token expires (default: Grafana's tok_exp_warn_days, else 2)")
}

func (o EngineOptions) validate() error {
	switch {
	case o.Concurrency < 1:
		return errors.New("--concurrency must be at least 1")
	case o.Timeout < 0:
		return errors.New("--timeout must not be negative")
	case o.Policy.LicenseWarnDays < 0 || o.Policy.TokenWarnDays < 0:
		return errors.New("warn days must not be negative")
	}
	return nil
}

// checkWriters print the report in each format.
var checkWriters = map[string]func(io.Writer, []app.Status, time.Time) error{
	"text":       writeCheckText,
	"json":       writeCheckJSON,
	"prometheus": writeCheckPrometheus,
}

func (o *checkOptions) validate(rest []string) error {
	switch {
	case len(rest) > 0:
		return fmt.Errorf("check takes no arguments, got %q", rest[0])
	case checkWriters[o.format] == nil:
		return fmt.Errorf("unknown format %q: use text, json or prometheus", o.format)
	case o.deadline < 0:
		return errors.New("--deadline must not be negative")
	}
	return o.EngineOptions.validate()
}

// parseCheck reads check's flags; ok is false when check should exit with code.
func (c *cli) parseCheck(args []string) (o checkOptions, code int, ok bool) {
	fs := c.flags("check")
	fs.StringVar(&o.format, "format", "text", "output format: text, json or prometheus")
	fs.Var(&o.ids, "instance", "check only this instance `id` (repeatable)")
	o.EngineOptions.define(fs)
	fs.DurationVar(&o.deadline, "deadline", defaultCheckDeadline, "report instances not read by then as unknown, so the whole check ends in time (0: no deadline)")
	rest, code, ok := c.parseVerb(fs, args, checkSynopsis+"\n\n"+checkTimeBudget, -1, exitUnknown)
	if !ok {
		return o, code, false
	}
	if err := o.validate(rest); err != nil {
		c.verbUsageError(fs, checkSynopsis, err)
		return o, exitUnknown, false
	}
	o.ids = dedupe(o.ids)
	return o, 0, true
}

// checkPolicy gives the warn days check uses: each flag given wins, else the
// window's Settings (settings.json beside the store), else Grafana's own.
func (c *cli) checkPolicy(flags client.Policy, storePath string) client.Policy {
	if c.demoFlag || storePath == "" || (flags.LicenseWarnDays > 0 && flags.TokenWarnDays > 0) {
		return flags
	}
	settings, err := config.LoadSettings(config.SettingsPath(storePath))
	if err != nil {
		c.errorf("%v", err)
	}
	saved := settings.Policy()
	if flags.LicenseWarnDays == 0 {
		flags.LicenseWarnDays = saved.LicenseWarnDays
	}
	if flags.TokenWarnDays == 0 {
		flags.TokenWarnDays = saved.TokenWarnDays
	}
	return flags
}

// engineService builds the engine check and serve read with: o's
// concurrency, per-instance timeout and warn days; the token, and the usage
// unless o.NoUsage, read side by side, so one round trip checks an instance.
// readOnly keeps the instance file as it is, whatever its state (serve reads
// a file that configuration management owns).
func (c *cli) engineService(o EngineOptions, readOnly bool) (*app.Service, int) {
	return c.service(func(cfg *app.Config) {
		cfg.Concurrency = o.Concurrency
		cfg.InstanceTimeout = o.Timeout
		cfg.TokenOnly, cfg.SkipHealth = o.NoUsage, true
		cfg.Policy = c.checkPolicy(o.Policy, cfg.StorePath)
		cfg.ReadOnly = readOnly
	})
}

func (c *cli) check(args []string) int {
	o, code, ok := c.parseCheck(args)
	if !ok {
		return code
	}
	svc, _ := c.engineService(o.EngineOptions, false)
	if svc == nil {
		return exitUnknown
	}
	warned := svc.LoadWarning() != ""
	if warned {
		c.errorf("%s", svc.LoadWarning())
	}
	for _, id := range o.ids {
		if _, ok := c.knownInstance(svc, id); !ok {
			return exitUnknown
		}
	}
	if len(svc.Instances()) == 0 && !warned {
		c.errorf("no instances are configured (config: %s); add one with: licensedesk instances add", c.configPath)
	}

	ctx := context.Background()
	if o.deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, o.deadline, &DeadlineError{Deadline: o.deadline})
		defer cancel()
	}
	svc.RefreshAll(ctx, o.ids, nil)
	// Read again once all are in, so HA peers are judged across the fleet.
	statuses := svc.StatusesOf(o.ids)
	if err := checkWriters[o.format](c.Stdout, statuses, c.Now()); err != nil {
		c.errorf("could not write the report: %v", err)
		return exitUnknown
	}
	code = checkExitCode(statuses)
	if warned && code < exitUnknown {
		// The configuration could not be read as saved: the run may have
		// missed instances, which only "unknown" reports honestly.
		code = exitUnknown
	}
	return code
}

// writeCheckText prints an aligned table a person reads in a terminal or a cron mail.
func writeCheckText(w io.Writer, statuses []app.Status, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE\tSTATE\tLICENSE EXPIRES\tTOKEN EXPIRES\tMESSAGE")
	counts := map[client.State]int{}
	for _, st := range statuses {
		counts[st.Eval.State]++
		state := st.Eval.State.String()
		if st.Stale {
			state += " (stale)"
		}
		msg := words.OneLine(st.Eval.Message)
		if n := len(st.Eval.Reasons) - 1; n > 0 {
			msg += fmt.Sprintf(" (+%d more)", n)
		}
		if tls := st.Instance.TLS(); tls != config.TLSVerified {
			msg += " [TLS " + tls.String() + "]"
		}
		license := expiryText(st.Eval.License, st, now)
		if !st.Eval.License.Reported() && st.Token.FromAWSMarketplace() {
			license = client.AWSMarketplaceLicense // no license expiry is normal there
		}
		printTerm(tw, "%s\t%s\t%s\t%s\t%s\n",
			words.OneLine(instanceLabel(st.Instance)), state, license, expiryText(st.Eval.Token, st, now), msg)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var parts []string
	for _, s := range []client.State{client.StateCritical, client.StateUnknown, client.StateWarning, client.StateOK} {
		if n := counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no instances")
	}
	_, err := fmt.Fprintf(w, "\n%s — checked %s\n", strings.Join(parts, ", "), now.Format("2 Jan 2006 15:04 MST"))
	for _, st := range statuses {
		for _, warning := range st.Instance.ConnectionWarnings() {
			printTerm(w, "Warning: %s: %s.\n", instanceLabel(st.Instance), warning)
		}
	}
	return err
}

// warnConnection prints on stderr what ConnectionWarnings says of inst.
func (c *cli) warnConnection(inst app.Instance) {
	for _, w := range inst.ConnectionWarnings() {
		printTerm(c.Stderr, "Warning: %s.\n", w)
	}
}

func instanceLabel(inst app.Instance) string {
	if inst.Name == "" || inst.Name == inst.ID {
		return inst.ID
	}
	return fmt.Sprintf("%s (%s)", inst.Name, inst.ID)
}

// expiryText is an expiry's date and its countdown as the window words it
// ("11 Dec 2026 (in 12 days)", "in 47 hours" under two days, "expired 3
// days ago"); "-" before any read, "not reported" when Grafana sent none.
func expiryText(e client.Expiry, st app.Status, now time.Time) string {
	switch {
	case e.Reported():
		return fmt.Sprintf("%s (%s)", client.FormatDate(e.At, now.Location()), e.Countdown())
	case st.Token == nil:
		return "-"
	}
	return "not reported"
}

type checkReport struct {
	CheckedAt string        `json:"checked_at"`
	Instances []checkResult `json:"instances"`
}

type checkResult struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	URL             string        `json:"url"`
	State           string        `json:"state"`
	Message         string        `json:"message"`
	LicenseExpires  *string       `json:"license_expires"`
	LicenseDaysLeft *int          `json:"license_days_left"`
	TokenExpires    *string       `json:"token_expires"`
	TokenDaysLeft   *int          `json:"token_days_left"`
	TrialExpires    *string       `json:"trial_expires"`
	TrialDaysLeft   *int          `json:"trial_days_left"`
	TokenIssued     *string       `json:"token_issued"`
	Reasons         []checkReason `json:"reasons"`
	Usage           []checkUsage  `json:"usage"`
	Peers           []string      `json:"peers,omitempty"`
	HTTPStatus      *int          `json:"http_status"`
	Token           *client.Token `json:"token"`
	TLSVerified     bool          `json:"tls_verified"`
	TLS             string        `json:"tls"` // verified, not verified or not used
	Stale           bool          `json:"stale,omitempty"`
	Error           string        `json:"error,omitempty"`
}

type checkReason struct {
	Code    client.ReasonCode `json:"code"`
	State   string            `json:"state"`
	Message string            `json:"message"`
}

type checkUsage struct {
	Kind     string  `json:"kind"`
	Active   int64   `json:"active"`
	Included int64   `json:"included"`
	Percent  float64 `json:"percent"`
}

// writeCheckJSON prints DESIGN.md's check document, one instance at a
// time: the document for ten thousand instances runs to megabytes, and
// composing it whole (then indenting it, as json.Encoder does) would hold
// it in memory twice over. The bytes are those json.Encoder with a
// two-space indent writes for a checkReport.
func writeCheckJSON(w io.Writer, statuses []app.Status, now time.Time) error {
	bw := bufio.NewWriter(w)
	at, err := json.Marshal(now.UTC().Format(time.RFC3339))
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "{\n  \"checked_at\": %s,\n  \"instances\": [", at)
	for i, st := range statuses {
		doc, err := json.MarshalIndent(checkResultOf(st), "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(doc)
	}
	if len(statuses) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

// checkResultOf is one instance's part of the check document.
func checkResultOf(st app.Status) checkResult {
	r := checkResult{
		ID:      st.Instance.ID,
		Name:    st.Instance.Name,
		URL:     client.SanitizeURL(st.Instance.URL),
		State:   st.Eval.State.String(),
		Message: st.Eval.Message,
		Token:   st.Token,
		Stale:   st.Stale,
		Peers:   st.Peers,
		Reasons: []checkReason{},

		TLSVerified: st.Instance.TLS() == config.TLSVerified,
		TLS:         st.Instance.TLS().String(),
	}
	r.LicenseExpires, r.LicenseDaysLeft = expiryJSON(st.Eval.License)
	r.TokenExpires, r.TokenDaysLeft = expiryJSON(st.Eval.Token)
	r.TrialExpires, r.TrialDaysLeft = expiryJSON(st.Eval.Trial)
	if st.Token != nil && !st.Token.IssuedAt.IsZero() {
		at := st.Token.IssuedAt.UTC().Format(time.RFC3339)
		r.TokenIssued = &at
	}
	for _, why := range st.Eval.Reasons {
		r.Reasons = append(r.Reasons, checkReason{Code: why.Code, State: why.State.String(), Message: why.Message})
	}
	if st.Stats != nil {
		// null when the counts were not read; empty when the license limits none.
		r.Usage = []checkUsage{}
		for _, u := range st.Eval.Usage {
			r.Usage = append(r.Usage, checkUsage{Kind: u.Kind, Active: u.Active, Included: u.Included, Percent: u.Percent})
		}
	}
	if st.HTTPStatus != 0 {
		code := st.HTTPStatus
		r.HTTPStatus = &code
	}
	if st.Err != nil {
		r.Error = st.Err.Error()
	}
	return r
}

func expiryJSON(e client.Expiry) (*string, *int) {
	if !e.Reported() {
		return nil, nil
	}
	at := e.At.UTC().Format(time.RFC3339)
	days := e.DaysLeft
	return &at, &days
}

// dedupe drops repeated ids, keeping the first place of each.
func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}
