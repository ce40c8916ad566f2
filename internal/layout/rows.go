package layout

import (
	"github.com/paiban/paiban/internal/doc"
)

// row is a horizontal band of the page, a whole number of grid lines tall so
// that body text stays on one baseline grid (docs/typesetting.md §5.2).
// Positions inside a row are relative to its top-left corner (the measure's
// left).
type row struct {
	slots  int
	glyphs []Glyph
	lines  []Line
	rules  []Rule
	links  []rowLink
	notes  []*doc.Footnote // notes referenced in this row, in order
	refs   []int           // glyph indices of note reference marks
	// noBreakAfter forbids a page break after this row (keep-with-next,
	// widows and orphans).
	noBreakAfter bool
	// discardable rows (space before a heading) vanish at a page top.
	discardable bool
	// float lets a figure give way to the text after it when it does not
	// fit on the page (see floatFigure).
	float bool
	// caption marks a line of a figure's caption continued after the
	// figure's page; it floats with the figure but lets no text pass.
	caption bool
	// newPage starts a new page with this row; recto makes that page a
	// right-hand (odd) one, leaving a blank page when needed.
	newPage, recto bool
	// chapter is the title of the top-level heading this row opens.
	chapter string
	// job, on a placeholder row, is the paragraph to be set in its place.
	job *paraJob
	// anchor is the heading, part title, figure or table whose first
	// row this is: pagination records where it landed.
	anchor *anchor
	start  *TextPos // where the row's body text begins, if it has any
	// lead, on the rows of a figure, table or code block, is the page
	// position before it; Block stays -1 when no heading or paragraph
	// follows it.
	lead     *TextPos
	toc      *anchor // a contents entry for this heading or figure
	tocWidth float64 // where the entry's text ends
	images   []Image
	// tableHead marks a table's header row, which is placed again on
	// every page its table continues on.
	tableHead bool
	// repeat, on a table's body row, is the table's header row, set again
	// above this row when it starts a page.
	repeat *row
}

type rowLink struct {
	x, y, w, h float64
	url        string
}

// markLine records which block the row's last line belongs to.
func markLine(r *row, block, index, count int) {
	l := &r.lines[len(r.lines)-1]
	l.Block, l.Index, l.Count = block, index, count
}
