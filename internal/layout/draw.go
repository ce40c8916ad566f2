package layout

import (
	"math"
	"slices"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/fonts"
)

// drawLine draws one set line into a row whose baseline is at y.
func drawLine(r *row, sp *setPara, ln line, x0, y float64) {
	var linkStart = -1
	flushLink := func(i int) {
		if linkStart < 0 {
			return
		}
		a := &sp.atoms[ln.start+linkStart]
		x := x0 + ln.x[linkStart]
		w := ln.x[i-1] + ln.w[i-1] - ln.x[linkStart]
		r.links = append(r.links, rowLink{x: x, y: y - emAscent*a.size, w: w, h: a.size, url: a.link()})
		linkStart = -1
	}
	rec := Line{Y: y, X0: x0, X1: x0 + ln.width, Cells: make([]Cell, 0, ln.end-ln.start), Block: -1}
	r.glyphs = slices.Grow(r.glyphs, ln.end-ln.start)
	for i := 0; i < ln.end-ln.start; i++ {
		a := &sp.atoms[ln.start+i]
		x := x0 + ln.x[i] + ln.shift[i]
		rec.Cells = append(rec.Cells, Cell{Glyph: len(r.glyphs), Start: x0 + ln.x[i], Width: ln.w[i]})
		if linkStart >= 0 && sp.atoms[ln.start+linkStart].link() != a.link() {
			flushLink(i)
		}
		if a.link() != "" && linkStart < 0 {
			linkStart = i
		}
		img, imgH := a.image()
		switch {
		case a.dash || a.cls == chars.Ellipsis:
			drawRun(r, a, x0+ln.x[i], y)
		case a.cls == chars.NoteRef:
			r.refs = append(r.refs, len(r.glyphs))
			r.notes = append(r.notes, a.note())
			r.glyphs = append(r.glyphs, Glyph{Text: a.text(), Face: a.face, Size: a.size, X: x, Y: y - a.rise()})
		case img != nil:
			rec.Cells = rec.Cells[:len(rec.Cells)-1] // a cell has a glyph
			r.images = append(r.images, Image{X: x, Y: y + emDescent*a.size - imgH, W: a.width, H: imgH, Image: img})
		default:
			r.glyphs = append(r.glyphs, Glyph{Text: a.text(), Face: a.face, Size: a.size, X: x, Y: y - a.rise()})
		}
		if a.dots {
			// 着重号: a dot centred under the character's cell.
			d := dotSize * a.size
			cx := x0 + ln.x[i] + ln.w[i]/2
			r.rules = append(r.rules, Rule{X: cx - d/2, Y: y + (emDescent+dotGap)*a.size, W: d, H: d, Round: true})
		}
	}
	flushLink(ln.end - ln.start)
	decorate(r, sp.atoms[ln.start:ln.end], ln, x0, y)
	r.lines = append(r.lines, rec)
	// Annotations go after the line's own glyphs, so that the base text
	// is drawn, and extracted, in one run.
	for i := range ln.end - ln.start {
		if sp.atoms[ln.start+i].ruby() != nil {
			drawRuby(r, sp, ln, i, x0, y)
		}
	}
}

// Decoration lines, in ems of the text they mark: a strikethrough
// through the middle of the em box, an underline just below the
// baseline, a marked ground over the whole em box.
const (
	strikeY    = 0.35 // above the baseline
	underY     = 0.14 // below the baseline
	decoWeight = 0.05
	markGray   = 0.85
)

// decorate draws the strikethrough, underline and marked ground of the
// atoms on one line, as one rule per run of atoms with the same line,
// spanning the gaps between them.
func decorate(r *row, atoms []atom, ln line, x0, y float64) {
	for _, d := range []decoration{decoMark, decoStrike, decoUnder} {
		for i := 0; i < len(atoms); {
			if atoms[i].deco()&d == 0 {
				i++
				continue
			}
			j := i
			size := 0.0
			for j < len(atoms) && atoms[j].deco()&d != 0 {
				size = max(size, atoms[j].size)
				j++
			}
			left, right := x0+ln.x[i], x0+ln.x[j-1]+ln.w[j-1]
			var top, h float64
			switch d {
			case decoMark:
				top, h = y-emAscent*size, size
			case decoStrike:
				top, h = y-strikeY*size, decoWeight*size
			case decoUnder:
				top, h = y+underY*size, decoWeight*size
			}
			rule := Rule{X: left, Y: top, W: right - left, H: h}
			if d == decoMark {
				rule.Gray = markGray
			}
			r.rules = append(r.rules, rule)
			i = j
		}
	}
}

// drawRun draws a dash or ellipsis run one glyph per 1-em cell. A dash run
// is drawn as one rule across its cells, its glyphs kept as hidden text:
// the font's U+2014 is a Latin em dash, 0.89 em wide and set low, so the
// stroke takes the height and weight of the face's full-width dash
// instead (docs/typesetting.md §2.1, T10, T29). The hidden glyphs fill
// their cells, so that the text reads —— and not "— —".
func drawRun(r *row, a *atom, x, y float64) {
	m := a.face.Metrics(a.r)
	n := 0
	for _, ch := range a.text() {
		g := Glyph{Text: string(ch), Face: a.face, Size: a.size, X: x + float64(n)*a.size, Y: y}
		if a.dash && m.Advance > 0 {
			g.Hidden, g.Widen = true, 1/m.Advance
		} else {
			g.X += (1 - m.Advance) / 2 * a.size
		}
		r.glyphs = append(r.glyphs, g)
		n++
	}
	if a.dash {
		// The stroke runs from 0.04 to n-0.04 em of the cells, the
		// dash of docs/typesetting.md §2.1.
		y0, y1 := dashStroke(a.face)
		x0, x1 := x+0.04*a.size, x+(float64(n)-0.04)*a.size
		r.rules = append(r.rules, Rule{X: x0, Y: y - y1*a.size, W: x1 - x0, H: (y1 - y0) * a.size})
	}
}

// dashStroke returns the bottom and top of the face's dash stroke, in em
// above the baseline: those of its full-width dash, the glyph CJK faces
// draw for U+2015 (GB 2312's 破折号 A1AA in the original mapping), when it
// has one an em wide; else those of U+2014; else a stroke centred 0.38 em
// up.
func dashStroke(f *fonts.Face) (float64, float64) {
	if m := f.Metrics('―'); m.Glyph != 0 && math.Abs(m.Advance-1) < 0.01 && m.InkY1 > m.InkY0 {
		return m.InkY0, m.InkY1
	}
	if m := f.Metrics('—'); m.Glyph != 0 && m.InkY1 > m.InkY0 {
		return m.InkY0, m.InkY1
	}
	return 0.36, 0.40
}
