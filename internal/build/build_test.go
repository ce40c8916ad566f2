package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/markdown"
)

// testOptions are the options of a test's build. It fetches nothing: no
// test reaches the network (TestRemoteImages in internal/markdown fetches
// from a local server).
func testOptions(out string, stdout, stderr *bytes.Buffer) Options {
	return Options{OutDir: out, Formats: Formats, Style: "a5-book",
		FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles"),
		Offline: true, CacheDir: filepath.Join(out, "no-cache"),
		Stdout: stdout, Stderr: stderr}
}

const goodBook = `---
title: 测试
author: 作者
---

## 一、开头

正文第一段，引用一句话。[^a]

[^a]: 注释。
`

// TestFailedBuildKeepsOutputs checks that a book with an error is reported
// as file:line and leaves the previous editions byte for byte.
func TestFailedBuildKeepsOutputs(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book.md")
	out := filepath.Join(dir, "out")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := Run(book, testOptions(out, &stdout, &stderr)); err != nil {
		t.Fatal(err)
	}
	before := map[string][]byte{}
	for _, f := range []string{"book.pdf", "book.epub"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		before[f] = b
	}
	bad := strings.Replace(goodBook, "author: 作者", "auther: 作者", 1)
	if err := os.WriteFile(book, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Run(book, testOptions(out, &stdout, &stderr))
	if err == nil || !strings.Contains(err.Error(), book+":3:") || !strings.Contains(err.Error(), `"author"`) {
		t.Fatalf("error = %v, want %s:3: naming the key author", err, book)
	}
	for f, b := range before {
		now, err := os.ReadFile(filepath.Join(out, f))
		if err != nil || !bytes.Equal(now, b) {
			t.Errorf("%s changed after a failed build", f)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Errorf("out/ holds %d files after a failed build, want the 2 editions", len(entries))
	}
}

// TestMissingGlyphReported checks that a character no bundled font has is
// reported with file, line and code point, and set as a visible mark.
func TestMissingGlyphReported(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "rare.md")
	// U+30000 (CJK Extension G) is in no bundled face.
	src := strings.Replace(goodBook, "正文第一段", "正文\U00030000第一段", 1)
	if err := os.WriteFile(book, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), &stdout, &stderr)
	opt.Formats = []string{"pdf"}
	if err := Run(book, opt); err != nil {
		t.Fatal(err)
	}
	want := book + ":8: warning: no bundled font has '\U00030000' (U+30000)"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
	pages := pdfPages(t, filepath.Join(dir, "out", "rare.pdf"))
	if !strings.Contains(strings.Join(pages, ""), "正文〓第一段") {
		t.Errorf("the PDF does not show the missing character as 〓:\n%s", pages[0])
	}
	// In the title, the character is also set in text made from the
	// metadata (the running heads), which has no line of its own.
	if err := os.WriteFile(book, []byte(strings.Replace(goodBook, "title: 测试", "title: 测\U00030000试", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if err := Run(book, opt); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !strings.HasPrefix(line, book+":") {
			t.Errorf("a warning does not name the book: %q", line)
		}
	}

}

// TestReproducible builds twice and compares the bytes.
func TestReproducible(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1714521600")
	var first [2][]byte
	for i := range 2 {
		var stdout, stderr bytes.Buffer
		out := filepath.Join(dir, "out"+string(rune('a'+i)))
		if err := Run(book, testOptions(out, &stdout, &stderr)); err != nil {
			t.Fatal(err)
		}
		for k, f := range []string{"book.pdf", "book.epub"} {
			b, _ := os.ReadFile(filepath.Join(out, f))
			if i == 0 {
				first[k] = b
			} else if !bytes.Equal(first[k], b) {
				t.Errorf("%s differs between two builds", f)
			}
		}
	}
}

// TestStyleImposes checks that a style's impose option makes the booklet
// edition without a flag.
func TestStyleImposes(t *testing.T) {
	dir := t.TempDir()
	styles := filepath.Join(dir, "styles")
	if err := os.MkdirAll(styles, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a4-handout.yaml", "a5-book.yaml", "epub.css"} {
		data, err := os.ReadFile(filepath.Join(root, "styles", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "a5-book.yaml" {
			data = append(data, "impose: [booklet]\n"...)
		}
		if err := os.WriteFile(filepath.Join(styles, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	book := filepath.Join(dir, "book.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), &stdout, &stderr)
	opt.StylesDir, opt.Formats = styles, []string{"pdf"}
	if err := Run(book, opt); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "book-booklet.pdf")); err != nil {
		t.Errorf("no booklet edition: %v\n%s", err, stdout.String())
	}
}

// parseBook reads a one-file book (NAME.md) or a book folder, without
// fetching the images it names by URL.
func parseBook(book string) (*doc.Document, error) {
	return markdown.Read(book, markdown.Options{})
}

// TestOwnStylesFolder: a styles folder that holds only the user's own
// style builds both editions, the EPUB with the built-in style sheet and
// page markers that cite the pages of the user's style.
func TestOwnStylesFolder(t *testing.T) {
	dir := t.TempDir()
	styles := filepath.Join(dir, "styles")
	if err := os.Mkdir(styles, 0o755); err != nil {
		t.Fatal(err)
	}
	mine, err := os.ReadFile(filepath.Join(root, "styles", "a5-book.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "book.md")
	for path, data := range map[string][]byte{filepath.Join(styles, "mine.yaml"): mine, book: []byte(goodBook)} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	out := filepath.Join(dir, "out")
	opt := testOptions(out, &stdout, &stderr)
	opt.StylesDir, opt.Style = styles, "mine"
	if err := Run(book, opt); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	files := epubEntries(t, filepath.Join(out, "book.epub"))
	if css := files["EPUB/css/paiban.css"]; !strings.Contains(css, "text-autospace") {
		t.Errorf("the EPUB's style sheet is not the built-in one:\n%.300s", css)
	}
	_, pageList, _ := strings.Cut(files["EPUB/nav.xhtml"], `epub:type="page-list"`)
	if !strings.Contains(files["EPUB/package.opf"], "（mine 版式）") || !strings.Contains(pageList, `#page-1">1</a>`) {
		t.Errorf("the page list does not cite the pages of the style mine:\n%s", pageList)
	}
}

// TestOutputName checks the names editions are written under, for a
// book named by a relative path such as "." too.
func TestOutputName(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "我的书")
	if err := os.MkdirAll(filepath.Join(dir, "part"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "part"))
	for book, want := range map[string]string{
		".":               "part",
		"./":              "part",
		"..":              "我的书",
		"../":             "我的书",
		"chapter.md":      "chapter",
		"a/b/index.md":    "index",
		"/srv/books/x.md": "x",
		"notes.v2.md":     "notes.v2",
	} {
		if got := OutputName(book); got != want {
			t.Errorf("OutputName(%q) = %q, want %q", book, got, want)
		}
	}
}
