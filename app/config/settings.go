package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/licensedesk/licensedesk/client"
)

// SettingsFile is the user's settings file, beside the store.
const SettingsFile = "settings.json"

// SettingsPath is where the settings live for the store at storePath.
func SettingsPath(storePath string) string { return BesideStore(storePath, SettingsFile) }

// Bounds of the check interval the user may choose.
const (
	DefaultCheckInterval = time.Hour
	MinCheckInterval     = 5 * time.Minute
	MaxCheckInterval     = 24 * time.Hour
)

// DefaultUnreadableAfter is how many failed checks in a row make an
// instance "unreadable" worth a notification.
const DefaultUnreadableAfter = 3

// maxWarnDays bounds a warn-days override.
const maxWarnDays = 365

// Settings are the user's preferences, kept in settings.json.
type Settings struct {
	Version              int      `json:"version"`
	Notifications        bool     `json:"notifications"`
	CheckIntervalMinutes int      `json:"check_interval_minutes"`
	UnreadableAfter      int      `json:"unreadable_after"`
	Muted                []string `json:"muted"`
	// LicenseWarnDays and TokenWarnDays replace Grafana's lic_exp_warn_days
	// and tok_exp_warn_days when above zero.
	LicenseWarnDays int `json:"license_warn_days"`
	TokenWarnDays   int `json:"token_warn_days"`
}

// DefaultSettings are the settings before the user changes any: notifications
// on, a check every hour, Grafana's warn periods.
func DefaultSettings() Settings {
	return Settings{
		Version:              1,
		Notifications:        true,
		CheckIntervalMinutes: int(DefaultCheckInterval / time.Minute),
		UnreadableAfter:      DefaultUnreadableAfter,
	}
}

// Interval is the check interval.
func (s Settings) Interval() time.Duration {
	return time.Duration(s.Normalized().CheckIntervalMinutes) * time.Minute
}

// Policy is the warn-days overrides for client.Evaluate.
func (s Settings) Policy() client.Policy {
	return client.Policy{LicenseWarnDays: s.LicenseWarnDays, TokenWarnDays: s.TokenWarnDays}
}

// IsMuted says whether the instance's notifications are muted.
func (s Settings) IsMuted(id string) bool { return slices.Contains(s.Muted, id) }

// SetMuted mutes or unmutes an instance's notifications.
func (s *Settings) SetMuted(id string, mute bool) {
	s.Muted = slices.DeleteFunc(slices.Clone(s.Muted), func(m string) bool { return m == id })
	if mute {
		s.Muted = append(s.Muted, id)
		slices.Sort(s.Muted)
	}
}

// Validate says in plain words what is wrong with a setting, or returns nil.
func (s Settings) Validate() error {
	minM, maxM := int(MinCheckInterval/time.Minute), int(MaxCheckInterval/time.Minute)
	if s.CheckIntervalMinutes < minM || s.CheckIntervalMinutes > maxM {
		return fmt.Errorf("the check interval must be between %d minutes and %d hours", minM, maxM/60)
	}
	if s.LicenseWarnDays < 0 || s.LicenseWarnDays > maxWarnDays {
		return fmt.Errorf("the license warning period must be between 0 (Grafana's) and %d days", maxWarnDays)
	}
	if s.TokenWarnDays < 0 || s.TokenWarnDays > maxWarnDays {
		return fmt.Errorf("the token warning period must be between 0 (Grafana's) and %d days", maxWarnDays)
	}
	if s.UnreadableAfter < 1 || s.UnreadableAfter > 100 {
		return errors.New("the number of failed checks before a notification must be between 1 and 100")
	}
	return nil
}

// Normalized brings every value into its allowed range, so a hand-edited
// file cannot make the monitor hammer Grafana.
func (s Settings) Normalized() Settings {
	s.Version = 1
	if s.CheckIntervalMinutes == 0 {
		s.CheckIntervalMinutes = int(DefaultCheckInterval / time.Minute)
	}
	s.CheckIntervalMinutes = min(max(s.CheckIntervalMinutes, int(MinCheckInterval/time.Minute)), int(MaxCheckInterval/time.Minute))
	s.LicenseWarnDays = min(max(s.LicenseWarnDays, 0), maxWarnDays)
	s.TokenWarnDays = min(max(s.TokenWarnDays, 0), maxWarnDays)
	if s.UnreadableAfter <= 0 {
		s.UnreadableAfter = DefaultUnreadableAfter
	}
	s.UnreadableAfter = min(s.UnreadableAfter, 100)
	s.Muted = slices.Compact(slices.Sorted(slices.Values(s.Muted)))
	return s
}

// LoadSettings reads the settings at path; a missing file gives the
// defaults. A damaged file is moved aside (to path + ".corrupt", or
// ".corrupt-2"… beside an earlier copy), so
// nothing is lost, and the defaults are used with an error saying so.
func LoadSettings(path string) (Settings, error) {
	s := DefaultSettings()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("could not read the settings %s: %w; using the defaults", path, err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		aside, rerr := MoveAside(path, path+".corrupt")
		if rerr != nil {
			return DefaultSettings(), fmt.Errorf("the settings %s are damaged (%v); using the defaults", path, err)
		}
		return DefaultSettings(), fmt.Errorf("the settings %s were damaged (%v) and were moved to %s; using the defaults", path, err, aside)
	}
	return s.Normalized(), nil
}

// SaveSettings checks s and writes it to path atomically.
func SaveSettings(path string, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := WriteJSONAtomic(path, s.Normalized()); err != nil {
		return fmt.Errorf("could not save the settings: %w", err)
	}
	return nil
}

// ReadJSON reads the JSON file at path into v. A missing file is no error
// and leaves v as it is; what cannot be read or parsed is worded with what,
// the file's name for people ("the snoozes file"), for a caller that then
// starts afresh.
func ReadJSON(path, what string, v any) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("could not read %s %s: %w", what, path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s %s is damaged (%v); starting afresh", what, path, err)
	}
	return nil
}

// BesideStore is where a file named name lives for the store at storePath:
// every file Licensedesk keeps sits in the instance list's folder.
func BesideStore(storePath, name string) string {
	return filepath.Join(filepath.Dir(storePath), name)
}

// WriteJSONAtomic writes v as indented JSON to path so that a crash leaves
// either the old file or the new one: temp file, fsync, rename.
func WriteJSONAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return WriteFileAtomic(path, append(data, '\n'), nil)
}

// SettingsSaver writes settings.json in the order the changes were made:
// saves run off the caller's goroutine, and one that finishes after a newer
// change was written is dropped, so the file always ends with the newest.
type SettingsSaver struct {
	path    string
	mu      sync.Mutex
	seq     uint64 // of the newest change handed out
	written uint64 // of the newest change on disk
}

// NewSettingsSaver saves to path.
func NewSettingsSaver(path string) *SettingsSaver { return &SettingsSaver{path: path} }

// Prepare takes a change in order (call it where the changes are made) and
// returns the save to run, in any goroutine.
func (s *SettingsSaver) Prepare(next Settings) func() error {
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	return func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if seq <= s.written { // a newer change is on disk already
			return nil
		}
		s.written = seq
		return SaveSettings(s.path, next)
	}
}
