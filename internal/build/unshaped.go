package build

import (
	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
)

// unshapedWarnings are the warnings, once for each block and script, about
// text the PDF cannot set as written: scripts whose letters join or change
// form, or run right to left (chars.Unshaped), which it sets letter by
// letter, left to right. book stands for the metadata, which has no line.
func unshapedWarnings(d *doc.Document, book string) []doc.Warning {
	var out []doc.Warning
	seen := map[doc.Pos]map[string]bool{}
	check := func(p doc.Pos, texts ...string) {
		for _, text := range texts {
			for _, c := range text {
				script := chars.Unshaped(c)
				if script == "" || seen[p][script] {
					continue
				}
				if seen[p] == nil {
					seen[p] = map[string]bool{}
				}
				seen[p][script] = true
				out = append(out, doc.Warning{Pos: p, Msg: script + " text is set in the PDF letter by letter, left to right, without the joined or stacked forms or the right-to-left order its script needs; the EPUB leaves it to the reader, which shapes it"})
			}
		}
	}
	m := d.Meta
	check(doc.Pos{File: book}, m.Title, m.Subtitle, m.AuthorNames(), m.Description)
	blocks := func(bs []doc.Block) {
		doc.Walk(bs, func(b doc.Block) {
			switch n := b.(type) {
			case *doc.Part:
				check(n.Pos, n.Title)
			case *doc.CodeBlock:
				check(n.Pos, n.Text)
			}
			for _, run := range doc.Runs(b) {
				check(b.Position(), doc.PlainText(run))
			}
		})
	}
	blocks(d.Blocks)
	for _, fn := range d.Footnotes {
		blocks(fn.Blocks)
	}
	return out
}
