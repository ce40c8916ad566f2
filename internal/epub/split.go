package epub

import (
	"fmt"

	"github.com/paiban/paiban/internal/doc"
)

// maxFileSize is the size of XHTML above which a chapter is cut at its
// next heading level: a file of a megabyte takes seconds to open on a
// phone, and some readers load each file whole.
const maxFileSize = 300 << 10

// maxTextFiles bounds the number of text files: a reader opening a book
// of tens of thousands of files stalls, and go-epub checks each file's
// name against all the files before it, which takes time quadratic in
// their number. Past it, consecutive chapters share a file, each in a
// section of its own.
const maxTextFiles = 1000

// split cuts the text into files: at each part title, at each heading of
// the book's top level, and, within a chapter whose XHTML would exceed
// maxFileSize, at the headings of its next level (and further down while
// a piece is still too large). Text before the first heading goes with
// the first chapter, or has a file of its own before a part.
func (b *book) split() {
	b.topLevel = topLevel(b.doc.Blocks)
	var chapters [][]doc.Block
	opens := func(bl doc.Block) bool {
		switch n := bl.(type) {
		case *doc.Part:
			return true
		case *doc.Heading:
			return n.Level == b.topLevel
		}
		return false
	}
	lead := true // before the first heading or part
	for i, bl := range b.doc.Blocks {
		_, afterPart := lastBlock(chapters).(*doc.Part)
		_, isPart := bl.(*doc.Part)
		// The text before the first heading opens the first chapter's
		// file (an article's lead is read with its first section); before
		// a part it stays on its own.
		if i == 0 || opens(bl) && !(lead && !isPart) || afterPart {
			chapters = append(chapters, nil)
		}
		if opens(bl) {
			lead = false
		}
		chapters[len(chapters)-1] = append(chapters[len(chapters)-1], bl)
	}
	var pieces [][]doc.Block
	for _, blocks := range chapters {
		pieces = append(pieces, cutLarge(blocks, b.topLevel)...)
	}
	per := (len(pieces) + maxTextFiles - 1) / maxTextFiles
	for i := 0; i < len(pieces); i += per {
		sections := pieces[i:min(i+per, len(pieces))]
		f := &textFile{title: fileTitle(sections[0], b.doc.Meta.Title), sections: sections}
		for _, s := range sections {
			f.blocks = append(f.blocks, s...)
		}
		b.texts = append(b.texts, f)
	}
	for i, f := range b.texts {
		f.name = "text.xhtml"
		if len(b.texts) > 1 {
			f.name = fmt.Sprintf("chapter%02d.xhtml", i+1)
		}
	}
}

// lastBlock is the last block of the last chapter so far, or nil.
func lastBlock(chapters [][]doc.Block) doc.Block {
	if len(chapters) == 0 {
		return nil
	}
	c := chapters[len(chapters)-1]
	return c[len(c)-1]
}

// topLevel is the highest (smallest) level of the headings at the top of
// blocks, 1 when there are none.
func topLevel(blocks []doc.Block) int {
	top := 0
	for _, bl := range blocks {
		if h, ok := bl.(*doc.Heading); ok && (top == 0 || h.Level < top) {
			top = h.Level
		}
	}
	return max(top, 1)
}

// cutLarge cuts blocks, which open at heading level, at the headings of
// the next level they hold when their XHTML would exceed maxFileSize, and
// cuts the pieces further down in turn.
func cutLarge(blocks []doc.Block, level int) [][]doc.Block {
	if estimateSize(blocks) <= maxFileSize {
		return [][]doc.Block{blocks}
	}
	next := 0
	for _, bl := range blocks[1:] {
		if h, ok := bl.(*doc.Heading); ok && h.Level > level && (next == 0 || h.Level < next) {
			next = h.Level
		}
	}
	if next == 0 {
		return [][]doc.Block{blocks} // no heading to cut at
	}
	var pieces [][]doc.Block
	start := 0
	for i, bl := range blocks {
		if h, ok := bl.(*doc.Heading); ok && i > start && h.Level == next {
			pieces = append(pieces, blocks[start:i])
			start = i
		}
	}
	pieces = append(pieces, blocks[start:])
	// The chapter's heading and a short introduction open the file of its
	// first section rather than a screen of their own.
	if len(pieces) > 1 && estimateSize(pieces[0]) < maxFileSize/10 {
		pieces = append([][]doc.Block{append(pieces[0][:len(pieces[0]):len(pieces[0])], pieces[1]...)}, pieces[2:]...)
	}
	var out [][]doc.Block
	for _, p := range pieces {
		out = append(out, cutLarge(p, next)...)
	}
	return out
}

// fileTitle is the title of a file: its part title or opening heading,
// else the book's.
func fileTitle(blocks []doc.Block, book string) string {
	switch n := blocks[0].(type) {
	case *doc.Part:
		return n.Title
	case *doc.Heading:
		if t := label(n.Content); t != "" {
			return n.Number + t
		}
	}
	return book
}

// sectionStart opens the section blocks go in: a part, a chapter (opened
// by a heading of the book's top level), or the body matter of a chapter
// cut into several files or before the first one.
func sectionStart(blocks []doc.Block, top int) string {
	switch n := blocks[0].(type) {
	case *doc.Part:
		return "<section epub:type=\"part\" role=\"doc-part\">\n"
	case *doc.Heading:
		if n.Level == top {
			return "<section epub:type=\"chapter\" role=\"doc-chapter\">\n"
		}
	}
	return "<section epub:type=\"bodymatter\">\n"
}

// estimateSize is about the size of the XHTML blocks make, with the
// notes they reference: their text (in UTF-8, as written) and some
// markup for each block, page marker and link.
func estimateSize(blocks []doc.Block) int {
	return sizer{seen: map[*doc.Footnote]bool{}}.blocks(blocks)
}

// sizer estimates sizes, counting each note once (notes may reference
// each other).
type sizer struct{ seen map[*doc.Footnote]bool }

func (z sizer) blocks(blocks []doc.Block) int {
	const perBlock, perInline = 48, 32
	size := 0
	var inlines func([]doc.Inline)
	inlines = func(xs []doc.Inline) {
		for _, x := range xs {
			switch n := x.(type) {
			case doc.Text:
				size += len(n)
			case doc.Code:
				size += len(n) + perInline
			case *doc.Emphasis:
				size += perInline
				inlines(n.Content)
			case *doc.Link:
				size += perInline + len(n.URL)
				inlines(n.Content)
			case *doc.Ruby:
				size += 2*perInline + len(n.Base) + len(n.Annotation)
			case *doc.FootnoteRef:
				size += 4 * perInline
				if !z.seen[n.Note] {
					z.seen[n.Note] = true
					size += z.blocks(n.Note.Blocks)
				}
			default:
				size += perInline
			}
		}
	}
	doc.Walk(blocks, func(bl doc.Block) {
		size += perBlock
		switch n := bl.(type) {
		case *doc.Part:
			size += len(n.Title)
		case *doc.Heading:
			inlines(n.Content)
		case *doc.Paragraph:
			inlines(n.Content)
		case *doc.CodeBlock:
			size += len(n.Text) * 11 / 10 // escapes, wrapping spans
		case *doc.Figure:
			size += 2*perBlock + len(n.Alt)
			inlines(n.Caption)
		case *doc.Table:
			inlines(n.Caption)
			for _, c := range n.Header {
				size += perInline
				inlines(c)
			}
			for _, r := range n.Rows {
				for _, c := range r {
					size += perInline
					inlines(c)
				}
			}
		case *doc.DefinitionList:
			for _, it := range n.Items {
				inlines(it.Term)
			}
		}
	})
	return size
}
