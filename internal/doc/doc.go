// Package doc is the document model shared by every stage: the Markdown
// reader produces it, the layout engine and the EPUB writer consume it.
// It holds plain data only and imports nothing from this module.
package doc

import "strings"

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
}

// Block is a block-level element: *Heading, *Paragraph, *BlockQuote,
// *List, *CodeBlock or *ThematicBreak.
type Block interface{ block() }

// Heading is a section heading. Level 1 is the highest level used in the
// body (the book title is metadata, not a heading).
type Heading struct {
	Pos
	Level   int
	ID      string // unique within the document, usable as a URL fragment
	Content []Inline
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

// CodeBlock is preformatted text.
type CodeBlock struct {
	Pos
	Language string
	Text     string
}

// ThematicBreak is a section break (a blank line or ornament).
type ThematicBreak struct{ Pos }

func (*Heading) block()       {}
func (*Paragraph) block()     {}
func (*BlockQuote) block()    {}
func (*List) block()          {}
func (*CodeBlock) block()     {}
func (*ThematicBreak) block() {}

// Inline is an inline element: Text, *Emphasis, *Link, Code, LineBreak or
// *FootnoteRef.
type Inline interface{ inline() }

// Text is plain text.
type Text string

// Emphasis is *em* (Strong false) or **strong** (Strong true).
type Emphasis struct {
	Strong  bool
	Content []Inline
}

// Link is a hyperlink; URL is either absolute or "#id" for a heading.
type Link struct {
	URL     string
	Content []Inline
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
		}
	}
}

// Walk calls fn for every block in blocks, depth first, including blocks
// nested in quotes and lists (but not footnote bodies).
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
		}
	}
}
