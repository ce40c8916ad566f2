// Package layout sets a document on pages: Chinese line breaking,
// punctuation compression, justification, footnotes at the foot of their
// page, running heads, a table of contents and the outline. It produces a
// Book of positioned glyphs and knows nothing about PDF.
//
// A layout pass has these parts, each with its own state:
//
//   - frame (frame.go): what the style fixes for the whole book, the
//     faces, the page and its type area, the sizes and the line pitch;
//     made once, read by the others.
//   - typesetter (typesetter.go, paragraphs.go, balance.go, over atoms.go
//     and linebreak.go): text into atoms, atoms into lines, body
//     paragraphs in parallel; it caches the lines pages repeat.
//   - engine (engine.go and a file for each kind of block): walks the
//     document and makes rows (rows.go), bands of whole grid lines, each
//     block getting its indents (nest) and source position as arguments.
//   - paginator (paginate.go): rows onto pages, footnotes at their feet,
//     running heads and folios.
//   - contents (contents.go): the headings and link targets; it sets the
//     contents and the list of figures, and once the pages are known
//     points the links, fills in the page numbers and makes the outline.
package layout

import (
	"maps"
	"strings"
	"time"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
)

// Options configure one layout run.
type Options struct {
	Style *style.Style
	// Faces holds the loaded fonts by file name, as the style names them.
	Faces   map[string]*fonts.Face
	Creator string
	Date    time.Time
	// Progress, when set, hears how far the layout is, for a progress
	// line on long books. It is called from one goroutine at a time.
	Progress func(Progress)
}

// Progress is how far a layout is: paragraphs are set first (in
// parallel), then pages are made.
type Progress struct {
	Paragraphs, OfParagraphs int
	Pages                    int
	Chapter                  string // the chapter being worked on
}

// Result is a laid-out book plus what the author should hear about.
type Result struct {
	Book *Book
	// Missing lists characters no bundled font covers; each was set as 〓.
	Missing []MissingGlyph
	// Warnings are what else the PDF could not set as written.
	Warnings []doc.Warning
}

// Em-box metrics of the CJK faces: the ideographic em box runs from
// -0.12 em to 0.88 em around the alphabetic baseline (docs/typesetting.md §4.3).
const (
	emAscent  = 0.88
	emDescent = 0.12
)

// Layout sets d in the given style.
func Layout(d *doc.Document, opt Options) (*Result, error) {
	fr, err := newFrame(opt)
	if err != nil {
		return nil, err
	}
	// A cross-reference that prints its target's page needs the pages
	// first: the book is laid out again with the folios found until they
	// no longer change (a number's width can move a target).
	var refs map[string]string // none known in the first pass
	for pass := 1; ; pass++ {
		e := newEngine(fr, refs, opt.Progress)
		if err := e.buildRows(d); err != nil {
			return nil, err
		}
		pg := &paginator{frame: fr, text: e.text, rows: e.rows, bodyStart: e.bodyStart, title: d.Meta.Title, progress: opt.Progress}
		pages, links, tocs, err := pg.paginate()
		if err != nil {
			return nil, err
		}
		book := &Book{
			Info: Info{
				Title:    d.Meta.Title,
				Author:   d.Meta.AuthorNames(),
				Subject:  d.Meta.Description,
				Keywords: strings.Join(d.Meta.Keywords, ", "),
				Language: d.Meta.Language,
				Creator:  opt.Creator,
				Date:     opt.Date,
			},
			Pages: pages,
		}
		e.toc.resolve(book, links, tocs)
		found := e.toc.targetFolios()
		if !showsPages(d) || (refs != nil && maps.Equal(found, refs)) || pass == maxRefPasses {
			return &Result{Book: book, Missing: e.text.missing, Warnings: e.warnings}, nil
		}
		refs = found
	}
}
