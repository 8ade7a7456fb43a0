package cli

// The verbs that change a license: renew, upload and delete.

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

// actionContext is cancelled by Ctrl-C, so an action can be abandoned
// cleanly; the service bounds each call by the instance's timeout anyway.
func (c *cli) actionContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// target builds the service and finds the instance renew, upload or delete
// acts on; on failure it has printed why and returns a nil service and the
// exit code.
func (c *cli) target(id string) (*app.Service, app.Instance, int) {
	svc, code := c.service(nil)
	if svc == nil {
		return nil, app.Instance{}, code
	}
	inst, ok := c.knownInstance(svc, id)
	if !ok {
		return nil, app.Instance{}, exitFailed
	}
	return svc, inst, 0
}

// knownInstance finds id or prints how to list the instances.
func (c *cli) knownInstance(svc *app.Service, id string) (app.Instance, bool) {
	inst, ok := svc.Instance(id)
	if !ok {
		c.errorf("no instance has the id %q; list them with: licensedesk instances list", id)
	}
	return inst, ok
}

func (c *cli) renew(args []string) int {
	fs := c.flags("renew")
	const synopsis = "licensedesk renew ID"
	rest, code, ok := c.parseVerb(fs, args, synopsis, 1, exitFailed)
	if !ok {
		return code
	}
	svc, inst, code := c.target(rest[0])
	if svc == nil {
		return code
	}
	ctx, cancel := c.actionContext()
	defer cancel()
	st, err := svc.Renew(ctx, inst.ID)
	defer c.historyNote(st)
	return c.reportResult(inst, verdict.Judge(history.ActionRenew, st, err, c.Now()), "Renewed the license token of "+instanceLabel(inst))
}

// historyNote says on stderr when an action could not be recorded in the
// history; the action's exit code stands, as the action itself happened.
func (c *cli) historyNote(st app.Status) {
	if st.HistoryErr != nil {
		c.errorf("%s", history.Note(st.HistoryErr))
	}
}

// datesSummary tells the dates a person checks after a change, in the
// verdict's own sentences, so no day count is ever negative.
func datesSummary(st app.Status, now time.Time) string {
	if st.Token == nil {
		return ""
	}
	var parts []string
	for _, s := range []string{st.Eval.TokenSentence(now), st.Eval.LicenseSentence(now)} {
		if s != "" {
			parts = append(parts, s+".")
		}
	}
	return strings.Join(parts, " ")
}

// maxTokenFileBytes bounds a license file; real ones are a few KiB.
const maxTokenFileBytes = 1 << 20

func (c *cli) upload(args []string) int {
	fs := c.flags("upload")
	file := fs.String("token-file", "", "the license token `FILE` (license.jwt) to upload; - reads stdin")
	const synopsis = "licensedesk upload ID --token-file FILE"
	rest, code, ok := c.parseVerb(fs, args, synopsis, 1, exitFailed)
	if !ok {
		return code
	}
	if *file == "" {
		c.errorf("upload needs --token-file FILE: the license token (license.jwt) downloaded from grafana.com")
		return exitFailed
	}
	jwt, err := c.readTokenFile(*file)
	if err != nil {
		c.errorf("%v", err)
		return exitFailed
	}
	svc, inst, code := c.target(rest[0])
	if svc == nil {
		return code
	}
	pre, err := svc.PreviewUpload(inst.ID, jwt)
	if err != nil {
		c.errorf("%s: nothing was uploaded: %v", instanceLabel(inst), err)
		return exitFailed
	}
	if pre.SubjectWarning != "" {
		printTerm(c.Stderr, "Warning: %s\n", pre.SubjectWarning)
	}
	ctx, cancel := c.actionContext()
	defer cancel()
	st, err := svc.Upload(ctx, inst.ID, jwt)
	defer c.historyNote(st)
	code = c.reportResult(inst, verdict.Judge(history.ActionUpload, st, err, c.Now()), "Uploaded the license token to "+instanceLabel(inst))
	if err == nil {
		c.reportServed(ctx, svc, inst.ID)
	}
	return code
}

// readTokenFile reads and checks a license file before anything is sent, so
// a wrong file gets a clear answer without a round trip.
func (c *cli) readTokenFile(name string) (string, error) {
	var r io.Reader
	if name == "-" {
		r = c.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return "", fmt.Errorf("cannot read the token file: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxTokenFileBytes+1))
	if err != nil {
		return "", fmt.Errorf("cannot read the token file: %w", err)
	}
	if len(data) > maxTokenFileBytes {
		return "", fmt.Errorf("the token file %s is over 1 MiB: it is not a license token", name)
	}
	jwt := strings.TrimSpace(string(data))
	if jwt == "" {
		return "", fmt.Errorf("the token file %s is empty", name)
	}
	if _, err := client.DecodeJWT(jwt); err != nil {
		return "", fmt.Errorf("the file %s holds %v", name, err)
	}
	return jwt, nil
}

func (c *cli) delete(args []string) int {
	fs := c.flags("delete")
	yes := fs.Bool("yes", false, "do not ask for confirmation (needed when stdin is not a terminal)")
	rootURL := fs.String("root-url", "", "Grafana's root_url to send (default: the instance's URL)")
	const synopsis = "licensedesk delete ID [--yes] [--root-url URL]"
	rest, code, ok := c.parseVerb(fs, args, synopsis, 1, exitFailed)
	if !ok {
		return code
	}
	if *rootURL != "" {
		if err := config.CheckRootURL(*rootURL); err != nil {
			c.errorf("--root-url: %v; nothing was removed", err)
			return exitFailed
		}
	}
	svc, inst, code := c.target(rest[0])
	if svc == nil {
		return code
	}
	root := *rootURL
	if root == "" {
		root = inst.URL
	}
	note := fmt.Sprintf("This removes the license from the database of %s (root_url %s). "+
		"A license.jwt file or license_text setting on that server may still apply afterwards.",
		instanceLabel(inst), client.SanitizeURL(root))
	if !*yes {
		if !c.StdinIsTerminal {
			c.errorf("refusing to remove the license of %s without --yes, as there is no terminal to confirm on", instanceLabel(inst))
			return exitFailed
		}
		printTerm(c.Stderr, "%s\n", note)
		if !c.confirm("Remove it?") {
			c.errorf("nothing was removed")
			return exitFailed
		}
	} else {
		printTerm(c.Stderr, "%s\n", note)
	}
	ctx, cancel := c.actionContext()
	defer cancel()
	st, err := svc.Delete(ctx, inst.ID, root)
	defer c.historyNote(st)
	if err != nil {
		c.errorf("%s: %s", instanceLabel(inst), verdict.Reason(err))
		return exitFailed
	}
	printTerm(c.Stdout, "Removed the license of %s.", instanceLabel(inst))
	if st.Err == nil && st.Token != nil && st.Eval.Message != "" {
		printTerm(c.Stdout, " Grafana now reports: %s", st.Eval.Message)
	}
	fmt.Fprintln(c.Stdout)
	return exitOK
}
