package layout

import (
	"math"

	"github.com/paiban/paiban/internal/doc"
)

// addPart sets a part title (第一部分) on a page of its own, a third of
// the way down as the title page has it, without a running head; the
// chapters after it start on the next page. In the contents and the
// outline the part stands one level above its chapters.
func (e *engine) addPart(p *doc.Part) {
	info := &anchor{title: p.Title, level: 1, id: p.ID, part: true, pos: p.Pos}
	e.toc.addPart(info)
	// Not discardable: the space stays at the top of the page.
	space := &row{slots: int(e.bodyH/e.pitch) / 3, newPage: true, recto: e.st.Duplex, chapter: p.Title, noBreakAfter: true}
	e.rows = append(e.rows, space)
	size := e.st.HeadingSize(1) * 1.25
	first := len(e.rows)
	e.centredRows(p.Title, e.headingF, size, int(math.Ceil(1.8*size/e.pitch)), p.Pos)
	if first == len(e.rows) {
		return // a title of spaces only
	}
	e.rows[first].anchor = info
	last := e.rows[len(e.rows)-1]
	last.noBreakAfter = false
	e.partEnds = append(e.partEnds, last)
}

// breakAfterParts starts the row after each part title on a new page
// (once the paragraphs are set, when rows no longer move).
func (e *engine) breakAfterParts() {
	if len(e.partEnds) == 0 {
		return
	}
	ends := map[*row]bool{}
	for _, r := range e.partEnds {
		ends[r] = true
	}
	for i, r := range e.rows[:len(e.rows)-1] {
		if ends[r] {
			next := e.rows[i+1]
			next.newPage = true
			next.recto = next.recto || e.st.Duplex && e.st.ChapterRecto
		}
	}
}
