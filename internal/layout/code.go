package layout

import (
	"math"
	"strings"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
)

// Code blocks: the mono face a size smaller than the body, never justified
// and never reflowed, on a light gray band indented like a quotation.
const (
	codeScale = 0.875 // of the body size, rounded to half a point
	codeGray  = 0.92  // the band
	codeTab   = 4     // columns per tab stop
	// contMark starts a line that continues a wrapped one; the mono face
	// and the fallback faces have it (↪ and ↩ are in none of them).
	contMark = '→'
)

// addCodeBlock sets a fenced or indented code block line by line. A line
// longer than the band wraps at whatever character reaches the edge, and
// the rest goes on the next line after contMark; leading spaces are kept.
func (e *engine) addCodeBlock(c *doc.CodeBlock, leftIndent float64) {
	size := math.Round(e.em*codeScale*2) / 2
	inner := e.nested(leftIndent)
	pad := size / 2
	right := e.measure - pad
	y := e.baseline(size)
	b := &atomBuilder{fallback: e.fallback, missing: &e.missing, profile: e.profile}
	// A blank grid line on either side keeps the band off the text
	// around it (it vanishes at a page's top or foot).
	e.addSpace(1)
	defer e.addSpace(1)
	for k, text := range strings.Split(strings.TrimRight(c.Text, "\n"), "\n") {
		b.pos = doc.Pos{File: c.File, Line: c.Line + 1 + k}
		r := e.codeRow(inner, pad)
		x := inner
		for _, ch := range expandTabs(text) {
			if ch == ' ' {
				x += e.mono.latin.Advance(' ') * size
				continue
			}
			face, m := b.faceFor(ch, e.mono.cjk)
			if face == nil {
				*b.missing = append(*b.missing, MissingGlyph{Pos: b.pos, Char: ch})
				ch = missingMark
				face, m = b.faceFor(ch, e.mono.cjk)
			}
			w := m.Advance * size
			if x+w > right+eps && x > inner {
				e.addCodeRow(r)
				r = e.codeRow(inner, pad)
				x = inner
				mf, mm := b.faceFor(contMark, e.mono.cjk)
				if mf != nil {
					codeGlyph(r, mf, string(contMark), size, x, y, mm.Advance*size)
					x += mm.Advance * size
				}
			}
			codeGlyph(r, face, string(ch), size, x, y, w)
			x += w
		}
		e.addCodeRow(r)
	}
}

// addCodeRow adds a row of a code block; an empty source line keeps its
// band but records no line of text.
func (e *engine) addCodeRow(r *row) {
	if len(r.lines[0].Cells) == 0 {
		r.lines = nil
	}
	e.rows = append(e.rows, r)
}

// codeRow is an empty row of a code block: the band, and a line whose
// cells codeGlyph fills.
func (e *engine) codeRow(inner, pad float64) *row {
	r := &row{slots: 1}
	r.rules = append(r.rules, Rule{X: inner - pad, Y: 0, W: e.measure - inner + pad, H: e.pitch, Gray: codeGray})
	r.lines = append(r.lines, Line{Y: e.baseline(e.em), X0: inner, X1: inner, Block: -1})
	return r
}

func codeGlyph(r *row, face *fonts.Face, text string, size, x, y, w float64) {
	l := &r.lines[0]
	l.Y = y
	l.Cells = append(l.Cells, Cell{Glyph: len(r.glyphs), Start: x, Width: w})
	l.X1 = x + w
	r.glyphs = append(r.glyphs, Glyph{Text: text, Face: face, Size: size, X: x, Y: y})
}

// expandTabs replaces tabs by spaces to the next tab stop.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := codeTab - col%codeTab
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}
