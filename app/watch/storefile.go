package watch

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fileSettle gathers the events of one save (create, write, rename) into
// one call; pollEvery is how often a folder without file events is looked at.
const (
	fileSettle = 250 * time.Millisecond
	pollEvery  = 2 * time.Second
)

// WatchFile calls changed, from a goroutine of its own, shortly after the
// file at path is written, replaced or removed by anyone, until ctx ends.
// It watches the file's folder, since an atomic save replaces the file by
// renaming another onto it; where the system gives no file events it
// compares the file's size and time every pollEvery.
func WatchFile(ctx context.Context, path string, changed func()) {
	w, err := fsnotify.NewWatcher()
	if err == nil {
		if err = w.Add(filepath.Dir(path)); err != nil {
			_ = w.Close()
		}
	}
	if err != nil {
		go pollFile(ctx, path, changed)
		return
	}
	go func() {
		defer w.Close()
		name := filepath.Clean(path)
		var settle <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if filepath.Clean(ev.Name) == name {
					settle = time.After(fileSettle)
				}
			case _, ok := <-w.Errors:
				if !ok {
					return
				}
			case <-settle:
				settle = nil
				changed()
			}
		}
	}()
}

// pollFile is WatchFile for systems without file events.
func pollFile(ctx context.Context, path string, changed func()) {
	stamp := func() (time.Time, int64) {
		fi, err := os.Stat(path)
		if err != nil {
			return time.Time{}, -1
		}
		return fi.ModTime(), fi.Size()
	}
	lastT, lastN := stamp()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if t, n := stamp(); !t.Equal(lastT) || n != lastN {
				lastT, lastN = t, n
				changed()
			}
		}
	}
}
