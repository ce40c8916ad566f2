package build

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/validators"
)

// TestEveryConstruct builds testdata/constructs/book.md, a README-like
// file without front matter that uses every Markdown, GFM and HTML
// construct paiban reads, and checks the warnings it gives, both
// editions with qpdf and EPUBCheck, and the PDF's text.
func TestEveryConstruct(t *testing.T) {
	src := filepath.Join("testdata", "constructs")
	dir := t.TempDir()
	for _, f := range []string{"book.md", "icon.png", "badge.png", "chart.png"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	opt := testOptions(out, &stdout, &stderr)
	if err := Run(filepath.Join(dir, "book.md"), opt); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "book.md")
	want := []string{
		book + `:1: warning: image "https://img.shields.io/badge/license-MIT-blue" could not be fetched: offline, and not in the cache; its alt text stands in for it`,
		book + `:6: warning: no front matter: the title is this heading's text "构造大全" (add ---, title: …, --- to set it)`,
		book + `:96: warning: HTML element <script> is dropped with its content`,
	}
	if got := strings.Split(strings.TrimSpace(stderr.String()), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n%s\nwant\n%s", stderr.String(), strings.Join(want, "\n"))
	}
	pdfPath := filepath.Join(out, "book.pdf")
	validators.PDF(t, pdfPath)
	// Usage notes: HTM-022, EPUBCheck's span-density heuristic (every
	// inline construct in a few paragraphs); HTM-005, an external link
	// (a web address in the text); OPF-058 and OPF-059, the page a
	// linked image opens, which is outside the reading order and no
	// entry of the contents; HTM-044, that page's unused epub namespace,
	// which go-epub declares in every page.
	validators.EPUB(t, filepath.Join(out, "book.epub"), "HTM-022", "HTM-005", "OPF-058", "OPF-059", "HTM-044")
	// A linked image leads to a page showing the image it links to,
	// outside the reading order; the PDF keeps the small image.
	entries := epubEntries(t, filepath.Join(out, "book.epub"))
	view := regexp.MustCompile(`<a href="(view\d+\.xhtml)"><img class="inline" src="[^"]+" alt="示例图的小样"/></a>`).FindStringSubmatch(strings.Join(slices.Collect(maps.Values(entries)), ""))
	if view == nil {
		t.Error("the linked image is no link to a page of its own in the EPUB")
	} else {
		chart := regexp.MustCompile(`<img src="\.\./images/([^"]+)" alt="示例图的小样"/>`).FindStringSubmatch(entries["EPUB/xhtml/"+view[1]])
		if chart == nil || entries["EPUB/images/"+chart[1]] == "" {
			t.Errorf("%s does not show an image of the book:\n%s", view[1], entries["EPUB/xhtml/"+view[1]])
		} else if png, _ := os.ReadFile(filepath.Join(src, "chart.png")); entries["EPUB/images/"+chart[1]] != string(png) {
			t.Errorf("%s shows %s, not chart.png", view[1], chart[1])
		}
		if !strings.Contains(entries["EPUB/package.opf"], `<itemref idref="`+view[1]+`" linear="no"/>`) {
			t.Errorf("%s is not a non-linear spine item", view[1])
		}
	}
	text := squash(strings.Join(pdfPages(t, pdfPath), ""))
	// pdftotext puts a line's ruby annotations on a line of their own
	// above it: taken out, the text around a line break reads on.
	md, err := os.ReadFile(book)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\{[^|{}]*\|([^{}]*)\}`).FindAllStringSubmatch(string(md), -1) {
		text = strings.ReplaceAll(text, squash(m[1]), "")
	}
	for _, w := range []string{
		"构造大全", "MIT许可", "删除线", "饕餮", "官网、简写、折叠引用", "©2024&实体。", "硬换行之后反斜杠换行之后HTML换行之后",
		"水是H2O，质能方程E=mc2。按Ctrl+C复制。", "WHO、“引语”", "☐未完成的任务", "☑已完成的任务", "3.HTML列表第三项",
		"HTML术语HTML定义。", "五级标题五级标题之下的正文。", "六级标题六级标题之下的正文。", "HTML引用。", "HTML预排文字",
		"点击展开折叠的内容，仍是Markdown。居中的文字。", "表2", "HTML表头值甲1", "图1图题", "见第一部分（第1页）。",
	} {
		if !strings.Contains(text, squash(w)) {
			t.Errorf("the PDF's text lacks %q", w)
		}
	}
	for _, absent := range []string{"待核对", "不会出现", "alert"} {
		if strings.Contains(text, absent) {
			t.Errorf("the PDF holds %q", absent)
		}
	}
	// Minor headings are not in the contents: their text is set once.
	if n := strings.Count(text, "五级标题五级"); n != 1 || strings.Count(text, "五级标题") != 2 {
		t.Errorf("五级标题 appears %d times", strings.Count(text, "五级标题"))
	}
}
