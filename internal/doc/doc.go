// Package doc is the document model shared by every stage: the Markdown
// reader produces it, the layout engine and the EPUB writer consume it.
// It holds plain data only and imports nothing from this module.
package doc

import (
	"strconv"
	"strings"
)

// Pos is a place in a source file, for error messages (1-based line).
type Pos struct {
	File string
	Line int
}

// Author is one author of a book. Position is the author's title or
// affiliation as the work states it (e.g. 国务院发展研究中心党组成员、副主任).
type Author struct {
	Name     string
	Position string
}

// Metadata describes a book.
type Metadata struct {
	Title    string
	Subtitle string
	Authors  []Author
	Language string // BCP 47 tag, e.g. zh-CN
	// Source names the publication a reprinted text comes from,
	// e.g. 《求是》2024年第9期.
	Source      string
	Date        string // ISO 8601 date, optional
	Identifier  string // optional; the EPUB writer derives one when empty
	Description string
	Rights      string
	// Editors, Publisher, ISBN and Keywords feed the colophon (版权页) and
	// the package metadata; all optional.
	Editors   []string
	Publisher string
	ISBN      string
	Keywords  []string
	// Numbering is the heading numbering the author asked for: "" or
	// "none" (headings as written), or "chinese" (一、（一）1.（1）).
	// The reader applies it to Heading.Number.
	Numbering string
	// ListOfFigures asks for a list of figures after the contents.
	ListOfFigures bool
	// Cover is the path of a cover image (PNG or JPEG) relative to the
	// book's file, inside the book's folder; empty for a drawn cover.
	Cover string
	// CoverPos is where the cover is named, for errors about the file.
	CoverPos Pos
}

// AuthorNames joins the authors' names with the Chinese enumeration comma.
func (m Metadata) AuthorNames() string {
	names := make([]string, len(m.Authors))
	for i, a := range m.Authors {
		names[i] = a.Name
	}
	return strings.Join(names, "、")
}

// Document is a whole book.
type Document struct {
	Meta   Metadata
	Blocks []Block
	// Footnotes in order of first reference; Footnote.Number is the index+1.
	Footnotes []*Footnote
	// Warnings are what the reader could not render as written, in file
	// and line order; the book builds all the same.
	Warnings []Warning
}

// Warning is something in a source file that the book renders otherwise
// than written (a dropped HTML tag, a link kept as text), or where a
// default was taken (a title from the first heading).
type Warning struct {
	Pos
	Col int // 1-based, in characters; 0 when not known
	Msg string
}

// String formats the warning as `file:line:col: warning: message`, the
// form compilers use and editors jump to (`file: warning:` for the file as
// a whole).
func (w Warning) String() string {
	if w.Line == 0 {
		return w.File + ": warning: " + w.Msg
	}
	if w.Col > 0 {
		return w.File + ":" + strconv.Itoa(w.Line) + ":" + strconv.Itoa(w.Col) + ": warning: " + w.Msg
	}
	return w.File + ":" + strconv.Itoa(w.Line) + ": warning: " + w.Msg
}

// Block is a block-level element: *Part, *Heading, *Paragraph,
// *BlockQuote, *List, *CodeBlock, *ThematicBreak, *Figure, *Table or
// *DefinitionList.
type Block interface {
	block()
	// Position is where the block begins (every block embeds a Pos).
	Position() Pos
}

// Position returns p, so that every block, which embeds a Pos, has it.
func (p Pos) Position() Pos { return p }

// Heading is a section heading. Level 1 is the highest level used in the
// body (the book title is metadata, not a heading).
type Heading struct {
	Pos
	Level int
	// ID is unique within the document and usable as a URL fragment and
	// an XML id: the author's {#id}, or one made from the heading's text
	// (Chinese characters kept).
	ID string
	// Number is the heading's number as printed before its text, e.g.
	// "一、" or "（二）", empty when the book's numbering is none.
	Number  string
	Content []Inline
}

// MaxContentsLevel is the deepest heading level that is numbered and
// listed in the contents, the bookmarks and the nav: four levels have
// numbering styles (一、（一）1.（1）). Headings below it (##### and
// ######) are minor headings, set small in the text only.
const MaxContentsLevel = 4

// Minor reports a heading below MaxContentsLevel.
func (h *Heading) Minor() bool { return h.Level > MaxContentsLevel }

// Part is the title of a part of a book (第一部分), standing over the
// chapters after it up to the next part: a page of its own in the PDF, a
// file of its own and an entry above its chapters' in the EPUB's
// contents. Only the top level of a book has parts; they are not
// headings, and take no heading level.
type Part struct {
	Pos
	ID    string // "part-N"
	Title string
}

// Paragraph is a run of text.
type Paragraph struct {
	Pos
	Content []Inline
}

// BlockQuote is a quotation set off from the text.
type BlockQuote struct {
	Pos
	Blocks []Block
}

// List is an ordered or bullet list.
type List struct {
	Pos
	Ordered bool
	Start   int // first number of an ordered list
	Items   [][]Block
}

// Marker is the marker of item i at nesting depth (0 outermost), the same
// in every edition: ordered lists number 1.  （1）  ① by depth, as Chinese
// documents do (GB/T 9704 §7.3.3 numbers the levels of a text likewise);
// bullets are • then ◦.
func (l *List) Marker(i, depth int) string {
	if !l.Ordered {
		if depth%2 == 0 {
			return "•"
		}
		return "◦"
	}
	n := l.Start + i
	s := strconv.Itoa(n)
	switch depth % 3 {
	case 1:
		return "（" + s + "）"
	case 2:
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
		// Past ⑳ circled numbers are rare in fonts and hard to read.
		return s + "."
	}
	return s + "."
}

// CodeBlock is preformatted text.
type CodeBlock struct {
	Pos
	Language string
	Text     string
}

// TabStop is the number of columns between the tab stops of code, in
// both editions.
const TabStop = 4

// ExpandTabs replaces the tabs of a line of code by spaces to the next
// tab stop, so that its columns do not depend on how a reader sets tabs
// (a face without a tab glyph shows a box in some).
func ExpandTabs(line string) string {
	if !strings.Contains(line, "\t") {
		return line
	}
	var b strings.Builder
	col := 0
	for _, r := range line {
		if r == '\t' {
			n := TabStop - col%TabStop
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// ThematicBreak is a section break (a blank line or ornament).
type ThematicBreak struct{ Pos }

// Image is a raster image the reader has found inside the book's folder
// or fetched from a URL, read and checked; or, when Missing says why it
// could not be had, a placeholder: the figure then shows its alt text and
// Path in a frame, and the image has no data.
type Image struct {
	// Path is where the image was read from (a path inside the book's
	// folder, or a URL), for messages; Name is a file name unique within
	// the book, for the EPUB.
	Path, Name string
	Format     string // "png" or "jpeg"; "" for a placeholder
	Missing    string
	// Width and Height are in pixels.
	Width, Height int
	Data          []byte
}

// Figure is an image standing alone in a paragraph, with its caption
// (the image's title, or else its alt text). Number counts figures from 1.
type Figure struct {
	Pos
	Image   *Image
	Alt     string
	Caption []Inline
	Number  int
	ID      string // "fig-N", or the author's {#id}
}

// Align is a table column's alignment.
type Align int

const (
	AlignDefault Align = iota
	AlignLeft
	AlignCenter
	AlignRight
)

// Table is a GFM table. Every row has len(Align) cells. Number counts
// tables from 1; Caption may be empty (the table is then still numbered).
type Table struct {
	Pos
	Align   []Align
	Header  [][]Inline
	Rows    [][][]Inline
	Caption []Inline
	Number  int
	ID      string // "tab-N"
}

// DefinitionList is a list of terms, each with one or more definitions.
type DefinitionList struct {
	Pos
	Items []Definition
}

// Definition is one term and what defines it.
type Definition struct {
	Term        []Inline
	Definitions [][]Block
}

func (*Part) block()           {}
func (*Heading) block()        {}
func (*Paragraph) block()      {}
func (*BlockQuote) block()     {}
func (*List) block()           {}
func (*CodeBlock) block()      {}
func (*ThematicBreak) block()  {}
func (*Figure) block()         {}
func (*Table) block()          {}
func (*DefinitionList) block() {}

// Inline is an inline element: Text, *Emphasis, *Link, Code, LineBreak,
// *FootnoteRef, *Ruby, *Span, *InlineImage or TaskBox.
type Inline interface{ inline() }

// SpanKind is what sets a Span apart from the text around it.
type SpanKind uint8

const (
	Strike       SpanKind = iota + 1 // ~~text~~, <del>, <s>: a line through it
	Underline                        // <u>: a line under it
	Inserted                         // <ins>: underlined, as inserted text
	Superscript                      // <sup>: smaller and raised
	Subscript                        // <sub>: smaller and lowered
	Marked                           // <mark>: on a grey ground
	Small                            // <small>: smaller
	Keyboard                         // <kbd>: a key, in the code face
	Abbreviation                     // <abbr title>: Title is the expansion
	Language                         // <span lang>: Lang is its language
)

// Span is text set apart: struck through, underlined, raised… (the
// GFM strikethrough and the inline HTML elements paiban renders).
type Span struct {
	Kind    SpanKind
	Title   string // the expansion of an Abbreviation
	Lang    string // the BCP 47 tag of a Language span
	Content []Inline
}

// InlineImage is an image inside running text (an icon, a badge, a
// formula picture), set at most as tall as the line. It adds nothing to
// the plain text; Alt is for readers that cannot see it.
type InlineImage struct {
	Image *Image
	Alt   string
}

// TaskBox is the check box at the start of a GFM task list item.
type TaskBox struct{ Checked bool }

// Glyph is the box as one character: ☐ or ☑.
func (t TaskBox) Glyph() string {
	if t.Checked {
		return "☑"
	}
	return "☐"
}

// Text is plain text.
type Text string

// Emphasis is *em* (Strong false) or **strong** (Strong true).
type Emphasis struct {
	Strong  bool
	Content []Inline
}

// Link is a hyperlink; URL is either absolute or "#id" for a heading,
// figure or table. An empty URL is a link the reader dropped (an unsafe
// scheme, a target that is not in the book): writers set its text only.
type Link struct {
	URL     string
	Content []Inline
	// ShowPage asks the PDF to print the target's page number after the
	// link text (an internal link whose title is "page" or "页码").
	ShowPage bool
	// Image is set, and URL empty, on a link to an image file of the book
	// (a picture's larger version, [![图](small.jpg)](big.jpg)): the EPUB
	// shows the image on a page of its own; print has nowhere to lead.
	Image *Image
}

// Ruby is a base text with its annotation (注音), written {汉字|hàn zì}.
// When the annotation has one space-separated part per base character,
// each part belongs to its character; otherwise it spans the whole base.
type Ruby struct {
	Base       string
	Annotation string
}

// Parts returns the annotation split per base character, or nil when it
// spans the whole base.
func (r *Ruby) Parts() []string {
	parts := strings.Fields(r.Annotation)
	if len(parts) < 2 || len(parts) != len([]rune(r.Base)) {
		return nil
	}
	return parts
}

// Code is inline code.
type Code string

// LineBreak is a hard line break inside a paragraph.
type LineBreak struct{}

// FootnoteRef marks where a footnote is referenced.
type FootnoteRef struct {
	Note *Footnote
}

// Footnote is an annotation. Number counts from 1 in order of first
// reference; writers choose how to display it (per page, per chapter).
type Footnote struct {
	Pos
	Number int
	Label  string // the label used in the source, e.g. "1" for [^1]
	Blocks []Block
}

func (Text) inline()         {}
func (*Emphasis) inline()    {}
func (*Link) inline()        {}
func (Code) inline()         {}
func (LineBreak) inline()    {}
func (*FootnoteRef) inline() {}
func (*Ruby) inline()        {}
func (*Span) inline()        {}
func (*InlineImage) inline() {}
func (TaskBox) inline()      {}

// PlainText returns the text of inlines without markup or footnote marks.
func PlainText(inlines []Inline) string {
	var b strings.Builder
	writePlain(&b, inlines)
	return b.String()
}

func writePlain(b *strings.Builder, inlines []Inline) {
	for _, in := range inlines {
		switch n := in.(type) {
		case Text:
			b.WriteString(string(n))
		case Code:
			b.WriteString(string(n))
		case LineBreak:
			b.WriteByte('\n')
		case *Emphasis:
			writePlain(b, n.Content)
		case *Link:
			writePlain(b, n.Content)
		case *Ruby:
			b.WriteString(n.Base)
		case *Span:
			writePlain(b, n.Content)
		case TaskBox:
			b.WriteString(n.Glyph())
		}
	}
}

// WalkInlines calls fn for every inline of the blocks, depth first,
// including those inside emphasis, links and spans, table cells,
// captions and definition terms (but not footnote bodies).
func WalkInlines(blocks []Block, fn func(Inline)) {
	var walk func([]Inline)
	walk = func(xs []Inline) {
		for _, x := range xs {
			fn(x)
			switch n := x.(type) {
			case *Emphasis:
				walk(n.Content)
			case *Link:
				walk(n.Content)
			case *Span:
				walk(n.Content)
			}
		}
	}
	Walk(blocks, func(b Block) {
		for _, run := range Runs(b) {
			walk(run)
		}
	})
}

// Runs are the runs of inlines a block holds itself: a heading's or
// paragraph's text, a caption, a table's cells, definition terms (not
// those of the blocks nested in it).
func Runs(b Block) [][]Inline {
	switch n := b.(type) {
	case *Heading:
		return [][]Inline{n.Content}
	case *Paragraph:
		return [][]Inline{n.Content}
	case *Figure:
		return [][]Inline{n.Caption}
	case *Table:
		runs := append([][]Inline{n.Caption}, n.Header...)
		for _, row := range n.Rows {
			runs = append(runs, row...)
		}
		return runs
	case *DefinitionList:
		var runs [][]Inline
		for _, item := range n.Items {
			runs = append(runs, item.Term)
		}
		return runs
	}
	return nil
}

// Walk calls fn for every block in blocks, depth first, including blocks
// nested in quotes, lists and definitions (but not footnote bodies).
func Walk(blocks []Block, fn func(Block)) {
	for _, bl := range blocks {
		fn(bl)
		switch n := bl.(type) {
		case *BlockQuote:
			Walk(n.Blocks, fn)
		case *List:
			for _, item := range n.Items {
				Walk(item, fn)
			}
		case *DefinitionList:
			for _, item := range n.Items {
				for _, def := range item.Definitions {
					Walk(def, fn)
				}
			}
		}
	}
}
