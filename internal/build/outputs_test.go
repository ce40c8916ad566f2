package build

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestStaleTempFilesRemoved: a build killed between writing its temporary
// file and renaming it leaves .NAME.pdf.* behind; the next build of that
// output removes it, and leaves other files alone.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "a[1].pdf")
	stale := filepath.Join(dir, ".a[1].pdf.123456")
	other := filepath.Join(dir, ".b.pdf.123456")
	for _, f := range []string{stale, other} {
		if err := os.WriteFile(f, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeAtomic(out, func(w io.Writer) error { _, err := w.Write([]byte("%PDF")); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file is still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another output's file was removed: %v", err)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "%PDF" {
		t.Errorf("output = %q, %v", b, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".a*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
