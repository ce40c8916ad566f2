package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
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

// TestEmphasisDotsRound rasterises an emphasis dot at 1200 dpi: its centre
// is black and the corners of its bounding square are white, so the dot
// is drawn round, not as a square.
func TestEmphasisDotsRound(t *testing.T) {
	b := contentBook(t)
	var dot *layout.Rule
	for i, r := range b.Pages[0].Rules {
		if r.Round {
			dot = &b.Pages[0].Rules[i]
			break
		}
	}
	if dot == nil {
		t.Fatal("no emphasis dot on page 1")
	}
	path := writeBook(t, b)
	const dpi = 1200
	px := func(v float64) int { return int(v * dpi / 72) }
	x0, y0, n := px(dot.X)-4, px(dot.Y)-4, px(dot.W)+8
	prefix := filepath.Join(t.TempDir(), "dot")
	tool(t, "poppler-utils", "pdftoppm", "-f", "1", "-l", "1", "-r", fmt.Sprint(dpi), "-gray", "-singlefile",
		"-x", fmt.Sprint(x0), "-y", fmt.Sprint(y0), "-W", fmt.Sprint(n), "-H", fmt.Sprint(n), path, prefix)
	img := readPGM(t, prefix+".pgm")
	at := func(x, y float64) byte { return img.pix[(px(y)-y0)*img.w+px(x)-x0] }
	cx, cy, r := dot.X+dot.W/2, dot.Y+dot.H/2, dot.W/2
	if v := at(cx, cy); v > 64 {
		t.Errorf("the dot's centre is %d, want black", v)
	}
	for _, c := range [][2]float64{{-1, -1}, {1, -1}, {-1, 1}, {1, 1}} {
		if v := at(cx+c[0]*0.85*r, cy+c[1]*0.85*r); v < 192 {
			t.Errorf("the corner (%v) of the dot's square is %d, want white: the dot is not round", c, v)
		}
	}
}

type pgm struct {
	w, h int
	pix  []byte
}

// readPGM reads a binary grey-scale PGM as pdftoppm -gray writes it.
func readPGM(t *testing.T, path string) pgm {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var img pgm
	var maxv int
	r := bytes.NewReader(data)
	if _, err := fmt.Fscanf(r, "P5\n%d %d\n%d\n", &img.w, &img.h, &maxv); err != nil || maxv != 255 {
		t.Fatalf("%s: not an 8-bit PGM: %v", path, err)
	}
	img.pix = data[len(data)-r.Len():]
	if len(img.pix) != img.w*img.h {
		t.Fatalf("%s: %d pixels for %d×%d", path, len(img.pix), img.w, img.h)
	}
	return img
}
