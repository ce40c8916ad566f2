package layout

import (
	"github.com/paiban/paiban/internal/doc"
)

// placeholder is what stands in for a figure whose image could not be had
// (doc.Image.Missing): a frame holding the alt text and where the image
// should have come from, set in lines of the caption size.
type placeholder struct {
	w, h  float64
	lines []*setPara
	size  float64
}

// placeholderWidth is the frame's width in ems of the body, at most.
const placeholderWidth = 24

// newPlaceholder sets the alt text and source of figure f in a frame at
// most avail wide.
func (ts *typesetter) newPlaceholder(f *doc.Figure, avail float64) *placeholder {
	p := &placeholder{size: ts.captionSize(), w: min(avail, placeholderWidth*ts.em)}
	pad := p.size
	src := ""
	if f.Image != nil {
		src = f.Image.Path
	}
	for _, t := range []string{f.Alt, src} {
		if t == "" {
			continue
		}
		atoms := ts.atomsOf([]doc.Inline{doc.Text(t)}, styleOf(ts.body, p.size), f.Pos)
		if len(atoms) > 0 {
			p.lines = append(p.lines, ts.balanced(atoms, p.w-2*pad))
		}
	}
	n := 0
	for _, sp := range p.lines {
		n += len(sp.lines)
	}
	p.h = float64(max(n, 1))*1.5*p.size + 2*pad
	return p
}

// drawPlaceholder puts the frame with its top-left corner at (x, y) of row r, and
// the lines centred in it.
func drawPlaceholder(r *row, p *placeholder, x, y float64) {
	const rule = 0.5
	r.rules = append(r.rules,
		Rule{X: x, Y: y, W: p.w, H: rule}, Rule{X: x, Y: y + p.h - rule, W: p.w, H: rule},
		Rule{X: x, Y: y, W: rule, H: p.h}, Rule{X: x + p.w - rule, Y: y, W: rule, H: p.h})
	pitch := 1.5 * p.size
	ly := y + p.size + (pitch-p.size)/2 + emAscent*p.size
	for _, sp := range p.lines {
		for _, ln := range sp.lines {
			drawLine(r, sp, ln, x+(p.w-ln.width)/2, ly)
			ly += pitch
		}
	}
}
