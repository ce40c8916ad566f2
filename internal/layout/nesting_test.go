package layout

import (
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// TestDeepNestingKeepsText checks that block quotes and lists nested
// deeper than the page has room for still set their text, inside the
// page, instead of squeezing it out: 2-em indents at 40 levels are wider
// than any text block.
func TestDeepNestingKeepsText(t *testing.T) {
	st, faces := testStyle(t)
	quote := []doc.Block{&doc.Paragraph{Content: []doc.Inline{doc.Text("引文在此")}}}
	list := []doc.Block{&doc.Paragraph{Content: []doc.Inline{doc.Text("项目在此")}}}
	for range 40 {
		quote = []doc.Block{&doc.BlockQuote{Blocks: quote}}
		list = []doc.Block{&doc.List{Items: [][]doc.Block{list}}}
	}
	d := &doc.Document{Meta: doc.Metadata{Title: "嵌套"}, Blocks: append(quote, list...)}
	res, err := Layout(d, Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, p := range res.Book.Pages {
		for _, g := range p.Glyphs {
			text.WriteString(g.Text)
			if g.X < 0 || g.X > p.Width {
				t.Errorf("%q drawn at x=%.1f, off the %.1f-point page", g.Text, g.X, p.Width)
			}
		}
	}
	for _, want := range []string{"引文在此", "项目在此"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("%s is missing from the pages: %q", want, text.String())
		}
	}
}
