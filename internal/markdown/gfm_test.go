package markdown

import (
	"image"
	"image/color"
	"image/gif"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// TestReferenceLinks checks the three forms of reference links and
// images, with definitions anywhere in the file and labels matched
// without regard to case.
func TestReferenceLinks(t *testing.T) {
	dir := writeFiles(t, map[string]string{"i.png": string(pngBytes(t, 4, 4))})
	src := fm + "见[官网][gov]、[GOV][]、[gov]和图![标][icon]。\n\n[gov]: https://www.gov.cn \"政府网\"\n[icon]: i.png\n"
	d, err := Parse(filepath.Join(dir, "b.md"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) != 1 {
		t.Fatalf("%d blocks, want the paragraph only (definitions are not text)", len(d.Blocks))
	}
	got := markup(d.Blocks[0].(*doc.Paragraph).Content)
	want := "见<a https://www.gov.cn>官网</a>、<a https://www.gov.cn>GOV</a>、<a https://www.gov.cn>gov</a>和图<img i.png 标>。"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestGFMInlines checks strikethrough, task lists, bare URLs and hard
// breaks.
func TestGFMInlines(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"这是~~删除线~~文字", "这是<del>删除线</del>文字"},
		{"这是~删除~，~~**粗**~~。", "这是<del>删除</del>，<del><b>粗</b></del>。"},
		{"访问 https://example.com/a?b=1 获取", "访问 <a https://example.com/a?b=1>https://example.com/a?b=1</a> 获取"},
		{"见 www.example.com。", "见 <a http://www.example.com>www.example.com</a>。"},
		{"写信给 a@example.com", "写信给 <a mailto:a@example.com>a@example.com</a>"},
		{"一行  \n二行\\\n三行", "一行<br>二行<br>三行"},
		{"&copy; &#x4E2D; &amp;", "© 中 &"},
	} {
		if got := firstParagraph(t, c.body); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.body, got, c.want)
		}
	}
	d, got := warnings(t, fm+"- [ ] 未完成\n- [x] 已完成\n")
	if len(got) != 0 {
		t.Errorf("warnings %q", got)
	}
	l := d.Blocks[0].(*doc.List)
	var items []string
	for _, it := range l.Items {
		items = append(items, markup(it[0].(*doc.Paragraph).Content))
	}
	if want := []string{"☐未完成", "☑已完成"}; !reflect.DeepEqual(items, want) {
		t.Errorf("task items %q, want %q", items, want)
	}
}

// TestInlineImages checks images inside running text and what becomes of
// the ones paiban cannot place.
func TestInlineImages(t *testing.T) {
	var g strings.Builder
	pal := image.NewPaletted(image.Rect(0, 0, 3, 2), []color.Color{color.Black, color.White})
	if err := gif.Encode(&g, pal, nil); err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		"i.png":    string(pngBytes(t, 4, 4)),
		"a.gif":    g.String(),
		"root.png": string(pngBytes(t, 2, 2)),
		"logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
	})
	src := fm + "图标![标](i.png)在行内，[![封面](i.png)](https://example.com/big)，动图![动](a.gif)，根![根](/root.png)。\n\n" +
		"徽章![build](https://img.shields.io/badge/a-b-green)与![标志](logo.svg)。\n\n![远程](https://example.com/a.png)\n\n![](https://example.com/b.png)\n"
	d, err := Parse(filepath.Join(dir, "b.md"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := markup(d.Blocks[0].(*doc.Paragraph).Content)
	want := "图标<img i.png 标>在行内，<a https://example.com/big><img i.png 封面></a>，动图<img a.gif 动>，根<img root.png 根>。"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var gifImg *doc.Image
	doc.WalkInlines(d.Blocks, func(in doc.Inline) {
		if im, ok := in.(*doc.InlineImage); ok && im.Alt == "动" {
			gifImg = im.Image
		}
	})
	if gifImg == nil || gifImg.Format != "png" || gifImg.Width != 3 || gifImg.Height != 2 {
		t.Errorf("the GIF was not converted to a 3×2 PNG: %+v", gifImg)
	}
	// The alt text stands in for what cannot be had: at once for an SVG
	// file, once the book is read for an image not fetched (the writers
	// then set its alt text). A figure becomes a placeholder.
	if got := markup(d.Blocks[1].(*doc.Paragraph).Content); got != "徽章<img https://img.shields.io/badge/a-b-green build>与标志。" {
		t.Errorf("alt texts: %s", got)
	}
	doc.WalkInlines(d.Blocks[1:2], func(in doc.Inline) {
		if im, ok := in.(*doc.InlineImage); ok && im.Image.Missing == "" {
			t.Errorf("the image %s not fetched is not missing", im.Image.Path)
		}
	})
	for i, alt := range []string{"远程", ""} {
		if f, ok := d.Blocks[2+i].(*doc.Figure); !ok || f.Alt != alt || f.Image.Missing == "" || len(d.Blocks) != 4 {
			t.Errorf("figure from the web %d: %+v, %d blocks", i, d.Blocks[2+i], len(d.Blocks))
		}
	}
	var ws []string
	for _, w := range d.Warnings {
		ws = append(ws, strings.TrimPrefix(w.String(), filepath.Join(dir, "b.md")+":"))
	}
	notFetched := " was not fetched (no fetching in this build); its alt text stands in for it"
	wantW := []string{
		`6:3: warning: image "https://img.shields.io/badge/a-b-green"` + notFetched,
		`6:52: warning: image "logo.svg" is SVG, which paiban cannot draw yet; its alt text stands in for it`,
		`8:1: warning: image "https://example.com/a.png"` + notFetched,
		`10:1: warning: image "https://example.com/b.png"` + notFetched,
	}
	if !reflect.DeepEqual(ws, wantW) {
		t.Errorf("warnings\n got %q\nwant %q", ws, wantW)
	}
	// A missing file in running text is an error, as for a figure.
	if _, err := Parse(filepath.Join(dir, "b.md"), []byte(fm+"文![缺](none.png)字\n")); err == nil || !strings.Contains(err.Error(), `:4:2: image "none.png": no such file`) {
		t.Errorf("missing inline image: %v", err)
	}
}
