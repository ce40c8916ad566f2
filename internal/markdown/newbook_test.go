package markdown

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestNewBookReads checks that the book NewBook starts reads without a
// warning, and that NewBook refuses a folder with files in it.
func TestNewBookReads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "book")
	written, err := NewBook(dir)
	if err != nil || len(written) != len(newBook) {
		t.Fatalf("wrote %v: %v", written, err)
	}
	d, err := ParseBook(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) > 0 || d.Meta.Title != "书名" {
		t.Errorf("title %q, warnings %v", d.Meta.Title, d.Warnings)
	}
	if _, err := NewBook(dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second NewBook in the folder: %v", err)
	}
}
