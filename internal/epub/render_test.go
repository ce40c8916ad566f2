package epub

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

func TestDropHanLatinSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"使用 Go 语言":        "使用Go语言",
		"2024 年  9 月":     "2024年9月",
		"new quality 生产力": "new quality生产力",
		"，  Go":           "，  Go", // next to punctuation the mark's blank half is the gap
		"甲 乙":             "甲 乙",
		" Go ":            " Go ",
	} {
		if got := dropHanLatinSpaces(in); got != want {
			t.Errorf("dropHanLatinSpaces(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEscapePlain checks that text escape writes unchanged is exactly the
// text encoding/xml (with numeric references) would leave unchanged.
func TestEscapePlain(t *testing.T) {
	for _, s := range []string{
		"", "新质生产力", "GDP 增长 5.2%", "a&b", "<p>", "x > y", `"引"`, "it's",
		"tab\there", "line\nend", "cr\rlf", "\x00nul", "\x1f", "bad \xff utf-8",
		"\uFFFD", "\uFFFE", "\uFFFF", "\U0001F600", "〓…——", "\u00a0nbsp",
	} {
		var e strings.Builder
		_ = xml.EscapeText(&e, []byte(s))
		want := numericEntities.Replace(e.String())
		var got strings.Builder
		escape(&got, s)
		if got.String() != want {
			t.Errorf("escape(%q) = %q, want %q", s, got.String(), want)
		}
		if plainXML(s) && want != s {
			t.Errorf("plainXML(%q) is true, but escaping gives %q", s, want)
		}
	}
}

// TestSpansAndInlineImages checks the elements spans, inline images and
// task boxes are written as, and that a key's characters go into the
// code face's subset.
func TestSpansAndInlineImages(t *testing.T) {
	img := testImage(t, "png", 16, 16, 0x40)
	span := func(k doc.SpanKind, s string) *doc.Span {
		return &doc.Span{Kind: k, Content: []doc.Inline{doc.Text(s)}}
	}
	d := &doc.Document{Meta: doc.Metadata{Title: "行内"}, Blocks: []doc.Block{
		para(1, doc.TaskBox{Checked: true}, span(doc.Strike, "删"), span(doc.Underline, "下"), span(doc.Inserted, "增"),
			span(doc.Superscript, "上"), span(doc.Subscript, "标"), span(doc.Marked, "亮"), span(doc.Small, "小"),
			span(doc.Keyboard, "Q"), &doc.Span{Kind: doc.Abbreviation, Title: "世界卫生组织", Content: []doc.Inline{doc.Text("WHO")}},
			&doc.Span{Kind: doc.Language, Lang: "ja", Content: []doc.Inline{doc.Text("日本語")}},
			&doc.InlineImage{Image: img, Alt: "图标"}, &doc.Link{URL: "", Content: []doc.Inline{doc.Text("无链")}}),
	}}
	files, _ := epubFiles(t, write(t, d, options(t)))
	x := string(files["EPUB/xhtml/text.xhtml"])
	for _, want := range []string{`<span class="task">☑</span>`, "<del>删</del>", "<u>下</u>", "<ins>增</ins>", "<sup>上</sup>",
		"<sub>标</sub>", "<mark>亮</mark>", "<small>小</small>", "<kbd>Q</kbd>", `<abbr title="世界卫生组织">WHO</abbr>`,
		`<span lang="ja" xml:lang="ja">日本語</span>`, `<img class="inline" src="../images/figure-1.png" alt="图标"/>`, "无链</p>"} {
		if !strings.Contains(x, want) {
			t.Errorf("no %s in\n%s", want, x)
		}
	}
	if strings.Contains(x, "<a ") {
		t.Error("a link without a URL was written as a link")
	}
	if !bytes.Equal(files["EPUB/images/figure-1.png"], img.Data) {
		t.Error("the inline image is not in the book")
	}
	if mono := subset(t, files, "PaibanMonoSC-Regular.ttf"); mono == nil || !mono.Has('Q') {
		t.Error("the key's Q is not in the code face's subset")
	}
}

// TestMarkerHang: a numbered list's hanging indent grows with its widest
// marker, reckoned with full-width brackets.
func TestMarkerHang(t *testing.T) {
	list := func(n, start int) *doc.List {
		return &doc.List{Ordered: true, Start: start, Items: make([][]doc.Block, n)}
	}
	for _, c := range []struct {
		list  *doc.List
		depth int
		want  string
	}{
		{list(9, 1), 0, ""},          // 9.
		{list(120, 1), 0, ""},        // 120.
		{list(9, 1), 1, "hang3"},     // （9）
		{list(12, 1), 1, "hang3-5"},  // （12）
		{list(3, 99), 1, "hang4"},    // （101）
		{list(3, 99999), 1, "hang5"}, // （100001）: no wider hang
		{list(20, 1), 2, ""},         // ⑳
		{list(21, 1), 2, ""},         // 21.
	} {
		if got := markerHang(c.list, c.depth); got != c.want {
			t.Errorf("%d items from %d at depth %d: %q, want %q", len(c.list.Items), c.list.Start, c.depth, got, c.want)
		}
	}
}

// TestPhrases: a Chinese title's space-separated parts each get a span;
// a Latin title or one without spaces is written as it is.
func TestPhrases(t *testing.T) {
	for in, want := range map[string]string{
		"聚焦推动高质量发展 加快发展新质生产力": `<span class="phrase">聚焦推动高质量发展</span> <span class="phrase">加快发展新质生产力</span>`,
		"新质生产力":                   "新质生产力",
		"用 Go 语言 写书":              `<span class="phrase">用Go语言</span> <span class="phrase">写书</span>`,
		" 甲\u3000乙\u00a0丙  ":      ` <span class="phrase">甲</span>` + "\u3000" + `<span class="phrase">乙` + "\u00a0" + `丙</span>  `,
		"The Go Programming Book": "The Go Programming Book",
	} {
		r := newRenderer("titlepage.xhtml", nil, newUsage())
		r.phrases(in)
		if got := r.out.String(); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
}
