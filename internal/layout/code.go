package layout

import (
	"math"
	"strings"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
)

// Code blocks: the mono face a size smaller than the body, never justified
// and never reflowed, on a light gray band indented like a quotation, as
// much on the right as on the left.
const (
	codeScale = 0.875 // of the body size, rounded to half a point
	codeGray  = 0.92  // the band
	// contMark starts a line that continues a wrapped one; the mono face
	// and the fallback faces have it (↪ and ↩ are in none of them).
	contMark = '→'
)

// Code lines are set closer than body lines: three to two grid lines
// when that leaves them at least codeLeading of their size apart,
// otherwise one to a grid line. The block still takes whole grid lines,
// so the text after it stays on the grid.
const (
	codeLinesPerRow = 3
	codeSlotsPerRow = 2
	codeLeading     = 1.2
)

// codeGlyphAt is one character of a code line, placed along it.
type codeGlyphAt struct {
	face *fonts.Face
	text string
	x, w float64
}

// codeLines sets the lines of code block c at size from x = inner to
// right: a line longer than that wraps at whatever character reaches the
// edge, and the rest goes on after contMark; leading spaces are kept.
func (ts *typesetter) codeLines(c *doc.CodeBlock, size, inner, right float64) [][]codeGlyphAt {
	b := ts.builder(c.Pos)
	var lines [][]codeGlyphAt
	for k, text := range strings.Split(strings.TrimRight(c.Text, "\n"), "\n") {
		b.pos = doc.Pos{File: c.File, Line: c.Line + 1 + k}
		var line []codeGlyphAt
		x := inner
		for _, ch := range doc.ExpandTabs(text) {
			if ch == ' ' {
				x += ts.mono.latin.Advance(' ') * size
				continue
			}
			face, m := b.faceFor(ch, ts.mono.cjk)
			if face == nil {
				*b.missing = append(*b.missing, MissingGlyph{Pos: b.pos, Char: ch})
				ch = missingMark
				face, m = b.faceFor(ch, ts.mono.cjk)
			}
			w := m.Advance * size
			if x+w > right+eps && x > inner {
				lines = append(lines, line)
				line, x = nil, inner
				if mf, mm := b.faceFor(contMark, ts.mono.cjk); mf != nil {
					line = append(line, codeGlyphAt{mf, string(contMark), x, mm.Advance * size})
					x += mm.Advance * size
				}
			}
			line = append(line, codeGlyphAt{face, string(ch), x, w})
			x += w
		}
		lines = append(lines, line)
	}
	return lines
}

// addCodeBlock sets a fenced or indented code block on a gray band, its
// lines wrapped at the band's inner edge (codeLines).
func (e *engine) addCodeBlock(c *doc.CodeBlock, in nest) {
	size := math.Round(e.em*codeScale*2) / 2
	inner := e.nested(in)
	pad := size / 2
	bandL, bandR := inner-pad, in.left+e.column(in)-(inner-in.left)+pad
	lines := e.text.codeLines(c, size, inner, bandR-pad)
	perRow, slots := codeLinesPerRow, codeSlotsPerRow
	if float64(codeSlotsPerRow)*e.pitch/codeLinesPerRow < codeLeading*size {
		perRow, slots = 1, 1
	}
	leading := float64(slots) * e.pitch / float64(perRow)
	// A blank grid line on either side keeps the band off the text
	// around it (it vanishes at a page's top or foot). The band fills its
	// rows, so that the white above and below it is the same; a block of
	// one row has its lines centred in it, a longer one keeps the rest of
	// its last row inside the band below its last line.
	e.addSpace(1)
	single := len(lines) <= perRow
	for len(lines) > 0 {
		n := min(perRow, len(lines))
		r := &row{slots: int(math.Ceil(float64(n)*leading/e.pitch - eps))}
		h := float64(r.slots) * e.pitch
		r.rules = append(r.rules, Rule{X: bandL, Y: 0, W: bandR - bandL, H: h, Gray: codeGray})
		top := 0.0
		if single {
			top = (h - float64(n)*leading) / 2
		}
		for i, line := range lines[:n] {
			// Each line's em box centred in its share of the row.
			y := top + float64(i)*leading + (leading-size)/2 + emAscent*size
			if len(line) == 0 {
				continue // an empty source line keeps its band only
			}
			l := Line{Y: y, X0: inner, X1: inner, Block: -1}
			for _, g := range line {
				l.Cells = append(l.Cells, Cell{Glyph: len(r.glyphs), Start: g.x, Width: g.w})
				l.X1 = g.x + g.w
				r.glyphs = append(r.glyphs, Glyph{Text: g.text, Face: g.face, Size: size, X: g.x, Y: y})
			}
			r.lines = append(r.lines, l)
		}
		e.rows = append(e.rows, r)
		lines = lines[n:]
	}
	e.addSpace(1)
}
