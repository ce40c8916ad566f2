package layout

import (
	"slices"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/fonts"
)

// FuzzLineSearch: the line search fixing lines as it goes, however often
// it looks, finds the lines of the paragraph decided whole, and they
// cover the paragraph in order. Lines of the text become hard breaks.
func FuzzLineSearch(f *testing.F) {
	f.Add("中国式现代化是人口规模巨大的现代化，“引号”——破折号……省略号（括号）、顿号；见https://example.com/a/b。", uint8(13), uint8(3))
	f.Add(strings.Repeat("汉", 300)+"\n"+strings.Repeat("Latin words 2024 ", 20), uint8(7), uint8(1))
	f.Add(strings.Repeat("一二三，", 100), uint8(30), uint8(0))
	serif, latin := testFaces(f)
	f.Fuzz(func(t *testing.T, text string, measure, every uint8) {
		if len(text) > 4000 {
			return
		}
		var missing []MissingGlyph
		b := &atomBuilder{fallback: []*fonts.Face{serif, latin}, missing: &missing, profile: ProfileGB}
		st := runStyle{faces: faceSet{cjk: serif, latin: latin}, size: 10}
		for i, l := range strings.Split(text, "\n") {
			if i > 0 {
				b.lineBreak()
			}
			b.addText(l, st)
		}
		atoms := b.finish()
		p := paragraph{atoms: atoms, measure: float64(3+measure%40) * 10, firstIndent: 20, justify: true, em: 10}
		bounds := func(fix int) ([][2]int, float64) {
			defer func(old int) { fixEvery = old }(fixEvery)
			fixEvery = fix
			var out [][2]int
			cost := fitLines(&p, windowOf(&p), func(s, e int) { out = append(out, [2]int{s, e}) })
			return out, cost
		}
		whole, wholeCost := bounds(len(atoms) + 1)
		fixed, fixedCost := bounds(1 + int(every%16))
		if !slices.Equal(fixed, whole) || fixedCost != wholeCost {
			t.Fatalf("fixed every %d atoms: %v (cost %v); decided whole: %v (cost %v)", 1+every%16, fixed, fixedCost, whole, wholeCost)
		}
		at := 0
		for _, ln := range whole {
			if ln[0] != at || ln[1] <= ln[0] {
				t.Fatalf("line %v after atom %d: the lines do not cover the paragraph in order", ln, at)
			}
			at = ln[1]
		}
		if at != len(atoms) {
			t.Fatalf("the lines end at atom %d of %d", at, len(atoms))
		}
	})
}
