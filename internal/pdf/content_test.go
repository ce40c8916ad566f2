package pdf

import (
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/style"
)

// contentBook lays out a short book with emphasis, ruby, code and a
// colophon in the default style.
func contentBook(t *testing.T) *layout.Book {
	t.Helper()
	st, err := style.Load("../../styles", style.Default)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := fonts.LoadDir("../../fonts", st.Fonts.Files())
	if err != nil {
		t.Fatal(err)
	}
	p := func(in ...doc.Inline) *doc.Paragraph { return &doc.Paragraph{Content: in} }
	d := &doc.Document{
		Meta: doc.Metadata{Title: "内容", Authors: []doc.Author{{Name: "作者"}}, Publisher: "测试出版社",
			ISBN: "978-7-01-000000-0", Keywords: []string{"排版", "注音"}, Description: "功能样书"},
		Blocks: []doc.Block{
			&doc.Heading{Level: 1, ID: "yi", Number: "一、", Content: []doc.Inline{doc.Text("标题")}},
			p(doc.Text("这是"), &doc.Emphasis{Content: []doc.Inline{doc.Text("着重号，和italic")}}, doc.Text("。")),
			p(doc.Text("认识"), &doc.Ruby{Base: "汉字", Annotation: "hàn zì"}, doc.Text("和"),
				&doc.Ruby{Base: "東京", Annotation: "Tokyo Metropolis"}, doc.Text("。用"), doc.Code("go test"), doc.Text("测试。")),
			&doc.CodeBlock{Text: "func main() {\n    fmt.Println(\"" + strings.Repeat("很长的一行", 12) + "\") // 注释\n}"},
			&doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{{p(doc.Text("第一项")), &doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{{p(doc.Text("子项"))}}}}}},
			p(doc.Text("见"), &doc.Link{URL: "#yi", ShowPage: true, Content: []doc.Inline{doc.Text("第一部分")}}, doc.Text("。")),
		},
	}
	res, err := layout.Layout(d, layout.Options{Style: st, Faces: fs})
	if err != nil {
		t.Fatal(err)
	}
	return res.Book
}

// TestContentText reads the text layer back: base text of ruby in order
// with the annotation apart, emphasis dots adding nothing, code lines with
// their continuation mark, and the colophon and document information.
func TestContentText(t *testing.T) {
	path := writeBook(t, contentBook(t))
	out, _ := tool(t, "poppler-utils", "pdftotext", "-enc", "UTF-8", path, "-")
	pages := strings.Split(out, "\f")
	body := strings.Join(strings.Fields(pages[0]), "")
	for _, want := range []string{
		"一、标题", "这是着重号，和italic。", "认识汉字和東京。用gotest测试。", "hànzì", "TokyoMetropolis",
		"funcmain(){", "fmt.Println(\"很长的一行", "→", "}", "1.第一项", "（1）子项", "见第一部分（第1页）。",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page 1's text lacks %q:\n%s", want, pages[0])
		}
	}
	if strings.Count(strings.ReplaceAll(body, "→", ""), "很长的一行") != 12 {
		t.Errorf("the wrapped code line lost text:\n%s", pages[0])
	}
	last := strings.Join(strings.Fields(pages[len(pages)-2]), "")
	for _, want := range []string{"书名：内容", "著者：作者", "出版：测试出版社", "ISBN：978-7-01-000000-0", "关键词：排版；注音"} {
		if !strings.Contains(last, want) {
			t.Errorf("the last page lacks %q:\n%s", want, pages[len(pages)-2])
		}
	}
	info, _ := tool(t, "poppler-utils", "pdfinfo", path)
	for _, want := range []string{"Subject:         功能样书", "Keywords:        排版, 注音"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
}
