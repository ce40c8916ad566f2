package build

import (
	"bytes"
	"image"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// TestOpenedNamesWhatTheBookRead checks that a build reports the files it
// read: the book's configuration, chapters, image and cover, the styles
// and epub.css, the fonts and their licences; and not a file of the
// book's folder the book does not name. It reports them after a failed
// build too, so that a watcher can wait for the fix.
func TestOpenedNamesWhatTheBookRead(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book")
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"book.yaml":      "title: 书\ncover: cover.png\nchapters:\n  - one.md\n  - two.md\n",
		"one.md":         "# 一\n\n![图](images/a.png)\n",
		"two.md":         "# 二\n\n正文。\n",
		"images/a.png":   img.String(),
		"cover.png":      img.String(),
		"notes.txt":      "not part of the book",
		"unused/x.md":    "# 不在书中\n",
		"images/b.png":   img.String(),
		"draft-three.md": "# 草稿\n",
	}
	for name, text := range files {
		path := filepath.Join(book, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[string]bool{}
	opt := testOptions(filepath.Join(dir, "out"), &bytes.Buffer{}, &bytes.Buffer{})
	opt.Opened = func(path string) {
		mu.Lock()
		seen[path] = true
		mu.Unlock()
	}
	if err := Run(book, opt); err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(book, "book.yaml"), filepath.Join(book, "SUMMARY.md"), filepath.Join(book, "book.toml"),
		filepath.Join(book, "one.md"), filepath.Join(book, "two.md"),
		filepath.Join(book, "images", "a.png"), filepath.Join(book, "cover.png"),
		filepath.Join(opt.StylesDir, "a5-book.yaml"), filepath.Join(opt.StylesDir, "a4-handout.yaml"),
		filepath.Join(opt.StylesDir, "epub.css"),
		filepath.Join(opt.FontsDir, "NotoSerifSC-Regular.ttf"), filepath.Join(opt.FontsDir, "HanaMinB.ttf"),
		filepath.Join(opt.FontsDir, "OFL-NotoSerifSC.txt"),
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("%s is not reported", w)
		}
	}
	for _, name := range []string{"notes.txt", "unused/x.md", "images/b.png", "draft-three.md"} {
		if p := filepath.Join(book, filepath.FromSlash(name)); seen[p] {
			t.Errorf("%s is reported, but the book does not name it", p)
		}
	}

	// A chapter that is missing fails the build, and is reported.
	if err := os.Remove(filepath.Join(book, "two.md")); err != nil {
		t.Fatal(err)
	}
	clear(seen)
	if err := Run(book, opt); err == nil {
		t.Fatal("a book without its chapter built")
	}
	if p := filepath.Join(book, "two.md"); !seen[p] {
		t.Errorf("the missing chapter is not reported: %v", slices.Sorted(maps.Keys(seen)))
	}
}
