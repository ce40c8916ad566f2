package layout

import (
	"math"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// figureDoc is paragraphs with figures between them: a small image (shown
// at its natural size), a huge one (scaled down) and one placed where it
// does not fit on the page, plus a cross-reference to the second.
func figureDoc() (*doc.Document, []*doc.Figure) {
	text := strings.Repeat("新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径的先进生产力质态。", 3)
	p := func() *doc.Paragraph { return &doc.Paragraph{Content: []doc.Inline{doc.Text(text)}} }
	figs := []*doc.Figure{
		{Image: &doc.Image{Path: "small.png", Format: "png", Width: 300, Height: 150}, Caption: []doc.Inline{doc.Text("小图")}, Number: 1, ID: "fig-1"},
		{Image: &doc.Image{Path: "huge.png", Format: "png", Width: 3000, Height: 4000}, Caption: []doc.Inline{doc.Text("大图")}, Number: 2, ID: "fig-2"},
		{Image: &doc.Image{Path: "wide.jpg", Format: "jpeg", Width: 2000, Height: 1000}, Number: 3, ID: "fig-3"},
	}
	d := &doc.Document{Meta: doc.Metadata{Title: "插图", Language: "zh-CN", ListOfFigures: true}}
	d.Blocks = append(d.Blocks, &doc.Heading{Level: 1, ID: "a", Content: []doc.Inline{doc.Text("第一节")}},
		&doc.Paragraph{Content: []doc.Inline{doc.Text("见"), &doc.Link{URL: "#fig-2", Content: []doc.Inline{doc.Text("图2")}}, doc.Text("。")}},
		p(), figs[0], p(), figs[1])
	for range 6 {
		d.Blocks = append(d.Blocks, p())
	}
	d.Blocks = append(d.Blocks, figs[2], p())
	return d, figs
}

func TestFigures(t *testing.T) {
	st, faces := testStyle(t)
	d, figs := figureDoc()
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Book
	e, _ := testEngine(st, faces)
	type placed struct {
		page int
		im   Image
	}
	var got []placed
	for pi, p := range b.Pages {
		for _, im := range p.Images {
			got = append(got, placed{pi, im})
		}
	}
	if len(got) != len(figs) {
		t.Fatalf("%d images placed, want %d", len(got), len(figs))
	}
	// Sizes: natural at 150 dpi, else scaled to the measure or to two
	// thirds of the body height, the aspect ratio kept.
	want := [][2]float64{{144, 72}, {e.bodyH * 2 / 3 * 3 / 4, e.bodyH * 2 / 3}, {e.measure, e.measure / 2}}
	for i, g := range got {
		if math.Abs(g.im.W-want[i][0]) > 0.01 || math.Abs(g.im.H-want[i][1]) > 0.01 {
			t.Errorf("figure %d: %.2f×%.2f pt, want %.2f×%.2f", i+1, g.im.W, g.im.H, want[i][0], want[i][1])
		}
		p := b.Pages[g.page]
		left := e.leftFor(g.page)
		if mid := g.im.X + g.im.W/2; math.Abs(mid-(left+e.measure/2)) > 0.01 {
			t.Errorf("figure %d centred at %.2f, want %.2f", i+1, mid, left+e.measure/2)
		}
		if g.im.Y < e.top-eps || g.im.Y+g.im.H > e.top+e.bodyH+eps {
			t.Errorf("figure %d at y %.2f–%.2f, outside the body %.2f–%.2f", i+1, g.im.Y, g.im.Y+g.im.H, e.top, e.top+e.bodyH)
		}
		// The caption is the next line below the image, on the same page,
		// centred, in the caption size.
		caption := "图" + string(rune('0'+i+1)) + doc.PlainText(figs[i].Caption)
		var cap *Line
		for k := range p.Lines {
			if textOfLine(p, p.Lines[k]) == caption {
				cap = &p.Lines[k]
			}
		}
		if cap == nil {
			t.Errorf("figure %d: no caption %q on its page %d", i+1, caption, g.page+1)
			continue
		}
		if top := cap.Y - emAscent*e.captionSize(); top < g.im.Y+g.im.H || top > g.im.Y+g.im.H+e.pitch {
			t.Errorf("figure %d: caption at y=%.2f, not right below the image ending at %.2f", i+1, cap.Y, g.im.Y+g.im.H)
		}
		if mid := (cap.X0 + cap.X1) / 2; math.Abs(mid-(left+e.measure/2)) > 0.01 {
			t.Errorf("figure %d: caption centred at %.2f", i+1, mid)
		}
		if s := p.Glyphs[cap.Cells[0].Glyph].Size; s != e.captionSize() {
			t.Errorf("figure %d: caption size %g, want %g", i+1, s, e.captionSize())
		}
		// Text keeps its grid: every body line on the page sits on a
		// grid line.
		for _, l := range p.Lines {
			if l.Block < 0 || p.Glyphs[l.Cells[0].Glyph].Size != e.em {
				continue
			}
			k := (l.Y - e.top - e.baseline(e.em)) / e.pitch
			if math.Abs(k-math.Round(k)) > 1e-6 {
				t.Errorf("page %d: line at y=%.2f is off the grid", g.page+1, l.Y)
			}
		}
	}
	// The cross-reference jumps to the figure.
	found := false
	for _, p := range b.Pages {
		for _, l := range p.Links {
			if l.URL == "" && l.DestPage == got[1].page && l.DestY <= got[1].im.Y && l.DestY > got[1].im.Y-e.pitch*2 {
				found = true
			}
		}
	}
	if !found {
		t.Error("no link to figure 2")
	}
}

// findText returns the index and the line of p whose text is s.
func findText(p *Page, s string) (int, *Line) {
	for i := range p.Lines {
		if textOfLine(p, p.Lines[i]) == s {
			return i, &p.Lines[i]
		}
	}
	return -1, nil
}

// TestFigureMoves puts a figure after more and more lines: when it does
// not fit below the text, it goes whole to the top of the next page and
// the text after it fills the space left.
func TestFigureMoves(t *testing.T) {
	st, faces := testStyle(t)
	e, _ := testEngine(st, faces)
	text := strings.Repeat("新质生产力是创新起主导作用，摆脱传统经济增长方式、生产力发展路径的先进生产力质态。", 3)
	moved := false
	// One-line paragraphs move the figure down a line at a time, through
	// every position on the first page and onto the second.
	for k := 1; k < int(e.bodyH/e.pitch)+2; k++ {
		d := &doc.Document{Meta: doc.Metadata{Title: "插图"}}
		for range k {
			d.Blocks = append(d.Blocks, &doc.Paragraph{Content: []doc.Inline{doc.Text("一行。")}})
		}
		d.Blocks = append(d.Blocks, &doc.Figure{Image: &doc.Image{Format: "png", Width: 2000, Height: 1000}, Number: 1})
		for range 3 {
			d.Blocks = append(d.Blocks, &doc.Paragraph{Content: []doc.Inline{doc.Text(text)}})
		}
		res, err := Layout(d, Options{Style: st, Faces: faces})
		if err != nil {
			t.Fatal(err)
		}
		for pi, p := range res.Book.Pages {
			if len(p.Images) == 0 {
				continue
			}
			im := p.Images[0]
			if im.Y+im.H > e.top+e.bodyH+eps {
				t.Errorf("%d paragraphs: the figure overflows page %d", k, pi+1)
			}
			// Its caption is on the same page, inside the body.
			if _, l := findText(p, "图1"); l == nil || l.Y > e.top+e.bodyH {
				t.Errorf("%d paragraphs: the caption is not on page %d with its image", k, pi+1)
			}
			if pi == 0 || im.Y > e.top+1.5*e.pitch {
				continue
			}
			// At the top of a page: the previous page had no room for it,
			// its caption and the space above it (less than 1.5 lines).
			prev := res.Book.Pages[pi-1]
			last := prev.Lines[len(prev.Lines)-1]
			if free := e.top + e.bodyH - (last.Y - e.baseline(e.em) + e.pitch); free >= im.H+2.5*e.pitch {
				t.Errorf("%d paragraphs: the figure went to page %d although page %d had room", k, pi+1, pi)
			}
			moved = true
		}
	}
	if !moved {
		t.Error("the figure never moved to a new page; the test needs it to")
	}
}

// TestListOfFigures checks the 插图目录: after the contents, one entry
// per figure with its page number, each a link to the figure.
func TestListOfFigures(t *testing.T) {
	st, faces := testStyle(t)
	d, _ := figureDoc()
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Book
	figPage := map[int]string{} // figure number → folio
	n := 0
	for _, p := range b.Pages {
		for range p.Images {
			n++
			figPage[n] = p.Folio
		}
	}
	var order []string
	entries := 0
	for _, p := range b.Pages {
		for _, l := range p.Lines {
			s := textOfLine(p, l)
			switch {
			case s == "目录" || s == "插图目录":
				order = append(order, s)
			case strings.HasPrefix(s, "图") && len(order) == 2 && entries < 3:
				entries++
				// The page number is the last glyph on the entry's baseline.
				var num string
				for _, g := range p.Glyphs {
					if g.Y == l.Y && g.X > l.X1 && g.Text >= "0" && g.Text <= "9" {
						num += g.Text
					}
				}
				if num != figPage[entries] {
					t.Errorf("entry %q shows page %q, the figure is on page %q", s, num, figPage[entries])
				}
			}
		}
	}
	if strings.Join(order, ",") != "目录,插图目录" {
		t.Errorf("front matter headings %v, want the contents then the list of figures", order)
	}
	if entries != 3 {
		t.Errorf("%d list-of-figures entries, want 3", entries)
	}
	d.Meta.ListOfFigures = false
	res, err = Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.Book.Summary(), "插图目录") {
		t.Error("a list of figures without list_of_figures")
	}
}

// TestFigureLongCaption gives a tall image a caption of many lines: the
// image shrinks so that it and its caption fit on a page.
func TestFigureLongCaption(t *testing.T) {
	st, faces := testStyle(t)
	e, _ := testEngine(st, faces)
	caption := strings.Repeat("图题很长，", 120)
	d := &doc.Document{Meta: doc.Metadata{Title: "插图"}, Blocks: []doc.Block{
		&doc.Figure{Image: &doc.Image{Format: "png", Width: 1000, Height: 4000}, Caption: []doc.Inline{doc.Text(caption)}, Number: 1},
	}}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	lines, images := 0, 0
	for pi, p := range res.Book.Pages {
		for _, im := range p.Images {
			images++
			if im.Y < e.top || im.Y+im.H > e.top+e.bodyH {
				t.Errorf("page %d: image at %.2f–%.2f, outside the body", pi+1, im.Y, im.Y+im.H)
			}
		}
		for _, l := range p.Lines {
			if l.Block < 0 && strings.Contains(textOfLine(p, l), "图题") {
				lines++
				if l.Y > e.top+e.bodyH {
					t.Errorf("page %d: caption line at y=%.2f below the body", pi+1, l.Y)
				}
			}
		}
	}
	if images != 1 || lines < 10 {
		t.Errorf("%d images and %d caption lines; the test wants 1 and a caption of at least 10 lines", images, lines)
	}
}

// TestFigureCaptionContinues gives a tall image a caption longer than a
// page: the image keeps a third of the body height, and the caption sets
// whole, below it and on the pages after, inside the body; the text after
// the figure fills the page before it, as for any figure that does not
// fit there, and never comes between the caption's lines.
func TestFigureCaptionContinues(t *testing.T) {
	st, faces := testStyle(t)
	e, _ := testEngine(st, faces)
	caption := strings.Repeat("图题很长，", 2000)
	d := &doc.Document{Meta: doc.Metadata{Title: "插图"}, Blocks: []doc.Block{
		&doc.Paragraph{Content: []doc.Inline{doc.Text("前文。")}},
		&doc.Figure{Image: &doc.Image{Format: "png", Width: 1000, Height: 4000}, Caption: []doc.Inline{doc.Text(caption)}, Number: 1},
		&doc.Paragraph{Content: []doc.Inline{doc.Text("后文。")}},
	}}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	images := 0
	for pi, p := range res.Book.Pages {
		for _, im := range p.Images {
			images++
			if im.H < e.bodyH/3-eps || im.Y < e.top || im.Y+im.H > e.top+e.bodyH+eps {
				t.Errorf("page %d: image %.2f pt tall at %.2f, want a third of the body (%.2f) inside it", pi+1, im.H, im.Y, e.bodyH/3)
			}
		}
		for _, l := range p.Lines {
			if l.Y > e.top+e.bodyH {
				t.Errorf("page %d: line at y=%.2f below the body", pi+1, l.Y)
			}
			text.WriteString(textOfLine(p, l))
		}
	}
	if want := "插图前文。后文。图1" + caption; text.String() != want {
		got := []rune(text.String())
		t.Errorf("the pages read %d characters %q…, want the title, the text and the figure's whole caption (%d)", len(got), string(got[:min(len(got), 40)]), len([]rune(want)))
	}
	if images != 1 {
		t.Errorf("%d images, want 1", images)
	}
}

// TestPlaceholderLongAlt: the frame standing in for an image that could
// not be had keeps within its page however long the alt text, which it
// cuts short with an ellipsis.
func TestPlaceholderLongAlt(t *testing.T) {
	st, faces := testStyle(t)
	e, _ := testEngine(st, faces)
	alt := strings.Repeat("替代文字很长，", 3000)
	d := &doc.Document{Meta: doc.Metadata{Title: "插图"}, Blocks: []doc.Block{
		&doc.Figure{Image: &doc.Image{Path: "a.png", Missing: "offline"}, Alt: alt, Caption: []doc.Inline{doc.Text("图题")}, Number: 1},
	}}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	cut := false
	for pi, p := range res.Book.Pages {
		for _, r := range p.Rules {
			if r.Y < e.top-eps || r.Y+r.H > e.top+e.bodyH+eps {
				t.Errorf("page %d: frame rule at %.2f–%.2f, outside the body", pi+1, r.Y, r.Y+r.H)
			}
		}
		for _, l := range p.Lines {
			cut = cut || strings.HasSuffix(textOfLine(p, l), "…") // a cell per run
		}
	}
	if !cut {
		t.Error("no line of the frame ends in an ellipsis")
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Msg == "" {
		t.Errorf("warnings %v, want one of the cut alt text", res.Warnings)
	}
}

// TestFigureFloats: a figure that does not fit where it stands lets the
// text after it fill its page and goes to the top of the next, instead of
// leaving the foot of the page empty; text never crosses a heading.
func TestFigureFloats(t *testing.T) {
	st, faces := testStyle(t)
	e, _ := testEngine(st, faces)
	lines := int(e.bodyH / e.pitch)
	floatDoc := func(heading, second bool) *doc.Document {
		d := &doc.Document{Meta: doc.Metadata{Title: "插图"}}
		for range lines - 6 {
			d.Blocks = append(d.Blocks, &doc.Paragraph{Content: []doc.Inline{doc.Text("前文一行。")}})
		}
		d.Blocks = append(d.Blocks, &doc.Figure{Image: &doc.Image{Format: "png", Width: 2000, Height: 1000}, Number: 1})
		if second {
			// The text flows past a second figure, which waits too.
			d.Blocks = append(d.Blocks, &doc.Paragraph{Content: []doc.Inline{doc.Text("后文一行。")}},
				&doc.Figure{Image: &doc.Image{Format: "png", Width: 1000, Height: 500}, Number: 2})
		}
		if heading {
			d.Blocks = append(d.Blocks, &doc.Heading{Level: 2, ID: "h", Content: []doc.Inline{doc.Text("下一节")}})
		}
		for range 8 {
			d.Blocks = append(d.Blocks, &doc.Paragraph{Content: []doc.Inline{doc.Text("后文一行。")}})
		}
		return d
	}
	for _, c := range []struct{ heading, second bool }{{false, false}, {true, false}, {false, true}} {
		heading := c.heading
		res, err := Layout(floatDoc(c.heading, c.second), Options{Style: st, Faces: faces})
		if err != nil {
			t.Fatal(err)
		}
		pages := res.Book.Pages
		figPage := -1
		for pi, p := range pages {
			if len(p.Images) > 0 && figPage < 0 {
				figPage = pi
			}
		}
		if figPage < 1 {
			t.Fatalf("the figure is on page %d; the test needs it pushed past page 1", figPage+1)
		}
		prev := pages[figPage-1]
		after := 0
		for _, l := range prev.Lines {
			if len(l.Cells) > 0 && prev.Glyphs[l.Cells[0].Glyph].Text == "后" {
				after++
			}
		}
		if im := pages[figPage].Images[0]; im.Y > e.top+1.5*e.pitch {
			t.Errorf("the figure is %.1f pt down page %d, want it at the top", im.Y-e.top, figPage+1)
		}
		if heading {
			// The section after the figure stays after it.
			if after > 0 {
				t.Errorf("%d lines of the next section moved above the figure of the section before", after)
			}
			continue
		}
		last := prev.Lines[len(prev.Lines)-1]
		if free := e.top + e.bodyH - (last.Y - e.baseline(e.em) + e.pitch); after == 0 || free > eps {
			t.Errorf("page %d ends %.1f pt above the foot with %d lines of the text after the figure: that text should fill it", figPage, free, after)
		}
	}
}
