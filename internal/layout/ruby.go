package layout

import (
	"math"

	"github.com/paiban/paiban/internal/doc"
)

// rubyScale is the annotation's size relative to its base text: half, as
// clreq §3.3 and JIS X 4051 §3.3 set interlinear annotations.
const rubyScale = 0.5

// rubyGap is the space between the base's em box and the annotation's
// baseline, in ems of the base: room for descenders of pinyin (yī, gè).
const rubyGap = 0.12

// rubySpread is the most, in ems of the base, that an annotation may
// widen its base to; a longer one is set smaller to fit.
const rubySpread = 8

// rubyAnn is the annotation of a ruby group: one set part per base
// character, or a single part spanning the whole group, each drawn at
// scale times its set size.
type rubyAnn struct {
	n       int // atoms in the group
	perChar bool
	parts   []*setPara
	widths  []float64
	scale   []float64
}

// addRuby adds the base characters of r as one unbreakable group and
// attaches the annotation. When an annotation part is wider than its base,
// the base characters are spaced out to its width (clreq §3.3.3, the way
// pinyin readers are set) rather than letting it overhang the neighbours:
// text beside a ruby then never collides with it whatever it is.
func (ts *typesetter) addRuby(b *atomBuilder, r *doc.Ruby, st runStyle) {
	first := len(b.atoms)
	b.addText(r.Base, st)
	base := b.atoms[first:]
	if len(base) == 0 {
		return
	}
	ann := &rubyAnn{n: len(base)}
	texts := []string{r.Annotation}
	if parts := r.Parts(); parts != nil && len(parts) == len(base) {
		texts, ann.perChar = parts, true
	}
	annStyle := runStyle{faces: ts.body, size: st.size * rubyScale}
	for _, t := range texts {
		sub := &atomBuilder{fallback: b.fallback, pos: b.pos, missing: b.missing, profile: b.profile}
		sub.addText(t, annStyle)
		atoms := sub.finish()
		sp := &setPara{atoms: atoms}
		w := 0.0
		if len(atoms) > 0 {
			p := paragraph{atoms: atoms, measure: math.Inf(1), em: annStyle.size}
			ln := setLine(p, 0, len(atoms), p.measure, false)
			sp.lines, w = []line{ln}, ln.width
		}
		scale := 1.0
		if most := rubySpread * st.size; w > most {
			scale, w = most/w, most
		}
		ann.parts = append(ann.parts, sp)
		ann.widths = append(ann.widths, w)
		ann.scale = append(ann.scale, scale)
	}
	widen := func(a *atom, extra float64) {
		if extra > 0 {
			a.width += extra
			a.shift += extra / 2
		}
	}
	if ann.perChar {
		for k := range base {
			widen(&base[k], ann.widths[k]-base[k].width)
		}
	} else {
		total := 0.0
		for _, a := range base {
			total += a.width
		}
		for k := range base {
			widen(&base[k], (ann.widths[0]-total)/float64(len(base)))
		}
	}
	base[0].own().ruby = ann
	for k := 1; k < len(base); k++ {
		base[k].rubyCont = true
	}
}

// drawRuby draws the annotation of the group starting at atom i of the
// line, centred over each base character or over the whole group.
func drawRuby(r *row, sp *setPara, ln line, i int, x0, y float64) {
	a := &sp.atoms[ln.start+i]
	ann := a.ruby()
	last := min(i+ann.n, ln.end-ln.start) - 1
	base := y - (emAscent+rubyGap)*a.size
	put := func(part int, from, to int) {
		ps := ann.parts[part]
		if len(ps.lines) == 0 {
			return
		}
		centre := x0 + (ln.x[from]+ln.x[to]+ln.w[to])/2
		pl, s := ps.lines[0], ann.scale[part]
		left := centre - pl.width*s/2
		for k := range pl.end - pl.start {
			pa := ps.atoms[pl.start+k]
			r.glyphs = append(r.glyphs, Glyph{Text: pa.text(), Face: pa.face, Size: pa.size * s, X: left + (pl.x[k]+pl.shift[k])*s, Y: base})
		}
	}
	if ann.perChar {
		for k := i; k <= last; k++ {
			put(k-i, k, k)
		}
		return
	}
	put(0, i, last)
}

// rubyRoom is the room a line needs between its em box and the line
// above's for its annotations: their height, plus the depth of the
// emphasis dots under the line above (its atoms; none for a first line)
// if it has any.
func rubyRoom(above []atom, size float64) float64 {
	h := (rubyGap + rubyScale*emAscent) * size
	for _, a := range above {
		if a.dots {
			return h + (dotGap+dotSize)*size
		}
	}
	return h
}

// lineHasRuby reports whether a line of these atoms carries an annotation.
func lineHasRuby(atoms []atom) bool {
	for i := range atoms {
		if atoms[i].ruby() != nil {
			return true
		}
	}
	return false
}
