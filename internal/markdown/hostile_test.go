package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileInput checks that input meant to smuggle script into a
// reader, or to take a parser's time, is refused at its line.
func TestHostileInput(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"image", "![图](../../etc/passwd)\n", `4:1: image "../../etc/passwd": not a path inside the book's folder`},
		{"deep quotes", strings.Repeat(">", 20000) + " 文\n", "4: block quotes and lists nested 20000 deep: paiban nests them at most 32 deep"},
		{"deep list", strings.Repeat("- ", 20000) + "文\n", "4: block quotes and lists nested 20000 deep"},
		{"deep ordered list", strings.Repeat("1. ", 33) + "文\n", "4: block quotes and lists nested 33 deep"},
		{"deep indentation", "- 文\n" + strings.Repeat(" ", 200) + "- 文\n", "5: line indented 202 columns"},
	}
	for _, c := range cases {
		_, err := Parse("b.md", []byte(fm+c.body))
		if err == nil || !strings.Contains(err.Error(), "b.md:"+c.want) {
			t.Errorf("%s: error %v, want b.md:%s", c.name, err, c.want)
		}
	}
	// Found by FuzzBuild: the shape of a tag, but one the EPUB writer
	// refused after the PDF had been replaced.
	if _, err := Parse("b.md", []byte("---\ntitle: T\nlang: zh-N\n---\n\n文\n")); err == nil || !strings.Contains(err.Error(), `b.md:3:7: lang "zh-N" is not a BCP 47 language tag`) {
		t.Errorf("lang zh-N: error %v", err)
	}
	// The deepest nesting allowed is read.
	if _, err := Parse("b.md", []byte(fm+strings.Repeat("> ", MaxNesting)+"文\n")); err != nil {
		t.Errorf("%d nested quotes: %v", MaxNesting, err)
	}
	if _, err := Parse("b.md", []byte(fm+"[网](https://example.com/?a=1&b=2) <mailto:a@b.c>\n")); err != nil {
		t.Errorf("https and mailto links: %v", err)
	}
}

// TestChapterOutsideBook checks that a chapter may not be a symbolic link
// leading out of the book's folder.
func TestChapterOutsideBook(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte("# 秘密\n\n不该读到。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		"book.yaml": "title: 书\nchapters:\n  - a.md\n  - link.md\n",
		"a.md":      "# 一\n\n正文。\n",
	})
	if err := os.Symlink(outside, filepath.Join(dir, "link.md")); err != nil {
		t.Fatal(err)
	}
	_, err := ParseBook(dir)
	book := filepath.Join(dir, "book.yaml")
	want := book + ":4: chapter link.md: a symbolic link out of the book's folder"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %s", err, want)
	}
}
