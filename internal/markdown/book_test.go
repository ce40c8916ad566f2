package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestParseBook(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"book.yaml": "title: 书名\nauthor: 作者\nchapters:\n  - a.md\n  - b.md\ndate: 2024-05-01\n",
		"a.md":      "# 前言\n\n正文。[^1]\n\n[^1]: 甲注。\n",
		"b.md":      "# 前言\n\n正文。[^1]\n\n[^1]: 乙注。\n",
	})
	if !IsBook(dir) {
		t.Fatal("IsBook false for a folder with book.yaml")
	}
	d, err := ParseBook(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Meta.Title != "书名" || d.Meta.AuthorNames() != "作者" || d.Meta.Date != "2024-05-01" {
		t.Errorf("meta = %+v", d.Meta)
	}
	if len(d.Footnotes) != 2 || d.Footnotes[0].Number != 1 || d.Footnotes[1].Number != 2 {
		t.Errorf("footnotes not numbered through the book: %+v", d.Footnotes)
	}
	var ids []string
	for _, b := range d.Blocks {
		if h, ok := b.(*doc.Heading); ok {
			ids = append(ids, h.ID)
		}
	}
	if len(ids) == 2 && ids[0] == ids[1] {
		t.Errorf("two chapters share the heading ID %q", ids[0])
	}
}

func TestParseBookErrors(t *testing.T) {
	for _, c := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"book.yaml": "title: 书名\n"}, "book.yaml:1: no chapters"},
		{map[string]string{"book.yaml": "title: 书名\nchapters:\n  - missing.md\n"}, "book.yaml:3: chapter missing.md: no such file"},
		{map[string]string{"book.yaml": "chapters: [a.md]\ntitel: 书名\n", "a.md": "正文。\n"}, `book.yaml:2: unknown front matter key "titel"`},
		{map[string]string{"book.yaml": "title: 书名\nchapters: [a.md]\n", "a.md": "正文。\n\n~~删~~\n"}, "a.md:3: strikethrough is not supported yet"},
		{map[string]string{"book.yaml": "title: 书名\nchapters: [../x.md]\n"}, `book.yaml:2: chapter "../x.md" must be a file inside`},
	} {
		_, err := ParseBook(writeFiles(t, c.files))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.files, err, c.want)
		}
	}
}
