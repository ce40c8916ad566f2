package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPanicBecomesError checks that a panic in a stage, here the writers'
// report on a nil writer, comes back as an error naming the book.
func TestPanicBecomesError(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), nil, &stderr)
	opt.Stdout = nil
	err := Run(book, opt)
	if err == nil || !strings.HasPrefix(err.Error(), book+": internal error") {
		t.Errorf("error %v, want %s: internal error …", err, book)
	}
}

// TestStrictMissingGlyph checks that --strict turns every missing
// character into an error at its line, and writes nothing.
func TestStrictMissingGlyph(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "rare.md")
	src := strings.Replace(goodBook, "正文第一段", "正文\U00020000第一段😀", 1)
	if err := os.WriteFile(book, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), &stdout, &stderr)
	opt.Strict = true
	err := Run(book, opt)
	for _, want := range []string{book + ":8: no bundled font has '\U00020000' (U+20000)", book + ":8: no bundled font has '😀' (U+1F600)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %s", err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("a strict build with missing characters wrote outputs")
	}
}
