package layout

import (
	"strings"
	"testing"
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
