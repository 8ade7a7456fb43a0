package verdict

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// Status is everything known about one instance: its last good token (kept,
// marked stale, when a later read fails) and what it means now.
type Status struct {
	Instance   config.Instance
	Token      *client.Token // last good token; nil if never read
	Eval       client.Evaluation
	Err        error     // the last read's error; nil when it succeeded
	Stale      bool      // Err != nil and Token is from an earlier read
	HTTPStatus int       // of the last call to the instance; 0 when nothing answered
	CheckedAt  time.Time // last attempt
	ReadAt     time.Time // last success
	Stats      *client.Stats
	Health     *client.Health
	// Peers are the ids of the instances whose fresh tokens share this
	// one's license (sub and lid): HA nodes behind one root_url.
	Peers []string
	// Frontend is the license expiry read from Grafana's frontend settings
	// when the credentials may not read the licensing API; nil otherwise.
	Frontend *client.FrontendLicense
	// Removed is set on the one notification sent when an instance is removed.
	Removed bool
	// HistoryErr is set on the status a renew, upload or delete returns when
	// its history entry could not be written (full disk, read-only folder):
	// the action itself stands; history.Note words it.
	HistoryErr error
	// Upload follows a token uploaded in this session until Grafana serves
	// it; nil when there was none (or a renewal or removal came after).
	Upload *UploadCheck
}

// RestartNote is what an upload is followed by: Grafana loads its license
// at start, so the uploaded token is not in use before it restarts.
const RestartNote = "Grafana must restart before the new token takes effect; the next read tells whether it serves it."

// UploadCheck follows a token uploaded in this session until Grafana serves
// it: Grafana's page says to restart it after an upload, and until then it
// may keep serving the token it loaded at start.
type UploadCheck struct {
	TokenID  string    // the uploaded token's jti
	At       time.Time // when it was uploaded
	Read     bool      // a read has been made since
	ServedID string    // the jti that read found, when Read
}

// Served says whether the last read found the uploaded token in use.
func (u UploadCheck) Served() bool { return u.Read && u.ServedID == u.TokenID }

// Note says where the upload stands, in loc's time: waiting for a read, not
// yet in use (restart Grafana), or in use.
func (u UploadCheck) Note(loc *time.Location) string {
	when := u.At.In(loc).Format("15:04")
	switch {
	case !u.Read:
		return fmt.Sprintf("Token %s was uploaded at %s. %s", u.TokenID, when, RestartNote)
	case u.Served():
		return fmt.Sprintf("Grafana serves the token uploaded at %s (%s).", when, u.TokenID)
	}
	return fmt.Sprintf("Grafana still serves token %s, not the one uploaded at %s (%s): restart Grafana so it loads the new token.",
		u.ServedID, when, u.TokenID)
}

// Evaluate applies client.EvaluateWithUsage, the one place that decides
// states, and turns a failed read into "unknown" with its reason while
// still showing the dates of the last good token.
func Evaluate(st Status, now time.Time, p client.Policy) client.Evaluation {
	ev := client.EvaluateWithUsage(st.Token, st.Stats, now, p)
	if st.Err == nil {
		return ev
	}
	why := client.Unreadable(words.Capitalize(Reason(st.Err)))
	if client.IsLocal(st.Err) {
		// This computer ran out of files or ports: the instance is not to blame.
		why = client.LocalLimit(words.Capitalize(Reason(st.Err)))
	}
	if v := st.Health; v != nil && client.IsStatus(st.Err, 404) {
		if old, ok := client.GrafanaTooOld(v.Version); ok {
			why = old
		}
	}
	switch {
	case st.Token != nil && !st.ReadAt.IsZero():
		why = why.WithDetail("showing the token read on " + st.ReadAt.In(now.Location()).Format("2 Jan 2006 15:04"))
	case st.Frontend != nil && !st.Frontend.Expiry.IsZero():
		// Credentials without licensing:read still see the license expiry.
		fe := client.Evaluate(&client.Token{LicenseExpiry: st.Frontend.Expiry}, now, p)
		ev.License = fe.License
		why = why.WithDetail("Grafana's settings say the license expires on " + client.FormatDate(st.Frontend.Expiry, now.Location()))
	}
	return ev.Failed(why)
}

// Reason explains an error in plain words, fit for a status line. The
// client's typed errors and ResolveAuth's already say what to do; only bare
// sentinels and context errors get words here.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var apiErr *client.APIError
	var netErr *client.NetworkError
	var badErr *client.BadResponseError
	var localErr *client.LocalError
	switch {
	case errors.As(err, &apiErr), errors.As(err, &netErr), errors.As(err, &badErr), errors.As(err, &localErr):
		return err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return "Grafana did not answer in time: check that the instance is up, or raise its timeout"
	case errors.Is(err, context.Canceled):
		return "The read was cancelled"
	case err == vault.ErrNoSecret:
		return "No password or token is stored for this instance: edit it to enter one, or name an environment variable"
	case err == vault.ErrKeyringUnavailable:
		return "The system keyring is not available, so the instance's secret cannot be read: unlock or start the keyring, or name an environment variable"
	}
	return err.Error()
}

// HTTPStatus is the status code of the answer behind err: 200 when there is
// no error, 0 when nothing answered.
func HTTPStatus(err error) int {
	if err == nil {
		return 200
	}
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	var badErr *client.BadResponseError
	if errors.As(err, &badErr) {
		return badErr.StatusCode
	}
	return 0
}
