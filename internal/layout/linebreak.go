package layout

import (
	"slices"
	"sort"
	"unicode"

	"github.com/paiban/paiban/internal/chars"
)

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
	// scratch, when set, is reused for the line breaker's tables instead
	// of allocating them for every paragraph.
	scratch *breakScratch
}

// breakScratch is one line-setting worker's memory for breaking
// paragraphs: the prefix sums and the total-fit table, about 100 bytes
// an atom, needed only while a paragraph's breaks are found.
type breakScratch struct {
	sums prefix
	fit  [][2]fitState
}

// fitState is the best way found to set the text before an atom: its
// summed cost and where its last line starts.
type fitState struct {
	cost  float64
	from  int // start of the line ending here
	fromQ bool
	ok    bool
}

// line is one set line: atoms [start, end) with their cell starts and
// widths, x relative to the measure's left edge.
type line struct {
	start, end int
	x, w       []float64 // per atom in the line: cell start and cell width
	shift      []float64 // per atom: glyph origin relative to the cell start
	width      float64   // right edge of the last cell
}

// breakLines sets a paragraph. Break points are chosen for the whole
// paragraph at once (total fit, in the spirit of Knuth and Plass 1981):
// each line costs the square of how far its spacing departs from natural,
// squeezing punctuation (push-in, 挤进) is cheaper than spreading
// characters (push-out, 推出) as clreq §3.5.2 asks, and a last line
// holding a single Han character (孤字, clreq §3.4.4) costs a lot.
// Justification then distributes each line's slack (docs/typesetting.md §3).
func breakLines(p paragraph) []line {
	n := len(p.atoms)
	if n == 0 {
		return nil
	}
	sums := newPrefix(&p)
	bounds, _ := totalFit(&p, &sums)
	lines := make([]line, len(bounds))
	for i, bd := range bounds {
		last := i == len(bounds)-1 || p.atoms[bd[1]].hardBreak
		lines[i] = setLine(p, bd[0], bd[1], p.avail(i == 0), p.justify && !last)
	}
	return lines
}

// Line costs. A line whose every gap grows by a quarter em, or whose
// marks are squeezed to half their width, costs 1 (stretch) or
// squeezeWeight (squeeze) before squaring.
const (
	lineCost       = 0.01 // per line: prefer fewer lines
	squeezeWeight  = 0.2  // push-in before push-out (clreq §3.5.2)
	squeezedPair   = 0.3  // two squeezed lines in a row look cramped
	raggedCost     = 100  // a justified line that cannot stretch
	runtCost       = 50   // 孤字
	overfullCost   = 1e4  // a unit wider than the measure
	stretchComfort = 0.25 // em of extra space per slot that costs 1
	lineWindow     = 8    // ems short of the measure a line is still tried at
)

// totalFit returns the [start, end) of every line minimising the summed
// line costs, and that sum. States are (line end, whether that line was
// squeezed).
func totalFit(p *paragraph, sums *prefix) ([][2]int, float64) {
	n := len(p.atoms)
	var best [][2]fitState
	if p.scratch != nil {
		best = slices.Grow(p.scratch.fit[:0], n+1)[:n+1]
		clear(best)
		p.scratch.fit = best
	} else {
		best = make([][2]fitState, n+1)
	}
	best[0][0] = fitState{ok: true}
	for s := 0; s < n; s++ {
		if !best[s][0].ok && !best[s][1].ok {
			continue
		}
		// A line's fit does not depend on how the line before it was
		// set: each candidate is measured once and offered to both
		// states (a squeezed line after a squeezed one costs more).
		relax := func(e int, c float64, squeezed bool) {
			for q := range 2 {
				if !best[s][q].ok {
					continue
				}
				qq, total := 0, best[s][q].cost+c+lineCost
				if squeezed {
					qq = 1
					if q == 1 {
						total += squeezedPair
					}
				}
				// Ties go to the later start, i.e. fuller earlier lines.
				if st := &best[e][qq]; !st.ok || total <= st.cost {
					*st = fitState{cost: total, from: s, fromQ: q == 1, ok: true}
				}
			}
		}
		avail := p.avail(s == 0)
		found := false
		// Lines with more than lineWindow ems to spare cost more than
		// any alternative worth having (except a short last line), so
		// the search starts near the measure: this keeps the work linear
		// in the paragraph's length rather than its length times the
		// measure. Around a wide unit that cannot be stretched (a URL,
		// inline code) a line may have to give up the unit's width to
		// spare the next line a hole, so the window grows by it.
		from := s + 1
		if end := sums.forced[s]; sums.w[end]-sums.w[s] > avail {
			from = max(from, sort.SearchFloat64s(sums.w, sums.w[s]+avail-sums.window))
			if c, squeezed, ok := lineFit(p, sums, s, end, avail); ok && end < from {
				relax(end, c, squeezed)
			}
		}
		for e := from; e <= n; e++ {
			if !canEnd(sums, e) {
				continue
			}
			c, squeezed, ok := lineFit(p, sums, s, e, avail)
			if !ok {
				break
			}
			found = true
			relax(e, c, squeezed)
			if sums.ends[e]&endHard != 0 {
				break
			}
		}
		if !found {
			relax(emergencyBreak(p, sums, s, avail), overfullCost, false)
		}
	}
	q := 0
	if best[n][1].ok && (!best[n][0].ok || best[n][1].cost < best[n][0].cost) {
		q = 1
	}
	var bounds [][2]int
	cost := best[n][q].cost
	for e := n; e > 0; {
		st := best[e][q]
		bounds = append(bounds, [2]int{st.from, e})
		e, q = st.from, 0
		if st.fromQ {
			q = 1
		}
	}
	for i, j := 0, len(bounds)-1; i < j; i, j = i+1, j-1 {
		bounds[i], bounds[j] = bounds[j], bounds[i]
	}
	return bounds, cost
}

// lineFit prices the line [s, e). ok is false when it cannot be set even
// with full squeezing; longer lines then cannot either.
func lineFit(p *paragraph, sums *prefix, s, e int, avail float64) (cost float64, squeezed, ok bool) {
	last := sums.ends[e]&endLast != 0
	slack := avail - natural(sums, s, e)
	if slack < -eps {
		capacity := shrinkable(p, sums, s, e)
		if !p.justify || -slack > capacity+eps {
			return 0, false, false
		}
		r := -slack / capacity
		return squeezeWeight * r * r, true, true
	}
	if last {
		if e-s < len(p.atoms) && sums.han[e]-sums.han[s] == 1 {
			return runtCost, false, true
		}
		return 0, false, true
	}
	if !p.justify || slack <= eps {
		return 0, false, true
	}
	return stretchCost(p, sums, s, e, slack), false, true
}

// stretchCost prices spreading slack over the line [s, e) the way stretch
// does: each kind of slot costs the square of what one of its slots gains,
// in quarter ems, so that a line is priced by the holes it shows.
func stretchCost(p *paragraph, sums *prefix, s, e int, slack float64) float64 {
	// Slots strictly inside the line: before atoms s+1 … e-1.
	from, to := &sums.slot[s+1], &sums.slot[e]
	unit := stretchComfort * p.em
	cost := 0.0
	for k := range slotChar {
		if n := to.n[k] - from.n[k]; n > 0 {
			t := min(slack, to.room[k]-from.room[k])
			slack -= t
			r := t / float64(n) / unit
			cost += r * r
		}
	}
	if slack <= eps {
		return cost
	}
	rest := to.n[slotChar] - from.n[slotChar]
	if rest == 0 {
		// No slot between characters: the spaces take the rest, past
		// their limits (stretch's last resort).
		rest = to.n[slotWordSpace] - from.n[slotWordSpace] + to.n[slotHanLatin] - from.n[slotHanLatin]
	}
	r := slack / unit
	if rest == 0 {
		// A ragged line shows its slack as one hole at its end: never
		// cheaper than a line that spreads it (a line of one character
		// beside a wide code span is no way out).
		return cost + max(raggedCost, r*r)
	}
	r /= float64(rest)
	return cost + r*r
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
	slot           []slotSums
	// forced[s] is where a line starting at s must end at the latest: the
	// next hard line break or the paragraph's end.
	forced []int
	// What candidate lines ask of the atoms at their ends, kept apart
	// from the atoms (160 bytes each) for the line search to read:
	// trimL[s] and trimR[e] are what a line [s, e) loses at its left and
	// right edge (see natural), ends[e] whether a line may end before
	// atom e, and han[i] the atoms before atom i that count as characters
	// for 孤字 (countsAsChar).
	trimL, trimR []float64
	ends         []endFlags
	han          []int32
	window       float64 // see totalFit: lineWindow, or more around a wide unit that cannot be stretched
}

// slotSums counts the slots of each kind before an atom, and sums what
// the spaces among them may grow by before the last resort.
type slotSums struct {
	n    [slotKinds]int32
	room [slotChar]float64
}

// endFlags say what a line ending before an atom would be.
type endFlags uint8

const (
	endAllowed endFlags = 1 << iota // canEnd
	endHard                         // a hard line break follows
	endLast                         // the paragraph's or a hard break's last line
)

func newPrefix(p *paragraph) prefix {
	n := len(p.atoms)
	var s prefix
	if p.scratch != nil {
		s = p.scratch.sums
	}
	// Every element is written below, from the zero at index 0.
	s.w, s.gap, s.shrink = slices.Grow(s.w[:0], n+1)[:n+1], slices.Grow(s.gap[:0], n+1)[:n+1], slices.Grow(s.shrink[:0], n+1)[:n+1]
	s.forced = slices.Grow(s.forced[:0], n)[:n]
	s.slot = slices.Grow(s.slot[:0], n+1)[:n+1]
	s.slot[0] = slotSums{}
	widest, run := 0.0, 0.0 // the widest run of atoms without a slot
	s.trimL, s.trimR = slices.Grow(s.trimL[:0], n+1)[:n+1], slices.Grow(s.trimR[:0], n+1)[:n+1]
	s.ends, s.han = slices.Grow(s.ends[:0], n+1)[:n+1], slices.Grow(s.han[:0], n+1)[:n+1]
	s.w[0], s.gap[0], s.shrink[0], s.han[0] = 0, 0, 0, 0
	s.trimL[n], s.trimR[0] = 0, 0
	s.ends[n] = endAllowed | endLast
	if p.scratch != nil {
		p.scratch.sums = s
	}
	for i := range p.atoms {
		a := &p.atoms[i]
		s.w[i+1] = s.w[i] + a.width
		s.gap[i+1] = s.gap[i] + a.gap
		s.shrink[i+1] = s.shrink[i] + atomShrink(a, p.em) + gapShrink(a, p.em)
		s.slot[i+1] = s.slot[i]
		if i > 0 {
			if k := slotOf(p.atoms, i); k != slotNone {
				s.slot[i+1].n[k]++
				if k < slotChar {
					s.slot[i+1].room[k] += slotRoom(a, k, p.em)
				}
				run = 0
			}
		}
		run += a.width
		widest = max(widest, run)
		s.trimL[i], s.trimR[i+1] = 0, 0
		if a.cls == chars.Open {
			s.trimL[i] = a.blankL
		}
		if chars.BlankRight(a.cls) {
			s.trimR[i+1] = a.blankR
		}
		s.ends[i] = 0
		if a.breakBefore {
			s.ends[i] |= endAllowed
		}
		if a.hardBreak {
			s.ends[i] |= endHard | endLast
		}
		s.han[i+1] = s.han[i]
		if countsAsChar(a) {
			s.han[i+1]++
		}
	}
	s.window = max(lineWindow*p.em, widest+lineWindow/2*p.em)
	next := n
	for i := n - 1; i >= 0; i-- {
		s.forced[i] = next
		if p.atoms[i].hardBreak {
			next = i
		}
	}
	return s
}

// atomShrink is how much a mark's cell may give up when a line is squeezed
// (clreq §3.5.3 c–e). Sentence-final 。？！ are not squeezed.
func atomShrink(a *atom, _ float64) float64 {
	switch a.cls {
	case chars.Open:
		return a.blankL
	case chars.Close, chars.Pause:
		return a.blankR
	}
	return 0
}

// gapShrink is how much the space before an atom may shrink: word spaces
// to 0.25 em, Han–Latin gaps to 0.125 em (docs/typesetting.md §3.3).
func gapShrink(a *atom, em float64) float64 {
	switch a.gapKind {
	case gapWordSpace:
		return max(0, a.gap-0.25*em)
	case gapHanLatin:
		return max(0, a.gap-0.125*em)
	}
	return 0
}

// natural is the line's natural width. Its ends lose their blank halves:
// an opening mark that starts a line its left one, a mark that ends a
// line its right one (docs/typesetting.md §2.4).
func natural(sums *prefix, s, e int) float64 {
	return sums.w[e] - sums.w[s] + sums.gap[e] - sums.gap[s+1] - (sums.trimL[s] + sums.trimR[e])
}

// shrinkable is the total the span can give up, excluding what the edge
// trims already took.
func shrinkable(p *paragraph, sums *prefix, s, e int) float64 {
	t := sums.shrink[e] - sums.shrink[s] - gapShrink(&p.atoms[s], p.em)
	if a := &p.atoms[s]; a.cls == chars.Open {
		t -= atomShrink(a, p.em)
	}
	if a := &p.atoms[e-1]; chars.BlankRight(a.cls) {
		t -= atomShrink(a, p.em)
	}
	return t
}

// canEnd reports whether a line may end before atom e.
func canEnd(sums *prefix, e int) bool { return sums.ends[e]&endAllowed != 0 }

// emergencyBreak handles a unit wider than the measure (a long URL or
// word): break it between characters where it overflows, so no glyph
// crosses the right edge (docs/typesetting.md §1.6, last point).
func emergencyBreak(p *paragraph, sums *prefix, s int, avail float64) int {
	for e := s + 1; e < len(p.atoms); e++ {
		if sums.w[e+1]-sums.w[s]+sums.gap[e+1]-sums.gap[s+1] > avail+eps {
			return e
		}
	}
	return len(p.atoms)
}

// countsAsChar reports whether a counts as a character for 孤字: a Han
// character, a Latin letter or a digit.
func countsAsChar(a *atom) bool {
	return a.cls == chars.Han || (a.cls == chars.Latin && (unicode.IsLetter(a.r) || unicode.IsDigit(a.r)))
}

// setLine positions the atoms of [s, e): edge trims, then squeezing or
// stretching to the measure when justify is set (docs/typesetting.md §3.2,
// §3.3).
func setLine(p paragraph, s, e int, avail float64, justify bool) line {
	n := e - s
	buf := make([]float64, 4*n) // one allocation for the line's four arrays
	ln := line{start: s, end: e, x: buf[:n:n], w: buf[n : 2*n : 2*n], shift: buf[2*n : 3*n : 3*n]}
	gaps := buf[3*n:] // gap before each atom; gaps[0] unused
	for i := 0; i < n; i++ {
		a := &p.atoms[s+i]
		ln.w[i], ln.shift[i] = a.width, a.shift
		if i > 0 {
			gaps[i] = a.gap
		}
	}
	if first := &p.atoms[s]; first.cls == chars.Open {
		ln.w[0] -= first.blankL
		ln.shift[0] -= first.blankL
	}
	if lastA := &p.atoms[e-1]; chars.BlankRight(lastA.cls) {
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
		a := &p.atoms[s+i]
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
		case a.cls == chars.Open && i > 0 && a.blankL > 0:
			steps[1] = append(steps[1], slot{a.blankL, func(t float64) { ln.w[i] -= t; ln.shift[i] -= t }})
		case a.cls == chars.Close && i < n-1 && a.blankR > 0:
			steps[1] = append(steps[1], slot{a.blankR, func(t float64) { ln.w[i] -= t }})
		case a.cls == chars.Pause && i < n-1 && a.blankR > 0:
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

// stretch adds amount to the line in clreq §3.5.4 order (docs/typesetting.md
// §3.2): word spaces up to half an em, Han–Latin gaps up to their quarter
// em plus an eighth (§4.1), then every other junction where a break is
// allowed, equally. No space goes after an opening mark or before a
// closing one, since no break is allowed there. Only a line with no such
// junction spreads the rest over its spaces, past their limits.
func stretch(p paragraph, s int, gaps []float64, amount float64) {
	var slots [slotKinds][]int
	for i := 1; i < len(gaps); i++ {
		if k := slotOf(p.atoms, s+i); k != slotNone {
			slots[k] = append(slots[k], i)
		}
	}
	for _, k := range []slotKind{slotWordSpace, slotHanLatin} {
		room := 0.0
		for _, i := range slots[k] {
			room += slotRoom(&p.atoms[s+i], k, p.em)
		}
		if room <= 0 {
			continue
		}
		t := min(amount, room)
		for _, i := range slots[k] {
			gaps[i] += t * slotRoom(&p.atoms[s+i], k, p.em) / room
		}
		amount -= t
	}
	if amount <= eps {
		return
	}
	rest := slots[slotChar]
	if len(rest) == 0 {
		rest = append(slots[slotWordSpace], slots[slotHanLatin]...)
	}
	for _, i := range rest {
		gaps[i] += amount / float64(len(rest))
	}
}

// slotKind is what justification may do with the junction before an atom.
type slotKind uint8

const (
	slotWordSpace slotKind = iota // a typed space: up to half an em
	slotHanLatin                  // the Han–Latin gap: up to 3/8 em
	slotChar                      // between characters: what the spaces leave
	slotKinds
	slotNone slotKind = slotKinds // never stretched
)

// Stretch limits of the spaces, in em (docs/typesetting.md §3.2, §4.1: the
// Han–Latin gap's quarter em may grow by an eighth).
const (
	wordSpaceMax = 0.5
	hanLatinMax  = 0.375
)

// slotOf says how justification may stretch the junction before atom i.
func slotOf(atoms []atom, i int) slotKind {
	switch atoms[i].gapKind {
	case gapWordSpace:
		return slotWordSpace
	case gapHanLatin:
		return slotHanLatin
	}
	if stretchSlot(atoms, i) {
		return slotChar
	}
	return slotNone
}

// slotRoom is how much the space before a may grow before the last resort.
func slotRoom(a *atom, k slotKind, em float64) float64 {
	switch k {
	case slotWordSpace:
		return max(0, wordSpaceMax*em-a.gap)
	case slotHanLatin:
		return max(0, hanLatinMax*em-a.gap)
	}
	return 0
}

// stretchSlot reports whether justification may add space before atom i:
// where a line may break, except inside a Latin run such as a URL, which
// is never letter-spaced (docs/typesetting.md §3.4), and inside inline code.
func stretchSlot(atoms []atom, i int) bool {
	a, b := &atoms[i-1], &atoms[i]
	return b.breakBefore && !(a.cls == chars.Latin && b.cls == chars.Latin && b.gapKind == gapNone) && !(a.code && b.code)
}
