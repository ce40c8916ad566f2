package epub

import (
	"encoding/xml"
	"html"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/doc"
)

// plainBlocks is the plain text of each heading and paragraph, numbered as
// PageBreak numbers them.
func plainBlocks(d *doc.Document) []string {
	var out []string
	doc.Walk(d.Blocks, func(bl doc.Block) {
		switch n := bl.(type) {
		case *doc.Heading:
			out = append(out, doc.PlainText(n.Content))
		case *doc.Paragraph:
			out = append(out, doc.PlainText(n.Content))
		}
	})
	return out
}

// breakBefore is a page break in block at the first occurrence of s.
func breakBefore(t *testing.T, blocks []string, block int, s, label string) PageBreak {
	t.Helper()
	i := strings.Index(blocks[block], s)
	if i < 0 {
		t.Fatalf("block %d has no %q", block, s)
	}
	return PageBreak{Block: block, Offset: utf8.RuneCountInString(blocks[block][:i]), Label: label}
}

var tag = regexp.MustCompile(`<[^>]*>`)

// headingElement is a heading with its content (a heading is written on
// one line).
var headingElement = regexp.MustCompile(`<h[1-6][ >].*?</h[1-6]>`)

// TestPageBreaks puts print page breaks at the start of a heading, inside
// emphasised Latin, before escaped characters, inside inline code, in a
// block quote, inside a link and at the start of the last paragraph, and
// checks that each marker is where its page begins.
func TestPageBreaks(t *testing.T) {
	d := sampleBook()
	blocks := plainBlocks(d)
	want := []struct {
		block      int
		text, file string
	}{
		{0, "第一章", "chapter01"},
		{1, "GDP", "chapter01"},
		{1, `&>"'`, "chapter01"},
		{3, "x := 1", "chapter01"},
		{5, "一段", "chapter01"},
		{12, "一章", "chapter02"},
		{13, "结尾", "chapter02"},
	}
	opt := options(t)
	opt.PageSource = "《测试》A4 讲义版 PDF"
	for i, w := range want {
		opt.PageBreaks = append(opt.PageBreaks, breakBefore(t, blocks, w.block, w.text, string(rune('1'+i))))
	}
	data := write(t, d, opt)
	epubcheck(t, data)
	files, _ := epubFiles(t, data)

	for i, w := range want {
		label := string(rune('1' + i))
		body := string(files["EPUB/xhtml/"+w.file+".xhtml"])
		marker := `<span role="doc-pagebreak" id="page-` + label + `" aria-label="` + label + `"/>`
		at := strings.Index(body, marker)
		if at < 0 {
			t.Errorf("page %s: no marker in %s.xhtml", label, w.file)
			continue
		}
		if after := html.UnescapeString(tag.ReplaceAllString(body[at+len(marker):], "")); !strings.HasPrefix(after, w.text) {
			t.Errorf("page %s: marker is followed by %.30q, want %q", label, after, w.text)
		}
	}
	// A marker inside a heading would be read aloud as part of it.
	for name, body := range files {
		for _, h := range headingElement.FindAllString(string(body), -1) {
			if strings.Contains(h, "doc-pagebreak") {
				t.Errorf("%s: a page marker inside a heading: %s", name, h)
			}
		}
	}
	// The text reads as before: the markers add nothing to it.
	plain := write(t, d, options(t))
	pf, _ := epubFiles(t, plain)
	for _, name := range []string{"chapter01", "chapter02"} {
		a := html.UnescapeString(tag.ReplaceAllString(string(files["EPUB/xhtml/"+name+".xhtml"]), ""))
		b := html.UnescapeString(tag.ReplaceAllString(string(pf["EPUB/xhtml/"+name+".xhtml"]), ""))
		if a != b {
			t.Errorf("%s: the page markers change the text", name)
		}
	}

	var nav struct {
		Navs []struct {
			Type  string `xml:"http://www.idpf.org/2007/ops type,attr"`
			Links []struct {
				Href  string `xml:"href,attr"`
				Label string `xml:",chardata"`
			} `xml:"ol>li>a"`
		} `xml:"body>nav"`
	}
	if err := xml.Unmarshal(files["EPUB/nav.xhtml"], &nav); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range nav.Navs {
		if n.Type == "page-list" {
			for _, l := range n.Links {
				got = append(got, l.Label+" "+l.Href)
			}
		}
	}
	var wantList []string
	for i, w := range want {
		label := string(rune('1' + i))
		wantList = append(wantList, label+" xhtml/"+w.file+".xhtml#page-"+label)
	}
	if !slices.Equal(got, wantList) {
		t.Errorf("page-list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantList, "\n"))
	}

	opf := string(files["EPUB/package.opf"])
	for _, s := range []string{
		`<dc:source id="page-source">《测试》A4 讲义版 PDF</dc:source>`,
		`<meta refines="#page-source" property="source-of">pagination</meta>`,
		`<meta property="schema:accessibilityFeature">pageBreakMarkers</meta>`,
		`<meta property="schema:accessibilityFeature">printPageNumbers</meta>`,
	} {
		if !strings.Contains(opf, s) {
			t.Errorf("package.opf lacks %s", s)
		}
	}
	if strings.Contains(string(pf["EPUB/package.opf"]), "pageBreakMarkers") {
		t.Error("a book without page breaks claims pageBreakMarkers")
	}
}

func TestPageBreakErrors(t *testing.T) {
	d := sampleBook()
	for _, c := range []struct {
		breaks []PageBreak
		source string
		want   string
	}{
		{[]PageBreak{{Block: 0, Offset: 0, Label: "1"}}, "", "PageSource is not set"},
		{[]PageBreak{{Block: 0, Offset: 0, Label: ""}}, "PDF", "has no label"},
		{[]PageBreak{{Block: 0, Offset: 0, Label: "1"}, {Block: 1, Offset: 0, Label: "1"}}, "PDF", "page 1 is given twice"},
		{[]PageBreak{{Block: 1, Offset: 0, Label: "1"}, {Block: 0, Offset: 0, Label: "2"}}, "PDF", "page 2 begins before page 1"},
		{[]PageBreak{{Block: 99, Offset: 0, Label: "1"}}, "PDF", "page 1 begins at block 99 offset 0, outside the text"},
		{[]PageBreak{{Block: 0, Offset: 999, Label: "1"}}, "PDF", "outside the text"},
	} {
		opt := options(t)
		opt.PageBreaks, opt.PageSource = c.breaks, c.source
		var sb strings.Builder
		err := Write(&nopWriter{&sb}, d, opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.breaks, err, c.want)
		}
	}
}

type nopWriter struct{ *strings.Builder }

// TestPageBreakBeforeUncountedBlocks: a print page that begins with a
// figure, table or code block is marked before that block, Lead blocks
// before the paragraph that follows them.
func TestPageBreakBeforeUncountedBlocks(t *testing.T) {
	img := testImage(t, "png", 4, 4, 128)
	d := &doc.Document{Meta: doc.Metadata{Title: "书", Language: "zh-CN"}, Blocks: []doc.Block{
		para(1, text("前文。")),
		&doc.CodeBlock{Text: "x := 1\n"},
		&doc.Figure{Image: img, Number: 1, ID: "fig-1", Caption: []doc.Inline{text("图题")}},
		para(4, text("后文。")),
	}}
	opt := options(t)
	opt.PageSource = "PDF"
	opt.PageBreaks = []PageBreak{{Block: 0, Label: "1"}, {Block: 1, Lead: 2, Label: "2"}, {Block: 1, Lead: 1, Label: "3"}}
	files, _ := epubFiles(t, write(t, d, opt))
	var body string
	for name, data := range files {
		if strings.Contains(string(data), `id="page-2"`) {
			body = string(data)
			t.Logf("markers in %s", name)
		}
	}
	p2, p3 := strings.Index(body, `id="page-2"`), strings.Index(body, `id="page-3"`)
	pre, fig, after := strings.Index(body, "<pre"), strings.Index(body, "<figure"), strings.Index(body, "后文")
	if p2 < 0 || p3 < 0 || pre < 0 || fig < 0 {
		t.Fatalf("markers or blocks missing:\n%s", body)
	}
	if !(p2 < pre && pre < p3 && p3 < fig && fig < after) {
		t.Errorf("order: page 2 at %d, code at %d, page 3 at %d, figure at %d, 后文 at %d; want page 2, code, page 3, figure, 后文", p2, pre, p3, fig, after)
	}
	if strings.Count(body, `role="doc-pagebreak"`) != 3 {
		t.Errorf("%d markers, want 3 (none twice)", strings.Count(body, `role="doc-pagebreak"`))
	}
	opt.PageBreaks = []PageBreak{{Block: 1, Lead: 1, Label: "1"}, {Block: 1, Lead: 2, Label: "2"}}
	if err := Write(io.Discard, d, opt); err == nil || !strings.Contains(err.Error(), "page 2 begins before page 1") {
		t.Errorf("breaks out of order: %v", err)
	}
	// A figure (or code block) longer than a page: the pages it spans
	// all begin before it, in order.
	opt.PageBreaks = []PageBreak{{Block: 0, Label: "1"}, {Block: 1, Lead: 1, Label: "2"}, {Block: 1, Lead: 1, Label: "3"}}
	files, _ = epubFiles(t, write(t, d, opt))
	body = ""
	for _, data := range files {
		if strings.Contains(string(data), `id="page-2"`) {
			body = string(data)
		}
	}
	p2, p3, fig = strings.Index(body, `id="page-2"`), strings.Index(body, `id="page-3"`), strings.Index(body, "<figure")
	if p2 < 0 || !(p2 < p3 && p3 < fig) {
		t.Errorf("pages spanned by one block: page 2 at %d, page 3 at %d, figure at %d", p2, p3, fig)
	}
}
