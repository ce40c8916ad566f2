package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/testbook"
)

// TestInterruptedBuild stops builds of a changed book with SIGINT or
// SIGKILL at moments from the start to the end of a build, and checks
// that each edition in out/ is then either the earlier one or the whole
// new one, never a part of either.
func TestInterruptedBuild(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "paiban")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src, err := testbook.Generate(testbook.Options{Chars: 150 * testbook.CharsPerA4Page, Chapters: 10})
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "book.md")
	build := func(out string, src []byte) *exec.Cmd {
		if err := os.WriteFile(book, src, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "build", "--fonts", "../../fonts", "--styles", "../../styles", "-o", out, book)
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1714521600")
		return cmd
	}
	editions := []string{"book.pdf", "book.epub"}
	read := func(out string) map[string][]byte {
		m := map[string][]byte{}
		for _, f := range editions {
			b, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			m[f] = b
		}
		return m
	}
	changed := append(bytes.Clone(src), "\n改动之后的一段。\n"...)
	for _, s := range []struct {
		out string
		src []byte
	}{{"old", src}, {"new", changed}} {
		if out, err := build(filepath.Join(dir, s.out), s.src).CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}
	old, whole := read(filepath.Join(dir, "old")), read(filepath.Join(dir, "new"))

	stopped, runs, replaced := 0, 0, 0
	for i, delay := range []time.Duration{0, 20, 50, 100, 200, 400, 800, 1600, 3200, 6400} {
		out := filepath.Join(dir, "out", strings.Repeat("x", i+1))
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		for f, b := range old {
			if err := os.WriteFile(filepath.Join(out, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		runs++
		cmd := build(out, changed)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		sig := []os.Signal{os.Interrupt, os.Kill}[i%2]
		_ = cmd.Process.Signal(sig) // fails once the build is over
		err := cmd.Wait()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
			stopped++
		}
		now := read(out)
		for _, f := range editions {
			if bytes.Equal(now[f], whole[f]) {
				replaced++
			} else if !bytes.Equal(now[f], old[f]) {
				t.Errorf("%s after %v at %v: neither the earlier edition nor the whole new one (%d bytes)", f, sig, delay*time.Millisecond, len(now[f]))
			}
		}
		if err == nil {
			break // the build finished before the signal: later ones would too
		}
	}
	t.Logf("%d of %d builds stopped by a signal; %d editions replaced", stopped, runs, replaced)
	if stopped == 0 {
		t.Error("no build was stopped by a signal: the test checked nothing")
	}
}
