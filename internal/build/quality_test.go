package build

import (
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/style"
)

// The documents the reading-quality tests set: the article, and a dense
// mixed one of our own (numbers with units and %, inline code, URLs, a
// quotation, a code block, long headings).
var qualityDocs = []string{
	filepath.Join(root, "source", "xinzhi-shengchanli.md"),
	filepath.Join(root, "testdata", "mixed", "dense.md"),
}

// Spacing limits, in em, stated here apart from the engine's constants
// (docs/typesetting.md §3.2, §3.3, §4.1): a Han–Latin gap is a quarter em, shrunk
// to no less than an eighth and stretched by no more than an eighth.
const (
	hanLatinLeast = 0.125
	hanLatinMost  = 0.375
	// The quality limit of docs/typesetting.md §3.2: a slot stretched by more
	// than a quarter em makes a loose line.
	looseSlot = 0.25
	tolerance = 0.005
)

// cell is one glyph of a set line as the layout dump gives it, with what
// the spacing checks need to know about it.
type cell struct {
	start, width, size float64
	font               string
	r                  rune
}

// han reports whether the cell holds a Han character (or kana).
func (c cell) han() bool {
	return unicode.In(c.r, unicode.Han, unicode.Hiragana, unicode.Katakana) && !c.code()
}

func (c cell) code() bool { return strings.Contains(c.font, "Mono") }

// latin reports whether the cell is Latin text that takes the Han–Latin
// gap: a letter, a digit, a sign that goes with a number, any character
// of inline code.
func (c cell) latin() bool {
	if c.code() {
		return !c.han()
	}
	return c.r <= unicode.MaxLatin1 && (unicode.IsLetter(c.r) || unicode.IsDigit(c.r) || strings.ContainsRune("%$£€¥+", c.r))
}

// cjk reports whether the cell is a character or full-width mark set
// from a CJK face (not code).
func (c cell) cjk() bool {
	return !c.code() && (c.han() || c.r >= 0x3000 && c.r <= 0x303F || c.r >= 0xFF00 && c.r <= 0xFFEF ||
		strings.ContainsRune("“”‘’—…·", c.r))
}

// spacing is what the glyph positions of a book show of its spacing on
// body lines (glyphs at the body size), in em: the narrowest and widest
// Han–Latin gap, the widest on lines that have a slot between two
// characters, and the largest space between two CJK cells; with the
// lines where they are, for messages.
type spacing struct {
	junctions                int
	hanLatinMin, hanLatinMax float64
	cappedMax                float64 // on lines with two Han side by side
	charMax                  float64
	minAt, maxAt, cappedAt   string
	charAt                   string
}

// measureSpacing measures the positions the layout dump (--dump-layout)
// writes: each line's cells, from the book itself, since encoding them as
// JSON and reading them back would only take time.
func measureSpacing(b *layout.Book, body float64) spacing {
	s := spacing{hanLatinMin: 1}
	for pi, p := range b.Pages {
		for li, l := range p.Lines {
			var text strings.Builder
			cells := make([]cell, len(l.Cells))
			hanPair := false
			for i, c := range l.Cells {
				g := p.Glyphs[c.Glyph]
				cells[i] = cell{c.Start, c.Width, g.Size, g.Face.PostScriptName, []rune(g.Text)[0]}
				text.WriteString(g.Text)
				hanPair = hanPair || i > 0 && cells[i-1].han() && cells[i].han()
			}
			where := fmt.Sprintf("p%d l%d %s", pi+1, li+1, text.String())
			for i := 1; i < len(cells); i++ {
				a, c := cells[i-1], cells[i]
				if a.size != body || c.size != body {
					continue
				}
				gap := (c.start - a.start - a.width) / body
				switch {
				case a.han() && c.latin() || a.latin() && c.han():
					s.junctions++
					if gap < s.hanLatinMin {
						s.hanLatinMin, s.minAt = gap, where
					}
					if gap > s.hanLatinMax {
						s.hanLatinMax, s.maxAt = gap, where
					}
					if hanPair && gap > s.cappedMax {
						s.cappedMax, s.cappedAt = gap, where
					}
				case a.cjk() && c.cjk():
					if gap > s.charMax {
						s.charMax, s.charAt = gap, where
					}
				}
			}
		}
	}
	return s
}

// qualityFaces caches the fonts of the page styles across layouts.
var qualityFaces = struct {
	sync.Mutex
	m map[string]*fonts.Face
}{m: map[string]*fonts.Face{}}

// layoutAt lays out the book at path in the named style, with the measure
// narrowed or widened to measure ems when it is not zero.
func layoutAt(t *testing.T, path, styleName string, measure int) (*layout.Book, *style.Style) {
	t.Helper()
	st, err := style.Load(filepath.Join(root, "styles"), styleName)
	if err != nil {
		t.Fatal(err)
	}
	if measure > 0 {
		// The measure is the whole ems between the side margins.
		st.PageWidthMM = st.MarginLeftMM + st.MarginRightMM + (float64(measure)+0.5)*st.BodySize/style.PointsPerMM
	}
	qualityFaces.Lock()
	defer qualityFaces.Unlock()
	for _, f := range st.Fonts.Files() {
		if qualityFaces.m[f] == nil {
			loaded, err := loadFonts(filepath.Join(root, "fonts"), st)
			if err != nil {
				t.Fatal(err)
			}
			maps.Copy(qualityFaces.m, loaded)
		}
	}
	d, err := parseBook(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := layout.Layout(d, layout.Options{Style: st, Faces: qualityFaces.m})
	if err != nil {
		t.Fatal(err)
	}
	return res.Book, st
}

// qualityLayouts calls check with each quality document laid out in both
// page styles and in the A4 style at 10 to 40 ems (every third in -short
// mode).
func qualityLayouts(t *testing.T, check func(label string, b *layout.Book, st *style.Style)) {
	step := 1
	if testing.Short() {
		step = 3
	}
	for _, path := range qualityDocs {
		name := strings.TrimSuffix(filepath.Base(path), ".md")
		for _, sn := range []string{"a4-handout", "a5-book"} {
			b, st := layoutAt(t, path, sn, 0)
			check(name+" "+sn, b, st)
		}
		for m := 10; m <= 40; m += step {
			b, st := layoutAt(t, path, "a4-handout", m)
			check(fmt.Sprintf("%s at %d em", name, m), b, st)
		}
	}
}

// TestReadingQuality sets the article and the dense mixed document in
// both page styles and at 10 to 40 ems and checks, on glyph positions,
// what issue 18 found a careful reader sees: Han–Latin gaps (items 10,
// 11), loose lines in the article, running heads past the text block
// (item 13). It logs the figures the issue asks for.
func TestReadingQuality(t *testing.T) {
	qualityLayouts(t, func(label string, b *layout.Book, st *style.Style) {
		s := measureSpacing(b, st.BodySize)
		if !strings.Contains(label, " em") {
			t.Logf("%s: Han–Latin gaps %.3f–%.3f em, largest inter-character expansion %.3f em", label, s.hanLatinMin, s.hanLatinMax, s.charMax)
		}
		checkHanLatinGaps(t, label, s)
		if strings.HasPrefix(label, "xinzhi") {
			checkArticleSpacing(t, label, s)
		}
		checkRunningHeads(t, label, b, st)
	})
}

// checkHanLatinGaps: every Han–Latin junction on a body line (after
// 100%, around inline code) has a gap, none narrower than an eighth of an
// em, and on every line that has a slot between two characters none is
// stretched past three eighths: the rest goes to the characters. (A line
// with no such slot, like one holding only a code span between two
// characters at a narrow measure, can only stretch its gaps.)
func checkHanLatinGaps(t *testing.T, label string, s spacing) {
	if s.junctions < 20 {
		t.Fatalf("%s: only %d Han–Latin junctions", label, s.junctions)
	}
	if s.hanLatinMin < hanLatinLeast-tolerance {
		t.Errorf("%s: a Han–Latin gap of %.3f em, want at least %.3f: %s", label, s.hanLatinMin, hanLatinLeast, s.minAt)
	}
	if s.cappedMax > hanLatinMost+tolerance {
		t.Errorf("%s: a Han–Latin gap of %.3f em, want at most %.3f: %s", label, s.cappedMax, hanLatinMost, s.cappedAt)
	}
}

// checkArticleSpacing holds the article, whose text has no unit wider
// than a few ems, to the quality limit of §3.2: no slot between two
// characters stretched past a quarter em, no Han–Latin gap past three
// eighths.
func checkArticleSpacing(t *testing.T, label string, s spacing) {
	if s.charMax > looseSlot+tolerance {
		t.Errorf("%s: %.3f em between two characters: %s", label, s.charMax, s.charAt)
	}
	if s.hanLatinMax > hanLatinMost+tolerance {
		t.Errorf("%s: a Han–Latin gap of %.3f em: %s", label, s.hanLatinMax, s.maxAt)
	}
}

// checkRunningHeads: the running head (the glyphs in the header size
// above the type area) stays within the text block, found from the lines
// of all pages of the same hand (margins mirror in a duplex style).
func checkRunningHeads(t *testing.T, label string, b *layout.Book, st *style.Style) {
	top := st.MarginTopMM * style.PointsPerMM
	left, right := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for i, p := range b.Pages {
		for _, l := range p.Lines {
			left[i%2], right[i%2] = min(left[i%2], l.X0), max(right[i%2], l.X1)
		}
	}
	for i, p := range b.Pages {
		left, right := left[i%2], right[i%2]
		for _, g := range p.Glyphs {
			if g.Size != st.HeaderSize || g.Y >= top {
				continue
			}
			end := g.X + g.Face.Advance([]rune(g.Text)[0])*g.Size
			if g.X < left-0.01 || end > right+0.01 {
				t.Errorf("%s: page %d: the running head's %q at %.1f..%.1f, past the text block %.1f..%.1f", label, i+1, g.Text, g.X, end, left, right)
				break
			}
		}
	}
}
