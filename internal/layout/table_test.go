package layout

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
)

func cellText(s string) []doc.Inline { return []doc.Inline{doc.Text(s)} }

// tableDoc is a paragraph, a table of n rows with a caption, and another
// paragraph. Column 1 holds short numbers (right aligned), column 2 long
// Chinese text with punctuation that has to wrap, column 3 a centred word.
func tableDoc(n int) (*doc.Document, *doc.Table) {
	t := &doc.Table{
		Align:   []doc.Align{doc.AlignRight, doc.AlignDefault, doc.AlignCenter},
		Header:  [][]doc.Inline{cellText("序号"), cellText("主要内容"), cellText("备注")},
		Caption: cellText("主要指标"),
		Number:  1,
		ID:      "tab-1",
	}
	long := "以科技创新推动产业创新，特别是以颠覆性技术和前沿技术催生新产业、新模式、新动能，发展新质生产力。"
	for i := range n {
		t.Rows = append(t.Rows, [][]doc.Inline{
			cellText(fmt.Sprint(i + 1)),
			cellText(long[:len(long)-3*(i%7)]),
			cellText([]string{"是", "否", "待定"}[i%3]),
		})
	}
	text := strings.Repeat("新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径的先进生产力质态。", 2)
	d := &doc.Document{Meta: doc.Metadata{Title: "表格", Language: "zh-CN"}, Blocks: []doc.Block{
		&doc.Paragraph{Content: cellText(text)},
		t,
		&doc.Paragraph{Content: cellText(text)},
	}}
	return d, t
}

func textOfLine(p *Page, l Line) string {
	var b strings.Builder
	for _, c := range l.Cells {
		b.WriteString(p.Glyphs[c.Glyph].Text)
	}
	return b.String()
}

// placedCell is a table cell found on the pages: its lines in order.
type placedCell struct {
	page  int
	lines []Line
	text  []string
}

// tableCells walks the lines of the book after the caption line and
// matches them, in order, to the cells' texts: header cells, then the
// rows' cells, with the header again at the top of each further page.
func tableCells(t *testing.T, b *Book, tb *doc.Table) (header []placedCell, rows [][]placedCell) {
	t.Helper()
	type lref struct {
		page int
		l    Line
		text string
	}
	var lines []lref
	started := false
	for pi, p := range b.Pages {
		for _, l := range p.Lines {
			s := textOfLine(p, l)
			if !started {
				started = strings.HasPrefix(s, "表1主要")
				continue
			}
			lines = append(lines, lref{pi, l, s})
		}
	}
	k := 0
	take := func(want string) placedCell {
		want = strings.ReplaceAll(want, " ", "")
		c := placedCell{page: -1}
		got := ""
		for k < len(lines) && got != want {
			if !strings.HasPrefix(want, got+lines[k].text) {
				t.Fatalf("page %d: line %q is not the next part of cell %q (after %q)", lines[k].page+1, lines[k].text, want, got)
			}
			if c.page >= 0 && lines[k].page != c.page {
				t.Errorf("cell %q is split over pages %d and %d", want, c.page+1, lines[k].page+1)
			}
			c.page = lines[k].page
			got += lines[k].text
			c.lines = append(c.lines, lines[k].l)
			c.text = append(c.text, lines[k].text)
			k++
		}
		return c
	}
	for _, h := range tb.Header {
		header = append(header, take(doc.PlainText(h)))
	}
	for _, r := range tb.Rows {
		// A page that starts inside the table starts with the header.
		if k < len(lines) && k > 0 && lines[k].page != lines[k-1].page {
			for _, h := range tb.Header {
				if c := take(doc.PlainText(h)); c.page != lines[k-1].page {
					t.Errorf("header repeated on the wrong page")
				}
			}
		}
		var cells []placedCell
		for _, c := range r {
			cells = append(cells, take(doc.PlainText(c)))
		}
		rows = append(rows, cells)
	}
	return header, rows
}

func TestTableLong(t *testing.T) {
	st, faces := testStyle(t)
	d, tb := tableDoc(60)
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Book
	e, _ := testEngine(st, faces)
	header, rows := tableCells(t, b, tb)
	pages := map[int]bool{}
	for i, r := range rows {
		for _, c := range r[1:] {
			if c.page != r[0].page {
				t.Errorf("row %d is split over pages %d and %d", i+1, r[0].page+1, c.page+1)
			}
		}
		pages[r[0].page] = true
	}
	if len(pages) < 2 {
		t.Fatalf("the table spans %d page(s); the test needs a long table", len(pages))
	}
	// Every line inside the body area, the repeated headers included.
	for pi, p := range b.Pages {
		for _, l := range p.Lines {
			if l.Y > e.top+e.bodyH {
				t.Errorf("page %d: line %q at y=%.2f below the body (%.2f)", pi+1, textOfLine(p, l), l.Y, e.top+e.bodyH)
			}
		}
	}
	// The header is repeated: tableCells checked the text; it is also set
	// at the top of the body on each further page.
	for pi := range pages {
		if pi == header[0].page {
			continue
		}
		p := b.Pages[pi]
		if got := textOfLine(p, p.Lines[0]); got != "序号" {
			t.Errorf("page %d starts with %q, want the repeated header", pi+1, got)
		}
		if y := p.Lines[0].Y; y > e.top+e.pitch {
			t.Errorf("page %d: repeated header at y=%.2f, not on the first line", pi+1, y)
		}
	}
	// Column edges: every line of a column within the column, which ends
	// at least 1 em (the padding) before the next one starts.
	cols := make([][2]float64, 3)
	for j := range cols {
		cols[j] = [2]float64{math.Inf(1), math.Inf(-1)}
	}
	all := append([][]placedCell{header}, rows...)
	for _, r := range all {
		for j, c := range r {
			for _, l := range c.lines {
				for _, cell := range l.Cells {
					cols[j][0] = min(cols[j][0], cell.Start)
					cols[j][1] = max(cols[j][1], cell.Start+cell.Width)
				}
			}
		}
	}
	for j := 0; j+1 < len(cols); j++ {
		if cols[j][1] > cols[j+1][0]-e.em+eps {
			t.Errorf("column %d ends at %.2f, column %d starts at %.2f: less than 1 em apart", j+1, cols[j][1], j+2, cols[j+1][0])
		}
	}
	if left, right := e.leftFor(0), e.leftFor(0)+e.measure; cols[0][0] < left-eps || cols[2][1] > right+eps {
		t.Errorf("table from %.2f to %.2f, outside the measure %.2f–%.2f", cols[0][0], cols[2][1], left, right)
	}
	// Alignment: the numbers share a right edge, the notes a centre, the
	// text a left edge; the long text wraps, the numbers never do.
	wrapped := false
	for i, r := range rows {
		if n := len(r[0].lines); n != 1 {
			t.Errorf("row %d: the number takes %d lines", i+1, n)
		}
		if x1 := r[0].lines[0].X1; math.Abs(x1-rows[0][0].lines[0].X1) > 0.01 {
			t.Errorf("row %d: number ends at %.2f, not flush right at %.2f", i+1, x1, rows[0][0].lines[0].X1)
		}
		if x0 := r[1].lines[0].X0; math.Abs(x0-rows[0][1].lines[0].X0) > 0.01 {
			t.Errorf("row %d: text starts at %.2f, not flush left at %.2f", i+1, x0, rows[0][1].lines[0].X0)
		}
		l, l0 := r[2].lines[0], rows[0][2].lines[0]
		if math.Abs((l.X0+l.X1)/2-(l0.X0+l0.X1)/2) > 0.01 {
			t.Errorf("row %d: note not centred", i+1)
		}
		wrapped = wrapped || len(r[1].lines) > 1
	}
	if !wrapped {
		t.Error("no long cell wraps; the test needs wrapping")
	}
	// Wrapped cells break where body text may break: each line break is a
	// break opportunity of the cell's atoms.
	for i, r := range rows {
		c := r[1]
		atoms := e.text.atomsOf(tb.Rows[i][1], styleOf(e.body, e.em), doc.Pos{})
		at := 0
		for _, s := range c.text[:len(c.text)-1] {
			at += len([]rune(s))
			if !atoms[at].breakBefore {
				t.Errorf("row %d: line break before %q, where no break is allowed", i+1, atoms[at].text())
			}
		}
	}
	// Three-line rules: a thick rule above the header and below the last
	// row on every page of the table, a thin rule under each header.
	for pi := range pages {
		thick, thin := 0, 0
		for _, ru := range b.Pages[pi].Rules {
			switch ru.H {
			case thickRule:
				thick++
			case thinRule:
				if ru.W > 4*e.em {
					thin++
				}
			}
		}
		if thick != 2 || thin != 1 {
			t.Errorf("page %d: %d thick and %d thin rules, want 2 and 1", pi+1, thick, thin)
		}
	}
}

func TestTableCaption(t *testing.T) {
	st, faces := testStyle(t)
	d, _ := tableDoc(3)
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := testEngine(st, faces)
	p := res.Book.Pages[0]
	for i, l := range p.Lines {
		if textOfLine(p, l) != "表1主要指标" {
			continue
		}
		// An em between the number and the caption.
		if gap := l.Cells[2].Start - (l.Cells[1].Start + l.Cells[1].Width); math.Abs(gap-e.captionSize()) > 0.01 {
			t.Errorf("gap after 表1 is %.2f, want %.2f", gap, e.captionSize())
		}
		if mid := (l.X0 + l.X1) / 2; math.Abs(mid-(e.leftFor(0)+e.measure/2)) > 0.01 {
			t.Errorf("caption centred at %.2f, want %.2f", mid, e.leftFor(0)+e.measure/2)
		}
		if next := textOfLine(p, p.Lines[i+1]); next != "序号" {
			t.Errorf("caption followed by %q, want the header", next)
		}
		return
	}
	t.Error("no caption line 表1　主要指标")
}

// wideTable is a document of one table of n columns of words, two rows.
func wideTable(n int) *doc.Document {
	tb := &doc.Table{Number: 1, Align: make([]doc.Align, n), Header: make([][]doc.Inline, n)}
	row := make([][]doc.Inline, n)
	for j := range n {
		tb.Header[j] = cellText(fmt.Sprint("列", j))
		row[j] = cellText("internationalisation 国际化")
	}
	tb.Rows = [][][]doc.Inline{row, row}
	return &doc.Document{Meta: doc.Metadata{Title: "宽表"}, Blocks: []doc.Block{tb}}
}

// TestTableWide sets tables far wider than the measure: 1,000 columns of
// words. Every character stays inside the measure and no two columns
// overlap.
func TestTableWide(t *testing.T) {
	st, faces := testStyle(t)
	const n = 1000
	d := wideTable(n)
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := testEngine(st, faces)
	header := 0
	for pi, p := range res.Book.Pages {
		left := e.leftFor(pi)
		for _, l := range p.Lines {
			if strings.HasPrefix(textOfLine(p, l), "列") {
				header++
			}
			for _, c := range l.Cells {
				if c.Start < left-eps || c.Start+c.Width > left+e.measure+eps {
					t.Fatalf("page %d: %q at %.2f–%.2f, outside the measure", pi+1, p.Glyphs[c.Glyph].Text, c.Start, c.Start+c.Width)
				}
			}
		}
	}
	if header < n {
		t.Errorf("%d header cells set, want all %d", header, n)
	}
}

// TestTableTallRow sets a row whose cell is longer than a page: it is cut
// into pieces that each fit a page under the repeated header, and no
// character is lost.
func TestTableTallRow(t *testing.T) {
	st, faces := testStyle(t)
	text := strings.Repeat("以科技创新推动产业创新，发展新质生产力。", 150)
	tb := &doc.Table{Number: 1, Align: make([]doc.Align, 2),
		Header: [][]doc.Inline{cellText("甲"), cellText("乙")},
		Rows:   [][][]doc.Inline{{cellText("一"), cellText(text)}, {cellText("二"), cellText("短")}}}
	d := &doc.Document{Meta: doc.Metadata{Title: "长单元格"}, Blocks: []doc.Block{tb}}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := testEngine(st, faces)
	var got strings.Builder
	started := false // the table has begun on an earlier page
	for pi, p := range res.Book.Pages {
		for i, l := range p.Lines {
			s := textOfLine(p, l)
			if l.Y > e.top+e.bodyH {
				t.Errorf("page %d: line %q below the body", pi+1, s)
			}
			if started && i == 0 && s != "甲" {
				t.Errorf("page %d starts with %q, not the header", pi+1, s)
			}
			if strings.HasPrefix(s, "以") || (got.Len() > 0 && len(s) > 3*4) {
				got.WriteString(s)
			}
		}
		started = started || got.Len() > 0
	}
	if len(res.Book.Pages) < 2 {
		t.Fatal("the long cell fits one page; the test needs more text")
	}
	if got.String() != text {
		t.Errorf("the long cell's text comes out as %d bytes, want %d", got.Len(), len(text))
	}
}

// BenchmarkTableColumns lays out tables of 2 rows and n columns: the time
// per column should stay flat as n grows (no quadratic step).
func BenchmarkTableColumns(b *testing.B) {
	st, err := style.Load("../../styles", style.Default)
	if err != nil {
		b.Fatal(err)
	}
	faces := map[string]*fonts.Face{}
	for _, name := range st.Fonts.Files() {
		if faces[name], err = fonts.Load("../../fonts/" + name); err != nil {
			b.Fatal(err)
		}
	}
	for _, n := range []int{250, 1000, 4000} {
		d := wideTable(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Layout(d, Options{Style: st, Faces: faces}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/column")
		})
	}
}
