package layout

import (
	"github.com/paiban/paiban/internal/doc"
)

// headingAtoms sets a heading's number (一、) before its text. The number
// is not in the heading's plain text, so TextPos offsets count from the
// text, as the EPUB's page markers do. Characters no face has are added
// to missing; the atoms are made in buf's memory.
func (ts *typesetter) headingAtoms(h *doc.Heading, st runStyle, missing *[]MissingGlyph, buf []atom) []atom {
	b := ts.builder(h.Pos)
	b.atoms, b.missing = buf[:0], missing
	if h.Number != "" {
		b.addText(h.Number, st)
		b.offset = 0
	}
	ts.addInlines(b, h.Content, st)
	return b.finish()
}

// addDefinitions sets each term on a line of its own in the 黑 face, kept
// with what follows, and its definitions below it indented two ems. Terms
// are not among the document's paragraphs (no TextPos); the definitions'
// paragraphs are, in the order doc.Walk visits them.
func (e *engine) addDefinitions(dl *doc.DefinitionList, in nest) {
	inner := nest{faces: in.faces, left: e.nested(in), right: in.right, depth: in.depth}
	for _, item := range dl.Items {
		atoms := e.text.atomsOf(item.Term, styleOf(e.strong, e.em), dl.Pos)
		if len(atoms) > 0 {
			sp := e.text.setText(atoms, e.column(in), 0, 0, false)
			for _, ln := range sp.lines {
				r := &row{slots: 1, noBreakAfter: true}
				drawLine(r, sp, ln, in.left, e.baseline(e.em))
				e.rows = append(e.rows, r)
			}
		}
		for _, def := range item.Definitions {
			e.addBlocks(def, inner)
		}
	}
}
