package epub

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/markdown"
)

// TestShowcase writes the showcase book, read from its Markdown, and
// checks that every feature the reader found comes out in the EPUB: the
// hand-made books of TestFeatures fix the markup, this one that the
// writer handles what the reader really produces.
func TestShowcase(t *testing.T) {
	d, err := markdown.ParseBook(filepath.Join("..", "..", "source", "showcase"))
	if err != nil {
		t.Fatal(err)
	}
	var headings, figures, tables, dls, rubies, codes int
	count := func(bl doc.Block) {
		switch n := bl.(type) {
		case *doc.Heading:
			if n.Number != "" {
				headings++
			}
			rubies += countRuby(n.Content)
		case *doc.Paragraph:
			rubies += countRuby(n.Content)
		case *doc.Figure:
			figures++
			rubies += countRuby(n.Caption)
		case *doc.Table:
			tables++
			rubies += countRuby(n.Caption)
			for _, cell := range n.Header {
				rubies += countRuby(cell)
			}
			for _, row := range n.Rows {
				for _, cell := range row {
					rubies += countRuby(cell)
				}
			}
		case *doc.DefinitionList:
			dls++
			for _, item := range n.Items {
				rubies += countRuby(item.Term)
			}
		case *doc.CodeBlock:
			codes++
		}
	}
	doc.Walk(d.Blocks, count)
	for _, fn := range d.Footnotes {
		doc.Walk(fn.Blocks, count)
	}
	if headings == 0 || figures == 0 || tables == 0 || dls == 0 || rubies == 0 || codes == 0 {
		t.Fatalf("the showcase lacks a feature: %d numbered headings, %d figures, %d tables, %d definition lists, %d ruby, %d code blocks",
			headings, figures, tables, dls, rubies, codes)
	}

	data := write(t, d, options(t))
	// The showcase shows every feature in a few short chapters, which
	// EPUBCheck's span-density heuristic (HTM-022) notes; a book of real
	// length does not trip it.
	epubcheck(t, data, "HTM-022")
	files, _ := epubFiles(t, data)
	var text strings.Builder
	for name, data := range files {
		if strings.HasPrefix(name, "EPUB/xhtml/chapter") {
			parseXHTML(t, name, data)
			text.Write(data)
		}
	}
	all := text.String()
	for _, c := range []struct {
		what string
		re   string
		want int
	}{
		{"numbered headings", `<h[1-6] id="[^"]+">(<span role="doc-pagebreak"[^>]*/>)?<span class="num">`, headings},
		{"figures", `<figure id="fig-[0-9]+">\n<img src="\.\./images/figure-[0-9]+\.(png|jpg)" alt="[^"]+"`, figures},
		{"tables", `<table id="tab-[0-9]+">\n<caption>表[0-9]+`, tables},
		{"definition lists", `<dl>`, dls},
		{"ruby", `<ruby>`, rubies},
		{"code blocks", `<pre><code class="line">`, codes},
	} {
		if got := len(regexp.MustCompile(c.re).FindAllString(all, -1)); got != c.want {
			t.Errorf("%s: %d in the EPUB, %d in the book", c.what, got, c.want)
		}
	}
	if !strings.Contains(string(files["EPUB/package.opf"]), "<dc:identifier id=\"isbn\">urn:isbn:"+d.Meta.ISBN+"</dc:identifier>") {
		t.Error("the package lacks the ISBN")
	}
	if files["EPUB/xhtml/figures.xhtml"] == nil {
		t.Error("no list of figures")
	}
}

// countRuby counts the ruby in inlines.
func countRuby(xs []doc.Inline) int {
	n := 0
	for _, x := range xs {
		switch x := x.(type) {
		case *doc.Ruby:
			n++
		case *doc.Emphasis:
			n += countRuby(x.Content)
		case *doc.Link:
			n += countRuby(x.Content)
		}
	}
	return n
}
