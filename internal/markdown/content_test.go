package markdown

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

func TestRuby(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{汉字|hàn zì}`, `<ruby 汉字|hàn zì>`},
		{`读作{汉字|hàn zì}。`, `读作<ruby 汉字|hàn zì>。`},
		{`{东京|とうきょう}`, `<ruby 东京|とうきょう>`},
		{`{ 汉字 |  hàn   zì }`, `<ruby 汉字|hàn zì>`},
		{`**{重|zhòng}要**`, `<b><ruby 重|zhòng>要</b>`},
		// Literal braces.
		{`\{汉字|hàn zì}`, `{汉字|hàn zì}`},
		{`{汉字|}`, `{汉字|}`},
		{`{|hàn}`, `{|hàn}`},
		{`{汉字|hàn zì`, `{汉字|hàn zì`},
		{`{汉字}`, `{汉字}`},
		{`{a|b|c}`, `{a|b|c}`},
		{"`{汉字|hàn zì}`", "`{汉字|hàn zì}`"},
	} {
		if got := firstParagraph(t, c.in); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	// A soft break next to a ruby group is between Han characters.
	if got := firstParagraph(t, "甲\n{汉|hàn}\n乙"); got != "甲<ruby 汉|hàn>乙" {
		t.Errorf("soft breaks around ruby: %s", got)
	}
	d, _ := Parse("b.md", []byte(fm+"{汉字|hàn zì}与{新质生产力|xīn zhì}\n"))
	content := d.Blocks[0].(*doc.Paragraph).Content
	if p := content[0].(*doc.Ruby).Parts(); !reflect.DeepEqual(p, []string{"hàn", "zì"}) {
		t.Errorf("parts %q, want one per character", p)
	}
	if p := content[2].(*doc.Ruby).Parts(); p != nil {
		t.Errorf("parts %q, want the annotation spanning the base", p)
	}
}

// dumpHeadings lists the headings as "number|id|text".
func dumpHeadings(d *doc.Document) []string {
	var out []string
	doc.Walk(d.Blocks, func(b doc.Block) {
		if h, ok := b.(*doc.Heading); ok {
			out = append(out, h.Number+"|"+h.ID+"|"+doc.PlainText(h.Content))
		}
	})
	return out
}

func TestHeadingNumbersAndIDs(t *testing.T) {
	var body strings.Builder
	body.WriteString("## 引言\n\n")
	for i := 1; i <= 21; i++ {
		body.WriteString("## 部分\n\n")
	}
	body.WriteString("### 甲\n\n### 乙\n\n#### 子\n\n##### 深\n\n#### 丑\n\n#### 寅\n\n### 丙\n\n#### 子\n\n## Go 1.22 的 New Features!\n\n## 2024年展望\n\n## “”\n\n## Page 3\n\n## FN1\n\n## fig 1\n")
	src := "---\ntitle: T\nnumbering: chinese\n---\n" + body.String()
	d, err := Parse("b.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := dumpHeadings(d)
	want := []string{"一、|引言|引言", "二、|部分|部分", "三、|部分-2|部分"}
	if !reflect.DeepEqual(got[:3], want) {
		t.Errorf("first headings %q, want %q", got[:3], want)
	}
	want = []string{
		"二十二、|部分-21|部分",
		"（一）|甲|甲", "（二）|乙|乙", "1.|子|子", "|深|深", "2.|丑|丑", "3.|寅|寅",
		"（三）|丙|丙", "1.|子-2|子",
		"二十三、|go-122-的-new-features|Go 1.22 的 New Features!",
		"二十四、|sec-2024年展望|2024年展望",
		"二十五、|sec|“”",
		"二十六、|sec-page-3|Page 3",
		"二十七、|sec-fn1|FN1",
		"二十八、|sec-fig-1|fig 1",
	}
	if !reflect.DeepEqual(got[21:], want) {
		t.Errorf("headings\n got %q\nwant %q", got[21:], want)
	}
	for _, h := range got {
		if id := strings.Split(h, "|")[1]; !validID(id) {
			t.Errorf("id %q is not an NCName", id)
		}
	}
	// Without numbering, headings are as written.
	d, _ = Parse("b.md", []byte(fm+"## 一、甲\n\n### （一）乙\n"))
	if got := dumpHeadings(d); !reflect.DeepEqual(got, []string{"|一甲|一、甲", "|一乙|（一）乙"}) {
		t.Errorf("numbering none: %q", got)
	}
}

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一",
		99: "九十九", 100: "一百", 101: "一百零一", 110: "一百一十", 1005: "一千零五"} {
		if got := chineseNumber(n); got != want {
			t.Errorf("%d: %s, want %s", n, got, want)
		}
	}
}

func TestHeadingIDErrors(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"## 甲 {#1a}\n", `b.md:4: heading id "1a": an id starts with a letter or _`},
		{"## 甲 {#a:b}\n", `b.md:4: heading id "a:b": an id starts with a letter or _`},
		{"## 甲 {#fig-1}\n", `b.md:4: heading id "fig-1": ids fig-N, tab-N, fnN, nrN and page-… are kept for figures, tables, notes and page markers`},
		{"## 甲 {#fn2}\n", `b.md:4: heading id "fn2": ids fig-N`},
		{"## 甲 {#page-3}\n", `b.md:4: heading id "page-3": ids fig-N`},
		{"## 甲 {#x}\n\n## 乙 {#x}\n", `b.md:6: heading id "x" is already used by the heading at line 4`},
		{"## 甲 {#x .big}\n", `b.md:4: heading attribute "class" is not supported (only {#id} is)`},
		{"## 甲 {#x lang=en}\n", `b.md:4: heading attribute "lang" is not supported (only {#id} is)`},
	} {
		_, err := Parse("b.md", []byte(fm+c.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %s", c.body, err, c.want)
		}
	}
}

func TestCrossReferences(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.png": string(pngBytes(t, 4, 3))})
	src := fm + "## 第二部分 {#part2}\n\n见[第二部分](#part2 \"page\")、[图](#fig-1 \"页码\")、[表](#tab-1)、[上文](#第三部分)。\n\n![图](a.png)\n\n| a |\n|---|\n| 1 |\n\n## 第三部分\n"
	d, err := Parse(filepath.Join(dir, "b.md"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, in := range d.Blocks[1].(*doc.Paragraph).Content {
		if l, ok := in.(*doc.Link); ok {
			links = append(links, l.URL+map[bool]string{true: " page"}[l.ShowPage])
		}
	}
	if want := []string{"#part2 page", "#fig-1 page", "#tab-1", "#第三部分"}; !reflect.DeepEqual(links, want) {
		t.Errorf("links %q, want %q", links, want)
	}
	// A title other than page is no request.
	d, err = Parse("b.md", []byte(fm+"## 甲\n\n[甲](#甲 \"标题\")\n"))
	if err != nil || d.Blocks[1].(*doc.Paragraph).Content[0].(*doc.Link).ShowPage {
		t.Errorf("title 标题: %v", err)
	}
}

// pngBytes encodes a w×h PNG.
func pngBytes(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.White)
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFigures(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.png":        string(pngBytes(t, 40, 30)),
		"photo 1.jpeg": string(jpegBytes(t, 16, 8)),
	})
	os.Mkdir(filepath.Join(dir, "images"), 0o755)
	os.WriteFile(filepath.Join(dir, "images", "a.png"), pngBytes(t, 2, 2), 0o644)
	src := fm + "![增长 *趋势*](a.png \"图题：近五年\")\n\n![照片](photo%201.jpeg)\n\n> ![引文里的图](images/a.png)\n\n![再一次](a.png)\n"
	d, err := Parse(filepath.Join(dir, "b.md"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var figs []*doc.Figure
	doc.Walk(d.Blocks, func(b doc.Block) {
		if f, ok := b.(*doc.Figure); ok {
			figs = append(figs, f)
		}
	})
	if len(figs) != 4 {
		t.Fatalf("%d figures, want 4", len(figs))
	}
	type fig struct {
		line, number     int
		id, alt, caption string
		name, format     string
		w, h             int
	}
	var got []fig
	for _, f := range figs {
		got = append(got, fig{f.Line, f.Number, f.ID, f.Alt, markup(f.Caption), f.Image.Name, f.Image.Format, f.Image.Width, f.Image.Height})
	}
	want := []fig{
		{4, 1, "fig-1", "增长 趋势", "图题：近五年", "images/a.png", "png", 40, 30},
		{6, 2, "fig-2", "照片", "照片", "images/photo-1.jpg", "jpeg", 16, 8},
		{8, 3, "fig-3", "引文里的图", "引文里的图", "images/a-2.png", "png", 2, 2},
		{10, 4, "fig-4", "再一次", "再一次", "images/a.png", "png", 40, 30},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("figures\n got %v\nwant %v", got, want)
	}
	if figs[0].Image != figs[3].Image {
		t.Error("the same file named twice was read twice")
	}
	if markup(figs[0].Caption) != "图题：近五年" {
		t.Errorf("caption %q", markup(figs[0].Caption))
	}
	// The caption from alt text keeps its markup.
	d, _ = Parse(filepath.Join(dir, "b.md"), []byte(fm+"![增长*趋势*](a.png)\n"))
	if got := markup(d.Blocks[0].(*doc.Figure).Caption); got != "增长<i>趋势</i>" {
		t.Errorf("caption from alt %s", got)
	}
}

func TestFigureErrors(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.png")
	os.WriteFile(outside, pngBytes(t, 1, 1), 0o644)
	dir := writeFiles(t, map[string]string{
		"a.svg":   "<svg xmlns='http://www.w3.org/2000/svg'/>",
		"svg.png": "<?xml version='1.0'?>\n<svg/>",
		"t.png":   "text",
		"gif.png": "GIF89a\x01\x00\x01\x00\x00\x00\x00;",
	})
	os.Symlink(outside, filepath.Join(dir, "link.png"))
	src := fm + "![a](a.svg)\n\n![b](svg.png)\n\n![c](t.png)\n\n![d](none.png)\n\n![e](../secret.png)\n\n![f](/etc/passwd)\n\n![g](link.png)\n\n![h](https://example.org/a.png)\n\n文![i](a.png)字\n\n![j](%2e%2e/secret.png)\n"
	_, err := Parse(filepath.Join(dir, "b.md"), []byte(src))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, strings.TrimPrefix(e.Error(), filepath.Join(dir, "b.md")+":"))
	}
	// An SVG file, a file that is no image and a URL not fetched are
	// placeholders with a warning (below). A path from / is taken from
	// the book's folder.
	want := []string{
		`10:1: image "none.png": no such file`,
		`12:1: image "../secret.png": not a path inside the book's folder`,
		`14:1: image "/etc/passwd": no such file`,
		`16:1: image "link.png": a symbolic link out of the book's folder`,
		`20:2: image "a.png": no such file`,
		`22:1: image "%2e%2e/secret.png": not a path inside the book's folder`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}

	// A format paiban cannot read, or an image it did not fetch, is a
	// placeholder with a warning: the book builds.
	src = fm + "![a](a.svg)\n\n![b](svg.png)\n\n![c](t.png)\n\n![d](gif.png)\n\n![h](https://example.org/a.png)\n"
	d, err := Parse(filepath.Join(dir, "b.md"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, w := range d.Warnings {
		got = append(got, strings.TrimPrefix(w.String(), filepath.Join(dir, "b.md")+":"))
	}
	want = []string{
		`4:1: warning: image "a.svg" is SVG, which paiban cannot draw yet; its alt text stands in for it`,
		`6:1: warning: image "svg.png" is SVG, which paiban cannot draw yet; its alt text stands in for it`,
		`8:1: warning: image "t.png" is not an image paiban reads (PNG, JPEG, GIF, WebP, BMP or TIFF); its alt text stands in for it`,
		`10:1: warning: image "gif.png" could not be read as GIF: gif: missing image data; its alt text stands in for it`,
		`12:1: warning: image "https://example.org/a.png" was not fetched (no fetching in this build); its alt text stands in for it`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("warnings\n got %q\nwant %q", got, want)
	}
	for _, b := range d.Blocks {
		if f := b.(*doc.Figure); f.Image == nil || f.Image.Missing == "" || f.Image.Data != nil {
			t.Errorf("figure %q is not a placeholder: %+v", f.Alt, f.Image)
		}
	}
}

func TestHugeImage(t *testing.T) {
	// A PNG header declaring 100,000 × 100,000 pixels, without the pixels.
	data := pngBytes(t, 1, 1)
	big := append([]byte{}, data...)
	copy(big[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(big[29:33], crc32.ChecksumIEEE(big[12:29]))
	dir := writeFiles(t, map[string]string{"big.png": string(big)})
	_, err := Parse(filepath.Join(dir, "b.md"), []byte(fm+"![大](big.png)\n"))
	if err == nil || !strings.Contains(err.Error(), `:4:1: image "big.png" is 100000×100000 pixels: paiban takes images of at most 50 million pixels`) {
		t.Errorf("error %v", err)
	}
}

// dumpTable shows a table as rows of cells separated by |.
func dumpTable(tb *doc.Table) string {
	var b strings.Builder
	row := func(cells [][]doc.Inline) {
		for i, c := range cells {
			if i > 0 {
				b.WriteString("|")
			}
			b.WriteString(markup(c))
		}
		b.WriteString("\n")
	}
	row(tb.Header)
	for _, r := range tb.Rows {
		row(r)
	}
	return b.String()
}

func TestTables(t *testing.T) {
	src := fm + "| 指标 | 数值 | 说明 | 备注 |\n|:---|---:|:---:|---|\n| **GDP** | 126 | 亿元 \\| 现价 | `x\\|y` |\n| 短行 |\n| 多 | 出 | 的 | 格 | 丢掉 |\n\n: 主要*指标*\n\n正文。\n\n| a |\n|---|\n\n: 第二个表\n"
	d, err := Parse("b.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tb := d.Blocks[0].(*doc.Table)
	if want := []doc.Align{doc.AlignLeft, doc.AlignRight, doc.AlignCenter, doc.AlignDefault}; !reflect.DeepEqual(tb.Align, want) {
		t.Errorf("align %v, want %v", tb.Align, want)
	}
	want := "指标|数值|说明|备注\n<b>GDP</b>|126|亿元 | 现价|`x|y`\n短行|||\n多|出|的|格\n"
	if got := dumpTable(tb); got != want {
		t.Errorf("table\n got %q\nwant %q", got, want)
	}
	if tb.Number != 1 || tb.ID != "tab-1" || markup(tb.Caption) != "主要<i>指标</i>" || tb.Line != 4 {
		t.Errorf("table %d %s caption %q line %d", tb.Number, tb.ID, markup(tb.Caption), tb.Line)
	}
	if p, ok := d.Blocks[1].(*doc.Paragraph); !ok || markup(p.Content) != "正文。" {
		t.Errorf("caption not consumed: block 1 is %T", d.Blocks[1])
	}
	second := d.Blocks[2].(*doc.Table)
	if second.Number != 2 || second.ID != "tab-2" || len(second.Rows) != 0 || markup(second.Caption) != "第二个表" {
		t.Errorf("second table %+v", second)
	}
	if len(d.Blocks) != 3 {
		t.Errorf("%d blocks, want 3", len(d.Blocks))
	}
}

// TestWideTable checks that a table of 1,000 columns is refused before
// goldmark pads each of its rows to that width, and that 100 are read.
func TestWideTable(t *testing.T) {
	header := "|" + strings.Repeat(" a |", 1000) + "\n|" + strings.Repeat("---|", 1000) + "\n"
	_, err := Parse("b.md", []byte(fm+header+strings.Repeat("x\n", 100000)))
	if err == nil || err.Error() != "b.md:5: table with 1000 columns: paiban sets tables of at most 100 columns" {
		t.Errorf("1000 columns: %v", err)
	}
	// 100 columns over rows of one cell would make 100 cells of each
	// two bytes.
	header = "|" + strings.Repeat(" a |", 100) + "\n|" + strings.Repeat("---|", 100) + "\n"
	_, err = Parse("b.md", []byte(fm+"甲\n\n"+header+strings.Repeat("x\n", 2000)))
	if err == nil || err.Error() != "b.md:6: tables with rows shorter than their header: paiban would fill in 198000 empty cells, more than it takes; write the rows out in full" {
		t.Errorf("short rows: %v", err)
	}
	if _, err = Parse("b.md", []byte(fm+header+strings.Repeat("x\n", 900))); err != nil {
		t.Errorf("900 short rows: %v", err)
	}
	header = "|" + strings.Repeat(" a |", 100) + "\n|" + strings.Repeat(":--|", 100) + "\n"
	d, err := Parse("b.md", []byte(fm+header+"| 1 |\n"))
	if err != nil {
		t.Fatal(err)
	}
	tb := d.Blocks[0].(*doc.Table)
	if len(tb.Header) != 100 || len(tb.Rows) != 1 || len(tb.Rows[0]) != 100 {
		t.Errorf("100 columns: header %d, rows %d", len(tb.Header), len(tb.Rows))
	}
}

func TestDefinitionLists(t *testing.T) {
	src := fm + "新质生产力\n: 创新起主导作用的先进生产力质态。\n: 第二个定义。\n\n*全要素生产率*\n\n:   一段。\n\n    二段。\n\n之后的正文。\n"
	d, err := Parse("b.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	l := d.Blocks[0].(*doc.DefinitionList)
	var b strings.Builder
	for _, item := range l.Items {
		b.WriteString("term " + markup(item.Term) + "\n")
		for _, def := range item.Definitions {
			b.WriteString("  def\n")
			var sub strings.Builder
			dumpBlocks(&sub, def, "    ")
			b.WriteString(sub.String())
		}
	}
	want := "term 新质生产力\n  def\n    p @5: 创新起主导作用的先进生产力质态。\n  def\n    p @6: 第二个定义。\n" +
		"term <i>全要素生产率</i>\n  def\n    p @10: 一段。\n    p @12: 二段。\n"
	if b.String() != want {
		t.Errorf("definition list\n got %q\nwant %q", b.String(), want)
	}
	if l.Line != 4 || len(d.Blocks) != 2 {
		t.Errorf("line %d, %d blocks", l.Line, len(d.Blocks))
	}
	// Walk visits definitions, as the page markers count them.
	n := 0
	doc.Walk(d.Blocks, func(b doc.Block) {
		if _, ok := b.(*doc.Paragraph); ok {
			n++
		}
	})
	if n != 5 {
		t.Errorf("Walk saw %d paragraphs, want 5", n)
	}
}

// TestBracketRuns: a paragraph of tens of thousands of lines each
// closing a bracket is refused at its first line, since goldmark would
// read it in time quadratic in its length (reference definitions one a
// line take seconds at 80,000); footnote definitions one a line and the
// items of a tight list, which goldmark reads as blocks of their own, are
// no such paragraph and are read.
func TestBracketRuns(t *testing.T) {
	const n = 25000
	var refs, notes, tasks, body strings.Builder
	for i := range n {
		fmt.Fprintf(&refs, "[r%d]: http://e.com/%d\n", i, i)
		fmt.Fprintf(&notes, "[^%d]: 注%d。\n", i, i)
		fmt.Fprintf(&tasks, "- [ ] [待办%d](http://e.com/%d)\n", i, i)
		fmt.Fprintf(&body, "正文[^%d]。\n\n", i)
	}
	_, err := Parse("b.md", []byte(fm+"甲\n\n"+refs.String()))
	if err == nil || !strings.HasPrefix(err.Error(), "b.md:6: paragraph of 25000 lines with 25000 closing brackets") {
		t.Errorf("25,000 reference definitions in a run: %v", err)
	}
	d, err := Parse("b.md", []byte(fm+"\n"+body.String()+notes.String()))
	if err != nil {
		t.Fatalf("25,000 footnote definitions in a run: %v", err)
	}
	if len(d.Footnotes) != n {
		t.Errorf("%d footnotes, want %d", len(d.Footnotes), n)
	}
	d, err = Parse("b.md", []byte(fm+"\n"+tasks.String()))
	if err != nil {
		t.Fatalf("a task list of 25,000 linked items: %v", err)
	}
	if l, ok := d.Blocks[0].(*doc.List); !ok || len(l.Items) != n {
		t.Errorf("the task list was not read as a list of %d items", n)
	}
}

// TestEmphasizedLinks: a paragraph of more than maxEmphasizedLinks links
// with emphasis in their text, which goldmark reads in time growing with
// the square of their number, is refused at its first line; as many
// links with emphasis beside them, or in a list of their own, are read.
func TestEmphasizedLinks(t *testing.T) {
	const n = maxEmphasizedLinks + 1
	_, err := Parse("b.md", []byte(fm+"\n"+strings.Repeat("[**字**i](http://e.com/) ", n)+"\n"))
	if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("b.md:5: paragraph of %d links with emphasis in their text", n)) {
		t.Errorf("%d emphasized links in a paragraph: %v", n, err)
	}
	for _, src := range []string{
		strings.Repeat("**甲** [字i](http://e.com/) ", n),
		strings.Repeat("- [**字**i](http://e.com/)\n", n),
	} {
		if _, err := Parse("b.md", []byte(fm+"\n"+src+"\n")); err != nil {
			t.Errorf("%.30q…: %v", src, err)
		}
	}
}
