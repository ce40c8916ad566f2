package layout

import (
	"strings"

	"github.com/paiban/paiban/internal/doc"
)

// maxRefPasses bounds the layouts of a book whose cross-references print
// page numbers. The second pass has the real folios; a third is needed
// only when a number's width moved a target to another page.
const maxRefPasses = 3

// addPageRef prints the page of a cross-reference's target after its
// text, "（第3页）". Before the pages are known (first pass) a one-digit
// stand-in keeps the width close; an id that names nothing prints nothing.
func (ts *typesetter) addPageRef(b *atomBuilder, url string, st runStyle) {
	id, ok := strings.CutPrefix(url, "#")
	if !ok {
		return
	}
	folio := "0"
	if ts.pageRefs != nil {
		if folio, ok = ts.pageRefs[id]; !ok {
			return
		}
	}
	// The page text is not part of the document's plain text: TextPos
	// offsets stay those of the source.
	off := b.offset
	b.addText("（第"+folio+"页）", st)
	b.offset = off
}

// showsPages reports whether any link in the document prints its
// target's page.
func showsPages(d *doc.Document) bool {
	found := false
	shows := func(in doc.Inline) {
		if l, ok := in.(*doc.Link); ok && l.ShowPage {
			found = true
		}
	}
	doc.WalkInlines(d.Blocks, shows)
	for _, n := range d.Footnotes {
		doc.WalkInlines(n.Blocks, shows)
	}
	return found
}
