package main

import (
	"os"
	"testing"
)

// TestActionsOnAFullDiskSaySoAboutTheHistory writes the history to
// /dev/full, where every write fails as on a full disk.
func TestActionsOnAFullDiskSaySoAboutTheHistory(t *testing.T) {
	testActionsWhoseHistoryCannotBeWritten(t, historyCase{"full disk", func(t *testing.T, path string) {
		if err := os.Symlink("/dev/full", path); err != nil {
			t.Fatal(err)
		}
	}, "no space left on device"})
}
