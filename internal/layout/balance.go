package layout

import (
	"math"
	"slices"

	"github.com/paiban/paiban/internal/chars"
)

// balancedLines is the most lines balanced evens out: past a few lines
// the eye no longer compares their lengths, and minMaxSplit's time grows
// with the cube of the text's length, so a heading of thousands of
// characters would take minutes.
const balancedLines = 8

// balanced sets a ragged multi-line text (a heading) in as many lines as
// it needs, with the break points that make the longest line shortest.
// Breaks after punctuation, then between words (in a line more if need
// be), are preferred when such a split exists and leaves no stub line, so
// that a heading is not cut inside a phrase or a word (issue 18, item 15).
// Longer texts keep the line breaker's lines.
func (ts *typesetter) balanced(atoms []atom, measure float64) *setPara {
	sp := ts.setText(atoms, measure, 0, 0, false)
	n := len(sp.lines)
	if n < 2 || n > balancedLines {
		return sp
	}
	// Breaks after punctuation are tried first, then also between words,
	// then anywhere.
	tries := []func([]atom) []atom{breaksAfterPunctuation, breaksBetweenWords, slices.Clone[[]atom]}
	for i, try := range tries {
		cand := try(atoms)
		if cand == nil {
			continue
		}
		p := paragraph{atoms: cand, measure: measure, em: ts.em}
		ends := minMaxSplit(p, n)
		if ends == nil && i == 1 {
			// A line more rather than a word cut in two.
			ends = minMaxSplit(p, n+1)
		}
		if ends == nil {
			continue
		}
		out := &setPara{atoms: cand}
		s := 0
		shortest, widest := math.Inf(1), 0.0
		for _, end := range ends {
			ln := setLine(p, s, end, measure, false)
			out.lines = append(out.lines, ln)
			shortest, widest = min(shortest, ln.width), max(widest, ln.width)
			s = end
		}
		// A split that leaves a stub (一、 alone) is worse than a break
		// inside a phrase.
		if i == len(tries)-1 || shortest >= widest/3 {
			return out
		}
	}
	return sp
}

// breaksBetweenWords returns a copy of atoms that may not break inside a
// word of a run of Han characters (see words.go), or nil when that takes
// no break away.
func breaksBetweenWords(atoms []atom) []atom {
	var out []atom
	for i := 0; i < len(atoms); {
		j := i
		for j < len(atoms) && ideograph(&atoms[j]) {
			j++
		}
		if j-i < 2 {
			i = j + 1
			continue
		}
		runes := make([]rune, j-i)
		for k := range runes {
			runes[k] = atoms[i+k].r
		}
		for k, start := range wordStarts(runes) {
			if !start && atoms[i+k].breakBefore {
				if out == nil {
					out = slices.Clone(atoms)
				}
				out[i+k].breakBefore = false
			}
		}
		i = j
	}
	return out
}

// breaksAfterPunctuation returns a copy of atoms that may break only after
// a pause, stop or closing mark (，、；：。？！”》）), or nil when there is
// no such place.
func breaksAfterPunctuation(atoms []atom) []atom {
	out := append([]atom(nil), atoms...)
	found := false
	for i := 1; i < len(out); i++ {
		after := out[i-1].cls
		ok := out[i].breakBefore && chars.BlankRight(after)
		found = found || ok
		out[i].breakBefore = ok
	}
	if !found {
		return nil
	}
	return out
}

// minMaxSplit splits p into exactly n lines, each within the measure, so
// that the widest line is as narrow as possible. It returns the line ends,
// or nil when no such split exists. The dynamic programme takes n times
// the square of the candidate ends: callers keep n small.
func minMaxSplit(p paragraph, n int) []int {
	sums := newPrefix(&p)
	var ends []int // candidate line ends, ascending
	for e := 1; e <= len(p.atoms); e++ {
		if canEnd(sums, e) {
			ends = append(ends, e)
		}
	}
	inf := math.Inf(1)
	// best[k][i]: narrowest widest line setting atoms[:ends[i]] in k+1 lines.
	best := make([][]float64, n)
	from := make([][]int, n)
	for k := range best {
		best[k] = make([]float64, len(ends))
		from[k] = make([]int, len(ends))
		for i := range ends {
			best[k][i], from[k][i] = inf, -1
			if k == 0 {
				if w := natural(sums, 0, ends[i]); w <= p.measure+eps {
					best[0][i] = w
				}
				continue
			}
			for j := 0; j < i; j++ {
				if best[k-1][j] == inf {
					continue
				}
				w := natural(sums, ends[j], ends[i])
				if w > p.measure+eps {
					continue
				}
				if m := max(best[k-1][j], w); m < best[k][i] {
					best[k][i], from[k][i] = m, j
				}
			}
		}
	}
	last := len(ends) - 1
	if last < 0 || best[n-1][last] == inf {
		return nil
	}
	out := make([]int, n)
	for k, i := n-1, last; k >= 0; k-- {
		out[k] = ends[i]
		i = from[k][i]
	}
	return out
}
