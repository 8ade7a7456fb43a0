package config

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fileSettle gathers the events of one save (create, write, rename) into
// one look at the file; pollEvery is how often a folder without file
// events is looked at.
const (
	fileSettle = 250 * time.Millisecond
	pollEvery  = 2 * time.Second
)

// WatchFile calls changed, from a goroutine of its own, shortly after the
// bytes of the file at path change — written in place, replaced by a
// rename (an editor's atomic save, configuration management, a Kubernetes
// ConfigMap's symlink swap) or removed — until ctx ends. It watches the
// file's folder, since a rename onto the file or a swapped symlink never
// touches the file's own name, and looks at the file once a burst of
// events settles; events that leave its bytes as they were (a save of the
// same list, another file of the folder) call nothing. Where the system
// gives no file events it looks every pollEvery. The window and serve both
// follow instances.json this way.
func WatchFile(ctx context.Context, path string, changed func()) {
	last := fileSum(path)
	look := func() {
		if sum := fileSum(path); !bytes.Equal(sum, last) {
			last = sum
			changed()
		}
	}
	w, err := fsnotify.NewWatcher()
	if err == nil {
		if err = w.Add(filepath.Dir(path)); err != nil {
			_ = w.Close()
		}
	}
	if err != nil {
		go pollFile(ctx, look)
		return
	}
	go func() {
		defer w.Close()
		var settle <-chan time.Time
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-w.Events:
				if !ok {
					return
				}
				settle = time.After(fileSettle)
			case _, ok := <-w.Errors:
				if !ok {
					return
				}
				// Events were lost (the queue overflowed): look anyway.
				settle = time.After(fileSettle)
			case <-settle:
				settle = nil
				look()
			}
		}
	}()
}

// fileSum is a digest of the file's bytes, nil when it cannot be read.
func fileSum(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	sum := sha256.Sum256(data)
	return sum[:]
}

// pollFile is WatchFile for systems without file events.
func pollFile(ctx context.Context, look func()) {
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			look()
		}
	}
}
