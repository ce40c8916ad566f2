package layout

import (
	"strconv"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// TestFootnoteConventions is case T27 of docs/typesetting.md (§5.5): on every
// page, the marks in the text are ①②… afresh, raised and at most 0.7 em; a
// rule 1/4–1/3 of the measure, flush left, sits above the first note; the
// notes, in 0.75–0.9 of the body size, are those of the page's marks.
func TestFootnoteConventions(t *testing.T) {
	st, faces := testStyle(t)
	d := testDoc(4, 9)
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	e, err := testEngine(st, faces)
	if err != nil {
		t.Fatal(err)
	}
	body := st.BodySize
	perPage := map[int]int{}
	for pi, p := range res.Book.Pages {
		var sep *Rule
		for i, r := range p.Rules {
			if r.H < 1 && r.W > 0.2*e.measure && r.W < 0.5*e.measure {
				sep = &p.Rules[i]
			}
		}
		var marks, noteNums []string
		for _, l := range p.Lines {
			for _, c := range l.Cells {
				g := p.Glyphs[c.Glyph]
				circled := strings.ContainsRune("①②③④⑤⑥⑦⑧⑨⑩", []rune(g.Text)[0])
				inNotes := sep != nil && g.Y > sep.Y
				switch {
				case circled && !inNotes:
					marks = append(marks, g.Text)
					if g.Size > 0.7*body+1e-9 {
						t.Errorf("page %d: mark %s is %.2f em, want at most 0.7", pi+1, g.Text, g.Size/body)
					}
					if g.Y >= l.Y {
						t.Errorf("page %d: mark %s is not raised (baseline %.2f, line %.2f)", pi+1, g.Text, g.Y, l.Y)
					}
				case inNotes && !circled:
					if r := g.Size / body; r < 0.75 || r > 0.9 {
						t.Errorf("page %d: note text %q at %.2f of the body size, want 0.75–0.9", pi+1, g.Text, r)
					}
				}
			}
		}
		// A note's number is not part of its set lines: it hangs before them.
		for _, g := range p.Glyphs {
			if sep != nil && g.Y > sep.Y && strings.ContainsRune("①②③④⑤⑥⑦⑧⑨⑩", []rune(g.Text)[0]) {
				noteNums = append(noteNums, g.Text)
			}
		}
		for i, m := range marks {
			if m != string(rune('①'+i)) {
				t.Errorf("page %d: marks %v do not count from ①", pi+1, marks)
				break
			}
		}
		if strings.Join(marks, "") != strings.Join(noteNums, "") {
			t.Errorf("page %d: marks %v but notes %v: a note left its mark's page", pi+1, marks, noteNums)
		}
		if len(marks) == 0 {
			if sep != nil {
				t.Errorf("page %d: a note rule without notes", pi+1)
			}
			continue
		}
		if sep == nil {
			t.Fatalf("page %d: notes without a rule", pi+1)
		}
		if r := sep.W / e.measure; r < 0.25 || r > 0.34 {
			t.Errorf("page %d: the note rule is %.3f of the measure, want 0.25–0.34", pi+1, r)
		}
		for _, l := range p.Lines {
			if l.Y > sep.Y && len(l.Cells) > 0 {
				g := p.Glyphs[l.Cells[0].Glyph]
				if top := l.Y - emAscent*g.Size; top < sep.Y+sep.H {
					t.Errorf("page %d: a note line's em box (top %.2f) touches the rule (bottom %.2f)", pi+1, top, sep.Y+sep.H)
				}
			}
			if l.Y < sep.Y && l.Y+emDescent*body > sep.Y {
				t.Errorf("page %d: a body line (baseline %.2f) reaches the note rule at %.2f", pi+1, l.Y, sep.Y)
			}
		}
		if left := e.leftFor(pi); sep.X != left {
			t.Errorf("page %d: the note rule starts at %.2f, the measure at %.2f", pi+1, sep.X, left)
		}
		perPage[pi+1] = len(marks)
	}
	threes, twos := 0, 0
	for _, n := range perPage {
		if n >= 3 {
			threes++
		}
		if n == 2 {
			twos++
		}
	}
	if threes == 0 || twos == 0 {
		t.Errorf("notes per page %v: the test needs a page with three or more notes and one with two", perPage)
	}
	t.Logf("notes per page: %v", perPage)
}

// TestManyNotesInOneLine sets a paragraph whose second line carries 51
// note marks, more notes than a page holds, in both print styles. The
// line stays on the page of the paragraph's first line, which it used to
// leave alone there (a page holding the one character 正), and the notes
// that do not fit continue on the next page under their numbers. No
// mark, in the text or before its note, overlaps another glyph: the 51st
// is [51], wider than the circled numbers the line was set for.
func TestManyNotesInOneLine(t *testing.T) {
	const count = 51
	d := &doc.Document{Meta: doc.Metadata{Title: "书", Language: "zh-CN"}}
	para := &doc.Paragraph{Content: []doc.Inline{doc.Text("正文")}}
	for k := 1; k <= count; k++ {
		n := &doc.Footnote{Number: k, Blocks: []doc.Block{&doc.Paragraph{Content: []doc.Inline{doc.Text("注" + strconv.Itoa(k) + "。")}}}}
		d.Footnotes = append(d.Footnotes, n)
		para.Content = append(para.Content, &doc.FootnoteRef{Note: n})
	}
	para.Content = append(para.Content, doc.Text("。"))
	d.Blocks = []doc.Block{para}
	marks := map[string]bool{}
	for k := 1; k <= count; k++ {
		marks[circled(k)] = true
	}
	for _, name := range []string{"a4-handout", "a5-book"} {
		st, faces := testStyleNamed(t, name)
		res, err := Layout(d, Options{Style: st, Faces: faces})
		if err != nil {
			t.Fatal(err)
		}
		notes := map[string]int{}
		for pi, p := range res.Book.Pages {
			// The paragraph's lines on the page, in characters.
			chars, continues := 0, false
			for _, l := range p.Lines {
				if l.Block < 0 {
					var text strings.Builder
					for _, c := range l.Cells {
						text.WriteString(p.Glyphs[c.Glyph].Text)
					}
					notes[text.String()]++
					continue
				}
				chars += len(l.Cells)
				continues = l.Index < l.Count-1
			}
			if chars == 1 && continues {
				t.Errorf("%s page %d: holds one character of a paragraph that goes on", name, pi+1)
			}
			// The notes' numbers: glyphs below the notes' rule on the
			// baseline of a line but not in it.
			inLine, baselines := map[int]bool{}, map[float64]bool{}
			for _, l := range p.Lines {
				baselines[l.Y] = true
				for _, c := range l.Cells {
					inLine[c.Glyph] = true
				}
			}
			ruleY := p.Height
			for _, r := range p.Rules {
				if r.H <= 0.5 && r.W > 20 && r.W < p.Width/3 {
					ruleY = r.Y
				}
			}
			number := map[int]bool{}
			numbers := map[float64]string{} // by baseline
			for i, g := range p.Glyphs {
				if !inLine[i] && g.Y > ruleY && baselines[g.Y] {
					number[i] = true
					numbers[g.Y] += g.Text
				}
			}
			for y, n := range numbers {
				if !marks[n] {
					t.Errorf("%s page %d: the note at y %.2f is numbered %q", name, pi+1, y, n)
				}
			}
			for i, g := range p.Glyphs {
				if !marks[g.Text] && !number[i] {
					continue
				}
				x0, x1, y0, y1 := glyphBox(g)
				for j, h := range p.Glyphs {
					if j == i || h.Text == "" {
						continue
					}
					hx0, hx1, hy0, hy1 := glyphBox(h)
					if x0 < hx1-0.01 && hx0 < x1-0.01 && y0 < hy1-0.01 && hy0 < y1-0.01 {
						t.Errorf("%s page %d: mark %q at x %.2f–%.2f overlaps %q at x %.2f–%.2f", name, pi+1, g.Text, x0, x1, h.Text, hx0, hx1)
						break
					}
				}
			}
		}
		// Every mark links to its note's first line, on whichever page.
		links := 0
		for pi, p := range res.Book.Pages {
			for _, l := range p.Links {
				if l.URL != "" {
					continue
				}
				links++
				found := false
				for _, nl := range res.Book.Pages[l.DestPage].Lines {
					found = found || nl.Block < 0 && nl.Y > l.DestY && nl.Y < l.DestY+st.NoteSize*2
				}
				if !found {
					t.Errorf("%s page %d: a mark links to page %d at y %.2f, where no note begins", name, pi+1, l.DestPage+1, l.DestY)
				}
			}
		}
		if links != count {
			t.Errorf("%s: %d links to notes, want %d", name, links, count)
		}
		for k := 1; k <= count; k++ {
			if text := "注" + strconv.Itoa(k) + "。"; notes[text] != 1 {
				t.Errorf("%s: note %q is set %d times, want once", name, text, notes[text])
			}
		}
	}
}

// glyphBox is the box a glyph's advances and em take on the page.
func glyphBox(g Glyph) (x0, x1, y0, y1 float64) {
	w := 0.0
	for _, c := range g.Text {
		w += g.Face.Advance(c) * g.Size
	}
	if g.Widen != 0 {
		w *= g.Widen
	}
	return g.X, g.X + w, g.Y - emAscent*g.Size, g.Y + emDescent*g.Size
}
