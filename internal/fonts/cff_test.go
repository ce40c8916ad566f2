package fonts

import (
	"bytes"
	"slices"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/paiban/paiban/internal/testbook"
)

const notoCJK = "NotoSerifCJK-Regular.ttc"

// cffFace loads Noto Serif CJK SC, face 2 of Debian's collection.
func cffFace(tb testing.TB) *Face {
	tb.Helper()
	path := testbook.FetchedFont(tb, "../../fonts", notoCJK)
	if f, ok := testFaces.Load("cjk-sc"); ok {
		return f.(*Face)
	}
	f, err := LoadFace(path, "Noto Serif CJK SC")
	if err != nil {
		tb.Fatal(err)
	}
	testFaces.Store("cjk-sc", f)
	return f
}

// cffText holds Han, punctuation, kana, Hangul, Latin, an Extension B
// character and a glyph with hint masks and subroutines of both kinds.
const cffText = "永和聚焦推动高质量发展，加快发展。“”《》（）——……あア한국어ABCxyz019𠮷"

func TestLoadCollectionFace(t *testing.T) {
	f := cffFace(t)
	if f.Index != 2 || f.PostScriptName != "NotoSerifCJKsc-Regular" || f.Family != "Noto Serif CJK SC" || !f.IsCFF() {
		t.Errorf("face %d %q %q, CFF %v; want 2 NotoSerifCJKsc-Regular, Noto Serif CJK SC, CFF", f.Index, f.PostScriptName, f.Family, f.IsCFF())
	}
	path := testbook.FetchedFont(t, "../../fonts", notoCJK)
	for sel, want := range map[string]string{"": "NotoSerifCJKjp-Regular", "1": "NotoSerifCJKkr-Regular", "NotoSerifCJKtc-Regular": "NotoSerifCJKtc-Regular", "noto serif cjk hk": "NotoSerifCJKhk-Regular"} {
		g, err := LoadFace(path, sel)
		if err != nil || g.PostScriptName != want {
			t.Errorf("face %q: %v, %v; want %s", sel, g, err, want)
		}
	}
	for _, sel := range []string{"5", "-1", "Noto Sans CJK SC"} {
		if _, err := LoadFace(path, sel); err == nil {
			t.Errorf("face %q: no error", sel)
		}
	}
	// The punctuation metrics of a CFF face come from its outlines.
	m := f.Metrics('，')
	if m.Glyph == 0 || m.Advance != 1 || m.InkX1 > 0.5 || m.InkX0 < 0 || m.InkY1 > 0.3 {
		t.Errorf("metrics of ，: %+v, want a full-width cell with the ink in the lower left quarter", m)
	}
}

// TestCFFSubsetOutlines reads the subset back with x/image's CFF reader,
// which shares no code with the subsetter: every character maps to a
// glyph with the face's outline and advance.
func TestCFFSubsetOutlines(t *testing.T) {
	f := cffFace(t)
	runes := []rune(cffText)
	data := mustSubset(t, f, runes, SubsetOptions{FamilyName: "Paiban Serif SC"})
	if string(data[:4]) != "OTTO" {
		t.Fatalf("subset starts %q, want OTTO", data[:4])
	}
	sub, err := sfnt.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 200<<10 {
		t.Errorf("subset of %d characters is %d bytes", len(runes), len(data))
	}
	var b1, b2 sfnt.Buffer
	ppem := fixed.I(1000)
	for _, r := range runes {
		g1, _ := f.sf.GlyphIndex(&b1, r)
		g2, err := sub.GlyphIndex(&b2, r)
		if g1 == 0 || g2 == 0 || err != nil {
			t.Errorf("%q: glyph %d in the face, %d (%v) in the subset", r, g1, g2, err)
			continue
		}
		s1, err1 := f.sf.LoadGlyph(&b1, g1, ppem, nil)
		s1 = slices.Clone(s1)
		s2, err2 := sub.LoadGlyph(&b2, g2, ppem, nil)
		if err1 != nil || err2 != nil || !slices.Equal(s1, s2) || len(s1) == 0 && r != ' ' {
			t.Errorf("%q: outline differs (%v, %v; %d and %d segments)", r, err1, err2, len(s1), len(s2))
		}
		a1, _ := f.sf.GlyphAdvance(&b1, g1, ppem, 0)
		a2, _ := sub.GlyphAdvance(&b2, g2, ppem, 0)
		if a1 != a2 {
			t.Errorf("%q: advance %v in the face, %v in the subset", r, a1, a2)
		}
	}
	if n, _ := sub.Name(&b2, sfnt.NameIDFamily); n != "Paiban Serif SC" {
		t.Errorf("subset family %q", n)
	}
	// The glyph numbers are those NumberGlyphs promised.
	sorted := slices.Compact(slices.Sorted(slices.Values(runes)))
	for i, g := range NumberGlyphs(f, sorted) {
		if got, _ := sub.GlyphIndex(&b2, sorted[i]); uint16(got) != g {
			t.Errorf("%q: glyph %d in the subset, NumberGlyphs says %d", sorted[i], got, g)
		}
	}
}

// TestCFFSubsetCIDKeyed checks the bare CFF a PDF embeds: CID-keyed, no
// subroutines left, CID i on glyph i, and charstrings that are those of
// the OpenType subset.
func TestCFFSubsetCIDKeyed(t *testing.T) {
	f := cffFace(t)
	runes := []rune(cffText)
	bare := mustSubset(t, f, runes, SubsetOptions{CFFOnly: true})
	otf := mustSubset(t, f, runes, SubsetOptions{})
	tables, err := tableDirectory(otf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bare, tables["CFF "]) {
		t.Error("the bare CFF differs from the OpenType subset's CFF table")
	}
	c, err := parseCFF(bare)
	if err != nil {
		t.Fatal(err)
	}
	if !c.cid || c.gsubrs.count != 0 {
		t.Errorf("CID-keyed %v, %d global subroutines", c.cid, c.gsubrs.count)
	}
	for i, fd := range c.fds {
		if fd.subrs.count != 0 {
			t.Errorf("font DICT %d keeps %d subroutines", i, fd.subrs.count)
		}
	}
	cc, ok := intArgs(c.top, opCIDCount, 1)
	if !ok || cc[0] != c.charStrings.count {
		t.Errorf("CIDCount %v, %d glyphs", cc, c.charStrings.count)
	}
	for g := range c.charStrings.count {
		cs, _ := c.charStrings.get(g)
		flat, err := c.flatten(nil, g)
		if err != nil || !bytes.Equal(cs, flat) {
			t.Errorf("glyph %d: flattening the subset's charstring changes it (%v)", g, err)
		}
		if cs[len(cs)-1] != csEndchar {
			t.Errorf("glyph %d does not end with endchar", g)
		}
	}
}

func TestCFFIndexRoundTrip(t *testing.T) {
	for _, objs := range [][][]byte{nil, {{}}, {[]byte("a"), []byte("bc"), {}}, {make([]byte, 300), make([]byte, 70000)}} {
		b := writeIndex(objs)
		x, err := readIndex(b, 0)
		if err != nil || x.count != len(objs) || x.end != len(b) {
			t.Fatalf("%d objects: %v, count %d, end %d of %d", len(objs), err, x.count, x.end, len(b))
		}
		for i, o := range objs {
			if got, err := x.get(i); err != nil || !bytes.Equal(got, o) {
				t.Errorf("object %d: %v", i, err)
			}
		}
	}
}

func TestCFFDictInts(t *testing.T) {
	for _, v := range []int{0, 107, -107, 108, 1131, -108, -1131, 1132, 32767, -32768, 40000, -1 << 30} {
		b := appendOp(appendInt(nil, v), opCharStrings)
		d, err := parseDict(b)
		if err != nil || len(d) != 1 || d[0].op != opCharStrings || !slices.Equal(d[0].ints(), []int{v}) {
			t.Errorf("%d: %v %+v", v, err, d)
		}
	}
	// A real operand (1.5) followed by an integer.
	d, err := parseDict([]byte{30, 0x1a, 0x5f, 139, 12, 7})
	if err != nil || len(d) != 1 || d[0].op != 12<<8|7 || !slices.Equal(d[0].ints(), []int{0, 0}) {
		t.Errorf("real operand: %v %+v", err, d)
	}
}
