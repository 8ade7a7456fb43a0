package app

import (
	"fmt"
	"time"

	"github.com/licensedesk/licensedesk/client"
)

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

// markUpload starts following an uploaded token; a renewal or a removal
// (tok nil) stops it, as the token it followed is gone.
func (s *Service) markUpload(id string, tok *client.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.states[id]
	if r == nil {
		return
	}
	if tok == nil {
		r.upload = nil
		return
	}
	r.upload = &UploadCheck{TokenID: tok.ID, At: s.cfg.Now()}
}

// readAfterUpload notes what a successful read found, for the upload it follows.
func (r *record) readAfterUpload(tok *client.Token) {
	if r.upload != nil && tok != nil {
		r.upload.Read, r.upload.ServedID = true, tok.ID
	}
}
