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
	// shown is how many characters of the alt text the frame holds when
	// it is cut short, else -1.
	shown int
}

// placeholderWidth is the frame's width in ems of the body, at most.
const placeholderWidth = 24

// newPlaceholder sets the alt text and source of figure f in a frame at
// most avail wide and, like an image, at most maxFigureShare of the body
// tall: a longer alt text is cut short with an ellipsis.
func (ts *typesetter) newPlaceholder(f *doc.Figure, avail float64) *placeholder {
	p := &placeholder{size: ts.captionSize(), w: min(avail, placeholderWidth*ts.em), shown: -1}
	pad := p.size
	pitch := 1.5 * p.size
	set := func(t string) *setPara {
		atoms := ts.atomsOf([]doc.Inline{doc.Text(t)}, styleOf(ts.body, p.size), f.Pos)
		if len(atoms) == 0 {
			return nil
		}
		return ts.balanced(atoms, p.w-2*pad)
	}
	var alt, src *setPara
	if f.Alt != "" {
		alt = set(f.Alt)
	}
	if f.Image != nil && f.Image.Path != "" {
		src = set(f.Image.Path)
	}
	room := int((maxFigureShare*ts.bodyH - 2*pad + eps) / pitch)
	if src != nil {
		room -= len(src.lines)
	}
	if room = max(room, 1); alt != nil && len(alt.lines) > room {
		// Cut where the first line that does not fit begins, less room
		// for the ellipsis. The characters no face has were reported
		// when the whole text was set.
		runes := []rune(f.Alt)
		cut := int(alt.atoms[alt.lines[room].start].off)
		missing := len(ts.missing)
		for alt = nil; cut > 0 && (alt == nil || len(alt.lines) > room); cut -= 2 {
			p.shown = max(0, min(cut-2, len(runes)))
			alt = set(string(runes[:p.shown]) + "……")
		}
		ts.missing = ts.missing[:missing]
	}
	for _, sp := range []*setPara{alt, src} {
		if sp != nil {
			p.lines = append(p.lines, sp)
		}
	}
	n := 0
	for _, sp := range p.lines {
		n += len(sp.lines)
	}
	p.h = float64(max(n, 1))*pitch + 2*pad
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
