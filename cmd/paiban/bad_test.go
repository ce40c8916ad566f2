package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badBook is a broken or hostile book: its source (a file of
// testdata/bad, or one the test writes), the flags, and what stderr must
// say, each line starting file:line.
type badBook struct {
	name  string
	book  func(t *testing.T) string
	flags []string
	want  []string
}

// checkedIn is a book of testdata/bad.
func checkedIn(name string) func(*testing.T) string {
	return func(*testing.T) string { return filepath.Join("testdata", "bad", name) }
}

// written writes files into a new folder and returns the path of the
// first, the book.
func written(files ...string) func(*testing.T) string {
	return func(t *testing.T) string {
		dir := t.TempDir()
		for i := 0; i < len(files); i += 2 {
			p := filepath.Join(dir, files[i])
			var err error
			if target, ok := strings.CutPrefix(files[i+1], "->"); ok {
				err = os.Symlink(target, p)
			} else {
				err = os.WriteFile(p, []byte(files[i+1]), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		return filepath.Join(dir, files[0])
	}
}

const frontMatter = "---\ntitle: 测试\n---\n\n"

var badBooks = []badBook{
	{"broken YAML", checkedIn("broken-yaml.md"), nil, []string{"broken-yaml.md:3: front matter: did not find expected ',' or ']'"}},
	{"several errors in one run", checkedIn("several.md"), nil, []string{
		`several.md:3:1: unknown front matter key "auther" (did you mean "author"?)`,
		`several.md:4:1: unknown front matter key "dat" (did you mean "date"?)`,
		"several.md:7:4: footnote reference [^1] has no definition"}},
	{"empty file, strict", checkedIn("empty.md"), []string{"--strict"}, []string{
		`empty.md:1: no front matter and no level-1 heading: the title is the file's name "empty" (add ---, title: …, --- to set it) (an error with --strict)`,
		"empty.md:1: empty body: the book has no text (an error with --strict)"}},
	{"front matter only, strict", checkedIn("empty-body.md"), []string{"--strict"}, []string{"empty-body.md:3: empty body"}},
	{"invalid UTF-8", checkedIn("invalid-utf8.md"), nil, []string{"invalid-utf8.md:5:3: invalid UTF-8 (byte 0xff)"}},
	{"binary file", written("image.md", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), nil, []string{"image.md:1:1: invalid UTF-8 (byte 0x89)"}},
	{"raw HTML, strict", checkedIn("raw-html.md"), []string{"--strict"}, []string{"raw-html.md:5: HTML element <script> is dropped with its content (an error with --strict)"}},
	{"script links, strict", checkedIn("script-links.md"), []string{"--strict"}, []string{
		`script-links.md:6:1: link to "javascript:alert(1)": javascript: links are not allowed (use http, https or mailto); the text is kept without the link (an error with --strict)`,
		`script-links.md:7:1: link to "data:text/html,x": data: links are not allowed`}},
	{"image out of the folder", checkedIn("image-traversal.md"), nil, []string{`image-traversal.md:5:1: image "../../etc/passwd": not a path inside the book's folder`}},
	{"cover out of the folder", checkedIn("cover-traversal.md"), nil, []string{`cover-traversal.md:3:8: cover "../../etc/passwd" must be a path inside the book's folder`}},
	{"cover absolute", checkedIn("cover-absolute.md"), nil, []string{`cover-absolute.md:3:8: cover "/etc/passwd" must be a path inside the book's folder`}},
	{"cover missing", checkedIn("cover-missing.md"), nil, []string{`cover-missing.md:3: cover "images/none.png": no such file`}},
	{"cover linked out", written("b.md", "---\ntitle: 测试\ncover: c.png\n---\n\n正文。\n", "c.png", "->/etc/passwd"), nil, []string{`b.md:3: cover "c.png": a symbolic link out of the book's folder`}},
	{"cover not an image", written("b.md", "---\ntitle: 测试\ncover: c.png\n---\n\n正文。\n", "c.png", "text"), nil, []string{`b.md:3: cover "c.png" is not an image paiban reads (PNG, JPEG, GIF, WebP, BMP or TIFF)`}},
	{"chapter linked out", written("book.yaml", "title: 书\nchapters:\n  - a.md\n", "a.md", "->/etc/passwd"), nil, []string{"book.yaml:3: chapter a.md: a symbolic link out of the book's folder"}},
	{"chapter out of the folder", written("book.yaml", "title: 书\nchapters:\n  - ../../etc/passwd\n"), nil, []string{`book.yaml:3: chapter "../../etc/passwd" must be a file inside the book's folder`}},
	{"date 0001-01-01", written("b.md", "---\ntitle: 测试\ndate: 0001-01-01\n---\n\n正文。\n"), nil, []string{`b.md:3:7: date "0001-01-01" is before 1970: give the date of this edition`}},
	{"nested too deep", written("deep.md", frontMatter+strings.Repeat(">", 20000)+" 文\n"), nil, []string{"deep.md:5: block quotes and lists nested 20000 deep"}},
	{"missing glyph, strict", checkedIn("missing-glyph.md"), []string{"--strict"}, []string{"missing-glyph.md:5: no bundled font has '\U00030000' (U+30000)"}},
	{"unknown style", checkedIn("missing-glyph.md"), []string{"--style", "a5book"}, []string{`unknown style "a5book": the styles are a4-handout, a5-book (did you mean "a5-book"?)`}},
	{"missing book", checkedIn("none.md"), nil, []string{"testdata/bad/none.md: no such file"}},
}

// TestBadBooks builds each bad book over earlier editions and checks the
// exit status, the messages, that no stack trace is printed and that the
// earlier editions are left as they were.
func TestBadBooks(t *testing.T) {
	for _, c := range badBooks {
		t.Run(c.name, func(t *testing.T) { checkBadBook(t, c) })
	}
}

// checkBadBook builds c over earlier editions and checks the exit status,
// the messages, that no stack trace is printed and that the earlier
// editions are left as they were.
func checkBadBook(t *testing.T, c badBook) {
	t.Helper()
	book := c.book(t)
	out := t.TempDir()
	name := strings.TrimSuffix(filepath.Base(book), filepath.Ext(book))
	if filepath.Base(book) == "book.yaml" {
		name, book = filepath.Base(filepath.Dir(book)), filepath.Dir(book)
	}
	old := map[string]string{name + ".pdf": "earlier PDF", name + ".epub": "earlier EPUB"}
	for f, s := range old {
		if err := os.WriteFile(filepath.Join(out, f), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	args := append([]string{"build", "--fonts", "../../fonts", "--styles", "../../styles", "-o", out}, c.flags...)
	status := run(append(args, book), &stdout, &stderr)
	if status != 1 {
		t.Errorf("status %d, want 1", status)
	}
	for _, w := range c.want {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
		}
	}
	if s := stderr.String(); strings.Contains(s, "goroutine ") || strings.Contains(s, "panic") {
		t.Errorf("stderr holds a stack trace:\n%s", s)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != len(old) {
		t.Errorf("out/ holds %d files, want the %d earlier ones", len(entries), len(old))
	}
	for f, s := range old {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || string(b) != s {
			t.Errorf("%s changed: %q, %v", f, b, err)
		}
	}
}

// TestWarningsBuild checks that a book with links that lead nowhere
// builds, says so on stderr, and that no javascript: or data: URL
// reaches either edition.
func TestWarningsBuild(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	status := run([]string{"build", "--fonts", "../../fonts", "--styles", "../../styles", "-o", out, "--format", "pdf,epub",
		filepath.Join("testdata", "bad", "script-links.md")}, &stdout, &stderr)
	if status != 0 {
		t.Fatalf("status %d:\n%s", status, stderr.String())
	}
	if want := `script-links.md:6:1: warning: link to "javascript:alert(1)"`; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
	}
	pdf, err := os.ReadFile(filepath.Join(out, "script-links.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(out, "script-links.epub"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	all := [][]byte{pdf}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		all = append(all, b)
	}
	// As an attribute in the EPUB or a PDF string (a link's /URI); the
	// autolink's text, javascript:alert(1), stays as text.
	for _, b := range all {
		for _, url := range []string{"javascript:", "data:"} {
			if bytes.Contains(b, []byte(`"`+url)) || bytes.Contains(b, []byte("("+url)) {
				t.Errorf("a %s URL reached an edition", url)
			}
		}
	}
	if !bytes.Contains(pdf, []byte("https://example.com/")) {
		t.Error("the https link is not in the PDF")
	}
}
