package layout

import (
	"cmp"
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
	// offset is how many atoms of the paragraph come before atoms: the
	// line search sees the rest of a long paragraph once the lines
	// before it are fixed (fitLines).
	offset int
	// scratch, when set, is reused for the line breaker's tables instead
	// of allocating them for every paragraph.
	scratch *breakScratch
}

// breakScratch is one line-setting worker's memory for breaking
// paragraphs: the prefix sums and the total-fit table, about 100 bytes
// an atom of the stretch of paragraph whose lines are not yet fixed.
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

// breakLines sets a paragraph (eachLine) and returns its lines.
func breakLines(p paragraph) []line {
	var lines []line
	eachLine(p, func(_ int, ln line) { lines = append(lines, ln) })
	return lines
}

// eachLine sets a paragraph, handing each line to set as soon as it is
// fixed, so that a paragraph of millions of characters need not hold
// all its lines. Break points are chosen for the whole paragraph at once
// (total fit, in the spirit of Knuth and Plass 1981): each line costs the
// square of how far its spacing departs from natural, squeezing
// punctuation (push-in, 挤进) is cheaper than spreading characters
// (push-out, 推出) as clreq §3.5.2 asks, and a last line holding a single
// Han character (孤字, clreq §3.4.4) costs a lot. Justification then
// distributes each line's slack (docs/typesetting.md §3).
func eachLine(p paragraph, set func(i int, ln line)) {
	i := 0
	fitLines(&p, windowOf(&p), func(s, e int) {
		last := e == len(p.atoms) || p.atoms[e].hardBreak
		set(i, setLine(p, s, e, p.avail(s == 0), p.justify && !last))
		i++
	})
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

// fixEvery is how many atoms the line search passes between looks for
// lines that no later break can change. Most paragraphs are shorter and
// are decided whole, at their end. (A variable so that tests can look
// after every atom.)
var fixEvery = 4096

// fitLines finds the [start, end) of every line minimising the summed line
// costs and returns that sum; emit receives the lines in order. States are
// (line end, whether that line was squeezed). window is how far short of
// the measure a line is still tried (windowOf).
//
// Every fixEvery atoms the search looks for a state that every way still
// open passes through: the lines before it can no longer change, so they
// are emitted and the tables before it dropped (p.offset counts the
// atoms dropped). The sums are the same running totals as in one pass, so
// the breaks are the same as when the paragraph is decided whole; the
// memory is that of the undecided stretch, not of the paragraph.
func fitLines(whole *paragraph, window float64, emit func(s, e int)) float64 {
	ls := &lineSearch{p: *whole, window: window, emit: emit}
	ls.sums = startPrefix(&ls.p)
	if scratch := whole.scratch; scratch != nil {
		ls.best = scratch.fit[:0]
		defer func() { scratch.fit = ls.best[:0] }()
	}
	ls.best = slices.Grow(ls.best, min(len(whole.atoms), 2*fixEvery)+1)
	ls.sums.extend(&ls.p, 0)
	ls.grow()
	ls.best[0][0] = fitState{ok: true}
	nextFix := fixEvery
	for s := 0; s < len(ls.p.atoms); s++ {
		if s >= nextFix {
			s = ls.fix(s)
			nextFix = s + fixEvery
		}
		if ls.best[s][0].ok || ls.best[s][1].ok {
			ls.tryLinesFrom(s)
		}
	}
	n := len(ls.p.atoms)
	q := 0
	if ls.best[n][1].ok && (!ls.best[n][0].ok || ls.best[n][1].cost < ls.best[n][0].cost) {
		q = 1
	}
	fixLines(&ls.p, ls.best, fixedAt{n, q}, emit)
	return ls.best[n][q].cost
}

// lineSearch is fitLines' state. p.atoms start at the latest fixed line
// start, and sums and best are indexed from there.
type lineSearch struct {
	p      paragraph
	sums   *prefix
	best   [][2]fitState
	window float64
	hard   int // the next hard break after the start being tried, or the end
	emit   func(s, e int)
}

// grow makes best cover the atoms the sums do.
func (ls *lineSearch) grow() {
	if k := ls.sums.top + 1 - len(ls.best); k > 0 {
		ls.best = slices.Grow(ls.best, k)[:ls.sums.top+1]
		clear(ls.best[len(ls.best)-k:])
	}
}

// fix emits the lines that no later break can change, if there are any,
// and drops them from the search; it returns s counted from the new start.
func (ls *lineSearch) fix(s int) int {
	c := fixedState(ls.best, s)
	if c.at == 0 {
		return s
	}
	fixLines(&ls.p, ls.best, c, ls.emit)
	k := c.at
	ls.p.atoms, ls.p.offset = ls.p.atoms[k:], ls.p.offset+k
	ls.sums.drop(k)
	ls.best = ls.best[:copy(ls.best, ls.best[k:])]
	for i := range ls.best {
		ls.best[i][0].from -= k
		ls.best[i][1].from -= k
	}
	ls.hard -= k
	// No state between s and a later fixed one is reached.
	return max(s-k, 0)
}

// tryLinesFrom offers every line that may start at s to the states at
// its end.
func (ls *lineSearch) tryLinesFrom(s int) {
	p, sums := &ls.p, ls.sums
	n := len(p.atoms)
	avail := p.avail(p.offset+s == 0)
	found := false
	// Lines with more than window to spare cost more than any
	// alternative worth having (except a short last line), so the search
	// starts near the measure: this keeps the work linear in the
	// paragraph's length rather than its length times the measure.
	// Around a wide unit that cannot be stretched (a URL, inline code) a
	// line may have to give up the unit's width to spare the next line a
	// hole, so the window grows by it (windowOf).
	sums.reach(p, s, avail)
	ls.grow()
	if ls.hard <= s {
		for ls.hard = s + 1; ls.hard < n && !p.atoms[ls.hard].hardBreak; ls.hard++ {
		}
	}
	from := s + 1
	if end := ls.hard; end > sums.top || sums.w[end]-sums.w[s] > avail {
		// The sums reach past avail: the search finds its place.
		from = max(from, sort.SearchFloat64s(sums.w[:sums.top+1], sums.w[s]+avail-ls.window))
		if end < from {
			if c, squeezed, ok := lineFit(p, sums, s, end, avail); ok {
				ls.relax(s, end, c, squeezed)
			}
		}
	}
	for e := from; e <= n; e++ {
		if e >= sums.top && e < n {
			sums.extend(p, e)
			ls.grow()
		}
		// Past where even a squeezed line is too wide no line ends. A
		// squeezed line [s, e) is no narrower than its atoms but the last
		// less all they and the spaces before them may give up (the last
		// atom, trimmed at the line's end, keeps no less than nothing; no
		// blank is wider than its cell), which only grows with e.
		// (Without this a run with no break, one long word, was searched
		// to its end from each of its atoms.)
		if sums.w[e-1]-sums.w[s]-(sums.shrink[e-1]-sums.shrink[s]) > avail+eps {
			break
		}
		if !canEnd(sums, e) {
			continue
		}
		c, squeezed, ok := lineFit(p, sums, s, e, avail)
		if !ok {
			break
		}
		found = true
		ls.relax(s, e, c, squeezed)
		if sums.ends[e]&endHard != 0 {
			break
		}
	}
	if !found {
		e := emergencyBreak(p, sums, s, avail)
		ls.grow()
		ls.relax(s, e, overfullCost, false)
	}
}

// relax offers the line [s, e), costing c, to the states at e. A line's
// fit does not depend on how the line before it was set: each candidate
// is measured once and offered after both states at s (a squeezed line
// after a squeezed one costs more).
func (ls *lineSearch) relax(s, e int, c float64, squeezed bool) {
	for q := range 2 {
		if !ls.best[s][q].ok {
			continue
		}
		qq, total := 0, ls.best[s][q].cost+c+lineCost
		if squeezed {
			qq = 1
			if q == 1 {
				total += squeezedPair
			}
		}
		// Ties go to the later start, i.e. fuller earlier lines.
		if st := &ls.best[e][qq]; !st.ok || total <= st.cost {
			*st = fitState{cost: total, from: s, fromQ: q == 1, ok: true}
		}
	}
}

// fixedAt is a state of the line search: lines end before atom at, the
// last of them squeezed when q is 1.
type fixedAt struct{ at, q int }

// maxLag is how far the line search may look back for a state every way
// still open passes through before it settles for the way of the
// cheapest open state (fixedState).
const maxLag = 65536

// fixedState returns the latest state that every way of setting the rest
// of the paragraph passes through, once the lines starting before s have
// all been tried: each such way continues some state at s or later, and
// those states' lines lead back to it. at is 0 when there is none yet.
//
// Ways that run apart for longer than maxLag atoms (a run of identical
// characters, where lines of equal cost can be shuffled without end)
// would keep the whole paragraph undecided. The state maxLag/2 back on
// the way to the cheapest open state is then taken, and the ways that do
// not pass through it are closed: the paragraph may then differ from one
// decided whole, but only where the ways were near ties that far back.
func fixedState(best [][2]fitState, s int) fixedAt {
	var open []fixedAt
	for e := s; e < len(best); e++ {
		for q := range 2 {
			if best[e][q].ok {
				open = append(open, fixedAt{e, q})
			}
		}
	}
	if len(open) == 0 {
		return fixedAt{}
	}
	cheapest := open[0] // open states lie within a line of each other
	for _, st := range open {
		if best[st.at][st.q].cost < best[cheapest.at][cheapest.q].cost {
			cheapest = st
		}
	}
	// Step the latest state back a line until all meet. open is kept in
	// order, the latest last, each state once.
	for len(open) > 1 {
		latest := open[len(open)-1]
		if latest.at == 0 {
			return fixedAt{}
		}
		if latest.at < s-maxLag {
			return settle(best, s, cheapest)
		}
		open = open[:len(open)-1]
		prev := back(best, latest)
		if i, found := slices.BinarySearchFunc(open, prev, compareStates); !found {
			open = slices.Insert(open, i, prev)
		}
	}
	return open[0]
}

// compareStates orders states by where their line ends, then by q.
func compareStates(a, b fixedAt) int { return cmp.Or(a.at-b.at, a.q-b.q) }

// back is the state before st's last line.
func back(best [][2]fitState, st fixedAt) fixedAt {
	f := best[st.at][st.q]
	if f.fromQ {
		return fixedAt{f.from, 1}
	}
	return fixedAt{f.from, 0}
}

// settle takes the state maxLag/2 before s on the way to the state
// cheapest, and closes every state at s or later whose way does not pass
// through it (fixedState).
func settle(best [][2]fitState, s int, cheapest fixedAt) fixedAt {
	c := cheapest
	for c.at > s-maxLag/2 {
		c = back(best, c)
	}
	for e := s; e < len(best); e++ {
		for q := range 2 {
			if !best[e][q].ok {
				continue
			}
			st := fixedAt{e, q}
			for st.at > c.at {
				st = back(best, st)
			}
			if st != c {
				best[e][q].ok = false
			}
		}
	}
	return c
}

// fixLines emits the lines that lead to the state end, from the start of
// p.atoms, in order and counted from the paragraph's first atom.
func fixLines(p *paragraph, best [][2]fitState, end fixedAt, emit func(s, e int)) {
	var bounds [][2]int
	for st := end; st.at > 0; {
		prev := back(best, st)
		bounds = append(bounds, [2]int{prev.at, st.at})
		st = prev
	}
	for i := len(bounds) - 1; i >= 0; i-- {
		emit(p.offset+bounds[i][0], p.offset+bounds[i][1])
	}
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
		whole := p.offset == 0 && e-s == len(p.atoms)
		if !whole && sums.han[e]-sums.han[s] == 1 {
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
// any span cost O(1). It covers the atoms the line search has reached
// (extend): entry i is complete for i < top, and entry top too once top
// is the paragraph's end.
type prefix struct {
	w, gap, shrink []float64
	slot           []slotSums
	// What candidate lines ask of the atoms at their ends, kept apart
	// from the atoms (160 bytes each) for the line search to read:
	// trimL[s] and trimR[e] are what a line [s, e) loses at its left and
	// right edge (see natural), ends[e] whether a line may end before
	// atom e, and han[i] the atoms before atom i that count as characters
	// for 孤字 (countsAsChar).
	trimL, trimR []float64
	ends         []endFlags
	han          []int32
	top          int // atoms summed
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

// newPrefix returns the sums of all of p's atoms.
func newPrefix(p *paragraph) *prefix {
	s := startPrefix(p)
	s.extend(p, len(p.atoms))
	return s
}

// startPrefix returns sums of no atoms yet, in the scratch memory when p
// has it.
func startPrefix(p *paragraph) *prefix {
	s := &prefix{}
	if p.scratch != nil {
		s = &p.scratch.sums
	}
	// Room for the stretch the search will hold: a short text's sums
	// are allocated once, a long paragraph's grow past it as needed.
	n := min(len(p.atoms), 2*fixEvery) + 1
	s.w, s.gap, s.shrink = append(slices.Grow(s.w[:0], n), 0), append(slices.Grow(s.gap[:0], n), 0), append(slices.Grow(s.shrink[:0], n), 0)
	s.slot, s.han = append(slices.Grow(s.slot[:0], n), slotSums{}), append(slices.Grow(s.han[:0], n), 0)
	s.trimL, s.trimR = append(slices.Grow(s.trimL[:0], n), 0), append(slices.Grow(s.trimR[:0], n), 0)
	s.ends = append(slices.Grow(s.ends[:0], n), 0)
	s.top = 0
	if len(p.atoms) == 0 {
		s.ends[0] = endAllowed | endLast
	}
	return s
}

// extend sums the atoms up to at least e (all when e is past the end),
// a few hundred at a time.
func (s *prefix) extend(p *paragraph, e int) {
	if e < s.top {
		return // summed already
	}
	n := len(p.atoms)
	to := min(n, max(e+1, s.top+512))
	for i := s.top; i < to; i++ {
		a := &p.atoms[i]
		sl := s.slot[i]
		if p.offset+i > 0 {
			if k := slotOf(p.atoms, i); k != slotNone {
				sl.n[k]++
				if k < slotChar {
					sl.room[k] += slotRoom(a, k, p.em)
				}
			}
		}
		s.trimL[i], s.ends[i] = 0, 0
		if a.cls == chars.Open {
			s.trimL[i] = a.blankL()
		}
		if a.breakBefore {
			s.ends[i] |= endAllowed
		}
		if a.hardBreak {
			s.ends[i] |= endHard | endLast
		}
		trimR := 0.0
		if chars.BlankRight(a.cls) {
			trimR = a.blankR()
		}
		han := s.han[i]
		if countsAsChar(a) {
			han++
		}
		s.w = append(s.w, s.w[i]+a.width)
		s.gap = append(s.gap, s.gap[i]+a.gap)
		s.shrink = append(s.shrink, s.shrink[i]+atomShrink(a, p.em)+gapShrink(a, p.em))
		s.slot = append(s.slot, sl)
		s.trimL, s.trimR, s.ends = append(s.trimL, 0), append(s.trimR, trimR), append(s.ends, 0)
		s.han = append(s.han, han)
	}
	s.top = to
	if to == n {
		s.ends[n] = endAllowed | endLast
	}
}

// reach sums the atoms until those after s are wider than width, or to
// the end.
func (s *prefix) reach(p *paragraph, from int, width float64) {
	for s.top < len(p.atoms) && s.w[s.top]-s.w[from] <= width {
		s.extend(p, s.top)
	}
}

// drop forgets the first k atoms' sums: entry k becomes entry 0. The sums
// keep their values, so differences are the same as before.
func (s *prefix) drop(k int) {
	s.w = s.w[:copy(s.w, s.w[k:])]
	s.gap = s.gap[:copy(s.gap, s.gap[k:])]
	s.shrink = s.shrink[:copy(s.shrink, s.shrink[k:])]
	s.slot = s.slot[:copy(s.slot, s.slot[k:])]
	s.trimL = s.trimL[:copy(s.trimL, s.trimL[k:])]
	s.trimR = s.trimR[:copy(s.trimR, s.trimR[k:])]
	s.ends = s.ends[:copy(s.ends, s.ends[k:])]
	s.han = s.han[:copy(s.han, s.han[k:])]
	s.top -= k
}

// windowOf is how far short of the measure fitLines tries a line:
// lineWindow ems, or half that beyond the widest run of atoms without a
// slot to stretch (a URL, a code span).
func windowOf(p *paragraph) float64 {
	widest, run := 0.0, 0.0
	for i := range p.atoms {
		if i > 0 && slotOf(p.atoms, i) != slotNone {
			run = 0
		}
		run += p.atoms[i].width
		widest = max(widest, run)
	}
	return max(lineWindow*p.em, widest+lineWindow/2*p.em)
}

// atomShrink is how much a mark's cell may give up when a line is squeezed
// (clreq §3.5.3 c–e). Sentence-final 。？！ are not squeezed.
func atomShrink(a *atom, _ float64) float64 {
	switch a.cls {
	case chars.Open:
		return a.blankL()
	case chars.Close, chars.Pause:
		return a.blankR()
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
		sums.extend(p, e+1)
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
		ln.w[0] -= first.blankL()
		ln.shift[0] -= first.blankL()
	}
	if lastA := &p.atoms[e-1]; chars.BlankRight(lastA.cls) {
		ln.w[n-1] -= lastA.blankR()
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
		case a.cls == chars.Open && i > 0 && a.blankL() > 0:
			steps[1] = append(steps[1], slot{a.blankL(), func(t float64) { ln.w[i] -= t; ln.shift[i] -= t }})
		case a.cls == chars.Close && i < n-1 && a.blankR() > 0:
			steps[1] = append(steps[1], slot{a.blankR(), func(t float64) { ln.w[i] -= t }})
		case a.cls == chars.Pause && i < n-1 && a.blankR() > 0:
			steps[2] = append(steps[2], slot{a.blankR(), func(t float64) { ln.w[i] -= t }})
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
