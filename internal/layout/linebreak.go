package layout

import "unicode"

// eps absorbs floating-point noise when comparing widths (points).
const eps = 1e-6

// paragraph is what the line breaker needs: atoms and the measure.
type paragraph struct {
	atoms       []atom
	measure     float64 // pt
	firstIndent float64 // pt, first line
	indent      float64 // pt, other lines (hanging indents)
	justify     bool
	em          float64 // body size, for the limits on gaps
}

// line is one set line: atoms [start, end) with their cell starts and
// widths, x relative to the measure's left edge.
type line struct {
	start, end int
	x, w       []float64 // per atom in the line: cell start and cell width
	shift      []float64 // per atom: glyph origin relative to the cell start
	width      float64   // right edge of the last cell
}

// breakLines sets a paragraph: greedy first fit with push-in (挤进)
// preferred over push-out (推出) (clreq §3.5.2; reference §1.6), then the
// 孤字 fix (clreq §3.4.4), then justification.
func breakLines(p paragraph) []line {
	n := len(p.atoms)
	if n == 0 {
		return nil
	}
	sums := newPrefix(p)
	var bounds [][2]int
	for s := 0; s < n; {
		e := nextBreak(p, sums, s, p.avail(len(bounds) == 0))
		bounds = append(bounds, [2]int{s, e})
		s = e
	}
	bounds = fixRunt(p, sums, bounds)
	lines := make([]line, len(bounds))
	for i, bd := range bounds {
		last := i == len(bounds)-1 || p.atoms[bd[1]].hardBreak
		lines[i] = setLine(p, bd[0], bd[1], p.avail(i == 0), p.justify && !last)
	}
	return lines
}

func (p paragraph) avail(first bool) float64 {
	if first {
		return p.measure - p.firstIndent
	}
	return p.measure - p.indent
}

// prefix holds running sums so that the natural width and the shrink of
// any span cost O(1).
type prefix struct {
	w, gap, shrink []float64
}

func newPrefix(p paragraph) prefix {
	n := len(p.atoms)
	s := prefix{w: make([]float64, n+1), gap: make([]float64, n+1), shrink: make([]float64, n+1)}
	for i, a := range p.atoms {
		s.w[i+1] = s.w[i] + a.width
		s.gap[i+1] = s.gap[i] + a.gap
		s.shrink[i+1] = s.shrink[i] + atomShrink(a, p.em) + gapShrink(a, p.em)
	}
	return s
}

// atomShrink is how much a mark's cell may give up when a line is squeezed
// (clreq §3.5.3 c–e). Sentence-final 。？！ are not squeezed.
func atomShrink(a atom, _ float64) float64 {
	switch a.cls {
	case clsOpen:
		return a.blankL
	case clsClose, clsPause:
		return a.blankR
	}
	return 0
}

// gapShrink is how much the space before an atom may shrink: word spaces
// to 0.25 em, Han–Latin gaps to 0.125 em (reference §3.3).
func gapShrink(a atom, em float64) float64 {
	switch a.gapKind {
	case gapWordSpace:
		return max(0, a.gap-0.25*em)
	case gapHanLatin:
		return max(0, a.gap-0.125*em)
	}
	return 0
}

// edgeTrim is what the line start and end take off: an opening mark that
// starts a line loses its blank left half, a mark that ends a line its
// blank right half (reference §2.4).
func edgeTrim(p paragraph, s, e int) float64 {
	t := 0.0
	if a := p.atoms[s]; a.cls == clsOpen {
		t += a.blankL
	}
	if a := p.atoms[e-1]; blankRight(a.cls) {
		t += a.blankR
	}
	return t
}

func natural(p paragraph, sums prefix, s, e int) float64 {
	return sums.w[e] - sums.w[s] + sums.gap[e] - sums.gap[s+1] - edgeTrim(p, s, e)
}

// shrinkable is the total the span can give up, excluding what the edge
// trims already took.
func shrinkable(p paragraph, sums prefix, s, e int) float64 {
	t := sums.shrink[e] - sums.shrink[s] - gapShrink(p.atoms[s], p.em)
	if a := p.atoms[s]; a.cls == clsOpen {
		t -= atomShrink(a, p.em)
	}
	if a := p.atoms[e-1]; blankRight(a.cls) {
		t -= atomShrink(a, p.em)
	}
	return t
}

// canEnd reports whether a line may end before atom e.
func canEnd(p paragraph, e int) bool {
	return e == len(p.atoms) || p.atoms[e].breakBefore
}

// nextBreak returns the end of the line starting at s.
func nextBreak(p paragraph, sums prefix, s int, avail float64) int {
	best := -1
	for e := s + 1; e <= len(p.atoms); e++ {
		if !canEnd(p, e) {
			continue
		}
		w := natural(p, sums, s, e)
		if w <= avail+eps {
			best = e
			if e < len(p.atoms) && p.atoms[e].hardBreak {
				return e
			}
			continue
		}
		// The next unit does not fit: pull it in if squeezing absorbs the
		// overflow (push-in), else end the line before it (push-out).
		// Ragged text (headings, contents) never needs to squeeze.
		if p.justify && w-shrinkable(p, sums, s, e) <= avail+eps {
			best = e
		}
		break
	}
	if best < 0 {
		return emergencyBreak(p, sums, s, avail)
	}
	return best
}

// emergencyBreak handles a unit wider than the measure (a long URL or
// word): break it between characters where it overflows, so no glyph
// crosses the right edge (reference §3.6, last resort).
func emergencyBreak(p paragraph, sums prefix, s int, avail float64) int {
	for e := s + 1; e < len(p.atoms); e++ {
		if sums.w[e+1]-sums.w[s] > avail+eps {
			return e
		}
	}
	return len(p.atoms)
}

// fixRunt moves one unit down from the second-to-last line when the last
// line would hold a single Han character (孤字, clreq §3.4.4 item 1.1).
func fixRunt(p paragraph, sums prefix, bounds [][2]int) [][2]int {
	k := len(bounds)
	if k < 2 || p.atoms[bounds[k-1][0]].hardBreak || countHan(p.atoms[bounds[k-1][0]:bounds[k-1][1]]) != 1 {
		return bounds
	}
	prev := bounds[k-2]
	for e := prev[1] - 1; e > prev[0]+1; e-- {
		if !canEnd(p, e) {
			continue
		}
		// The last line must still fit with the moved unit.
		if natural(p, sums, e, len(p.atoms)) > p.avail(false)+eps {
			return bounds
		}
		bounds[k-2][1] = e
		bounds[k-1][0] = e
		return bounds
	}
	return bounds
}

func countHan(atoms []atom) int {
	n := 0
	for _, a := range atoms {
		if a.cls == clsHan || (a.cls == clsLatin && (unicode.IsLetter(a.r) || unicode.IsDigit(a.r))) {
			n++
		}
	}
	return n
}

// setLine positions the atoms of [s, e): edge trims, then squeezing or
// stretching to the measure when justify is set (reference §3.2, §3.3).
func setLine(p paragraph, s, e int, avail float64, justify bool) line {
	n := e - s
	ln := line{start: s, end: e, x: make([]float64, n), w: make([]float64, n), shift: make([]float64, n)}
	gaps := make([]float64, n) // gap before each atom; gaps[0] unused
	for i := 0; i < n; i++ {
		a := p.atoms[s+i]
		ln.w[i], ln.shift[i] = a.width, a.shift
		if i > 0 {
			gaps[i] = a.gap
		}
	}
	if first := p.atoms[s]; first.cls == clsOpen {
		ln.w[0] -= first.blankL
		ln.shift[0] -= first.blankL
	}
	if lastA := p.atoms[e-1]; blankRight(lastA.cls) {
		ln.w[n-1] -= lastA.blankR
	}
	width := 0.0
	for i := range n {
		width += gaps[i] + ln.w[i]
	}
	// A line that was chosen by pulling the next unit in must be squeezed
	// even when it is not justified (a paragraph's last line, a heading).
	if slack := avail - width; slack < -eps {
		squeeze(p, s, ln, gaps, -slack)
	} else if justify && slack > eps {
		stretch(p, s, gaps, slack)
	}
	x := 0.0
	for i := range n {
		x += gaps[i]
		ln.x[i] = x
		x += ln.w[i]
	}
	ln.width = x
	return ln
}

// squeeze takes amount off the line in clreq §3.5.3 order: word spaces,
// brackets and quotes, pause marks, then Han–Latin gaps.
func squeeze(p paragraph, s int, ln line, gaps []float64, amount float64) {
	n := len(gaps)
	type slot struct {
		cap  float64
		take func(float64)
	}
	var steps [4][]slot
	for i := range n {
		a := p.atoms[s+i]
		if i > 0 {
			if c := gapShrink(a, p.em); c > 0 {
				k := 0
				if a.gapKind == gapHanLatin {
					k = 3
				}
				steps[k] = append(steps[k], slot{c, func(t float64) { gaps[i] -= t }})
			}
		}
		switch {
		case a.cls == clsOpen && i > 0 && a.blankL > 0:
			steps[1] = append(steps[1], slot{a.blankL, func(t float64) { ln.w[i] -= t; ln.shift[i] -= t }})
		case a.cls == clsClose && i < n-1 && a.blankR > 0:
			steps[1] = append(steps[1], slot{a.blankR, func(t float64) { ln.w[i] -= t }})
		case a.cls == clsPause && i < n-1 && a.blankR > 0:
			steps[2] = append(steps[2], slot{a.blankR, func(t float64) { ln.w[i] -= t }})
		}
	}
	for _, step := range steps {
		total := 0.0
		for _, sl := range step {
			total += sl.cap
		}
		if total <= 0 {
			continue
		}
		t := min(amount, total)
		for _, sl := range step {
			sl.take(t * sl.cap / total)
		}
		amount -= t
		if amount <= eps {
			return
		}
	}
}

// stretch adds amount to the line in clreq §3.5.4 order: word spaces up to
// half an em, Han–Latin gaps up to half an em, then every junction where
// a break is allowed, equally. No space goes after an opening mark or
// before a closing one, since no break is allowed there.
func stretch(p paragraph, s int, gaps []float64, amount float64) {
	limitedStep := func(kind gapKind) {
		var idx []int
		room := 0.0
		for i := 1; i < len(gaps); i++ {
			if a := p.atoms[s+i]; a.gapKind == kind && gaps[i] < 0.5*p.em {
				idx = append(idx, i)
				room += 0.5*p.em - gaps[i]
			}
		}
		if room <= 0 {
			return
		}
		t := min(amount, room)
		for _, i := range idx {
			gaps[i] += t * (0.5*p.em - gaps[i]) / room
		}
		amount -= t
	}
	limitedStep(gapWordSpace)
	limitedStep(gapHanLatin)
	if amount <= eps {
		return
	}
	var slots []int
	for i := 1; i < len(gaps); i++ {
		if p.atoms[s+i].breakBefore {
			slots = append(slots, i)
		}
	}
	for _, i := range slots {
		gaps[i] += amount / float64(len(slots))
	}
}
