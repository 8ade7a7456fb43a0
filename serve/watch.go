package serve

import (
	"context"
	"os"

	"github.com/licensedesk/licensedesk/app/config"
)

// watch reloads the instance file when it changes and when Reload asks,
// one reload at a time, until ctx ends. config.WatchFile follows the file
// as the window does: through its folder, so a file replaced by a rename
// (configuration management, a Kubernetes ConfigMap's symlink swap) is
// seen too, and only when its bytes change.
func (e *Exporter) watch(ctx context.Context) {
	changed := make(chan struct{}, 1)
	if e.opts.StorePath != "" {
		config.WatchFile(ctx, e.opts.StorePath, func() {
			select {
			case changed <- struct{}{}:
			default: // a reload is already due
			}
		})
	}
	for {
		select {
		case <-ctx.Done():
			return
		case done := <-e.reload:
			done <- e.applyReload(true)
		case <-changed:
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
