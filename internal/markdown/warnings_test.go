package markdown

import (
	"reflect"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// warnings parses src as book.md, failing on errors, and returns its
// warnings as printed.
func warnings(t *testing.T, src string) (*doc.Document, []string) {
	t.Helper()
	d, err := Parse("book.md", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var out []string
	for _, w := range d.Warnings {
		out = append(out, w.String())
	}
	return d, out
}

// links returns every link of the document's text as URL|text.
func links(d *doc.Document) []string {
	var out []string
	var walk func([]doc.Inline)
	walk = func(xs []doc.Inline) {
		for _, x := range xs {
			switch n := x.(type) {
			case *doc.Link:
				out = append(out, n.URL+"|"+doc.PlainText(n.Content))
				walk(n.Content)
			case *doc.Emphasis:
				walk(n.Content)
			}
		}
	}
	doc.Walk(d.Blocks, func(b doc.Block) {
		switch n := b.(type) {
		case *doc.Paragraph:
			walk(n.Content)
		case *doc.Heading:
			walk(n.Content)
		}
	})
	return out
}

// TestLinkWarnings checks that a link the writers cannot follow keeps
// its text, loses its target (javascript: and data: reach no output)
// and warns at its line.
func TestLinkWarnings(t *testing.T) {
	keep := "; the text is kept without the link"
	cases := []struct{ name, body, want string }{
		{"javascript", "[点](javascript:alert(1))\n", `book.md:4:1: warning: link to "javascript:alert(1)": javascript: links are not allowed (use http, https or mailto)` + keep},
		{"javascript in capitals", "[点](JaVaScRiPt:alert(1))\n", `book.md:4:1: warning: link to "JaVaScRiPt:alert(1)": javascript: links are not allowed (use http, https or mailto)` + keep},
		{"javascript autolink", "<javascript:alert(1)>\n", `book.md:4:1: warning: link to "javascript:alert(1)": javascript: links are not allowed (use http, https or mailto)` + keep},
		{"data", "[点](data:text/html,x)\n", `book.md:4:1: warning: link to "data:text/html,x": data: links are not allowed (use http, https or mailto)` + keep},
		{"made-up scheme", "[点](made-up:x)\n", `book.md:4:1: warning: link to "made-up:x": made-up: links are not allowed (use http, https or mailto)` + keep},
		{"relative file", "见\n[点](other.md)\n", `book.md:5:1: warning: link to "other.md": not a chapter of the book (link to a chapter, to #id or to an absolute URL)` + keep},
		{"absolute path", "[点](/url)\n", `book.md:4:1: warning: link to "/url": not a chapter of the book (link to a chapter, to #id or to an absolute URL)` + keep},
		{"missing heading", "## 甲\n\n见[点](#nope)\n", `book.md:6:2: warning: link to "#nope": no heading, figure or table has the id "nope"` + keep},
		{"missing image", "[大图](images/none.png)\n", `book.md:4:1: warning: link to "images/none.png": no image in the book's folder that paiban can read (PNG, JPEG, GIF, WebP, BMP or TIFF)` + keep},
		{"image outside the book", "[大图](../outside.png)\n", `book.md:4:1: warning: link to "../outside.png": no image in the book's folder that paiban can read (PNG, JPEG, GIF, WebP, BMP or TIFF)` + keep},
		{"bare #", "[点](#)\n", `book.md:4:1: warning: link to "#": a link to # has no target` + keep},
		{"figure not there", "[点](#fig-1)\n", `book.md:4:1: warning: link to "#fig-1": no heading, figure or table has the id "fig-1"` + keep},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, got := warnings(t, fm+c.body)
			if !reflect.DeepEqual(got, []string{c.want}) {
				t.Errorf("warnings %q\nwant %q", got, c.want)
			}
			if l := links(d); len(l) != 1 || !strings.HasPrefix(l[0], "|") {
				t.Errorf("links %q, want the text without a target", l)
			}
		})
	}
	// A page title on an external link is ignored with a warning; the
	// link stays.
	d, got := warnings(t, fm+"[网](https://example.org \"page\")\n")
	if want := `book.md:4:1: warning: link to "https://example.org": the title "page" asks for the page of the target, which only a link to #id in the book has`; !reflect.DeepEqual(got, []string{want}) {
		t.Errorf("page title: %q", got)
	}
	if l := links(d); !reflect.DeepEqual(l, []string{"https://example.org|网"}) {
		t.Errorf("page title: links %q", l)
	}
}

// TestNoFrontMatter checks where the title of a file without front
// matter comes from.
func TestNoFrontMatter(t *testing.T) {
	d, got := warnings(t, "徽章\n\n# 项目 *名*\n\n## 简介\n\n正文\n\n# 第二\n")
	if d.Meta.Title != "项目 名" || d.Meta.Language != "zh-CN" {
		t.Errorf("title %q lang %q", d.Meta.Title, d.Meta.Language)
	}
	if want := []string{`book.md:3: warning: no front matter: the title is this heading's text "项目 名" (add ---, title: …, --- to set it)`}; !reflect.DeepEqual(got, want) {
		t.Errorf("warnings %q", got)
	}
	// The heading is not set twice; the other level-1 heading stays.
	if h := dumpHeadings(d); !reflect.DeepEqual(h, []string{"|简介|简介", "|第二|第二"}) {
		t.Errorf("headings %q", h)
	}

	d, got = warnings(t, "## 只有二级\n\n正文\n")
	if d.Meta.Title != "book" || len(d.Blocks) != 2 {
		t.Errorf("title %q, %d blocks", d.Meta.Title, len(d.Blocks))
	}
	if want := []string{`book.md:1: warning: no front matter and no level-1 heading: the title is the file's name "book" (add ---, title: …, --- to set it)`}; !reflect.DeepEqual(got, want) {
		t.Errorf("warnings %q", got)
	}

	// A link to the heading that became the title leads nowhere now.
	_, got = warnings(t, "# 书名 {#top}\n\n[回到开头](#top)\n")
	if len(got) != 2 || !strings.Contains(got[1], `link to "#top": no heading`) {
		t.Errorf("warnings %q", got)
	}
}

// TestEmptyBody checks that a book without text builds with a warning.
func TestEmptyBody(t *testing.T) {
	for src, want := range map[string]string{
		fm + "\n": "book.md:4: warning: empty body: the book has no text",
		fm:        "book.md:3: warning: empty body: the book has no text",
	} {
		if _, got := warnings(t, src); !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("%q: warnings %q", src, got)
		}
	}
}

// TestMinorHeadings checks that ##### and ###### are headings, not
// numbered.
func TestMinorHeadings(t *testing.T) {
	d, got := warnings(t, "---\ntitle: T\nnumbering: chinese\n---\n## 甲\n\n##### 五级\n\n###### 六级\n")
	if len(got) != 0 {
		t.Errorf("warnings %q", got)
	}
	if h := dumpHeadings(d); !reflect.DeepEqual(h, []string{"一、|甲|甲", "|五级|五级", "|六级|六级"}) {
		t.Errorf("headings %q", h)
	}
}
