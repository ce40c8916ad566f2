package layout

import (
	"time"

	"github.com/paiban/paiban/internal/fonts"
)

// Book is a laid-out book: pages with every glyph at a fixed position. It
// knows nothing about PDF; the PDF writer turns it into a file.
//
// Units are PostScript points. The origin is the top-left corner of the
// page and y grows downwards; a glyph's Y is its baseline.
type Book struct {
	Info    Info
	Pages   []*Page
	Outline []OutlineEntry
}

// Info is the document information a writer records.
type Info struct {
	Title    string
	Author   string
	Subject  string
	Keywords string
	Language string // BCP 47, e.g. zh-CN
	Creator  string
	// Date is the creation date written to the file; zero writes none, so
	// that output is reproducible.
	Date time.Time
}

// OutlineEntry is one bookmark. Level 1 is the top level; levels never
// skip (a level-3 entry follows a level-2 or level-3 entry).
type OutlineEntry struct {
	Title string
	Level int
	Page  int     // index into Book.Pages
	Y     float64 // top of the target on that page
}

// Page is one page.
type Page struct {
	Width, Height float64
	// Folio is the printed page number ("1"), empty on unnumbered pages.
	Folio string
	// Start is where the body text on this page begins; Start.Block is -1
	// on a page without body text. It lets the EPUB mark print pages.
	Start  TextPos
	Glyphs []Glyph
	Rules  []Rule
	Images []Image // drawn below the rules and glyphs
	Links  []Link
	// Lines records every set line of text (body, headings, notes, not
	// the running head or folio), for tests and the layout dump.
	Lines []Line
}

// Line is one set line: its baseline, extent and the cell of every
// character (the slot it occupies after punctuation and justification
// adjustments, docs/typesetting.md).
type Line struct {
	Y      float64
	X0, X1 float64
	Cells  []Cell
	// Block is the heading or paragraph the line belongs to (as in
	// TextPos), -1 for other text; the line is Index of Count lines.
	Block, Index, Count int
}

// Cell is one character's slot on a line. Glyph indexes Page.Glyphs (the
// first glyph, for a dash or ellipsis drawn as several).
type Cell struct {
	Glyph        int
	Start, Width float64
}

// Glyph is one character (or a cluster drawn as one unit) at a position.
type Glyph struct {
	Text string
	Face *fonts.Face
	Size float64
	X, Y float64 // pen origin; Y is the baseline
	// Hidden glyphs are text only, for search and copying: what shows is
	// drawn otherwise (the rule of a two-em dash).
	Hidden bool
	// Widen, when not zero, scales the glyph horizontally: hidden dash
	// glyphs fill their 1-em cells, so that the text reads —— and not
	// "— —" where the face's dash is narrower.
	Widen float64
}

// Rule is a filled rectangle: the footnote separator, a drawn dash, a dot.
type Rule struct {
	X, Y, W, H float64 // Y is the top edge
	Gray       float64 // 0 black … 1 white
	// Round fills the ellipse inscribed in the rectangle instead: the
	// emphasis dots (着重号) are round.
	Round bool
	// Step, when above zero, makes the rule a row of H×H squares, one
	// every Step points from X to X+W (the contents' leader dots): one
	// rule per row rather than one per dot, which a book with a hundred
	// thousand headings has millions of.
	Step float64
}

// Link is a clickable area. Exactly one of URL and (DestPage, DestY) is set:
// an external link has a URL; an internal one jumps to a page position.
type Link struct {
	X, Y, W, H float64 // Y is the top edge
	URL        string
	DestPage   int // index into Book.Pages, when URL is empty
	DestY      float64
}

// TextPos is a point in the document's text: Offset runes into the plain
// text (doc.PlainText) of the Block-th heading or paragraph, counting
// headings and paragraphs in document order as doc.Walk visits them.
//
// A page that begins with figures, tables, code blocks or part titles,
// which are not counted, begins Lead of them before the Block-th heading or paragraph
// (Offset is then 0): Lead 1 is the one right before it.
type TextPos struct {
	Block  int
	Offset int
	Lead   int
}
