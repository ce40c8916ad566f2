package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/testbook"
)

// TestInterruptedBuild stops builds of a changed book with SIGINT or
// SIGKILL at three moments: as soon as the build starts, when its first
// file appears in out/ (a temporary file, or an edition renamed into
// place), and when an edition has been replaced. It checks that each
// edition in out/ is then either the earlier one or the whole new one,
// never a part of either.
func TestInterruptedBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and a book eight times")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "paiban")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src, err := testbook.Generate(testbook.Options{Chars: 40 * testbook.CharsPerA4Page, Chapters: 10})
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

	// replaced reports whether an edition in out is no longer the file
	// the test put there (replaceFile renames a new file over it).
	replaced := func(out string, put map[string]os.FileInfo) bool {
		for f, fi := range put {
			now, err := os.Stat(filepath.Join(out, f))
			if err != nil || !os.SameFile(fi, now) {
				return true
			}
		}
		return false
	}
	moments := []struct {
		name    string
		reached func(out string, put map[string]os.FileInfo) bool
	}{
		{"at the start", func(string, map[string]os.FileInfo) bool { return true }},
		{"at its first file", func(out string, put map[string]os.FileInfo) bool {
			files, _ := os.ReadDir(out)
			return len(files) > len(put) || replaced(out, put)
		}},
		{"after a replaced edition", replaced},
	}
	stopped, runs, renewed := 0, 0, 0
	for _, m := range moments {
		for _, sig := range []os.Signal{os.Interrupt, os.Kill} {
			runs++
			out := filepath.Join(dir, "out", strconv.Itoa(runs))
			put := map[string]os.FileInfo{}
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			for f, b := range old {
				path := filepath.Join(out, f)
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
				put[f], _ = os.Stat(path)
			}
			cmd := build(out, changed)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			err := waitOrStop(cmd, done, sig, func() bool { return m.reached(out, put) })
			var exit *exec.ExitError
			if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
				stopped++
			}
			now := read(out)
			for _, f := range editions {
				if bytes.Equal(now[f], whole[f]) {
					renewed++
				} else if !bytes.Equal(now[f], old[f]) {
					t.Errorf("%s after %v %s: neither the earlier edition nor the whole new one (%d bytes)", f, sig, m.name, len(now[f]))
				}
			}
		}
	}
	t.Logf("%d of %d builds stopped by a signal; %d editions replaced", stopped, runs, renewed)
	if stopped == 0 || renewed == 0 {
		t.Error("no build was stopped by a signal, or none after replacing an edition: the test checked too little")
	}
}

// waitOrStop waits for the build to end or reach its moment, polling
// every millisecond, and sends sig at the moment. It returns how the build
// ended.
func waitOrStop(cmd *exec.Cmd, done <-chan error, sig os.Signal, reached func() bool) error {
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !reached() {
		select {
		case err := <-done:
			return err
		case <-tick.C:
		}
	}
	_ = cmd.Process.Signal(sig) // fails once the build is over
	return <-done
}
