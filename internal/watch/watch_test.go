package watch

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// builds counts the builds Loop ran; wait waits until there were n.
type builds struct {
	mu sync.Mutex
	n  int
	ok chan struct{}
}

func (b *builds) built(error, time.Duration) {
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
	b.ok <- struct{}{}
}

// wait waits for the next build; the deadline only stops a broken loop
// from hanging the test.
func (b *builds) wait(t *testing.T, what string) {
	t.Helper()
	select {
	case <-b.ok:
	case <-time.After(time.Minute):
		t.Fatalf("no build after %s", what)
	}
}

func TestLoopRebuildsOnWhatTheBuildOpened(t *testing.T) {
	dir := t.TempDir()
	chapter := filepath.Join(dir, "one.md")
	later := filepath.Join(dir, "two.md") // looked for, not there at first
	if err := os.WriteFile(chapter, []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(opened func(string)) error {
		opened(chapter)
		opened(later)
		if _, err := os.Stat(later); err != nil {
			return errors.New("two.md is missing")
		}
		return nil
	}
	b := &builds{ok: make(chan struct{}, 100)}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { Loop(build, time.Millisecond, stop, b.built); close(done) }()
	b.wait(t, "starting")

	if err := os.WriteFile(chapter, []byte("ab"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.wait(t, "a change to a file the build read")
	if err := os.WriteFile(later, []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.wait(t, "a file the build looked for appeared")
	if err := os.Remove(chapter); err != nil {
		t.Fatal(err)
	}
	b.wait(t, "a file the build read went")
	close(stop)
	<-done
}
