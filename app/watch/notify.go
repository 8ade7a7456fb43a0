package watch

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// Notification is one desktop notification the window should send.
type Notification struct {
	InstanceID string
	Title      string
	Body       string
	// State is what the instance entered: warning or critical, unknown when
	// it could not be read, ok when it recovered.
	State client.State
}

// NotifyStateFile is the file, beside the store, that remembers which
// notifications were sent, so a restart does not repeat them.
const NotifyStateFile = "notify-state.json"

// NotifyStatePath is where the notification state lives for the store at storePath.
func NotifyStatePath(storePath string) string { return config.BesideStore(storePath, NotifyStateFile) }

// What the notifier remembers of an instance's condition.
const (
	condOK         = "ok"
	condWarning    = "warning"
	condCritical   = "critical"
	condUnreadable = "unreadable"
)

// notifyRecord is one instance's remembered condition.
type notifyRecord struct {
	Condition string `json:"condition,omitempty"` // the last known condition, "" before the first
	Failures  int    `json:"failures,omitempty"`  // consecutive failed reads
	// Sent maps a condition to the local day ("2006-01-02") its last notification was sent.
	Sent map[string]string `json:"sent,omitempty"`
}

type notifyFile struct {
	Version   int                      `json:"version"`
	Instances map[string]*notifyRecord `json:"instances"`
}

// Notifier decides which observed statuses deserve a notification. An
// instance in warning, critical or unreadable is announced at most once per
// condition and local day, and its recovery once; what was sent is kept in
// a state file so a restart never repeats it.
type Notifier struct {
	path string

	mu       sync.Mutex
	settings app.Settings
	records  map[string]*notifyRecord
	saveErr  error
	dirty    bool        // records changed since the file was written
	pending  *time.Timer // the write of those changes, when one is due
}

// notifySaveDelay gathers the changes of a burst of checks into one write
// of the state file: each write holds every instance's record, and a first
// pass over ten thousand instances, written after each check, would write
// ten thousand files of ten thousand records. A notification sent, or an
// instance forgotten, is written at once; Flush writes what is left.
const notifySaveDelay = time.Second

// LoadNotifyState reads the notification state at path ("" keeps it in
// memory only). It always returns a usable Notifier: when the file is
// damaged the error says so and the Notifier starts afresh, at worst
// repeating today's notifications once.
func LoadNotifyState(path string) (*Notifier, error) {
	n := &Notifier{path: path, settings: config.DefaultSettings(), records: map[string]*notifyRecord{}}
	if path == "" {
		return n, nil
	}
	var f notifyFile
	if err := config.ReadJSON(path, "the notification state", &f); err != nil {
		return n, err
	}
	for id, r := range f.Instances {
		if r != nil {
			n.records[id] = r
		}
	}
	return n, nil
}

// SetSettings applies the user's notification settings (on/off, mutes,
// the unreadable threshold).
func (n *Notifier) SetSettings(s app.Settings) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.settings = s.Normalized()
}

// SaveError is the last failure to write the state file, or nil.
func (n *Notifier) SaveError() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.saveErr
}

// Forget drops what is remembered of a removed instance.
func (n *Notifier) Forget(id string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.records[id]; ok {
		delete(n.records, id)
		n.saveLocked()
	}
}

// Flush writes the changes not yet written and returns the last failure to
// write the file, if any; Monitor.Stop calls it, so an orderly quit keeps
// every count.
func (n *Notifier) Flush() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.dirty {
		n.saveLocked()
	}
	return n.saveErr
}

// Observe takes one check's result at time now and returns the
// notifications to send (none, or one). Conditions are tracked even while
// notifications are off or the instance is muted; only sending is held back.
func (n *Notifier) Observe(st app.Status, now time.Time) []Notification {
	id := st.Instance.ID
	if id == "" {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	r := n.records[id]
	if r == nil {
		r = &notifyRecord{}
		n.records[id] = r
	}
	before := *r
	before.Sent = maps.Clone(r.Sent)

	prev := r.Condition
	cond := n.condition(r, st)
	var out []Notification
	if cond != "" {
		r.Condition = cond
		out = n.decide(r, prev, cond, st, now)
	}
	switch {
	case !maps.Equal(r.Sent, before.Sent):
		n.saveLocked() // a restart must never repeat it
	case r.Condition != before.Condition || r.Failures != before.Failures:
		n.saveSoonLocked()
	}
	return out
}

// condition classifies a check, updating the failure count; "" means the
// check says nothing new (a failure below the threshold, or a token that
// reports no dates).
func (n *Notifier) condition(r *notifyRecord, st app.Status) string {
	if client.IsLocal(st.Err) {
		return "" // this computer ran out of files: nothing new of the instance
	}
	if st.Err != nil {
		r.Failures++
		if r.Failures >= n.settings.UnreadableAfter {
			return condUnreadable
		}
		return ""
	}
	r.Failures = 0
	switch st.Eval.State {
	case client.StateOK:
		return condOK
	case client.StateWarning:
		return condWarning
	case client.StateCritical:
		return condCritical
	}
	return ""
}

func (n *Notifier) decide(r *notifyRecord, prev, cond string, st app.Status, now time.Time) []Notification {
	if cond == condOK && (prev == "" || prev == condOK) {
		return nil // only a recovery from trouble is news
	}
	today := now.Format(time.DateOnly)
	if r.Sent[cond] == today {
		return nil
	}
	if !n.settings.Notifications || n.settings.IsMuted(st.Instance.ID) {
		return nil
	}
	if r.Sent == nil {
		r.Sent = map[string]string{}
	}
	r.Sent[cond] = today
	return []Notification{compose(cond, st, r.Failures, now)}
}

// saveLocked writes the state file now, with every change made so far.
func (n *Notifier) saveLocked() {
	if n.pending != nil {
		n.pending.Stop()
		n.pending = nil
	}
	n.dirty = false
	if n.path == "" {
		return
	}
	n.saveErr = config.WriteJSONAtomic(n.path, notifyFile{Version: 1, Instances: n.records})
}

// saveSoonLocked writes the state file within notifySaveDelay, once for
// every change made meanwhile.
func (n *Notifier) saveSoonLocked() {
	n.dirty = true
	if n.path == "" || n.pending != nil {
		return
	}
	n.pending = time.AfterFunc(notifySaveDelay, func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		if n.dirty {
			n.saveLocked()
		}
	})
}

// compose writes a notification in plain words: the title says what
// happened, the body the date and what to do.
func compose(cond string, st app.Status, failures int, now time.Time) Notification {
	name := st.Instance.DisplayName()
	n := Notification{InstanceID: st.Instance.ID}
	switch cond {
	case condUnreadable:
		n.State = client.StateUnknown
		n.Title = name + ": license could not be read"
		n.Body = fmt.Sprintf("The last %d checks failed: %s. Licensedesk keeps checking; fix the instance's settings if this goes on.",
			failures, strings.TrimSuffix(history.Scrub(verdict.Reason(st.Err)), "."))
	case condOK:
		n.State = client.StateOK
		n.Title = name + ": license OK again"
		n.Body = words.Sentence(st.Eval.Headline) + " Nothing to do."
	default:
		n.State = st.Eval.State
		n.Title = name + ": " + words.LowerFirst(st.Eval.Headline)
		n.Body = st.Eval.Advice(st.Token, now.Location())
	}
	return n
}
