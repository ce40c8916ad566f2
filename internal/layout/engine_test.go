package layout

import (
	"math"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
)

// testEngine starts a layout pass in style st.
func testEngine(st *style.Style, faces map[string]*fonts.Face) (*engine, error) {
	fr, err := newFrame(Options{Style: st, Faces: faces})
	if err != nil {
		return nil, err
	}
	return newEngine(fr, nil, nil), nil
}

func testStyle(t *testing.T) (*style.Style, map[string]*fonts.Face) {
	t.Helper()
	return testStyleNamed(t, style.Default)
}

// testStyleNamed loads the style called name and its fonts.
func testStyleNamed(t *testing.T, name string) (*style.Style, map[string]*fonts.Face) {
	t.Helper()
	st, err := style.Load("../../styles", name)
	if err != nil {
		t.Fatal(err)
	}
	faces := map[string]*fonts.Face{}
	for _, name := range st.Fonts.Files() {
		f, err := fonts.Load("../../fonts/" + name)
		if err != nil {
			t.Fatal(err)
		}
		faces[name] = f
	}
	return st, faces
}

// testDoc is a document long enough for several pages: sections of
// paragraphs, every third paragraph carrying a footnote.
func testDoc(sections, paras int) *doc.Document {
	d := &doc.Document{Meta: doc.Metadata{Title: "测试文档", Language: "zh-CN", Authors: []doc.Author{{Name: "作者"}}}}
	text := strings.Repeat("新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径，具有高科技、高效能、高质量特征。", 3)
	for s := 1; s <= sections; s++ {
		d.Blocks = append(d.Blocks, &doc.Heading{Level: 2, ID: "sec-" + itoaTest(s), Content: []doc.Inline{doc.Text("第" + itoaTest(s) + "部分的标题")}})
		for p := 0; p < paras; p++ {
			inl := []doc.Inline{doc.Text(text)}
			if p%3 == 0 {
				n := &doc.Footnote{Number: len(d.Footnotes) + 1, Blocks: []doc.Block{&doc.Paragraph{Content: []doc.Inline{doc.Text("注释的文字。")}}}}
				d.Footnotes = append(d.Footnotes, n)
				inl = append(inl, &doc.FootnoteRef{Note: n})
			}
			d.Blocks = append(d.Blocks, &doc.Paragraph{Content: inl})
		}
	}
	return d
}

func itoaTest(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestPagination(t *testing.T) {
	st, faces := testStyle(t)
	d := testDoc(6, 8)
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Book
	if len(b.Pages) < 3 {
		t.Fatalf("got %d pages, want several", len(b.Pages))
	}
	if len(res.Missing) != 0 {
		t.Errorf("missing glyphs: %v", res.Missing)
	}
	pitch := st.BodySize * st.LinePitch
	top := st.MarginTopMM * style.PointsPerMM
	noteMarks := 0
	for pi, p := range b.Pages {
		// Every glyph inside the page and, for body text, on the grid.
		for _, g := range p.Glyphs {
			if g.X < 0 || g.X > p.Width || g.Y < 0 || g.Y > p.Height {
				t.Fatalf("page %d: glyph %q at (%.1f, %.1f) is off the page", pi+1, g.Text, g.X, g.Y)
			}
			if g.Size == st.BodySize && g.Y > top {
				k := (g.Y - top - (pitch-st.BodySize)/2 - emAscent*st.BodySize) / pitch
				if math.Abs(k-math.Round(k)) > 1e-6 {
					t.Errorf("page %d: body glyph %q at y=%.2f is off the baseline grid", pi+1, g.Text, g.Y)
				}
			}
		}
		// Note marks in the text are numbered ①② afresh on every page and
		// each has its note on the same page.
		var inText, inNotes []string
		for _, g := range p.Glyphs {
			if strings.ContainsRune("①②③④⑤⑥⑦⑧⑨", []rune(g.Text)[0]) {
				if g.Size < st.BodySize*0.7 {
					inText = append(inText, g.Text)
				} else if g.Size == st.NoteSize {
					inNotes = append(inNotes, g.Text)
				}
			}
		}
		for i := range inText {
			if inText[i] != string(rune('①'+i)) {
				t.Errorf("page %d: marks %v do not restart at ①", pi+1, inText)
				break
			}
		}
		if strings.Join(inText, "") != strings.Join(inNotes, "") {
			t.Errorf("page %d: marks in text %v but notes %v", pi+1, inText, inNotes)
		}
		noteMarks += len(inText)
	}
	if noteMarks != len(d.Footnotes) {
		t.Errorf("%d note marks, want %d", noteMarks, len(d.Footnotes))
	}
	// Headings are never the last line of a page.
	for _, o := range b.Outline {
		p := b.Pages[o.Page]
		below := 0
		for _, g := range p.Glyphs {
			if g.Size == st.BodySize && g.Y > o.Y+pitch {
				below++
			}
		}
		if below == 0 {
			t.Errorf("heading %q ends page %d", o.Title, o.Page+1)
		}
	}
	t.Logf("%d pages, %d notes, %d outline entries", len(b.Pages), noteMarks, len(b.Outline))
	if len(b.Outline) != 6 {
		t.Errorf("outline has %d entries, want 6", len(b.Outline))
	}
}

// TestHeadingBreaksAfterPunctuation checks that long headings break after
// a mark rather than inside a phrase, and never leave a stub like 一、.
func TestHeadingBreaksAfterPunctuation(t *testing.T) {
	st, faces := testStyle(t)
	e, err := testEngine(st, faces)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"一、“新质生产力”这一理论创新成果来源于服务于高质量发展伟大实践": {"一、“新质生产力”", "这一理论创新成果来源于服务于高质量发展伟大实践"},
		"二、加快发展新质生产力，要着力推动新产业、新模式、新动能创新发展": {"二、加快发展新质生产力，", "要着力推动新产业、新模式、新动能创新发展"},
		"短标题": {"短标题"},
	}
	for text, want := range cases {
		atoms := e.text.atomsOf([]doc.Inline{doc.Text(text)}, styleOf(e.headingF, 15), doc.Pos{})
		sp := e.text.balanced(atoms, e.measure)
		var got []string
		for _, ln := range sp.lines {
			var b strings.Builder
			for _, a := range sp.atoms[ln.start:ln.end] {
				b.WriteString(a.text())
			}
			got = append(got, b.String())
			if ln.width > e.measure+eps {
				t.Errorf("%s: line %q overflows", text, b.String())
			}
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: lines %q, want %q", text, got, want)
		}
	}
}

// TestPageStarts checks that each page records where its body text
// begins: the first character set on the page is that character of that
// heading or paragraph.
func TestPageStarts(t *testing.T) {
	st, faces := testStyle(t)
	d := testDoc(4, 6)
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]rune
	doc.Walk(d.Blocks, func(b doc.Block) {
		switch n := b.(type) {
		case *doc.Heading:
			blocks = append(blocks, []rune(doc.PlainText(n.Content)))
		case *doc.Paragraph:
			blocks = append(blocks, []rune(doc.PlainText(n.Content)))
		}
	})
	top := st.MarginTopMM * style.PointsPerMM
	checked := 0
	for i, p := range res.Book.Pages {
		// The first page opens with the title and contents.
		if p.Start.Block < 0 || i == 0 {
			continue
		}
		var first *Glyph
		for k := range p.Glyphs {
			g := &p.Glyphs[k]
			if g.Y > top && g.Size >= st.BodySize && (first == nil || g.Y < first.Y-0.1 || (math.Abs(g.Y-first.Y) < 0.1 && g.X < first.X)) {
				first = g
			}
		}
		want := blocks[p.Start.Block][p.Start.Offset]
		if first == nil || []rune(first.Text)[0] != want {
			t.Errorf("page %d: starts at block %d offset %d (%q), first glyph %v", i+1, p.Start.Block, p.Start.Offset, want, first)
		}
		checked++
	}
	if checked < 3 {
		t.Errorf("only %d pages checked", checked)
	}
}

// TestLongFootnoteContinues checks that a note too long for the page of
// its mark continues under the rule of the next page: every line of it is
// set once, in order, below the body text of its page.
func TestLongFootnoteContinues(t *testing.T) {
	st, faces := testStyle(t)
	d := testDoc(3, 6)
	long := strings.Repeat("这是一条很长的注释，用来检查注释在页面底部放不下时能否转到下一页继续排。", 40)
	n := &doc.Footnote{Number: len(d.Footnotes) + 1, Blocks: []doc.Block{&doc.Paragraph{Content: []doc.Inline{doc.Text(long)}}}}
	d.Footnotes = append(d.Footnotes, n)
	p := d.Blocks[3].(*doc.Paragraph)
	p.Content = append(p.Content, &doc.FootnoteRef{Note: n})
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	var noteText strings.Builder
	pagesWithNote := 0
	for pi, pg := range res.Book.Pages {
		lowestBody := 0.0
		has := false
		for _, l := range pg.Lines {
			g := pg.Glyphs[l.Cells[0].Glyph]
			if g.Size == st.BodySize {
				lowestBody = max(lowestBody, l.Y)
			}
		}
		for _, l := range pg.Lines {
			g := pg.Glyphs[l.Cells[0].Glyph]
			if g.Size != st.NoteSize {
				continue
			}
			var text strings.Builder
			for _, c := range l.Cells {
				text.WriteString(pg.Glyphs[c.Glyph].Text)
			}
			if strings.Contains(long, text.String()) {
				has = true
				noteText.WriteString(text.String())
				if l.Y <= lowestBody {
					t.Errorf("page %d: note line at y=%.1f is not below the body (%.1f)", pi+1, l.Y, lowestBody)
				}
				if l.Y > pg.Height-st.MarginBotMM*style.PointsPerMM+1 {
					t.Errorf("page %d: note line at y=%.1f runs into the bottom margin", pi+1, l.Y)
				}
			}
		}
		if has {
			pagesWithNote++
		}
	}
	if pagesWithNote < 2 {
		t.Errorf("the long note is on %d page(s), want it continued", pagesWithNote)
	}
	if noteText.String() != long {
		t.Errorf("the note's lines do not give back its text once, in order (%d of %d runes)", len([]rune(noteText.String())), len([]rune(long)))
	}
}

// TestBlockQuoteInKai checks that quotations are set in 楷体 two ems in
// from the text's left edge, with the quote marks' ink in the GB corners
// although LXGW WenKai's quotes are proportional.
func TestBlockQuoteInKai(t *testing.T) {
	st, faces := testStyle(t)
	long := strings.Repeat("引文左右两侧都缩进两个字。", 8)
	d := &doc.Document{Meta: doc.Metadata{Title: "引文"}, Blocks: []doc.Block{
		&doc.Paragraph{Content: []doc.Inline{doc.Text("正文。" + long)}},
		&doc.BlockQuote{Blocks: []doc.Block{&doc.Paragraph{Content: []doc.Inline{doc.Text("他说：“引文在这里，用楷体排。”" + long)}}}},
	}}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	kai := faces[st.Fonts.Face(style.Kai)]
	p := res.Book.Pages[0]
	var body, quote *Line
	for i := range p.Lines {
		l := &p.Lines[i]
		switch p.Glyphs[l.Cells[0].Glyph].Text {
		case "正":
			body = l
		case "他":
			quote = l
		}
	}
	if body == nil || quote == nil {
		t.Fatal("lines not found")
	}
	if d := quote.X0 - body.X0; math.Abs(d-2*st.BodySize) > 0.01 {
		t.Errorf("quotation starts %.2f pt right of the text, want 2 em", d)
	}
	// Indented on both sides (docs/typesetting.md §5.4; issue 18, item 12): the
	// quotation's full lines end two ems short of the text's.
	if d := body.X1 - quote.X1; math.Abs(d-2*st.BodySize) > 0.01 {
		t.Errorf("quotation ends %.2f pt left of the text's right edge, want 2 em", d)
	}
	for _, c := range quote.Cells {
		g := p.Glyphs[c.Glyph]
		if strings.ContainsAny(g.Text, "他引楷“”") && g.Face != kai {
			t.Errorf("%q set in %s, want 楷体", g.Text, g.Face.PostScriptName)
		}
		if g.Text == "“" {
			// The ink of an opening quote sits in the right half of its cell.
			m := kai.Metrics('“')
			inkL := g.X + m.InkX0*g.Size
			if inkL < c.Start+c.Width-0.5*g.Size-0.01 {
				t.Errorf("opening quote ink starts at %.2f, cell %.2f+%.2f", inkL, c.Start, c.Width)
			}
		}
	}
}

// TestDuplexBook checks the two-sided book conventions: mirrored
// margins, chapters on right-hand pages (a blank left-hand page when
// needed), front matter numbered i, ii and the text from 1, and running
// heads with the book's title on the left and the chapter's on the right.
func TestDuplexBook(t *testing.T) {
	st, faces := testStyle(t)
	st.Duplex, st.ChapterRecto, st.FrontMatterPages = true, true, true
	st.MarginLeftMM, st.MarginRightMM = 30, 15
	d := testDoc(3, 5)
	for _, b := range d.Blocks {
		if h, ok := b.(*doc.Heading); ok {
			h.Level = 1
		}
	}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	pages := res.Book.Pages
	if pages[0].Folio != "i" || pages[1].Folio != "ii" {
		t.Errorf("front matter folios %q %q, want i ii", pages[0].Folio, pages[1].Folio)
	}
	inner, outer := 30*style.PointsPerMM, 15*style.PointsPerMM
	firstBody := -1
	for i, p := range pages {
		if p.Folio == "1" {
			firstBody = i
		}
		for _, l := range p.Lines {
			left := l.X0
			if l.Block >= 0 && l.Index > 0 && p.Glyphs[l.Cells[0].Glyph].Size == st.BodySize {
				want := inner
				if i%2 == 1 {
					want = outer
				}
				if left < want-0.01 || left > want+st.BodySize {
					t.Errorf("page %d (%s): text starts at %.1f pt, want the %s margin %.1f", i+1, p.Folio, left, map[bool]string{true: "inner", false: "outer"}[i%2 == 0], want)
				}
				break
			}
		}
	}
	if firstBody < 0 || firstBody%2 != 0 {
		t.Errorf("the text starts on page index %d, want a right-hand page", firstBody)
	}
	for _, o := range res.Book.Outline {
		if o.Page%2 != 0 {
			t.Errorf("chapter %q starts on a left-hand page (%d)", o.Title, o.Page+1)
		}
	}
	// Running heads: left-hand pages carry the book's title.
	for i, p := range pages {
		if i%2 == 1 && len(p.Glyphs) > 0 && i > firstBody {
			var head strings.Builder
			for _, g := range p.Glyphs {
				if g.Size == st.HeaderSize && g.Y < st.MarginTopMM*style.PointsPerMM {
					head.WriteString(g.Text)
				}
			}
			if head.Len() > 0 && head.String() != d.Meta.Title {
				t.Errorf("page %d: left-hand head %q, want the book's title", i+1, head.String())
			}
		}
	}
}

// TestListMarkers checks that each list item's number hangs on the line
// of its first paragraph, two ems left of the text.
func TestListMarkers(t *testing.T) {
	st, faces := testStyle(t)
	item := func(s string) []doc.Block { return []doc.Block{&doc.Paragraph{Content: []doc.Inline{doc.Text(s)}}} }
	d := &doc.Document{Meta: doc.Metadata{Title: "列表"}, Blocks: []doc.Block{
		&doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{item("第一项"), item("第二项")}},
	}}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Book.Pages[0]
	for _, want := range []struct{ mark, text string }{{"1", "第"}, {"2", "第"}} {
		var mark, text *Glyph
		for i := range p.Glyphs {
			g := &p.Glyphs[i]
			if g.Text == want.mark && mark == nil {
				mark = g
			}
		}
		if mark == nil {
			t.Fatalf("marker %s not drawn", want.mark)
		}
		for i := range p.Glyphs {
			g := &p.Glyphs[i]
			if g.Text == want.text && math.Abs(g.Y-mark.Y) < 0.01 {
				text = g
			}
		}
		if text == nil || text.X-mark.X < 1.5*st.BodySize || text.X-mark.X > 2.5*st.BodySize {
			t.Errorf("marker %s at x=%.1f: item text %v not two ems right on its line", want.mark, mark.X, text)
		}
	}
}

// TestParagraphPanicReachesCaller: a panic while setting a paragraph in a
// worker goroutine is Layout's error, naming the paragraph's place.
func TestParagraphPanicReachesCaller(t *testing.T) {
	st, faces := testStyle(t)
	var bad *doc.Emphasis // a nil node no reader makes
	d := &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{
		&doc.Paragraph{Pos: doc.Pos{File: "book.md", Line: 7}, Content: []doc.Inline{doc.Text("正文"), bad}},
	}}
	if _, err := Layout(d, Options{Style: st, Faces: faces}); err == nil || !strings.Contains(err.Error(), "book.md:7") {
		t.Errorf("Layout: %v, want an error naming book.md:7", err)
	}
}

// TestPageStartsWithUncountedBlock: a page that begins inside a code
// block starts Lead 1 before the paragraph after the block, so the EPUB
// can put its marker before the block rather than after it.
func TestPageStartsWithUncountedBlock(t *testing.T) {
	st, faces := testStyle(t)
	e, _ := testEngine(st, faces)
	d := &doc.Document{Meta: doc.Metadata{Title: "代码"}}
	for range int(e.bodyH/e.pitch) - 8 {
		d.Blocks = append(d.Blocks, &doc.Paragraph{Content: []doc.Inline{doc.Text("前文一行。")}})
	}
	before := len(d.Blocks)
	d.Blocks = append(d.Blocks, &doc.CodeBlock{Text: strings.Repeat("x := 1\n", 30)},
		&doc.Paragraph{Content: []doc.Inline{doc.Text("后文。")}})
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	pages := res.Book.Pages
	if len(pages) < 2 {
		t.Fatalf("%d pages; the code block must run onto page 2", len(pages))
	}
	want := TextPos{Block: before, Offset: 0, Lead: 1}
	if got := pages[1].Start; got != want {
		t.Errorf("page 2 starts at %+v, want %+v (one block before paragraph %d)", got, want, before)
	}
	if got := pages[0].Start; got.Lead != 0 || got.Block != 0 {
		t.Errorf("page 1 starts at %+v, want the first paragraph", got)
	}
}

// TestRunningHeads (issue 18, item 13; docs/typesetting.md §5.7): a page whose text
// begins with a chapter's title has no running head, also when chapters
// do not start new pages; a title too long for the measure is shortened
// at a phrase boundary, so that no head reaches past the text block, at
// any measure; and a date with no colophon to carry it is printed in the
// title block.
func TestRunningHeads(t *testing.T) {
	st, faces := testStyle(t)
	st.Duplex, st.ChapterRecto, st.FrontMatterPages = true, false, true
	long := "加快发展新质生产力，要抓好改造提升传统产业、培育壮大新兴产业、超前布局建设未来产业"
	for _, m := range []float64{10, 16, 24, 39} {
		st.PageWidthMM = st.MarginLeftMM + st.MarginRightMM + (m+0.5)*st.BodySize/style.PointsPerMM
		d := testDoc(4, 12)
		d.Meta.Date = "2024-04-30"
		for i, b := range d.Blocks {
			if h, ok := b.(*doc.Heading); ok {
				h.Level = 1
				if i > 0 {
					h.Content = []doc.Inline{doc.Text(long)}
				}
			}
		}
		res, err := Layout(d, Options{Style: st, Faces: faces})
		if err != nil {
			t.Fatal(err)
		}
		top := st.MarginTopMM * style.PointsPerMM
		heads, opening := 0, 0
		for i, p := range res.Book.Pages {
			var head []Glyph
			for _, g := range p.Glyphs {
				if g.Size == st.HeaderSize && g.Y < top {
					head = append(head, g)
				}
			}
			left, right := math.Inf(1), math.Inf(-1)
			for _, l := range p.Lines {
				left, right = min(left, l.X0), max(right, l.X1)
			}
			if len(p.Lines) > 0 && p.Glyphs[p.Lines[0].Cells[0].Glyph].Size == st.HeadingSize(1) {
				opening++
				if len(head) > 0 {
					t.Errorf("%g em, page %d opens a chapter but has a running head", m, i+1)
				}
			}
			if len(head) > 0 {
				heads++
				first, last := head[0], head[len(head)-1]
				end := last.X + last.Face.Advance([]rune(last.Text)[0])*last.Size
				if first.X < left-0.01 || end > right+0.01 {
					t.Errorf("%g em, page %d: the head runs %.1f..%.1f, past the text block %.1f..%.1f", m, i+1, first.X, end, left, right)
				}
			}
		}
		if heads == 0 || opening == 0 {
			t.Errorf("%g em: %d pages with heads, %d opening a chapter; the test needs both", m, heads, opening)
		}
		if p, _ := findLine(res.Book, "2024年4月30日"); p != res.Book.Pages[0] {
			t.Errorf("%g em: the date is not in the title block", m)
		}
	}
}

// TestHeadingsBreakBetweenWords (issue 18, item 15): a heading too long
// for its line breaks after punctuation when it can, else between words,
// not inside one (创新成/果, 科/教兴国). The words are listed here by hand,
// apart from the dictionary the engine segments with.
func TestHeadingsBreakBetweenWords(t *testing.T) {
	st, faces := testStyle(t)
	headings := []string{
		"一、“新质生产力”这一理论创新成果来源于服务于高质量发展伟大实践",
		"四、加快发展新质生产力，要坚定不移深入实施科教兴国战略、人才强国战略、创新驱动发展战略",
		"三、科技创新成果与科教融合发展的若干问题研究",
		"安装与构建工具链的准备工作",
	}
	words := []string{"理论", "创新", "成果", "来源", "服务", "质量", "发展", "伟大", "实践", "生产力", "坚定不移",
		"深入", "实施", "科教", "兴国", "战略", "人才", "强国", "驱动", "科技", "融合", "若干", "问题", "研究",
		"安装", "构建", "工具", "准备", "工作"}
	d := &doc.Document{Meta: doc.Metadata{Title: "标题"}}
	for _, h := range headings {
		d.Blocks = append(d.Blocks, &doc.Heading{Level: 2, Content: []doc.Inline{doc.Text(h)}}, para(doc.Text("正文。")))
	}
	split := 0
	for m := 8; m <= 40; m++ {
		st.PageWidthMM = st.MarginLeftMM + st.MarginRightMM + (float64(m)+0.5)*st.BodySize/style.PointsPerMM
		res, err := Layout(d, Options{Style: st, Faces: faces})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Book.Pages {
			for i := 1; i < len(p.Lines); i++ {
				a, b := p.Lines[i-1], p.Lines[i]
				size := p.Glyphs[a.Cells[0].Glyph].Size
				if size != st.HeadingSize(1) || p.Glyphs[b.Cells[0].Glyph].Size != size || b.Y-a.Y > st.BodySize*st.LinePitch+eps {
					continue
				}
				end, start := []rune(lineText(p, a)), []rune(lineText(p, b))
				split++
				for _, w := range words {
					for k := 1; k < len([]rune(w)); k++ {
						wr := []rune(w)
						if strings.HasSuffix(string(end), string(wr[:k])) && strings.HasPrefix(string(start), string(wr[k:])) {
							t.Errorf("%d em: heading broken inside %s: …%s / %s…", m, w, string(end[max(0, len(end)-6):]), string(start[:min(len(start), 6)]))
						}
					}
				}
			}
		}
	}
	if split < 40 {
		t.Errorf("only %d heading line breaks checked", split)
	}
}
