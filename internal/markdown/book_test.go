package markdown

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
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
		{map[string]string{"book.yaml": "title: 书名\nchapters: [a.md]\n", "a.md": "正文。\n\n![缺](none.png)\n"}, `a.md:3:1: image "none.png": no such file`},
		{map[string]string{"book.yaml": "title: 书名\nchapters: [../x.md]\n"}, `book.yaml:2: chapter "../x.md" must be a file inside`},
	} {
		_, err := ParseBook(writeFiles(t, c.files))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.files, err, c.want)
		}
	}
}

// TestBookSharesNumbersAndIDs checks that figures and tables number
// through the chapters, that heading numbers and ids do too, that a link
// may point into a later chapter, and that a chapter in a subfolder names
// its images relative to itself.
func TestBookSharesNumbersAndIDs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"book.yaml": "title: 书\nnumbering: chinese\nchapters:\n  - a.md\n  - part/b.md\n",
		"a.md":      "# 前言\n\n见[后文](#后记 \"page\")与[图二](#fig-2)。\n\n![一](a.png)\n\n| x |\n|---|\n",
	})
	os.Mkdir(filepath.Join(dir, "part"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.png"), pngBytes(t, 3, 3), 0o644)
	os.WriteFile(filepath.Join(dir, "part", "a.png"), pngBytes(t, 5, 5), 0o644)
	os.WriteFile(filepath.Join(dir, "part", "b.md"), []byte("# 前言\n\n![二](a.png)\n\n| y |\n|---|\n\n# 后记\n"), 0o644)
	d, err := ParseBook(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	doc.Walk(d.Blocks, func(b doc.Block) {
		switch n := b.(type) {
		case *doc.Heading:
			got = append(got, n.Number+n.ID)
		case *doc.Figure:
			got = append(got, fmt.Sprintf("%s %d %s %dpx", n.ID, n.Number, n.Image.Name, n.Image.Width))
		case *doc.Table:
			got = append(got, fmt.Sprintf("%s %d", n.ID, n.Number))
		}
	})
	want := []string{"一、前言", "fig-1 1 images/a.png 3px", "tab-1 1", "二、前言-2", "fig-2 2 images/a-2.png 5px", "tab-2 2", "三、后记"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if l := d.Blocks[1].(*doc.Paragraph).Content[1].(*doc.Link); !l.ShowPage {
		t.Error("link into a later chapter lost its page request")
	}

	// Errors name the chapter they are in, and a duplicate id the other
	// chapter's file.
	os.WriteFile(filepath.Join(dir, "part", "b.md"), []byte("# 甲 {#x}\n\n![缺](none.png)\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("# 乙 {#x}\n\n[无](#nowhere)\n"), 0o644)
	_, err = ParseBook(dir)
	a, b := filepath.Join(dir, "a.md"), filepath.Join(dir, "part", "b.md")
	wantErr := b + `:1: heading id "x" is already used by the heading at ` + a + ":1\n" +
		b + `:3:1: image "none.png": no such file`
	if err == nil || err.Error() != wantErr {
		t.Errorf("errors:\n%v\nwant:\n%s", err, wantErr)
	}
}

// TestBookHeadingLevels checks that heading numbers start at the highest
// level of the whole book, not of each chapter, and that headings in
// notes are not numbered.
func TestBookHeadingLevels(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"book.yaml": "title: 书\nnumbering: chinese\nchapters: [a.md, b.md]\n",
		"a.md":      "# 甲\n\n正文。[^n]\n\n[^n]: 注。\n\n    ## 注里的标题\n",
		"b.md":      "## 乙\n\n### 丙\n",
	})
	d, err := ParseBook(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dumpHeadings(d), []string{"一、|甲|甲", "（一）|乙|乙", "1.|丙|丙"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	note := d.Footnotes[0].Blocks[1].(*doc.Heading)
	if note.Number != "" || note.ID == "" {
		t.Errorf("heading in a note: number %q, id %q", note.Number, note.ID)
	}
}
