package layout

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/style"
)

func layoutDoc(t *testing.T, st *style.Style, d *doc.Document) *Book {
	t.Helper()
	_, faces := testStyle(t)
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) != 0 {
		t.Errorf("missing glyphs: %v", res.Missing)
	}
	return res.Book
}

func para(in ...doc.Inline) *doc.Paragraph { return &doc.Paragraph{Content: in} }

// lineText is the text of a set line.
func lineText(p *Page, l Line) string {
	var b strings.Builder
	for _, c := range l.Cells {
		b.WriteString(p.Glyphs[c.Glyph].Text)
	}
	return b.String()
}

// findLine returns the first line on any page whose text contains s.
func findLine(b *Book, s string) (*Page, *Line) {
	for _, p := range b.Pages {
		for i := range p.Lines {
			if strings.Contains(lineText(p, p.Lines[i]), s) {
				return p, &p.Lines[i]
			}
		}
	}
	return nil, nil
}

// TestEmphasisDots: *…* puts one round dot under each Han character,
// centred under its cell, none under punctuation; Latin is italic.
func TestEmphasisDots(t *testing.T) {
	st, _ := testStyle(t)
	d := &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{
		para(doc.Text("这是"), &doc.Emphasis{Content: []doc.Inline{doc.Text("着重，“号”and italic")}}, doc.Text("与**加粗**"),
			&doc.Emphasis{Strong: true, Content: []doc.Inline{doc.Text("黑体")}}),
	}}
	b := layoutDoc(t, st, d)
	p, l := findLine(b, "着重")
	if l == nil {
		t.Fatal("line not found")
	}
	var dots []Rule
	for _, r := range p.Rules {
		if r.Round {
			dots = append(dots, r)
		}
	}
	em := st.BodySize
	want := map[string]bool{"着": true, "重": true, "号": true}
	matched := 0
	for _, c := range l.Cells {
		g := p.Glyphs[c.Glyph]
		centre := c.Start + c.Width/2
		var under []Rule
		for _, r := range dots {
			if r.X < c.Start+c.Width && r.X+r.W > c.Start {
				under = append(under, r)
			}
		}
		switch {
		case want[g.Text]:
			if len(under) != 1 {
				t.Errorf("%s has %d dots under it, want 1", g.Text, len(under))
				continue
			}
			r := under[0]
			if off := (r.X + r.W/2 - centre) / em; math.Abs(off) > 0.01 {
				t.Errorf("the dot under %s is %.3f em off the cell's centre", g.Text, off)
			}
			if math.Abs(r.W-r.H) > 1e-9 || r.Y < g.Y+emDescent*em-eps {
				t.Errorf("the dot under %s is not a round dot below the em box: %+v", g.Text, r)
			}
			matched++
		case len(under) > 0:
			t.Errorf("%q has a dot under it", g.Text)
		}
		if strings.ContainsAny(g.Text, "anditlc") && !strings.Contains(g.Face.PostScriptName, "Italic") {
			t.Errorf("emphasised Latin %q is set in %s, want italic", g.Text, g.Face.PostScriptName)
		}
		if g.Text == "黑" && !strings.Contains(g.Face.PostScriptName, "Sans") {
			t.Errorf("strong 黑 is set in %s, want the sans face", g.Face.PostScriptName)
		}
	}
	if matched != 3 || len(dots) != 3 {
		t.Errorf("%d dots, %d under emphasised Han; want 3 and 3", len(dots), matched)
	}

	// The layout dump shows the same: a dot under 着, 重 and 号 only.
	var out bytes.Buffer
	if err := b.Dump(&out); err != nil {
		t.Fatal(err)
	}
	var dotted strings.Builder
	for _, js := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var dl DumpLine
		if err := json.Unmarshal([]byte(js), &dl); err != nil {
			t.Fatal(err)
		}
		for _, g := range dl.Glyphs {
			if g.Dot == nil {
				continue
			}
			dotted.WriteString(g.Char)
			if off := (g.Dot.X - (g.CellStart + g.CellWidth/2)) / g.Size; math.Abs(off) > 0.01 {
				t.Errorf("dump: the dot under %s is %.3f em off centre", g.Char, off)
			}
		}
	}
	if dotted.String() != "着重号" {
		t.Errorf("dump: dots under %q, want 着重号", dotted.String())
	}
}

// rubyGlyphs returns the glyphs of the page at the annotation size.
func rubyGlyphs(p *Page, size float64) []Glyph {
	var out []Glyph
	for _, g := range p.Glyphs {
		if math.Abs(g.Size-size*rubyScale) < 1e-9 {
			out = append(out, g)
		}
	}
	return out
}

// TestRuby: annotations at half size, centred over each base character
// (or over the group), above the base; base characters stay together on
// a line; the line pitch grows only for a line whose ruby does not fit.
func TestRuby(t *testing.T) {
	st, _ := testStyle(t)
	em := st.BodySize
	d := &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{
		para(doc.Text("认识"), &doc.Ruby{Base: "汉字", Annotation: "hàn zì"}, doc.Text("和"), &doc.Ruby{Base: "東京", Annotation: "Tōkyō Metropolis Area"}, doc.Text("。")),
	}}
	b := layoutDoc(t, st, d)
	p, l := findLine(b, "汉字")
	ann := rubyGlyphs(p, em)
	// Group the annotation glyphs into words by gaps.
	word := func(text string) (x0, x1, y float64) {
		x0 = math.Inf(1)
		var s strings.Builder
		for _, g := range ann {
			if s.Len() < len(text) && strings.HasPrefix(text[s.Len():], g.Text) {
				s.WriteString(g.Text)
				x0 = min(x0, g.X)
				x1 = g.X + g.Face.Advance([]rune(g.Text)[0])*g.Size
				y = g.Y
			} else if s.Len() < len(text) {
				s.Reset()
				x0 = math.Inf(1)
			}
		}
		if s.String() != text {
			t.Fatalf("annotation %q not drawn", text)
		}
		return
	}
	cell := func(ch string) Cell {
		for _, c := range l.Cells {
			if p.Glyphs[c.Glyph].Text == ch {
				return c
			}
		}
		t.Fatalf("%s not on the line", ch)
		return Cell{}
	}
	for _, c := range []struct{ base, ann string }{{"汉", "hàn"}, {"字", "zì"}} {
		x0, x1, y := word(c.ann)
		bc := cell(c.base)
		if off := ((x0+x1)/2 - (bc.Start + bc.Width/2)) / em; math.Abs(off) > 0.01 {
			t.Errorf("%s is %.3f em off the centre of %s", c.ann, off, c.base)
		}
		if y > l.Y-emAscent*em {
			t.Errorf("%s at y=%.1f is not above the em box of its base (top %.1f)", c.ann, y, l.Y-emAscent*em)
		}
	}
	// A spanning annotation wider than its base: the base is spaced out
	// to its width and the annotation centred over the group.
	x0, x1, _ := word("Tōkyō")
	_, y1, _ := word("Area")
	dong, jing := cell("東"), cell("京")
	if (x1+y1)/2-x0 < 0 || y1-x0 > jing.Start+jing.Width-dong.Start+0.01*em {
		t.Errorf("annotation %.1f..%.1f overhangs its base %.1f..%.1f", x0, y1, dong.Start, jing.Start+jing.Width)
	}
	if off := ((x0+y1)/2 - (dong.Start+jing.Start+jing.Width)/2) / em; math.Abs(off) > 0.01 {
		t.Errorf("spanning annotation is %.3f em off its group's centre", off)
	}

	// No break inside a group, and the pitch unchanged in a roomy style.
	var in []doc.Inline
	for range 30 {
		in = append(in, doc.Text("新质发展路径，"), &doc.Ruby{Base: "生产力", Annotation: "shēng chǎn lì"})
	}
	d = &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{para(in...)}}
	b = layoutDoc(t, st, d)
	checkRubyLines(t, b, st.BodySize*st.LinePitch, false)

	// Ruby under a line with emphasis dots needs room for both.
	d = &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{para(
		&doc.Emphasis{Content: []doc.Inline{doc.Text(strings.Repeat("着重", 30))}}, &doc.Ruby{Base: "汉字", Annotation: "hàn zì"})}}
	b = layoutDoc(t, st, d)
	_, l1 := findLine(b, "着重")
	_, l2 := findLine(b, "汉字")
	if got := (l2.Y - l1.Y) / (st.BodySize * st.LinePitch); math.Abs(got-2) > 1e-6 {
		t.Errorf("ruby under emphasis dots is %.2f lines down, want 2", got)
	}

	// A tight style: only the lines with ruby take an extra grid line.
	tight := *st
	tight.LinePitch = 1.3
	in = append([]doc.Inline{doc.Text(strings.Repeat("新质是创新起主导作用的先进质态。", 8))}, in...)
	d = &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{para(in...)}}
	b = layoutDoc(t, &tight, d)
	checkRubyLines(t, b, tight.BodySize*tight.LinePitch, true)
}

// checkRubyLines checks every body line: ruby groups 生产力 whole, and the
// distance to the previous line one pitch, or two for a line with ruby
// when grow is set.
func checkRubyLines(t *testing.T, b *Book, pitch float64, grow bool) {
	t.Helper()
	grew := 0
	for _, p := range b.Pages {
		prev := math.NaN()
		for _, l := range p.Lines {
			if l.Block != 0 {
				continue
			}
			text := lineText(p, l)
			if strings.HasSuffix(text, "生") || strings.HasSuffix(text, "生产") || strings.HasPrefix(text, "产") || strings.HasPrefix(text, "力") {
				t.Errorf("a ruby group is broken across lines: %q", text)
			}
			hasRuby := false
			for _, g := range p.Glyphs {
				if g.Size < l.Cells[0].Width && math.Abs(g.Y-l.Y) < 2*pitch && g.Y < l.Y-pitch/2 && g.Y > l.Y-pitch {
					hasRuby = true
				}
			}
			want := pitch
			if grow && hasRuby {
				want = 2 * pitch
			}
			if !math.IsNaN(prev) {
				if math.Abs(l.Y-prev-want) > 1e-6 {
					t.Errorf("line %q is %.2f below the previous, want %.2f", text, l.Y-prev, want)
				}
				if want > pitch {
					grew++
				}
			}
			prev = l.Y
		}
	}
	if grow && grew == 0 {
		t.Error("no line grew in the tight style")
	}
}

// TestCodeBlock: code in the mono face, smaller, on a gray band, leading
// spaces kept, a long line wrapped at the band's edge with a continuation
// mark, and no TextPos for code lines.
func TestCodeBlock(t *testing.T) {
	st, _ := testStyle(t)
	long := "    x := " + strings.Repeat("abcdefghij", 12) + " // 注释"
	d := &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{
		para(doc.Text("正文用"), doc.Code("fmt.Println"), doc.Text("打印。")),
		&doc.CodeBlock{Language: "go", Text: "func main() {\n" + long + "\n}\n"},
		para(doc.Text("后文。")),
		para(doc.Text(strings.Repeat("量出版心的两边。", 12))),
	}}
	b := layoutDoc(t, st, d)
	p := b.Pages[0]
	em := st.BodySize
	_, inl := findLine(b, "fmt.Println")
	for _, c := range inl.Cells {
		if g := p.Glyphs[c.Glyph]; strings.Contains("fmt.Println", g.Text) && !strings.Contains(g.Face.PostScriptName, "Mono") {
			t.Errorf("inline code %q in %s, want the mono face", g.Text, g.Face.PostScriptName)
		}
	}
	var code []Line
	for _, l := range p.Lines {
		if l.Block < 0 && len(l.Cells) > 0 && p.Glyphs[l.Cells[0].Glyph].Size < em {
			code = append(code, l)
		}
	}
	if len(code) < 4 {
		t.Fatalf("%d code lines, want func, two or more for the long one, }", len(code))
	}
	left := code[0].X0
	_, after := findLine(b, "后文")
	if got := (left - after.X0) / em; math.Abs(got) > 0.01 {
		// The paragraph's first line is indented 2 em, as code is.
		t.Errorf("code starts %.2f em off the paragraph indent, want 2 em in", got)
	}
	var text strings.Builder
	right := 0.0
	last := len(code) - 1
	for k, l := range code {
		for ci, c := range l.Cells {
			g := p.Glyphs[c.Glyph]
			if !strings.Contains(g.Face.PostScriptName, "Mono") {
				t.Errorf("code %q in %s, want the mono face", g.Text, g.Face.PostScriptName)
			}
			right = max(right, c.Start+c.Width)
			if k >= 2 && k < last && ci == 0 {
				if g.Text != string(contMark) {
					t.Errorf("continuation line %d starts with %q, want %q", k, g.Text, string(contMark))
				}
				continue
			}
			if k >= 1 && k < last {
				text.WriteString(g.Text)
			}
		}
	}
	size := p.Glyphs[code[0].Cells[0].Glyph].Size
	if size >= em {
		t.Errorf("code size %.1f, want smaller than the body's %.1f", size, em)
	}
	// Four leading spaces of half an em each.
	if got := (code[1].Cells[0].Start - left) / size; math.Abs(got-2) > 0.01 {
		t.Errorf("the indented line starts %.2f em in, want 2", got)
	}
	if want := strings.ReplaceAll(long, " ", ""); text.String() != want {
		t.Errorf("wrapped code reads %q, want %q", text.String(), want)
	}
	// The band: gray rules from half an em before the text to the
	// measure's right edge, and no code past it.
	var bands []Rule
	for _, r := range p.Rules {
		if r.Gray > 0 && r.Gray < 1 {
			bands = append(bands, r)
			if r.X > left || r.X+r.W < right {
				t.Errorf("band %.1f..%.1f does not cover code %.1f..%.1f", r.X, r.X+r.W, left, right)
			}
		}
	}
	for k, l := range code {
		top, bottom := l.Y-emAscent*size, l.Y+emDescent*size
		covered := false
		for _, r := range bands {
			covered = covered || r.Y <= top && bottom <= r.Y+r.H
		}
		if !covered {
			t.Errorf("code line %d (%.1f..%.1f) is off the band", k, top, bottom)
		}
		// Code is set closer than the body, but not cramped.
		if k > 0 {
			if lead := (l.Y - code[k-1].Y) / size; lead < 1.2-eps || lead > st.LinePitch*em/size-eps {
				t.Errorf("code lines %d and %d are %.2f of their size apart, want 1.2 up to less than a body line", k-1, k, lead)
			}
		}
	}
	for k := 1; k < len(bands); k++ {
		if gap := bands[k].Y - (bands[k-1].Y + bands[k-1].H); math.Abs(gap) > eps {
			t.Errorf("bands %d and %d are %.2f pt apart: the band is broken", k-1, k, gap)
		}
	}
	// The band is indented as much on the right as on the left, and has
	// as much white above it as below (issue 18, item 12).
	_, full := findLine(b, "量出版心")
	edge := p.Lines[slices.IndexFunc(p.Lines, func(l Line) bool { return l.Block == 2 && l.Index == 1 })]
	if full == nil || edge.Index != 1 {
		t.Fatal("the long paragraph's second line is missing")
	}
	first, end := bands[0], bands[len(bands)-1]
	if l, r := first.X-edge.X0, edge.X1-(first.X+first.W); math.Abs(l-r) > 0.01 {
		t.Errorf("the band is indented %.2f pt on the left, %.2f pt on the right", l, r)
	}
	above := first.Y - (inl.Y + emDescent*em)
	below := (after.Y - emAscent*em) - (end.Y + end.H)
	if math.Abs(above-below) > 0.01 {
		t.Errorf("%.2f pt of white above the band, %.2f pt below it", above, below)
	}
	if right > p.Width-st.MarginRightMM*style.PointsPerMM+eps {
		t.Errorf("code reaches %.1f, past the right margin", right)
	}
	// Code's smaller size sits a little higher in its grid line.
	pitch := st.BodySize * st.LinePitch
	if gap := (code[0].Y - inl.Y) / pitch; math.Round(gap) != 2 {
		t.Errorf("code starts %.2f lines below the text before it, want 2 (a blank line)", gap)
	}
	if gap := (after.Y - code[last].Y) / pitch; math.Round(gap) != 2 {
		t.Errorf("the text after code is %.2f lines below it, want 2 (a blank line)", gap)
	}
	if _, l := findLine(b, "后文"); l.Block != 1 {
		t.Errorf("the paragraph after the code is block %d, want 1: code is not counted", l.Block)
	}
}

// TestDefinitionList: the term in the 黑 face, flush with the text, its
// definition two ems in below it; the term is not counted in TextPos, the
// definition's paragraph is, in doc.Walk's order.
func TestDefinitionList(t *testing.T) {
	st, _ := testStyle(t)
	d := &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{
		para(doc.Text("前文。")),
		&doc.DefinitionList{Items: []doc.Definition{{
			Term:        []doc.Inline{doc.Text("新质生产力")},
			Definitions: [][]doc.Block{{para(doc.Text("创新起主导作用的先进生产力质态。"))}},
		}}},
		para(doc.Text("后文。")),
	}}
	b := layoutDoc(t, st, d)
	p, term := findLine(b, "新质生产力")
	_, def := findLine(b, "创新起主导")
	_, before := findLine(b, "前文")
	_, after := findLine(b, "后文")
	if g := p.Glyphs[term.Cells[0].Glyph]; !strings.Contains(g.Face.PostScriptName, "Sans") {
		t.Errorf("term in %s, want the sans (黑) face", g.Face.PostScriptName)
	}
	em := st.BodySize
	if got := (before.X0 - term.X0) / em; math.Abs(got-2) > 0.01 {
		t.Errorf("term %.2f em left of a paragraph's indented first line, want 2 (flush with the text)", got)
	}
	if got := (def.X0 - term.X0) / em; math.Abs(got-2) > 0.01 {
		t.Errorf("definition %.2f em right of its term, want 2", got)
	}
	if def.Y <= term.Y {
		t.Error("definition not below its term")
	}
	if term.Block != -1 || before.Block != 0 || def.Block != 1 || after.Block != 2 {
		t.Errorf("blocks: before %d, term %d, definition %d, after %d; want 0, -1, 1, 2", before.Block, term.Block, def.Block, after.Block)
	}
}

// TestNestedLists: 1. （1） ① by depth, • then ◦, and wrapped lines of an
// item aligned with its text, not its marker.
func TestNestedLists(t *testing.T) {
	st, _ := testStyle(t)
	long := strings.Repeat("加快发展新质生产力，", 8)
	item := func(s string, more ...doc.Block) []doc.Block { return append([]doc.Block{para(doc.Text(s))}, more...) }
	third := &doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{item("丙" + long)}}
	second := &doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{item("乙", third)}}
	bullets := &doc.List{Items: [][]doc.Block{item("丁", &doc.List{Items: [][]doc.Block{item("戊")}})}}
	d := &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{
		&doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{item("甲", second)}}, bullets,
	}}
	b := layoutDoc(t, st, d)
	p := b.Pages[0]
	marker := func(text string) (Glyph, Line) {
		_, l := findLine(b, text)
		if l == nil {
			t.Fatalf("%s not set", text)
		}
		// The marker is drawn on the item's first line, left of it.
		var first *Glyph
		for i, g := range p.Glyphs {
			if math.Abs(g.Y-l.Y) < 0.01 && g.X < l.X0-0.01 && (first == nil || g.X < first.X) {
				first = &p.Glyphs[i]
			}
		}
		if first == nil {
			t.Fatalf("no marker left of %s", text)
		}
		return *first, *l
	}
	for _, c := range []struct{ text, mark string }{{"甲", "1"}, {"乙", "（"}, {"丙", "①"}, {"丁", "•"}, {"戊", "◦"}} {
		g, l := marker(c.text)
		if g.Text != c.mark {
			t.Errorf("item %s: marker starts %q, want %q", c.text, g.Text, c.mark)
		}
		if l.X0-g.X < 0.5*st.BodySize-0.01 {
			t.Errorf("item %s: text %.1f pt after its marker", c.text, l.X0-g.X)
		}
	}
	_, first := findLine(b, "丙")
	n := 0
	for _, l := range p.Lines {
		if l.Block == first.Block && l.Index > 0 {
			n++
			if math.Abs(l.X0-first.X0) > 0.01 {
				t.Errorf("wrapped line of an item at %.1f, its text at %.1f", l.X0, first.X0)
			}
		}
	}
	if n == 0 {
		t.Error("the long item did not wrap")
	}
	if got := (&doc.List{Ordered: true, Start: 21}).Marker(0, 2); got != "21." {
		t.Errorf("21st item at depth 2: %q, want 21.", got)
	}
}

// TestHeadingNumbers: Heading.Number is printed before the heading in the
// body, the contents, the outline and the running heads.
func TestHeadingNumbers(t *testing.T) {
	st, _ := testStyle(t)
	d := testDoc(3, 8)
	for i, bl := range d.Blocks {
		if h, ok := bl.(*doc.Heading); ok {
			h.Level, h.Number = 1, []string{"一、", "二、", "三、"}[i/9]
		}
	}
	b := layoutDoc(t, st, d)
	body, toc := 0, 0
	for _, p := range b.Pages {
		for _, l := range p.Lines {
			if strings.HasPrefix(lineText(p, l), "二、第02部分") {
				if l.Block >= 0 {
					body++
				} else {
					toc++
				}
			}
		}
	}
	if body != 1 || toc != 1 {
		t.Errorf("二、第02部分 set %d times in the body, %d in the contents; want 1 and 1", body, toc)
	}
	if len(b.Outline) != 3 || b.Outline[1].Title != "二、第02部分的标题" {
		t.Errorf("outline %+v", b.Outline)
	}
	// Right-hand running heads of a duplex book carry the chapter.
	book, err := style.Load("../../styles", "a5-book")
	if err != nil {
		t.Fatal(err)
	}
	b = layoutDoc(t, book, d)
	heads := map[string]bool{}
	for _, p := range b.Pages {
		var head strings.Builder
		for _, g := range p.Glyphs {
			if g.Size == book.HeaderSize && g.Y < book.MarginTopMM*style.PointsPerMM {
				head.WriteString(g.Text)
			}
		}
		heads[head.String()] = true
	}
	if !heads["二、第02部分的标题"] {
		t.Errorf("no running head 二、第02部分的标题 among %v", heads)
	}
}

// TestPageReference: a link with ShowPage prints （第N页） with the folio
// of the page its target heading lands on.
func TestPageReference(t *testing.T) {
	st, _ := testStyle(t)
	d := testDoc(6, 8)
	d.Blocks = append([]doc.Block{para(doc.Text("参见"), &doc.Link{URL: "#sec-05", ShowPage: true, Content: []doc.Inline{doc.Text("第五部分")}}, doc.Text("。"))}, d.Blocks...)
	b := layoutDoc(t, st, d)
	p, l := findLine(b, "参见第五部分")
	if l == nil {
		t.Fatal("reference not set")
	}
	text := lineText(p, *l)
	want := ""
	for _, pg := range b.Pages {
		for _, pl := range pg.Lines {
			if pl.Block >= 0 && strings.HasPrefix(lineText(pg, pl), "第05部分") {
				want = pg.Folio
			}
		}
	}
	if want == "" || want == "1" {
		t.Fatalf("target on page %q; the test needs it past page 1", want)
	}
	if !strings.Contains(text, "第五部分（第"+want+"页）。") {
		t.Errorf("reference reads %q, want the page %s", text, want)
	}
	if !strings.HasPrefix(text, "参见") || l.Block != 0 {
		t.Errorf("reference line %q is block %d", text, l.Block)
	}
	// The page text is not part of the paragraph's plain text: the next
	// block's offsets are unaffected, and the link covers it.
	covered := false
	for _, lk := range p.Links {
		if lk.URL == "" && lk.Y < l.Y && lk.Y+lk.H > l.Y-1 && lk.X+lk.W >= l.X1-st.BodySize*1.01 {
			covered = true
		}
	}
	if !covered {
		t.Error("the page number is not inside the link")
	}
}

// TestColophon: the colophon holds the fields given, on a page of its own
// at the end (A4 handout) or on the verso of the title page (a style with
// front-matter pages); the document information has the keywords and the
// description.
func TestColophon(t *testing.T) {
	st, _ := testStyle(t)
	d := testDoc(2, 4)
	d.Meta.Publisher = "测试出版社"
	d.Meta.ISBN = "978-7-01-000000-0"
	d.Meta.Keywords = []string{"排版", "生产力"}
	d.Meta.Description = "一本测试书。"
	d.Meta.Editors = []string{"甲", "乙"}
	b := layoutDoc(t, st, d)
	last := b.Pages[len(b.Pages)-1]
	var got []string
	for _, l := range last.Lines {
		got = append(got, lineText(last, l))
	}
	want := []string{"书名：测试文档", "著者：作者", "编者：甲、乙", "出版：测试出版社", "ISBN：978-7-01-000000-0", "关键词：排版；生产力"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("last page reads %q, want the colophon %q", got, want)
	}
	if b.Info.Keywords != "排版, 生产力" || b.Info.Subject != "一本测试书。" {
		t.Errorf("info keywords %q subject %q", b.Info.Keywords, b.Info.Subject)
	}
	for _, e := range b.Outline {
		if strings.Contains(e.Title, "书名") {
			t.Error("colophon in the outline")
		}
	}

	book, err := style.Load("../../styles", "a5-book")
	if err != nil {
		t.Fatal(err)
	}
	b = layoutDoc(t, book, d)
	if len(b.Pages) < 3 {
		t.Fatal("too few pages")
	}
	ii := b.Pages[1]
	if ii.Folio != "ii" || len(ii.Lines) != len(want) || lineText(ii, ii.Lines[0]) != "书名：测试文档" {
		t.Errorf("page %s does not hold the colophon", ii.Folio)
	}
	// At the foot of the page.
	if l := ii.Lines[len(ii.Lines)-1]; l.Y < ii.Height-book.MarginBotMM*style.PointsPerMM-2*book.BodySize*book.LinePitch {
		t.Errorf("the colophon ends at y=%.1f, not at the foot of the page", l.Y)
	}
	// Without the fields only a colophon shows, none.
	b = layoutDoc(t, st, testDoc(2, 4))
	for _, p := range b.Pages {
		if l, _ := findLine(&Book{Pages: []*Page{p}}, "书名："); l != nil {
			t.Error("a colophon in a book without publisher, editors, ISBN, rights or keywords")
		}
	}
}

// TestContentExtremes: odd input for the new features sets without
// panicking and keeps every glyph on its page.
func TestContentExtremes(t *testing.T) {
	st, _ := testStyle(t)
	huge := strings.Repeat("zhōngguó ", 40)
	d := &doc.Document{Meta: doc.Metadata{Title: "测试", Keywords: strings.Fields(strings.Repeat("关键词 ", 400))}, Blocks: []doc.Block{
		&doc.Heading{Level: 1, Number: "一、", Content: []doc.Inline{&doc.Ruby{Base: "标题", Annotation: "biāo tí"}}},
		para(&doc.Ruby{Base: "长", Annotation: huge}, &doc.Ruby{Base: "", Annotation: "x"}, &doc.Ruby{Base: "空", Annotation: ""},
			&doc.Ruby{Base: strings.Repeat("很", 80), Annotation: "hěn"},
			&doc.Link{URL: "#nowhere", ShowPage: true, Content: []doc.Inline{doc.Text("无处")}}),
		&doc.CodeBlock{Text: "\t\t\n\n" + strings.Repeat("长", 200) + "\n" + strings.Repeat(" ", 300) + "x"},
		&doc.DefinitionList{Items: []doc.Definition{{Term: nil, Definitions: [][]doc.Block{nil}}}},
		&doc.List{Ordered: true, Start: 99, Items: [][]doc.Block{{&doc.List{Ordered: true, Start: 19, Items: [][]doc.Block{{&doc.List{Ordered: true, Start: 19, Items: [][]doc.Block{{para(doc.Text("甲"))}, {para(doc.Text("乙"))}, {para(doc.Text("丙"))}}}}}}}}},
	}}
	for _, name := range []string{style.Default, "a5-book"} {
		s, err := style.Load("../../styles", name)
		if err != nil {
			t.Fatal(err)
		}
		if name == style.Default {
			s = st
		}
		b := layoutDoc(t, s, d)
		for pi, p := range b.Pages {
			for _, g := range p.Glyphs {
				if g.X < 0 || g.X > p.Width || g.Y < 0 || g.Y > p.Height {
					t.Errorf("%s page %d: %q at (%.0f, %.0f) is off the page", name, pi+1, g.Text, g.X, g.Y)
				}
			}
		}
		if _, l := findLine(b, "无处（"); l != nil {
			t.Errorf("%s: a page printed for a link to nothing", name)
		}
	}
}

// TestInlineCodeNotJustified: justification spreads the text around
// inline code but never the code itself: its spaces keep the mono face's
// half em and its characters stay side by side.
func TestInlineCodeNotJustified(t *testing.T) {
	st, _ := testStyle(t)
	var in []doc.Inline
	for range 12 {
		in = append(in, doc.Text("新质生产力，"), doc.Code("go test 中文 ./..."), doc.Text("是"))
	}
	b := layoutDoc(t, st, &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{para(in...)}})
	p := b.Pages[0]
	space := 0.5 * st.BodySize
	checked := 0
	for _, l := range p.Lines {
		if l.Block != 0 || l.Index == l.Count-1 {
			continue
		}
		for k := 1; k < len(l.Cells); k++ {
			a, c := l.Cells[k-1], l.Cells[k]
			ga, gc := p.Glyphs[a.Glyph], p.Glyphs[c.Glyph]
			if !strings.Contains(ga.Face.PostScriptName, "Mono") || !strings.Contains(gc.Face.PostScriptName, "Mono") {
				continue
			}
			gap := c.Start - a.Start - a.Width
			if math.Abs(gap) > 1e-6 && math.Abs(gap-space) > 1e-6 {
				t.Errorf("%s|%s: %.3f pt apart inside inline code, want 0 or a half-em space", ga.Text, gc.Text, gap)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no inline code on a justified line")
	}
}

// TestPageReferenceToFigureAndTable: page references reach figures and
// tables too, through the same id lookup as headings.
func TestPageReferenceToFigureAndTable(t *testing.T) {
	st, _ := testStyle(t)
	d := testDoc(6, 8)
	fig := &doc.Figure{Image: &doc.Image{Name: "a.png", Format: "png", Width: 400, Height: 300},
		Caption: []doc.Inline{doc.Text("示意")}, Number: 1, ID: "fig-1"}
	tab := &doc.Table{Align: []doc.Align{doc.AlignLeft}, Header: [][]doc.Inline{{doc.Text("项")}},
		Rows: [][][]doc.Inline{{{doc.Text("甲")}}}, Caption: []doc.Inline{doc.Text("指标")}, Number: 1, ID: "tab-1"}
	n := len(d.Blocks)
	d.Blocks = append(d.Blocks[:n/2], append([]doc.Block{fig}, d.Blocks[n/2:]...)...)
	d.Blocks = append(d.Blocks, tab)
	d.Blocks = append([]doc.Block{para(doc.Text("见"),
		&doc.Link{URL: "#fig-1", ShowPage: true, Content: []doc.Inline{doc.Text("图")}}, doc.Text("和"),
		&doc.Link{URL: "#tab-1", ShowPage: true, Content: []doc.Inline{doc.Text("表")}}, doc.Text("。"))}, d.Blocks...)
	b := layoutDoc(t, st, d)
	pageOf := func(caption string) string {
		for _, p := range b.Pages {
			for _, l := range p.Lines {
				if strings.HasPrefix(lineText(p, l), caption) {
					return p.Folio
				}
			}
		}
		t.Fatalf("caption %s not set", caption)
		return ""
	}
	fp, tp := pageOf("图1"), pageOf("表1")
	p, l := findLine(b, "见图")
	if want := "见图（第" + fp + "页）和表（第" + tp + "页）。"; lineText(p, *l) != want {
		t.Errorf("reference reads %q, want %q", lineText(p, *l), want)
	}
	if fp == "1" || tp == fp {
		t.Errorf("figure on %s, table on %s: the test wants them on different pages past the first", fp, tp)
	}
}

// TestListMarkerWithRuby: an item whose first line is lowered for its
// ruby (in a tight style) takes its marker down with it.
func TestListMarkerWithRuby(t *testing.T) {
	st, _ := testStyle(t)
	tight := *st
	tight.LinePitch = 1.3
	d := &doc.Document{Meta: doc.Metadata{Title: "测试"}, Blocks: []doc.Block{
		&doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{{para(&doc.Ruby{Base: "汉字", Annotation: "hàn zì"})}}},
	}}
	b := layoutDoc(t, &tight, d)
	p, l := findLine(b, "汉字")
	found := false
	for _, g := range p.Glyphs {
		if g.Text == "1" && g.X < l.X0 { // not the folio
			found = true
			if math.Abs(g.Y-l.Y) > 0.01 {
				t.Errorf("marker at y=%.1f, its item's line at %.1f", g.Y, l.Y)
			}
		}
	}
	if !found {
		t.Error("no marker")
	}
}

// TestMinorHeadings: ##### and ###### are set at the body size in the
// sans face, flush left, and are left out of the contents and the
// bookmarks; a link still finds them.
func TestMinorHeadings(t *testing.T) {
	st, faces := testStyle(t)
	d := &doc.Document{Meta: doc.Metadata{Title: "书"}, Blocks: []doc.Block{
		&doc.Heading{Level: 2, ID: "a", Content: []doc.Inline{doc.Text("二级标题")}},
		&doc.Heading{Level: 5, ID: "b", Content: []doc.Inline{doc.Text("五级标题")}},
		para(doc.Text("正文"), &doc.Link{URL: "#b", Content: []doc.Inline{doc.Text("见上")}, ShowPage: true}),
		&doc.Heading{Level: 6, ID: "c", Content: []doc.Inline{doc.Text("六级标题")}},
		para(doc.Text("正文")),
	}}
	b := layoutDoc(t, st, d)
	if len(b.Outline) != 1 || b.Outline[0].Title != "二级标题" {
		t.Errorf("outline %+v, want only the level-2 heading", b.Outline)
	}
	for _, title := range []string{"五级标题", "六级标题"} {
		count := 0
		for _, p := range b.Pages {
			for _, l := range p.Lines {
				if lineText(p, l) != title {
					continue
				}
				count++
				g := p.Glyphs[l.Cells[0].Glyph]
				if g.Size != st.BodySize || g.Face.PostScriptName != faces[st.Fonts.Face(style.Sans)].PostScriptName {
					t.Errorf("%s set at %.1fpt in %s, want %.1fpt in %s", title, g.Size, g.Face.PostScriptName, st.BodySize, st.Fonts.Face(style.Sans))
				}
				if l.X0 > st.MarginLeftMM*style.PointsPerMM+st.BodySize {
					t.Errorf("%s starts at x=%.1f, not flush left", title, l.X0)
				}
			}
		}
		if count != 1 {
			t.Errorf("%s set %d times, want once (not in the contents)", title, count)
		}
	}
	if _, l := findLine(b, "正文见上（第"); l == nil {
		t.Error("the page reference to the level-5 heading is not printed")
	}
}

// TestSpans: a strikethrough is a rule through the middle of its text's
// em box, an underline a rule below the baseline, both one rule across
// the run; a superscript is smaller and raised, a subscript lowered; a
// marked run has a grey ground; a task box is its glyph, then a space.
func TestSpans(t *testing.T) {
	st, _ := testStyle(t)
	span := func(k doc.SpanKind, s string) *doc.Span {
		return &doc.Span{Kind: k, Content: []doc.Inline{doc.Text(s)}}
	}
	d := &doc.Document{Meta: doc.Metadata{Title: "书"}, Blocks: []doc.Block{
		para(doc.Text("甲"), span(doc.Strike, "删除 线"), doc.Text("乙"), span(doc.Underline, "下划"), doc.Text("丙")),
		para(doc.Text("E=mc"), span(doc.Superscript, "2"), doc.Text("与H"), span(doc.Subscript, "2"), doc.Text("O和"), span(doc.Marked, "重点")),
		&doc.List{Items: [][]doc.Block{{para(doc.TaskBox{}, doc.Text("未完成"))}}},
	}}
	b := layoutDoc(t, st, d)
	p, l := findLine(b, "甲删除线乙下划丙")
	if l == nil {
		t.Fatal("no line with the spans")
	}
	em := st.BodySize
	cell := func(l *Line, i int) Cell { return l.Cells[i] }
	find := func(x0, x1, y0, y1 float64) *Rule {
		for i, r := range p.Rules {
			if math.Abs(r.X-x0) < 0.01 && math.Abs(r.X+r.W-x1) < 0.01 && r.Y >= y0 && r.Y+r.H <= y1 {
				return &p.Rules[i]
			}
		}
		return nil
	}
	// 删除 线: one rule from 删's cell to 线's, across the space.
	if find(cell(l, 1).Start, cell(l, 3).Start+cell(l, 3).Width, l.Y-0.5*em, l.Y-0.2*em) == nil {
		t.Errorf("no strikethrough across 删除 线 at mid-height: %+v", p.Rules)
	}
	if find(cell(l, 5).Start, cell(l, 6).Start+cell(l, 6).Width, l.Y, l.Y+emDescent*em+0.1*em) == nil {
		t.Errorf("no underline under 下划 below the baseline: %+v", p.Rules)
	}
	p, l = findLine(b, "E=mc2与H2O和重点")
	if l == nil {
		t.Fatal("no line with the scripts")
	}
	sup, sub := p.Glyphs[l.Cells[4].Glyph], p.Glyphs[l.Cells[7].Glyph]
	if sup.Size >= em || sup.Y >= l.Y-0.2*em {
		t.Errorf("superscript at %.1fpt, baseline %.1f (line %.1f): not smaller and raised", sup.Size, sup.Y, l.Y)
	}
	if sub.Size >= em || sub.Y <= l.Y {
		t.Errorf("subscript at %.1fpt, baseline %.1f (line %.1f): not smaller and lowered", sub.Size, sub.Y, l.Y)
	}
	n := len(l.Cells)
	if r := find(cell(l, n-2).Start, cell(l, n-1).Start+cell(l, n-1).Width, l.Y-emAscent*em-0.01, l.Y+emDescent*em+0.01); r == nil || r.Gray == 0 {
		t.Errorf("no grey ground under 重点: %+v", p.Rules)
	}
	p, l = findLine(b, "☐未完成")
	if l == nil {
		t.Fatal("no task item line")
	}
	if gap := l.Cells[1].Start - (l.Cells[0].Start + l.Cells[0].Width); gap < 0.2*em {
		t.Errorf("task box and text %.1fpt apart, want a space", gap)
	}
}

// TestInlineImage: an image in running text is set in its line, at its
// own size when small, else at the em's height, its foot on the em
// box's foot; lines break around it.
func TestInlineImage(t *testing.T) {
	st, _ := testStyle(t)
	icon := &doc.Image{Path: "i.png", Format: "png", Width: 12, Height: 12}
	wide := &doc.Image{Path: "w.png", Format: "png", Width: 200, Height: 40}
	d := &doc.Document{Meta: doc.Metadata{Title: "书"}, Blocks: []doc.Block{
		para(doc.Text("图标"), &doc.InlineImage{Image: icon}, doc.Text("在行内，徽章"), &doc.InlineImage{Image: wide}, doc.Text("缩放。")),
	}}
	b := layoutDoc(t, st, d)
	p, l := findLine(b, "图标在行内")
	if l == nil || len(p.Images) != 2 {
		t.Fatalf("line %v, %d images", l, len(p.Images))
	}
	em := st.BodySize
	a, w := p.Images[0], p.Images[1]
	if math.Abs(a.H-9) > 0.01 || math.Abs(a.W-9) > 0.01 {
		t.Errorf("icon %.2f×%.2f pt, want its own 9×9 (12 px at 96 dpi)", a.W, a.H)
	}
	if math.Abs(w.H-em) > 0.01 || math.Abs(w.W-5*em) > 0.01 {
		t.Errorf("badge %.2f×%.2f pt, want %.2f×%.2f (scaled to the em)", w.W, w.H, 5*em, em)
	}
	for _, im := range p.Images {
		if foot := im.Y + im.H; math.Abs(foot-(l.Y+emDescent*em)) > 0.01 {
			t.Errorf("image foot at %.2f, want the em box's foot %.2f", foot, l.Y+emDescent*em)
		}
	}
	// The icon sits between 标 and 在.
	if a.X < l.Cells[1].Start+l.Cells[1].Width-0.01 || a.X+a.W > l.Cells[2].Start+0.01 {
		t.Errorf("icon at x %.2f–%.2f, not between 标 and 在", a.X, a.X+a.W)
	}
}

// TestHeadingKeptWithCodeBlock: a heading is not left at a page's foot
// when the code block after it (with its blank line above) goes to the
// next page.
func TestHeadingKeptWithCodeBlock(t *testing.T) {
	st, _ := testStyle(t)
	for _, level := range []int{3, 5} {
		var blocks []doc.Block
		for i := 0; i < 200; i++ {
			blocks = append(blocks, para(doc.Text("正文")))
		}
		code := strings.Repeat("echo 一行代码\n", 12)
		// Find how many paragraphs put the heading on a page's last line.
		for n := 1; n < 200; n++ {
			d := &doc.Document{Meta: doc.Metadata{Title: "书"}, Blocks: append(append([]doc.Block{}, blocks[:n]...),
				&doc.Heading{Level: level, ID: "h", Content: []doc.Inline{doc.Text("标题在此")}},
				&doc.CodeBlock{Text: code},
				para(doc.Text("后文")))}
			b := layoutDoc(t, st, d)
			var p *Page
			var l *Line
			for _, pg := range b.Pages {
				for i := range pg.Lines {
					if pg.Lines[i].Block >= 0 && lineText(pg, pg.Lines[i]) == "标题在此" {
						p, l = pg, &pg.Lines[i] // in the text, not the contents
					}
				}
			}
			if p == nil {
				t.Fatal("no heading")
			}
			_, c := findLine(b, "echo一行代码")
			pc, _ := findLine(b, "echo一行代码")
			if c == nil {
				t.Fatal("no code")
			}
			if p != pc {
				t.Errorf("level %d after %d paragraphs: the heading (y %.0f) is on another page than its code block", level, n, l.Y)
				break
			}
			if len(b.Pages) > 3 {
				break // past the first page break: every place was tried
			}
		}
	}
}

// TestContentsLeaders: each entry of the contents has one row of leader
// dots, from half an em after its title to half an em before its folio,
// on a grid of half ems from the left margin so that the dots of all
// entries stand in columns.
func TestContentsLeaders(t *testing.T) {
	st, _ := testStyle(t)
	b := layoutDoc(t, st, testDoc(6, 1))
	em, left := st.BodySize, math.Inf(1)
	for _, l := range b.Pages[len(b.Pages)-1].Lines {
		left = math.Min(left, l.X0) // the text block's left edge
	}
	entries := 0
	for _, p := range b.Pages {
		for _, l := range p.Lines {
			if l.Block >= 0 || !strings.HasPrefix(lineText(p, l), "第") {
				continue
			}
			entries++
			base := p.Glyphs[l.Cells[0].Glyph].Y
			var leaders []Rule
			for _, r := range p.Rules {
				if r.Step > 0 && r.Y < base && r.Y > base-em {
					leaders = append(leaders, r)
				}
			}
			folio := math.Inf(1)
			for _, g := range p.Glyphs {
				if g.Y == base && g.X > l.X1 {
					folio = math.Min(folio, g.X)
				}
			}
			if len(leaders) != 1 || math.IsInf(folio, 1) {
				t.Errorf("%s: %d leader rows, folio at %v", lineText(p, l), len(leaders), folio)
				continue
			}
			r := leaders[0]
			dots := (r.W - r.H) / r.Step
			grid := (r.X - left) / (em / 2)
			switch {
			case math.Abs(r.Step-em/2) > 0.01:
				t.Errorf("%s: dots every %.2f pt, want half an em", lineText(p, l), r.Step)
			case math.Abs(dots-math.Round(dots)) > 0.01 || math.Abs(grid-math.Round(grid)) > 0.01:
				t.Errorf("%s: leader %+v not a whole row of dots on the half-em grid", lineText(p, l), r)
			case r.X < l.X1+em/2-0.01 || r.X > l.X1+em/2+r.Step:
				t.Errorf("%s: leader starts %.2f pt after the title", lineText(p, l), r.X-l.X1)
			case r.X+r.W > folio-em/2+0.01 || r.X+r.W+r.Step < folio-em/2-0.01:
				t.Errorf("%s: leader ends %.2f pt before the folio", lineText(p, l), folio-r.X-r.W)
			}
		}
	}
	if entries != 6 {
		t.Errorf("%d contents entries, want 6", entries)
	}
}

// TestPageReferenceInSpan: a page reference inside a span (struck out,
// marked) gets its target's folio too: the passes that find folios see
// links wherever inlines nest.
func TestPageReferenceInSpan(t *testing.T) {
	st, _ := testStyle(t)
	d := testDoc(6, 8)
	link := &doc.Link{URL: "#sec-05", ShowPage: true, Content: []doc.Inline{doc.Text("第五部分")}}
	d.Blocks = append([]doc.Block{para(doc.Text("参见"), &doc.Span{Kind: doc.Strike, Content: []doc.Inline{link}}, doc.Text("。"))}, d.Blocks...)
	b := layoutDoc(t, st, d)
	p, l := findLine(b, "参见第五部分")
	if l == nil {
		t.Fatal("reference not set")
	}
	want := ""
	for _, pg := range b.Pages {
		for _, pl := range pg.Lines {
			if pl.Block >= 0 && strings.HasPrefix(lineText(pg, pl), "第05部分") {
				want = pg.Folio
			}
		}
	}
	if text := lineText(p, *l); want == "" || !strings.Contains(text, "第五部分（第"+want+"页）。") {
		t.Errorf("reference reads %q, want the page %s", text, want)
	}
}
