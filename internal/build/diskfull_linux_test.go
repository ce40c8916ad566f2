package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDiskFullKeepsThePair builds into a small tmpfs that holds the new
// PDF but not the new EPUB beside the old pair: the build must fail
// naming the file and the cause, and leave the old pair as it was, not
// a new PDF beside an old EPUB.
func TestDiskFullKeepsThePair(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "b.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	// The sizes of the editions, built where there is room.
	var stdout, stderr bytes.Buffer
	roomy := filepath.Join(dir, "roomy")
	if err := Run(book, testOptions(roomy, &stdout, &stderr)); err != nil {
		t.Fatal(err)
	}
	size := func(f string) int64 {
		fi, err := os.Stat(filepath.Join(roomy, f))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	pdfSize, epubSize := size("b.pdf"), size("b.epub")

	out := filepath.Join(dir, "small")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	room := (pdfSize + epubSize/2 + 8<<10) &^ 4095
	if err := syscall.Mount("tmpfs", out, "tmpfs", 0, fmt.Sprintf("size=%d", room)); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill up (%v): needs root or CAP_SYS_ADMIN", err)
	}
	t.Cleanup(func() { syscall.Unmount(out, 0) })
	old := map[string]string{"b.pdf": "earlier PDF", "b.epub": "earlier EPUB"}
	for f, s := range old {
		if err := os.WriteFile(filepath.Join(out, f), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := Run(book, testOptions(out, &stdout, &stderr))
	want := "b.epub: no space left on device (nothing was replaced)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want …%s", err, want)
	}
	for f, s := range old {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || string(b) != s {
			t.Errorf("%s: %.20q, %v; want the earlier edition", f, b, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
