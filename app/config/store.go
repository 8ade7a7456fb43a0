package config

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/licensedesk/licensedesk/client"
)

// StoreVersion is the instances.json schema version this build reads and writes.
const StoreVersion = 1

// lockWait bounds how long Update and Save wait for another Licensedesk
// process (the window, a cron job) to finish writing.
const lockWait = 10 * time.Second

// DefaultStorePath is $LICENSEDESK_CONFIG when set, else instances.json in
// the user's config dir (~/.config/licensedesk on Linux).
func DefaultStorePath() (string, error) {
	return StorePathFrom(os.Getenv, os.UserConfigDir)
}

// IsOwnStore says whether path is the instance list in the user's own config
// folder, the one an earlier Licensedesk kept its secrets for.
func IsOwnStore(path string, userConfigDir func() (string, error)) bool {
	dir, err := userConfigDir()
	if err != nil || dir == "" {
		return false
	}
	own := filepath.Join(dir, "licensedesk", "instances.json")
	canon := func(p string) string {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Clean(p)
	}
	return canon(path) == canon(own)
}

// StorePathFrom is DefaultStorePath with the environment and config
// folder lookups passed in, so the command line applies the same rule to
// its own Env.
func StorePathFrom(getenv func(string) string, userConfigDir func() (string, error)) (string, error) {
	if p := getenv("LICENSEDESK_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := userConfigDir()
	if err != nil || dir == "" {
		return "", fmt.Errorf("cannot find your config folder (%v); set LICENSEDESK_CONFIG or pass --config FILE", err)
	}
	return filepath.Join(dir, "licensedesk", "instances.json"), nil
}

// CorruptError means the instance list could not be read as JSON of the
// expected shape. The file was moved aside to MovedTo, kept for the user to
// repair, and Load returned an empty list so the app still starts.
type CorruptError struct {
	Path    string
	MovedTo string // "" when it was not moved
	// MoveFailed says Load tried to move the file aside and could not; a
	// reader that never moves files (ReadValid, for serve) leaves it false,
	// so its message does not speak of a move nobody tried.
	MoveFailed bool
	Err        error
}

// Error says what happened to the file and where it is now.
func (e *CorruptError) Error() string {
	if e.MoveFailed {
		return fmt.Sprintf("%s is damaged and could not be moved aside: %v", e.Path, e.Err)
	}
	if e.MovedTo == "" {
		return fmt.Sprintf("%s is damaged: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("%s was damaged (%v); it was moved aside to %s, kept for repair, and the instance list starts empty",
		e.Path, e.Err, e.MovedTo)
}

// Unwrap returns the parse (or rename) error.
func (e *CorruptError) Unwrap() error { return e.Err }

// VersionError means instances.json has a schema version this build does
// not know. The file is left untouched.
type VersionError struct {
	Path    string
	Version int // 0 when the file names no version
}

// Error says why the file was refused and what to do.
func (e *VersionError) Error() string {
	if e.Version > StoreVersion {
		return fmt.Sprintf("%s was written by a newer Licensedesk (schema version %d; this one reads version %d); "+
			"upgrade Licensedesk — the file was left untouched", e.Path, e.Version, StoreVersion)
	}
	return fmt.Sprintf("%s has schema version %d but Licensedesk reads version %d; "+
		"if it is a Licensedesk instance list set \"version\": %d — the file was left untouched",
		e.Path, e.Version, StoreVersion, StoreVersion)
}

// DuplicateIDError means instances.json, edited by hand, gives one id to
// several instances. Which of them a command, a metric or a keyring entry
// means would be a guess, so the whole file is refused and left untouched.
type DuplicateIDError struct {
	Path    string
	ID      string
	Entries []DuplicateEntry // every entry with the id, in file order
}

// DuplicateEntry is one of the entries that share an id.
type DuplicateEntry struct {
	Position int // 1-based place in the file's list
	Name     string
	URL      string
}

// Error names the id and every entry that has it.
func (e *DuplicateIDError) Error() string {
	parts := make([]string, len(e.Entries))
	for i, d := range e.Entries {
		parts[i] = fmt.Sprintf("entry %d (%s at %s)", d.Position, strconv.Quote(d.Name), client.SanitizeURL(d.URL))
	}
	return fmt.Sprintf("%s gives the id %q to more than one instance: %s; give each its own id in the file "+
		"— it was left untouched and no instance was loaded", e.Path, e.ID, strings.Join(parts, " and "))
}

// duplicateID finds the first id that list gives to several instances.
func duplicateID(list []Instance) *DuplicateIDError {
	first := make(map[string]int, len(list))
	for i, inst := range list {
		j, seen := first[inst.ID]
		if !seen {
			first[inst.ID] = i
			continue
		}
		e := &DuplicateIDError{ID: inst.ID}
		for k := j; k < len(list); k++ {
			if list[k].ID == inst.ID {
				e.Entries = append(e.Entries, DuplicateEntry{Position: k + 1, Name: list[k].Name, URL: list[k].URL})
			}
		}
		return e
	}
	return nil
}

// File is the on-disk shape of instances.json.
type File struct {
	Version   int        `json:"version"`
	Instances []Instance `json:"instances"`
}

// Store reads and writes instances.json. It is safe for use by several
// goroutines and several processes at once.
type Store struct {
	path string
	// beforeRename, when set (by tests), runs after the temp file is written
	// and before it replaces the old file; an error aborts the save.
	beforeRename func(tmp string) error
}

// NewStore returns a store for the file at path; nothing is read or created yet.
func NewStore(path string) *Store { return &Store{path: path} }

// Path is the instance list's file.
func (s *Store) Path() string { return s.path }

// Load reads the instance list. A missing file is an empty list. A damaged
// file is moved aside and reported as *CorruptError with an empty list; an
// unknown schema version is a *VersionError. Instances that fail validation
// are still returned, with a *ValidationError naming each instance and field,
// so that nothing is lost and the user can fix them.
func (s *Store) Load() ([]Instance, error) {
	list, err := s.read()
	var corrupt *CorruptError
	if !errors.As(err, &corrupt) {
		return list, err
	}
	// Move aside under the lock, after reading again, so that a good file
	// saved meanwhile by another process is never renamed away.
	unlock, lerr := s.lock()
	if lerr != nil {
		return []Instance{}, &CorruptError{Path: s.path, MoveFailed: true, Err: errors.Join(corrupt.Err, lerr)}
	}
	defer unlock()
	return s.loadLocked()
}

// loadLocked is Load for a caller holding the lock.
func (s *Store) loadLocked() ([]Instance, error) {
	list, err := s.read()
	var corrupt *CorruptError
	if errors.As(err, &corrupt) {
		moved, merr := s.moveAside()
		corrupt.MovedTo = moved
		if merr != nil {
			corrupt.MoveFailed = true
			corrupt.Err = errors.Join(corrupt.Err, merr)
		}
		return []Instance{}, corrupt
	}
	return list, err
}

// read reads and decodes the file; a missing file is an empty list.
func (s *Store) read() ([]Instance, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return []Instance{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the instance list %s: %w", s.path, err)
	}
	return s.decode(data)
}

// ReadValid reads the instance list without writing, moving or locking the
// file, and refuses it whole when any instance in it is invalid: a service
// that reads a file someone else owns (serve) runs every instance in it or
// none. A missing file is an empty list.
func (s *Store) ReadValid() ([]Instance, error) {
	list, err := s.read()
	if err != nil {
		return nil, err // read returns an invalid list too: never run it
	}
	return list, nil
}

// decode parses and validates; it touches no file.
func (s *Store) decode(data []byte) ([]Instance, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &CorruptError{Path: s.path, Err: errors.New("the file is empty")}
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil || probe == nil {
		return nil, &CorruptError{Path: s.path, Err: parseProblem(err, len(data))}
	}
	var version int
	if raw, ok := probe["version"]; ok {
		if err := json.Unmarshal(raw, &version); err != nil {
			return nil, &CorruptError{Path: s.path, Err: errors.New(`"version" is not a whole number`)}
		}
	}
	if version != StoreVersion {
		return nil, &VersionError{Path: s.path, Version: version}
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, &CorruptError{Path: s.path, Err: parseProblem(err, len(data))}
	}
	if f.Instances == nil {
		f.Instances = []Instance{}
	}
	if dup := duplicateID(f.Instances); dup != nil {
		dup.Path = s.path
		return nil, dup
	}
	if err := ValidateInstances(f.Instances); err != nil {
		verr := err.(*ValidationError)
		verr.Path = s.path
		return f.Instances, verr
	}
	return f.Instances, nil
}

// parseProblem words a JSON error without quoting the file's content, which
// might hold something a user pasted by mistake.
func parseProblem(err error, size int) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil, errors.As(err, &typ) && typ.Field == "":
		return errors.New("it is not a JSON object")
	case errors.As(err, &syn) && syn.Offset >= int64(size):
		return errors.New("it ends too early, as after an interrupted write")
	case errors.As(err, &syn):
		return fmt.Errorf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ) && typ.Type != nil:
		return fmt.Errorf("%q should be a JSON %s", typ.Field, jsonKind(typ.Type.Kind().String()))
	}
	return errors.New("it is not a JSON object")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "true or false"
	case "int", "int64":
		return "whole number"
	case "slice":
		return "list"
	}
	return "object"
}

// moveAside renames the damaged file to instances.json.corrupt-<UTC time>,
// never over an earlier copy.
func (s *Store) moveAside() (string, error) {
	return MoveAside(s.path, s.path+".corrupt-"+time.Now().UTC().Format("20060102T150405Z"))
}

// MoveAside renames a damaged file to base, or base-2, base-3… when an
// earlier copy is already there: a damaged file is kept, never overwritten.
func MoveAside(path, base string) (string, error) {
	for n := 1; n < 1000; n++ {
		dst := base
		if n > 1 {
			dst += "-" + strconv.Itoa(n)
		}
		if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(path, dst); err != nil {
			return "", fmt.Errorf("moving it aside failed: %w", err)
		}
		syncDir(filepath.Dir(path))
		return dst, nil
	}
	return "", errors.New("moving it aside failed: too many earlier copies")
}

// Save replaces the instance list atomically: after a crash or a failed
// write the previous file is still there, whole. It refuses invalid instances.
func (s *Store) Save(list []Instance) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	return s.saveLocked(list)
}

// Update loads the list, lets fn change it and saves the result, all under a
// file lock, so edits from the window and the command line never overwrite
// each other. Nothing is saved when fn returns an error. A damaged or
// unknown-version file stops the update with its error.
func (s *Store) Update(fn func([]Instance) ([]Instance, error)) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	list, err := s.loadLocked()
	var verr *ValidationError
	if err != nil && !errors.As(err, &verr) {
		return err
	}
	// Invalid instances from a hand edit go to fn, which may fix or remove
	// them; saveLocked refuses the result if any remain.
	list, err = fn(list)
	if err != nil {
		return err
	}
	return s.saveLocked(list)
}

func (s *Store) saveLocked(list []Instance) error {
	if list == nil {
		list = []Instance{}
	}
	if err := ValidateInstances(list); err != nil {
		err.(*ValidationError).Path = s.path
		return err
	}
	data, err := json.MarshalIndent(File{Version: StoreVersion, Instances: list}, "", "  ")
	if err != nil {
		return fmt.Errorf("cannot encode the instance list: %w", err)
	}
	data = append(data, '\n')
	if err := s.writeAtomic(data); err != nil {
		return fmt.Errorf("cannot save the instance list to %s (the previous version is unchanged): %w", s.path, err)
	}
	return nil
}

// writeAtomic replaces the store's file atomically. A symlinked
// instances.json (dotfiles) is kept a symlink: its target is replaced instead.
func (s *Store) writeAtomic(data []byte) error {
	target := s.path
	if resolved, err := filepath.EvalSymlinks(target); err == nil {
		target = resolved
	}
	removeOrphanedTemps(target)
	return WriteFileAtomic(target, data, s.beforeRename)
}

// removeOrphanedTemps deletes the temp files a writer killed between write
// and rename left beside target. Writers make them only under the store's
// lock, which the caller holds, so none of them is still being written.
func removeOrphanedTemps(target string) {
	orphans, _ := filepath.Glob(filepath.Join(filepath.Dir(target), tempPrefix(target)+"*"))
	for _, name := range orphans {
		os.Remove(name)
	}
}

// tempPrefix starts the name of every temp file WriteFileAtomic makes for target.
func tempPrefix(target string) string { return "." + filepath.Base(target) + ".tmp-" }

// WriteFileAtomic writes a temp file (mode 0600) beside target, syncs it,
// renames it over target and syncs the folder, so a crash leaves either the
// old file or the new one, never a torn one. beforeRename, when set (tests),
// runs between the sync and the rename.
func WriteFileAtomic(target string, data []byte, beforeRename func(tmp string) error) error {
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, tempPrefix(target)+"*")
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if beforeRename != nil {
		if err := beforeRename(tmp.Name()); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	committed = true
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable; where a folder cannot be synced (Windows)
// the rename itself is already atomic, so failures are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// lock takes the inter-process lock on path+".lock", creating the folder
// (mode 0700) if needed, and returns its release.
func (s *Store) lock() (func(), error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the folder for %s: %w", s.path, err)
	}
	fl := flock.New(s.path + ".lock") // mode 0600
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := fl.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !ok {
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			err = errors.New("another Licensedesk is still writing it; try again in a moment")
		}
		return nil, fmt.Errorf("cannot lock %s: %w", s.path, err)
	}
	return func() { fl.Unlock() }, nil
}
