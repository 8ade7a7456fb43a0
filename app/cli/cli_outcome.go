package cli

import (
	"context"
	"strings"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/verdict"
)

// reportResult prints an action's result as the window shows it and
// returns the exit code: 0 only for a success, so a renewal that leaves the
// token expired, or beside a license that has ended, fails a script too.
// done is the sentence a success starts with, e.g. "Renewed the license
// token of Prod EU (prod-eu)".
func (c *cli) reportResult(inst app.Instance, r verdict.Result, done string) int {
	if r.Err != nil {
		c.errorf("%s: %s", instanceLabel(inst), verdict.Reason(r.Err))
		return exitFailed
	}
	if !r.Success {
		c.errorf("%s: %s", instanceLabel(inst), r.Text())
		return exitFailed
	}
	lines := []string{done + "."}
	if dates := datesSummary(r.Status, c.Now()); dates != "" {
		lines = append(lines, dates)
	}
	if r.Detail != "" && !strings.HasPrefix(r.Detail, "Grafana now says") {
		lines = append(lines, r.Detail)
	}
	if r.Advice != "" {
		lines = append(lines, r.Advice)
	}
	printTerm(c.Stdout, "%s\n", strings.Join(lines, " "))
	return exitOK
}

// reportServed reads the instance after an upload and says whether the
// running Grafana serves the uploaded token yet.
func (c *cli) reportServed(ctx context.Context, svc *app.Service, id string) {
	st := svc.Refresh(ctx, id)
	if st.Upload != nil && st.Upload.Read {
		printTerm(c.Stdout, "%s\n", st.Upload.Note(c.Now().Location()))
	}
}
