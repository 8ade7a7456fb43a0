package config

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// watchCount starts WatchFile on path and counts its calls.
func watchCount(t *testing.T, path string) *atomic.Int32 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var n atomic.Int32
	WatchFile(ctx, path, func() { n.Add(1) })
	return &n
}

// waitFor waits for n to reach want, failing after a generous while.
func waitFor(t *testing.T, n *atomic.Int32, want int32, what string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if n.Load() >= want {
			return
		}
	}
	t.Fatalf("%s: %d calls, want %d", what, n.Load(), want)
}

func write(t *testing.T, path, data string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// A save that changes the list is heard; one that leaves its bytes as they
// were, and other files of the folder (the history, the settings), are not.
func TestWatchFileHearsChangesToTheFileOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "instances.json")
	write(t, path, `{"instances":[]}`)
	n := watchCount(t, path)

	write(t, filepath.Join(dir, "history.jsonl"), "{}\n")
	write(t, path, `{"instances":[]}`) // the same bytes
	time.Sleep(3 * fileSettle)         // let both settle before the real change
	write(t, path, `{"instances":[{"id":"a"}]}`)
	waitFor(t, n, 1, "a changed list")
	time.Sleep(3 * fileSettle)
	if got := n.Load(); got != 1 {
		t.Errorf("%d calls, want 1: a write that changed nothing was reported", got)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	waitFor(t, n, 2, "the removed file")
}

// A Kubernetes ConfigMap mounts instances.json as a symlink through ..data,
// and an update swaps ..data to a new folder: the file's own name is never
// touched, yet its bytes change.
func TestWatchFileHearsAConfigMapSwap(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"v1", "v2"} {
		if err := os.Mkdir(filepath.Join(dir, v), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, v, "instances.json"), []byte(`{"version":"`+v+`"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("v1", filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "instances.json")
	if err := os.Symlink(filepath.Join("..data", "instances.json"), path); err != nil {
		t.Fatal(err)
	}
	n := watchCount(t, path)

	if err := os.Symlink("v2", filepath.Join(dir, "..data_tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, n, 1, "the swapped ConfigMap")
}

// Where there are no file events, a changed file is still found by looking.
func TestPollFileLooksUntilTheWatchEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	looked := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		pollFile(ctx, func() {
			select {
			case looked <- struct{}{}:
			default:
			}
		})
		close(done)
	}()
	select {
	case <-looked:
	case <-time.After(10 * pollEvery):
		t.Fatal("the poll never looked at the file")
	}
	cancel()
	<-done
}
