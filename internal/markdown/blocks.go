package markdown

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/paiban/paiban/internal/doc"
)

// figure converts a paragraph holding only an image. The caption is the
// image's title, or else its alt text. An image that cannot be placed
// leaves a paragraph of its alt text, or nothing when it has none.
func (c *converter) figure(p ast.Node, img *ast.Image) doc.Block {
	c.inAlt = true
	alt := c.inlineContent(img, false)
	c.inAlt = false
	f := &doc.Figure{Pos: c.pos(p), Alt: doc.PlainText(alt), Caption: alt}
	if title := strings.TrimSpace(literal(img.Title)); title != "" {
		f.Caption = []doc.Inline{doc.Text(title)}
	}
	if f.Image = c.image(literal(img.Destination), c.place(img)); f.Image == nil {
		if len(alt) == 0 {
			return nil
		}
		return &doc.Paragraph{Pos: f.Pos, Content: alt}
	}
	c.book.figures++
	f.Number = c.book.figures
	f.ID = "fig-" + strconv.Itoa(f.Number)
	c.book.ids[f.ID] = idOwner{"figure", f.Pos}
	return f
}

// maxTableColumns is the widest table: no page has room for more
// columns, and goldmark pads every row to the header's width, so a wide
// header over many short rows would take memory out of all proportion
// to the input. Wider tables are refused before goldmark reads them.
const maxTableColumns = 100

// table converts a GFM table.
func (c *converter) table(n *east.Table) *doc.Table {
	t := &doc.Table{Pos: c.pos(n)}
	for _, a := range n.Alignments {
		t.Align = append(t.Align, map[east.Alignment]doc.Align{
			east.AlignLeft: doc.AlignLeft, east.AlignCenter: doc.AlignCenter, east.AlignRight: doc.AlignRight,
		}[a])
	}
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]doc.Inline
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, c.inlineContent(cell, false))
		}
		// goldmark drops cells past the header's width and pads short rows.
		cells = cells[:min(len(cells), len(t.Align))]
		for len(cells) < len(t.Align) {
			cells = append(cells, nil)
		}
		if _, header := row.(*east.TableHeader); header {
			t.Header = cells
		} else {
			t.Rows = append(t.Rows, cells)
		}
	}
	c.book.tables++
	t.Number = c.book.tables
	t.ID = "tab-" + strconv.Itoa(t.Number)
	c.book.ids[t.ID] = idOwner{"table", t.Pos}
	return t
}

// isCaption reports a paragraph that starts with ": ", pandoc's table
// caption.
func isCaption(p *ast.Paragraph, src []byte) bool {
	lines := p.Lines()
	if lines.Len() == 0 {
		return false
	}
	first := lines.At(0)
	return bytes.HasPrefix(first.Value(src), []byte(": "))
}

// caption converts a caption paragraph without its ": ".
func (c *converter) caption(p *ast.Paragraph) []doc.Inline {
	content := c.inlineContent(p, false)
	if t, ok := content[0].(doc.Text); ok { // isCaption saw ": "
		content[0] = doc.Text(strings.TrimLeft(strings.TrimPrefix(string(t), ":"), " \t"))
	}
	return tidy(content)
}

// definitionList converts terms and their definitions; a term without
// definitions cannot occur (goldmark makes it a paragraph).
func (c *converter) definitionList(n *east.DefinitionList) *doc.DefinitionList {
	l := &doc.DefinitionList{Pos: c.pos(n)}
	for child := n.FirstChild(); child != nil; child = child.NextSibling() {
		switch child := child.(type) {
		case *east.DefinitionTerm:
			l.Items = append(l.Items, doc.Definition{Term: c.inlineContent(child, false)})
		case *east.DefinitionDescription:
			if len(l.Items) == 0 {
				l.Items = append(l.Items, doc.Definition{})
			}
			last := &l.Items[len(l.Items)-1]
			last.Definitions = append(last.Definitions, c.blocks(child))
		}
	}
	return l
}
