package serve

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settle is how long the instance file must stay quiet before a change is
// loaded: an editor or a copy writes in several steps, and the file is
// read once they are done.
const settle = 250 * time.Millisecond

// watch reloads the instance file when it changes and when Reload asks,
// one reload at a time, until ctx ends. It watches the file's folder, so a
// file replaced by a rename (an atomic save, configuration management, a
// Kubernetes ConfigMap's symlink swap) is seen too; events that leave the
// file's bytes as they were change nothing.
func (e *Exporter) watch(ctx context.Context) {
	var events <-chan fsnotify.Event
	var errs <-chan error
	if e.opts.StorePath != "" {
		w, err := fsnotify.NewWatcher()
		if err == nil {
			err = w.Add(filepath.Dir(e.opts.StorePath))
		}
		if err != nil {
			e.opts.Logger.Warn("changes to the instance file are not watched; send SIGHUP to reload it",
				"file", e.opts.StorePath, "err", err)
			if w != nil {
				w.Close()
			}
		} else {
			defer w.Close()
			events, errs = w.Events, w.Errors
		}
	}
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case done := <-e.reload:
			done <- e.applyReload(true)
		case _, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			quiet.Reset(settle)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			e.opts.Logger.Warn("watching the instance file failed; send SIGHUP to reload it", "err", err)
		case <-quiet.C:
			e.applyReload(false)
		}
	}
}

// readRaw returns the file's bytes, or nil when it cannot be read.
func readRaw(path string) []byte {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return data
}
