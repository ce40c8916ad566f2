package layout

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/testbook"
)

var (
	loadOnce           sync.Once
	serifFace, latFace *fonts.Face
	loadErr            error
)

// testFaces loads the bundled body faces: Noto Serif SC (Han and marks in
// 1-em cells, GB placement) and Source Serif 4 for Latin.
func testFaces(t testing.TB) (*fonts.Face, *fonts.Face) {
	t.Helper()
	loadOnce.Do(func() {
		serifFace, loadErr = fonts.Load("../../fonts/NotoSerifSC-Regular.ttf")
		if loadErr == nil {
			latFace, loadErr = fonts.Load("../../fonts/SourceSerif4-Regular.ttf")
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return serifFace, latFace
}

// setCase sets text at 10 pt (1 em = 10 pt) in a measure of measureEm ems
// and returns, per line, "char@start/width" cells in em, the format of the
// cases of docs/typesetting.md §8. Widths of 1 are left out.
func setCase(t *testing.T, text string, measureEm, indentEm float64) [][]string {
	t.Helper()
	serif, latin := testFaces(t)
	return cells(setWith(text, measureEm, indentEm, ProfileGB, serif, latin))
}

// setWith sets text at 10 pt with the given profile and faces.
func setWith(text string, measureEm, indentEm float64, profile Profile, cjk, latin *fonts.Face) ([]atom, []line, float64) {
	var missing []MissingGlyph
	b := &atomBuilder{fallback: []*fonts.Face{cjk, latin}, missing: &missing, profile: profile}
	b.addText(text, runStyle{faces: faceSet{cjk: cjk, latin: latin}, size: 10})
	atoms := b.finish()
	return atoms, breakLines(paragraph{atoms: atoms, measure: measureEm * 10, firstIndent: indentEm * 10, justify: true, em: 10}), indentEm
}

// cells formats set lines as "char@start/width" in em.
func cells(atoms []atom, lines []line, indentEm float64) [][]string {
	var out [][]string
	for li, ln := range lines {
		var cells []string
		off := 0.0
		if li == 0 {
			off = indentEm
		}
		for i := 0; i < ln.end-ln.start; i++ {
			a := atoms[ln.start+i]
			c := fmt.Sprintf("%s@%s", a.text(), num(off+ln.x[i]/10))
			if w := ln.w[i] / 10; math.Abs(w-1) > 0.005 {
				c += "/" + num(w)
			}
			cells = append(cells, c)
		}
		out = append(out, cells)
	}
	return out
}

func num(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// hanRow builds the expected cells of a run of Han characters starting at
// start with the given pitch.
func hanRow(chars string, start, pitch float64) []string {
	var out []string
	i := 0
	for _, r := range chars {
		out = append(out, fmt.Sprintf("%c@%s", r, num(start+float64(i)*pitch)))
		i++
	}
	return out
}

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestReferenceCases runs the exact-position cases of docs/typesetting.md
// §8; the expected cells were worked out by hand from its rules.
func TestReferenceCases(t *testing.T) {
	cases := []struct {
		id      string
		text    string
		measure float64
		indent  float64
		want    [][]string
	}{
		{"T01 push-out and expansion", "一二三四五六七八九十，一二三四五。", 10, 0, [][]string{
			hanRow("一二三四五六七八九", 0, 1.125),
			cat(hanRow("十", 0, 1), []string{"，@1"}, hanRow("一二三四五", 2, 1), []string{"。@7/0.5"}),
		}},
		{"T02 opening quote trimmed at line start", "一二三四五六七八九“十一”二三。", 10, 0, [][]string{
			hanRow("一二三四五六七八九", 0, 1.125),
			cat([]string{"“@0/0.5"}, hanRow("十一", 0.5, 1), []string{"”@2.5"}, hanRow("二三", 3.5, 1), []string{"。@5.5/0.5"}),
		}},
		{"T03 line-end comma takes half an em", "一二三四五六七八九，十一二三。", 10, 0, [][]string{
			cat(hanRow("一二三四五六七八九", 0, 1.0625), []string{"，@9.5/0.5"}),
			cat(hanRow("十一二三", 0, 1), []string{"。@4/0.5"}),
		}},
		{"T04 push-in before push-out", "一二三，四五六七八九。十一二三四五。", 10, 0, [][]string{
			cat(hanRow("一二三", 0, 1), []string{"，@3/0.5"}, hanRow("四五六七八九", 3.5, 1), []string{"。@9.5/0.5"}),
			cat(hanRow("十一二三四五", 0, 1), []string{"。@6/0.5"}),
		}},
		{"T05 adjacent marks take 1.5 em", "他说：“你好。”", 20, 0, [][]string{
			cat(hanRow("他说", 0, 1), []string{"：@2/0.5", "“@2.5"}, hanRow("你好", 3.5, 1), []string{"。@5.5/0.5", "”@6/0.5"}),
		}},
		{"T06 three marks and a line-start bracket", "（甲）、（乙）", 20, 0, [][]string{
			{"（@0/0.5", "甲@0.5", "）@1.5/0.5", "、@2/0.5", "（@2.5", "乙@3.5", "）@4.5/0.5"},
		}},
		{"T07 title mark and comma", "读《论语》，很好。", 20, 0, [][]string{
			{"读@0", "《@1", "论@2", "语@3", "》@4/0.5", "，@4.5", "很@5.5", "好@6.5", "。@7.5/0.5"},
		}},
		{"T08 closing pair fills the line", "一二三四五六七“九。”十一二。", 10, 0, [][]string{
			cat(hanRow("一二三四五六七", 0, 1), []string{"“@7"}, hanRow("九", 8, 1), []string{"。@9/0.5", "”@9.5/0.5"}),
			cat(hanRow("十一二", 0, 1), []string{"。@3/0.5"}),
		}},
		{"T09 opening quote after the indent", "“你好，”他说。", 20, 2, [][]string{
			{"“@2/0.5", "你@2.5", "好@3.5", "，@4.5/0.5", "”@5", "他@6", "说@7", "。@8/0.5"},
		}},
		{"T10 two-em dash may start a line", "一二三四五六七八九——十一", 10, 0, [][]string{
			hanRow("一二三四五六七八九", 0, 1.125),
			{"——@0/2", "十@2", "一@3"},
		}},
		{"T12 ellipsis may not start a line", "一二三四五六七八九……十一", 10, 0, [][]string{
			hanRow("一二三四五六七八", 0, 9.0/7),
			{"九@0", "……@1/2", "十@3", "一@4"},
		}},
		{"T13 no single Han on the last line", "一二三四五六七八九十一二三四五六七八九十一。", 10, 0, [][]string{
			hanRow("一二三四五六七八九十", 0, 1),
			hanRow("一二三四五六七八九", 0, 1.125),
			cat(hanRow("十一", 0, 1), []string{"。@2/0.5"}),
		}},
		{"T15 stacked question and exclamation", "真的吗？！不会吧。", 20, 0, [][]string{
			cat(hanRow("真的吗", 0, 1), []string{"？@3/0.5", "！@3.5/0.5"}, hanRow("不会吧", 4, 1), []string{"。@7/0.5"}),
		}},
		{"T30 break before an opening quote", "一二三四“五六”七", 5, 0, [][]string{
			hanRow("一二三四", 0, 4.0/3),
			cat([]string{"“@0/0.5"}, hanRow("五六", 0.5, 1), []string{"”@2.5"}, hanRow("七", 3.5, 1)),
		}},
		{"T31 break after a closing quote, push-in", "一二三“四”五六七八", 5, 0, [][]string{
			cat(hanRow("一二三", 0, 1), []string{"“@3/0.5"}, hanRow("四", 3.5, 1), []string{"”@4.5/0.5"}),
			hanRow("五六七八", 0, 1),
		}},
	}
	serif, latin := testFaces(t)
	for _, face := range []*fonts.Face{syntheticFace(), serif} {
		for _, c := range cases {
			t.Run(face.PostScriptName+"/"+c.id, func(t *testing.T) {
				got := cells(setWith(c.text, c.measure, c.indent, ProfileGB, face, latin))
				if fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("%s\n got: %v\nwant: %v", c.text, got, c.want)
				}
			})
		}
	}
}

// syntheticFace is the test face of docs/typesetting.md §8: every Han character
// 1 em, marks 1 em with the ink extents measured from Noto Serif CJK SC
// (docs/typesetting.md §2.1), the dash proportional at 0.89 em.
func syntheticFace() *fonts.Face {
	ink := map[rune][2]float64{
		'，': {.08, .23}, '。': {.04, .32}, '、': {.04, .29}, '：': {.17, .29}, '；': {.17, .29},
		'？': {.04, .46}, '！': {.19, .30}, '”': {.08, .43}, '“': {.57, .92}, '’': {.08, .23}, '‘': {.77, .92},
		'（': {.65, .94}, '）': {.06, .35}, '《': {.52, .96}, '》': {.04, .48}, '·': {.10, .23},
	}
	return fonts.Synthetic("Synthetic", func(r rune) fonts.GlyphMetrics {
		m := fonts.GlyphMetrics{Glyph: 1, Advance: 1, InkX0: .05, InkX1: .95, InkY0: -.08, InkY1: .84}
		switch r {
		case '—':
			m.Advance, m.InkX0, m.InkX1, m.InkY0, m.InkY1 = .89, .04, .85, .24, .29
		case '·':
			m.Advance = .327
		}
		if v, ok := ink[r]; ok {
			m.InkX0, m.InkX1 = v[0], v[1]
		}
		return m
	})
}

// TestNoForbiddenLineEdges sweeps measures over text full of marks and checks
// the properties of case T32 of docs/typesetting.md: no line starts with a
// NO_START mark or ends with a NO_END mark, and every line but the last is
// flush with the measure.
func TestNoForbiddenLineEdges(t *testing.T) {
	serif, latin := testFaces(t)
	text := "他说：“你好。”然后走了。（甲）、（乙）读《论语》，很好！真的吗？！这是——破折号——测试；省略……省略号。" +
		"今年增长了50%，明年预计增长3.5‰左右。马克·吐温说：“我们用Go和Rust写了一个小工具。”"
	for m := 4; m <= 30; m++ {
		atoms, lines, _ := setWith(text, float64(m), 0, ProfileGB, serif, latin)
		measure := float64(m) * 10
		checkLineEdges(t, m, atoms, lines)
		for i, ln := range lines {
			// A line without any break opportunity inside cannot be
			// stretched and is set ragged (docs/typesetting.md §3.2).
			slots := 0
			for k := ln.start + 1; k < ln.end; k++ {
				if atoms[k].breakBefore {
					slots++
				}
			}
			if i < len(lines)-1 && slots > 0 && math.Abs(ln.width-measure) > 0.1 {
				t.Errorf("measure %d: line %d is %.3f em wide, want %d", m, i+1, ln.width/10, m)
			}
		}
	}
}

// TestHanLatinGap checks cases T16 and T17 of docs/typesetting.md: a quarter
// em between Han and Latin, author-typed spaces replaced rather than added.
func TestHanLatinGap(t *testing.T) {
	_, latin := testFaces(t)
	w := (latin.Advance('G') + latin.Advance('o')) * 10
	for _, text := range []string{"使用Go语言", "使用 Go 语言"} {
		got := setCase(t, text, 20, 0)
		want := [][]string{{"使@0", "用@1", "G@2.25/" + num(latin.Advance('G')), "o@" + num(2.25+latin.Advance('G')) + "/" + num(latin.Advance('o')), "语@" + num(2.5+w/10), "言@" + num(3.5+w/10)}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s\n got: %v\nwant: %v", text, got, want)
		}
	}
}

// TestMoreReferenceCases covers the remaining exact cases of §7.2: the
// strict profile, the interpunct, Latin and digits next to Han and
// brackets, and prefix signs.
func TestMoreReferenceCases(t *testing.T) {
	serif, latin := testFaces(t)
	W := func(s string) float64 {
		w := 0.0
		for _, r := range s {
			w += latin.Advance(r)
		}
		return w
	}
	latinCells := func(s string, start float64) []string {
		var out []string
		for _, r := range s {
			out = append(out, fmt.Sprintf("%c@%s/%s", r, num(start), num(latin.Advance(r))))
			start += latin.Advance(r)
		}
		return out
	}
	cases := []struct {
		id      string
		text    string
		measure float64
		profile Profile
		want    [][]string
	}{
		{"T11 strict: —— may not start a line", "一二三四五六七八九——十一", 10, ProfileStrict, [][]string{
			hanRow("一二三四五六七八", 0, 9.0/7),
			{"九@0", "——@1/2", "十@3", "一@4"},
		}},
		{"T14 interpunct in a half-em cell", "马克·吐温", 20, ProfileGB, [][]string{
			{"马@0", "克@1", "·@2/0.5", "吐@2.5", "温@3.5"},
		}},
		{"T14 no line starts with the interpunct", "马克·吐温", 2, ProfileGB, [][]string{
			{"马@0"}, {"克@0", "·@1/0.5"}, {"吐@0", "温@1"},
		}},
		{"T18 no gap next to CJK brackets and comma", "用（Go）写，Go很好。", 20, ProfileGB, [][]string{
			cat([]string{"用@0", "（@1"}, latinCells("Go", 2), []string{"）@" + num(2+W("Go")), "写@" + num(3+W("Go")), "，@" + num(4+W("Go"))},
				latinCells("Go", 5+W("Go")), []string{"很@" + num(5.25+2*W("Go")), "好@" + num(6.25+2*W("Go")), "。@" + num(7.25+2*W("Go")) + "/0.5"}),
		}},
		{"T19 a digit gets the quarter em", "共3个", 20, ProfileGB, [][]string{
			cat([]string{"共@0"}, latinCells("3", 1.25), []string{"个@" + num(1.5+W("3"))}),
		}},
		{"T20 numbers are not split, no gap at the line start", "一二三四五六七八九12345元", 10, ProfileGB, [][]string{
			hanRow("一二三四五六七八九", 0, 1.125),
			cat(latinCells("12345", 0), []string{"元@" + num(0.25+W("12345"))}),
		}},
		{"T21 ￥ stays with its number", "一二三四五六七八九￥100元", 10, ProfileGB, [][]string{
			hanRow("一二三四五六七八九", 0, 1.125),
			cat([]string{"￥@0"}, latinCells("100", 1), []string{"元@" + num(1.25+W("100"))}),
		}},
	}
	for _, face := range []*fonts.Face{syntheticFace(), serif} {
		for _, c := range cases {
			t.Run(face.PostScriptName+"/"+c.id, func(t *testing.T) {
				got := cells(setWith(c.text, c.measure, 0, c.profile, face, latin))
				if fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("%s\n got: %v\nwant: %v", c.text, got, c.want)
				}
			})
		}
	}
	// T14: the dot's ink is centred in its half-em cell.
	atoms, lines, _ := setWith("马克·吐温", 20, 0, ProfileGB, serif, latin)
	m := serif.Metrics('·')
	ink := (lines[0].x[2] + lines[0].shift[2] + (m.InkX0+m.InkX1)/2*10) / 10
	if math.Abs(ink-2.25) > 0.03 {
		t.Errorf("T14: interpunct ink centre at %.3f em, want 2.25", ink)
	}
	if atoms[2].text() != "·" {
		t.Errorf("T14: third atom is %q", atoms[2].text())
	}
}

// TestInkSafeCompression is case T28 of docs/typesetting.md: with a face whose
// brackets are centred (WenQuanYi Micro Hei's measurements), compression stops
// 0.02 em short of the ink.
func TestInkSafeCompression(t *testing.T) {
	_, latin := testFaces(t)
	ink := map[rune][2]float64{'（': {.3828, .7344}, '）': {.2656, .6172}, '、': {.02, .29}}
	face := fonts.Synthetic("CentredMarks", func(r rune) fonts.GlyphMetrics {
		x := [2]float64{.05, .95}
		if v, ok := ink[r]; ok {
			x = v
		}
		return fonts.GlyphMetrics{Glyph: 1, Advance: 1, InkX0: x[0], InkX1: x[1], InkY0: -.1, InkY1: .8}
	})
	got := cells(setWith("（甲）、（乙）", 20, 0, ProfileGB, face, latin))
	want := [][]string{{"（@0/0.6372", "甲@0.6372", "）@1.6372/0.6372", "、@2.2744/0.5", "（@2.7744", "乙@3.7744", "）@4.7744/0.6372"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("\n got: %v\nwant: %v", got, want)
	}
}

// TestURLBreaks is case T23 of docs/typesetting.md: a URL breaks only after /
// . - _ ? & = # or ://, keeps its natural spacing, and nothing crosses the
// measure.
func TestURLBreaks(t *testing.T) {
	serif, latin := testFaces(t)
	text := "请访问https://example.com/docs/install/linux.html查看说明。"
	for m := 8; m <= 16; m++ {
		atoms, lines, _ := setWith(text, float64(m), 0, ProfileGB, serif, latin)
		for i, ln := range lines {
			if ln.width > float64(m)*10+0.1 {
				t.Errorf("measure %d: line %d is %.2f em wide", m, i+1, ln.width/10)
			}
			if i == 0 {
				continue
			}
			prev, first := atoms[ln.start-1], atoms[ln.start]
			if prev.cls == chars.Latin && first.cls == chars.Latin && !strings.ContainsRune("/.-_?&=#:", prev.r) {
				t.Errorf("measure %d: URL broken after %q before %q", m, prev.text(), first.text())
			}
			// URL glyphs keep natural advances: no letter-spacing.
			for k := ln.start + 1; k < ln.end; k++ {
				a, b := atoms[k-1], atoms[k]
				if a.cls == chars.Latin && b.cls == chars.Latin && b.gapKind == gapNone {
					gap := ln.x[k-ln.start] - (ln.x[k-1-ln.start] + ln.w[k-1-ln.start])
					if math.Abs(gap) > 0.05 {
						t.Errorf("measure %d: letter-spaced URL between %q and %q (%.3f pt)", m, a.text(), b.text(), gap)
					}
				}
			}
		}
	}
}

// TestWordSpacesStretchFirst is case T22 of docs/typesetting.md: Latin words
// stay whole and word spaces take the stretch before the CJK slots do.
func TestWordSpacesStretchFirst(t *testing.T) {
	serif, latin := testFaces(t)
	text := "我们用Hello World和Rust写了一个小工具，效果不错。"
	for m := 8; m <= 16; m++ {
		atoms, lines, _ := setWith(text, float64(m), 0, ProfileGB, serif, latin)
		for i, ln := range lines {
			if i > 0 {
				if a, b := atoms[ln.start-1], atoms[ln.start]; a.cls == chars.Latin && b.cls == chars.Latin && b.gapKind == gapNone {
					t.Errorf("measure %d: word split between %q and %q", m, a.text(), b.text())
				}
			}
			if i == len(lines)-1 {
				continue
			}
			var spaceExtra, slotExtra []float64
			room := 0.0
			for k := ln.start + 1; k < ln.end; k++ {
				j := k - ln.start
				extra := ln.x[j] - (ln.x[j-1] + ln.w[j-1]) - atoms[k].gap
				switch {
				case atoms[k].gapKind == gapWordSpace:
					spaceExtra = append(spaceExtra, extra)
					room += 5 - atoms[k].gap
				case atoms[k].gapKind == gapNone && atoms[k].breakBefore:
					slotExtra = append(slotExtra, extra)
				}
			}
			need := float64(m)*10 - ln.width
			for _, e := range spaceExtra {
				need += e
			}
			for _, e := range slotExtra {
				need += e
			}
			if len(spaceExtra) > 0 && need > 0 && need <= room {
				for _, e := range slotExtra {
					if e > 0.05 {
						t.Errorf("measure %d line %d: CJK slot stretched by %.3f pt while word spaces had room", m, i+1, e)
					}
				}
			}
		}
	}
}

// TestArticleProperties is case T32 of docs/typesetting.md (and the 孤字 rule)
// over the article's text at every measure from 8 to 40 em: no line starts
// with a NO_START mark or ends with a NO_END mark, every line but a
// paragraph's last is flush, and no last line holds a single Han character.
func TestArticleProperties(t *testing.T) {
	serif, latin := testFaces(t)
	data, err := os.ReadFile("../../testdata/seed/qiushi-2024-09.txt")
	if err != nil {
		t.Fatalf("the article's print text is part of the repository: %v", err)
	}
	var paras []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); len([]rune(l)) > 30 {
			paras = append(paras, l)
		}
	}
	violations := 0
	for m := 8; m <= 40; m++ {
		for _, text := range paras {
			atoms, lines, _ := setWith(text, float64(m), 2, ProfileGB, serif, latin)
			for i, ln := range lines {
				first, last := atoms[ln.start], atoms[ln.end-1]
				bad := ""
				switch {
				case i > 0 && chars.NeverStarts(first.cls, first.r):
					bad = "starts with " + first.text()
				case i < len(lines)-1 && chars.NeverEnds(last.cls, last.r):
					bad = "ends with " + last.text()
				case i < len(lines)-1 && math.Abs(ln.width+indentOf(i)-float64(m)*10) > 0.1:
					bad = fmt.Sprintf("is %.3f em wide", (ln.width+indentOf(i))/10)
				case i == len(lines)-1 && i > 0 && countHan(atoms[ln.start:ln.end]) < 2:
					bad = "is a 孤字 line"
				}
				if bad != "" {
					violations++
					if violations < 20 {
						t.Errorf("measure %d: line %d of %.20q… %s", m, i+1, text, bad)
					}
				}
			}
		}
	}
	if violations > 0 {
		t.Errorf("%d violations in all", violations)
	}
}

func indentOf(line int) float64 {
	if line == 0 {
		return 20
	}
	return 0
}

// TestMixedTextFontsAndQuotes covers cases T24 and T25 of docs/typesetting.md:
// Han, Latin and digits share one baseline, each from its own face; Chinese
// quotes are full-width from the CJK face, an apostrophe inside a Latin word
// is Latin.
func TestMixedTextFontsAndQuotes(t *testing.T) {
	serif, latin := testFaces(t)
	atoms, lines, _ := setWith("中文English中文123中文他说“好”。It’s fine.", 40, 0, ProfileGB, serif, latin)
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	for i, a := range atoms {
		want := latin
		if chars.CJK(a.r) && a.cls != chars.Latin { // the apostrophe is Latin
			want = serif
		}
		if a.face != want {
			t.Errorf("%q (atom %d) from %s, want %s", a.text(), i, a.face.PostScriptName, want.PostScriptName)
		}
		if a.rise() != 0 {
			t.Errorf("%q is off the baseline by %.2f", a.text(), a.rise())
		}
		switch a.text() {
		case "“", "”":
			if w := lines[0].w[i]; w < 5-eps {
				t.Errorf("%q cell %.2f pt, want at least half an em", a.text(), w)
			}
		case "’":
			if adv := a.face.Advance('’'); adv >= 0.4 {
				t.Errorf("apostrophe advance %.2f em, want a Latin one", adv)
			}
		}
	}
}

// TestDenseDocumentAllMeasures is case T32 of docs/typesetting.md over a
// paragraph of our own, dense with marks, Latin, numbers and a URL, at every
// measure from 8 to 40 em.
func TestDenseDocumentAllMeasures(t *testing.T) {
	serif, latin := testFaces(t)
	text := "《新华字典》（第12版）收字约13000个；“字”“词”之辨——古已有之……他问：“真的吗？！”答曰：“然。”" +
		"价格为￥100元，增长50%，气温36.5℃，约3.5‰。访问https://example.com/docs/install/linux.html查看，或用Go 1.26和Rust写个工具（见第3章、第4章）。" +
		"马克·吐温说过：‘Truth is stranger than fiction.’此言不虚！"
	for m := 8; m <= 40; m++ {
		atoms, lines, _ := setWith(text, float64(m), 2, ProfileGB, serif, latin)
		checkLineEdges(t, m, atoms, lines)
		for i, ln := range lines {
			if ln.width+indentOf(i) > float64(m)*10+0.1 {
				t.Errorf("measure %d: line %d overflows (%.2f em)", m, i+1, (ln.width+indentOf(i))/10)
			}
		}
	}
}

// checkLineEdges reports lines that start with a NO_START mark or end
// with a NO_END mark (docs/typesetting.md §1.2, §1.3).
func checkLineEdges(t *testing.T, measure int, atoms []atom, lines []line) {
	t.Helper()
	for i, ln := range lines {
		first, last := atoms[ln.start], atoms[ln.end-1]
		if i > 0 && chars.NeverStarts(first.cls, first.r) {
			t.Errorf("measure %d: line %d starts with %q", measure, i+1, first.text())
		}
		if i < len(lines)-1 && chars.NeverEnds(last.cls, last.r) {
			t.Errorf("measure %d: line %d ends with %q", measure, i+1, last.text())
		}
	}
}

// TestUAXWindows checks that asking UAX #14 about Latin pairs in windows
// between ideographs (uaxBreaks) answers as a run of uniseg over the whole
// paragraph does, on the article, a generated book and mixed text chosen
// for the rules that look back or ahead (numbers, quotes, brackets,
// hyphens, combining marks, flags, spaces).
func TestUAXWindows(t *testing.T) {
	serif, latin := testFaces(t)
	texts := []string{
		"见https://example.com/a-b_c?x=1&y=2。另见www.example.org/路径/x.html",
		"价格为$1,234.56（约合￥8,000），涨幅-3.5%，即1/3强。",
		"他说“OK”然后“(a+b)”，又说'it's'。",
		"中e\u0301x中a\u200dB中abc\u0308d",
		"1-2中3.5%中U.S.A.中(12)中[x]{y}中",
		"中 abc-def ghi 中 Hello, world! 中文 ‘quoted’ words 中",
		"中—A—B中——C中…D…E",
		"中🇨🇳🇺🇸x中🇨🇳a",
		"R&D投入达GDP的2.5%，5G、AI与ISO 9001。",
		"e.g. 中i.e.中 a.m./p.m. 中 C++/C# 中 x=y+1 中 --flag=value",
	}
	article, err := os.ReadFile("../../source/xinzhi-shengchanli.md")
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, strings.Split(string(article), "\n\n")...)
	book, err := testbook.Generate(testbook.Options{Chars: 30000, Chapters: 2, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, strings.Split(string(book), "\n\n")...)

	asked := 0
	for _, text := range texts {
		var missing []MissingGlyph
		b := &atomBuilder{fallback: []*fonts.Face{serif, latin}, missing: &missing}
		b.addText(text, runStyle{faces: faceSet{cjk: serif, latin: latin}, size: 10})
		atoms := b.finish()
		ask := latinPairs(atoms, nil)
		got := uaxBreaks(atoms, slices.Clone(ask))
		want := wholeUAX(atoms)
		for i := range atoms {
			if !ask[i] {
				continue
			}
			asked++
			if got[i] != want[i] {
				t.Errorf("%q: break before atom %d (%q after %q): windowed %v, whole paragraph %v",
					text, i, atoms[i].text(), atoms[i-1].text(), got[i], want[i])
			}
		}
	}
	if asked < 500 {
		t.Errorf("only %d Latin pairs asked about: the cases lost their Latin text", asked)
	}
}

// wholeUAX runs uniseg over the whole paragraph's text, typed spaces put
// back, and reports whether it allows a break before each atom.
func wholeUAX(atoms []atom) []bool {
	text, starts := appendAtomText(nil, nil, atoms)
	allowed := breakOpportunities(nil, text)
	out := make([]bool, len(atoms))
	for i := range atoms {
		out[i] = allowed[starts[i]]
	}
	return out
}

// countHan counts the atoms that count as characters for 孤字.
func countHan(atoms []atom) int {
	n := 0
	for i := range atoms {
		if countsAsChar(&atoms[i]) {
			n++
		}
	}
	return n
}

// TestLinesFixedAsTheyGo: the line search hands on the lines of a long
// paragraph as soon as no later break can change them, holding tables
// for the undecided stretch only, and the breaks are those of the
// paragraph decided whole.
func TestLinesFixedAsTheyGo(t *testing.T) {
	serif, latin := testFaces(t)
	var missing []MissingGlyph
	b := &atomBuilder{fallback: []*fonts.Face{serif, latin}, missing: &missing, profile: ProfileGB}
	st := runStyle{faces: faceSet{cjk: serif, latin: latin}, size: 10}
	pieces := []string{
		"中国式现代化是人口规模巨大的现代化，", "“引号”——破折号……省略号（括号）、顿号；",
		"见 https://example.com/a/very/long/path/without/any/spaces/at/all 。", "Latin words mixed in 2024 ", "汉", "。",
	}
	for i := range 4000 {
		b.addText(pieces[(i*7+i/5)%len(pieces)], st)
		if i%173 == 0 {
			b.lineBreak()
		}
	}
	atoms := b.finish()
	bounds := func(p paragraph, every int) [][2]int {
		defer func(old int) { fixEvery = old }(fixEvery)
		fixEvery = every
		var out [][2]int
		fitLines(&p, windowOf(&p), func(s, e int) {
			if n := len(out); n > 0 && out[n-1][1] != s {
				t.Fatalf("line [%d, %d) does not follow line %v", s, e, out[n-1])
			}
			out = append(out, [2]int{s, e})
		})
		return out
	}
	for _, measure := range []float64{7, 13, 30} {
		p := paragraph{atoms: atoms, measure: measure * 10, firstIndent: 20, justify: true, em: 10}
		whole := bounds(p, len(atoms)+1)
		for _, every := range []int{7, 64, 4096} {
			scratch := &breakScratch{}
			p.scratch = scratch
			if got := bounds(p, every); !slices.Equal(got, whole) {
				t.Fatalf("%v em, fixed every %d atoms: %d lines differ from the %d of the paragraph decided whole", measure, every, len(got), len(whole))
			}
			p.scratch = nil
			if every == 64 && cap(scratch.fit) > len(atoms)/2 {
				t.Errorf("%v em: the line search held %d states for a paragraph of %d atoms", measure, cap(scratch.fit), len(atoms))
			}
		}
		if len(whole) < 500 {
			t.Fatalf("%v em: %d lines: the paragraph is too short to test", measure, len(whole))
		}
	}
}

// TestLongRunSettles: in a run of identical characters lines of equal
// cost can be shuffled without end, so the line search settles for one
// way maxLag atoms back (fixedState); the paragraph costs the same as
// decided whole, every line but the last is full, and the tables stay
// small.
func TestLongRunSettles(t *testing.T) {
	serif, latin := testFaces(t)
	var missing []MissingGlyph
	b := &atomBuilder{fallback: []*fonts.Face{serif, latin}, missing: &missing, profile: ProfileGB}
	b.addText(strings.Repeat("汉", 3*maxLag+5), runStyle{faces: faceSet{cjk: serif, latin: latin}, size: 10})
	atoms := b.finish()
	p := paragraph{atoms: atoms, measure: 130, firstIndent: 20, justify: true, em: 10}
	whole := func() float64 {
		defer func(old int) { fixEvery = old }(fixEvery)
		fixEvery = len(atoms) + 1
		return fitLines(&p, windowOf(&p), func(int, int) {})
	}()
	p.scratch = &breakScratch{}
	var lines [][2]int
	settled := fitLines(&p, windowOf(&p), func(s, e int) { lines = append(lines, [2]int{s, e}) })
	if math.Abs(settled-whole) > 1e-6 {
		t.Errorf("settled paragraph costs %.6f, decided whole %.6f", settled, whole)
	}
	for i, ln := range lines[:len(lines)-1] {
		want := 13 // 130 pt
		if i == 0 {
			want = 11 // after the 2-em indent
		}
		if ln[1]-ln[0] != want {
			t.Fatalf("line %d holds %d characters, want %d", i, ln[1]-ln[0], want)
		}
	}
	if c := cap(p.scratch.fit); c > len(atoms)/2 {
		t.Errorf("the line search held %d states for a paragraph of %d atoms", c, len(atoms))
	}
}

// TestLongWordSearchStaysNear: in a run with no break (one long word,
// broken where it overflows), the line search reads no further ahead
// than a line can reach, so it holds sums for a stretch of the word, not
// all of it (it used to read to the word's end from each letter).
func TestLongWordSearchStaysNear(t *testing.T) {
	serif, latin := testFaces(t)
	var missing []MissingGlyph
	b := &atomBuilder{fallback: []*fonts.Face{serif, latin}, missing: &missing, profile: ProfileGB}
	b.addText(strings.Repeat("a", 100000), runStyle{faces: faceSet{cjk: serif, latin: latin}, size: 10})
	atoms := b.finish()
	scratch := &breakScratch{}
	p := paragraph{atoms: atoms, measure: 200, justify: true, em: 10, scratch: scratch}
	lines := 0
	fitLines(&p, windowOf(&p), func(s, e int) { lines++ })
	if lines < 1000 {
		t.Fatalf("%d lines for 100,000 letters in 20 ems", lines)
	}
	if c := cap(scratch.sums.w); c > 20000 {
		t.Errorf("the line search summed %d atoms at once of a word of %d", c, len(atoms))
	}
}
