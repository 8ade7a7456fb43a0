// Package history keeps the append-only log of renewals, uploads and
// deletions (history.jsonl beside the instance list), scrubbed of secrets.
package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// Action is what was done to an instance's license.
type Action string

// The actions the history records.
const (
	ActionRenew  Action = "renew"
	ActionUpload Action = "upload"
	ActionDelete Action = "delete"
)

// The outcomes of an action.
const (
	OutcomeOK     = "ok"
	OutcomeFailed = "failed"
	// OutcomeUnresolved is an action Grafana carried out that did not leave
	// the instance well: a renewal whose token is still expired or expiring,
	// or beside a license that has ended; an upload Grafana judges invalid;
	// a removal after which Grafana still serves a license.
	OutcomeUnresolved = "unresolved"
)

// Where an action was started from, as History.Source records it.
const (
	SourceWindow = "window"
	SourceCLI    = "command line"
)

// HistoryFile is the history's file name, kept beside the instance store.
const HistoryFile = "history.jsonl"

// Entry is one line of the history. It is built from structured fields only,
// so no request body, password or JWT can reach it: of a token it keeps the
// id (jti) and the expiry dates.
type Entry struct {
	Time         time.Time `json:"time"`
	InstanceID   string    `json:"instance_id"`
	InstanceName string    `json:"instance_name"`
	Action       Action    `json:"action"`
	Outcome      string    `json:"outcome"`
	Error        string    `json:"error,omitempty"`
	// Note is, for an action Grafana carried out that left the instance in
	// trouble (OutcomeUnresolved), what the user was told.
	Note           string     `json:"note,omitempty"`
	HTTPStatus     int        `json:"http_status,omitempty"`
	LicenseExpires *time.Time `json:"license_expires,omitempty"`
	TokenExpires   *time.Time `json:"token_expires,omitempty"`
	TokenID        string     `json:"token_id,omitempty"`
	Source         string     `json:"source,omitempty"`
}

// NewEntry records the result of action on an instance: status is the HTTP
// status of the action's own answer (0 when none came), tok the token it
// left, err its error (nil on success).
func NewEntry(at time.Time, id, name string, action Action, status int, tok *client.Token, err error) Entry {
	e := Entry{
		Time:         at.UTC().Truncate(time.Second),
		InstanceID:   id,
		InstanceName: name,
		Action:       action,
		Outcome:      OutcomeOK,
		HTTPStatus:   status,
	}
	if err != nil {
		e.Outcome = OutcomeFailed
		e.Error = Scrub(err.Error())
		return e
	}
	if tok != nil && action != ActionDelete {
		e.TokenID = tok.ID
		e.LicenseExpires = timePtr(tok.LicenseExpiry)
		e.TokenExpires = timePtr(tok.TokenExpiry)
	}
	return e
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// History is the append-only log of renewals, uploads and deletions, one
// JSON object per line. Several processes (the window and a cron job) may
// append to it at once.
type History struct {
	path string
	// Source is written into entries that do not name one: SourceWindow or SourceCLI.
	Source string

	mu sync.Mutex
}

// OpenHistory returns the history kept at path. The file is created by the
// first Append; a nil *History records nothing.
func OpenHistory(path string) *History { return &History{path: path} }

// Path is the history's file.
func (h *History) Path() string { return h.path }

// HistoryPath is where the history lives for the store at storePath.
func HistoryPath(storePath string) string {
	return filepath.Join(filepath.Dir(storePath), HistoryFile)
}

// maxLineBytes bounds one history line; longer lines are corrupt by definition.
const maxLineBytes = 64 << 10

// Append adds one entry at the end of the file. The line goes out in one
// write on a file opened with O_APPEND, so lines from two processes never
// interleave.
func (h *History) Append(e Entry) error {
	if h == nil {
		return nil
	}
	if e.Source == "" {
		e.Source = h.Source
	}
	if e.Time.IsZero() {
		e.Time = time.Now().UTC().Truncate(time.Second)
	}
	e.Error = Scrub(e.Error)
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("could not record the %s in the history: %w", e.Action, err)
	}
	line = append(line, '\n')

	h.mu.Lock()
	defer h.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return fmt.Errorf("could not create the history's folder: %w", err)
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("could not open the history %s: %w", h.path, err)
	}
	_, werr := f.Write(line)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		return fmt.Errorf("could not write the history %s: %w", h.path, errors.Join(werr, cerr))
	}
	return nil
}

// Note says that an action was not recorded in the history, and why (the
// error Append returned), for the command line and the window alike.
func Note(err error) string {
	return "This action is not recorded in the history: " + err.Error()
}

// Read returns the entries of the instance with id filter (all entries when
// filter is ""), newest first. Lines that cannot be read are skipped; Scan
// also counts them.
func (h *History) Read(filter string) ([]Entry, error) {
	entries, _, err := h.Scan(filter)
	return entries, err
}

// Scan is Read that also says how many lines were skipped as corrupt, so
// the window can mention them.
func (h *History) Scan(filter string) (entries []Entry, skipped int, err error) {
	if h == nil {
		return nil, 0, nil
	}
	f, err := os.Open(h.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("could not open the history %s: %w", h.path, err)
	}
	defer f.Close()

	r := bufio.NewReaderSize(f, 32<<10)
	for {
		line, tooLong, err := readLine(r)
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			e, ok := parseEntry(line, tooLong)
			switch {
			case !ok:
				skipped++
			case filter == "" || e.InstanceID == filter:
				entries = append(entries, e)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, skipped, fmt.Errorf("could not read the history %s: %w", h.path, err)
		}
	}
	// The file is in append order; the newest entry is the last line.
	slices.Reverse(entries)
	return entries, skipped, nil
}

func parseEntry(line []byte, tooLong bool) (Entry, bool) {
	var e Entry
	if tooLong || json.Unmarshal(line, &e) != nil || e.InstanceID == "" || e.Action == "" {
		return Entry{}, false
	}
	return e, true
}

// readLine reads up to the next newline without holding more than
// maxLineBytes of it, so a damaged file cannot exhaust memory.
func readLine(r *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > maxLineBytes {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, tooLong, err
	}
}

// Patterns of things that must never reach a file or a notification.
var (
	reUserinfo   = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s"']+@`)
	reJWT        = regexp.MustCompile(`eyJ[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]+(\.[A-Za-z0-9_=-]*)?`)
	reAPIKey     = regexp.MustCompile(`eyJ[A-Za-z0-9+/_=-]{8,}`)
	reGlsa       = regexp.MustCompile(`glsa_[A-Za-z0-9_]+`)
	reAuthHeader = regexp.MustCompile(`(?i)\b(bearer|basic)\s+([A-Za-z0-9._~+/=-]{8,})`)
	reSecretKV   = regexp.MustCompile(`(?i)\b(password|passwd|pwd|token|secret|api_?key)=[^\s&"',;)]+`)
	reSecretJSON = regexp.MustCompile(`(?i)"(password|passwd|pwd|token|secret|api_?key)"\s*:\s*"[^"]*"`)
	reLowerWord  = regexp.MustCompile(`^[a-z]+$`)
)

// maxMessageRunes bounds an error message kept in the history or shown in a notification.
const maxMessageRunes = 400

// Scrub makes an error message safe to keep: credentials in URLs,
// JWTs, API keys, service account tokens and key=value secrets are
// replaced, and the text is put on one line and shortened.
func Scrub(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToValidUTF8(s, "?")
	s = reUserinfo.ReplaceAllString(s, "${1}")
	s = reJWT.ReplaceAllString(s, "[redacted]")
	s = reAPIKey.ReplaceAllString(s, "[redacted]")
	s = reGlsa.ReplaceAllString(s, "[redacted]")
	s = reAuthHeader.ReplaceAllStringFunc(s, func(m string) string {
		parts := reAuthHeader.FindStringSubmatch(m)
		if reLowerWord.MatchString(parts[2]) { // "basic authentication" is prose, not a credential
			return m
		}
		return parts[1] + " [redacted]"
	})
	s = reSecretKV.ReplaceAllString(s, "${1}=[redacted]")
	s = reSecretJSON.ReplaceAllString(s, `"${1}":"[redacted]"`)
	return words.Shorten(strings.Join(strings.Fields(s), " "), maxMessageRunes)
}
