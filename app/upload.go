package app

import (
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

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
	r.upload = &verdict.UploadCheck{TokenID: tok.ID, At: s.cfg.Now()}
}

// readAfterUpload notes what a successful read found, for the upload it follows.
func (r *record) readAfterUpload(tok *client.Token) {
	if r.upload != nil && tok != nil {
		r.upload.Read, r.upload.ServedID = true, tok.ID
	}
}
