package fonts

import (
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// layoutMarks are the marks whose layout features a reader uses in
// horizontal and vertical text.
const layoutMarks = "，。、；：？！“”‘’（）《》「」——……"

// layoutOf reads a font's GSUB or GPOS table, with the lookups of the
// features kept.
func layoutOf(t *testing.T, f *Face, tag string) *otLayout {
	t.Helper()
	tables, err := tableDirectoryAt(f.Data, f.dirOffset)
	if err != nil {
		t.Fatal(err)
	}
	if tables[tag] == nil {
		t.Fatalf("%s has no %s table", f.PostScriptName, tag)
	}
	l, err := parseLayout(tables[tag], tag == "GPOS")
	if err != nil {
		t.Fatalf("%s of %s: %v", tag, f.PostScriptName, err)
	}
	return l
}

// featureTags lists the features a layout table has, in order.
func featureTags(l *otLayout) []string {
	var tags []string
	for _, f := range l.features {
		tags = append(tags, f.tag)
	}
	return slices.Compact(tags)
}

// lookupsOf returns the lookups of feature tag, in the order they apply.
func lookupsOf(l *otLayout, tag string) []*otLookup {
	var idx []int
	for _, f := range l.features {
		if f.tag == tag {
			idx = append(idx, f.lookups...)
		}
	}
	slices.Sort(idx)
	var out []*otLookup
	for _, i := range slices.Compact(idx) {
		if lk := l.lookups[i]; lk != nil {
			out = append(out, lk)
		}
	}
	return out
}

// substitute applies the single substitutions of feature tag to g.
func substitute(l *otLayout, tag string, g uint16) uint16 {
	for _, lk := range lookupsOf(l, tag) {
		for _, st := range lk.subtables {
			if s, ok := st.(*singleSubst); ok {
				if i := slices.Index(s.from, g); i >= 0 {
					g = s.to[i]
					break
				}
			}
		}
	}
	return g
}

// adjustment sums the single adjustments feature tag makes to g.
func adjustment(l *otLayout, tag string, g uint16) valueRecord {
	var v valueRecord
	for _, lk := range lookupsOf(l, tag) {
		for _, st := range lk.subtables {
			if s, ok := st.(*singlePos); ok {
				if i := slices.Index(s.glyphs, g); i >= 0 {
					for k := range v {
						v[k] += s.values[i][k]
					}
					break
				}
			}
		}
	}
	return v
}

// pairAdjustment is the first pair adjustment feature tag has for g1
// followed by g2.
func pairAdjustment(l *otLayout, tag string, g1, g2 uint16) [2]valueRecord {
	for _, lk := range lookupsOf(l, tag) {
		for _, st := range lk.subtables {
			switch p := st.(type) {
			case *pairGlyphs:
				if i := slices.Index(p.first, g1); i >= 0 {
					for _, pv := range p.sets[i] {
						if pv.second == g2 {
							return [2]valueRecord{pv.v1, pv.v2}
						}
					}
				}
			case *pairClasses:
				if slices.Contains(p.first, g1) {
					if c2 := p.class2[g2]; c2 != 0 {
						return p.values[p.class1[g1]][c2]
					}
				}
			}
		}
	}
	return [2]valueRecord{}
}

// vMetric reads glyph g's advance height and top side bearing, zero in
// a face without vertical metrics.
func vMetric(t *testing.T, f *Face, g uint16) [2]uint16 {
	t.Helper()
	tables, err := tableDirectoryAt(f.Data, f.dirOffset)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables["vhea"]) < 36 {
		return [2]uint16{}
	}
	vmtx, n := tables["vmtx"], int(u16(tables["vhea"][34:]))
	adv := u16(vmtx[4*min(int(g), n-1):])
	if int(g) < n {
		return [2]uint16{adv, u16(vmtx[4*int(g)+2:])}
	}
	return [2]uint16{adv, u16(vmtx[4*n+2*(int(g)-n):])}
}

func outline(t *testing.T, f *Face, g uint16) sfnt.Segments {
	t.Helper()
	var b sfnt.Buffer
	segs, err := f.sf.LoadGlyph(&b, sfnt.GlyphIndex(g), fixed.I(int(f.sf.UnitsPerEm())), nil)
	if err != nil {
		t.Fatalf("glyph %d of %s: %v", g, f.PostScriptName, err)
	}
	return slices.Clone(segs)
}

// checkLayoutKept checks a Layout subset of orig for text against orig:
// it has the features of LayoutFeatures orig has; the vertical forms of
// the marks are the same drawings with the same vertical metrics; their
// half-width adjustments and the adjustments of each pair of characters
// are those of orig.
func checkLayoutKept(t *testing.T, orig *Face, text string, features map[string][]string) *Face {
	t.Helper()
	data := mustSubset(t, orig, []rune(text), SubsetOptions{Layout: true})
	sub := mustParse(t, data)
	runes := []rune(text)
	for _, tag := range []string{"GSUB", "GPOS"} {
		o, s := layoutOf(t, orig, tag), layoutOf(t, sub, tag)
		if got := featureTags(s); !slices.Equal(got, features[tag]) {
			t.Errorf("%s features %q, want %q", tag, got, features[tag])
		}
		for _, r := range runes {
			og, sg := orig.Metrics(r).Glyph, sub.Metrics(r).Glyph
			for _, f := range []string{"vert", "locl"} {
				if tag != "GSUB" || !slices.Contains(features[tag], f) {
					continue
				}
				ov, sv := substitute(o, f, og), substitute(s, f, sg)
				if (ov == og) != (sv == sg) {
					t.Errorf("%s of %q: glyph %d → %d in the face, %d → %d in the subset", f, r, og, ov, sg, sv)
					continue
				}
				if !slices.Equal(outline(t, orig, ov), outline(t, sub, sv)) || vMetric(t, orig, ov) != vMetric(t, sub, sv) {
					t.Errorf("%s of %q: the subset's form differs from the face's", f, r)
				}
			}
			for _, f := range []string{"halt", "vhal"} {
				if tag == "GPOS" && slices.Contains(features[tag], f) && adjustment(o, f, og) != adjustment(s, f, sg) {
					t.Errorf("%s of %q: %v in the face, %v in the subset", f, r, adjustment(o, f, og), adjustment(s, f, sg))
				}
			}
			for _, r2 := range runes {
				og2, sg2 := orig.Metrics(r2).Glyph, sub.Metrics(r2).Glyph
				for _, f := range []string{"kern", "chws"} {
					if tag == "GPOS" && slices.Contains(features[tag], f) && pairAdjustment(o, f, og, og2) != pairAdjustment(s, f, sg, sg2) {
						t.Errorf("%s of %q%q: %v in the face, %v in the subset", f, r, r2, pairAdjustment(o, f, og, og2), pairAdjustment(s, f, sg, sg2))
					}
				}
			}
		}
	}
	return sub
}

func TestSubsetLayout(t *testing.T) {
	sc := map[string][]string{
		"GSUB": {"locl", "vert", "vrt2"},
		"GPOS": {"chws", "halt", "kern", "vchw", "vert", "vhal", "vkrn"},
	}
	for _, tc := range []struct {
		name, file, text string
		features         map[string][]string
	}{
		{"serif SC", serifSC, cjkText + layoutMarks, sc},
		{"sans SC", sansSC, "第一章：“高科技、高效能”。" + layoutMarks,
			map[string][]string{"GSUB": sc["GSUB"], "GPOS": {"halt", "kern", "vert", "vhal", "vkrn"}}},
		{"Latin", serif4, "AVATAR Toward Wave, “quoted” f.", map[string][]string{"GSUB": {"locl"}, "GPOS": {"kern"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig := testFace(t, tc.file)
			sub := checkLayoutKept(t, orig, tc.text, tc.features)
			checkGlyphs(t, orig, sub, tc.text)
			// The characters' glyphs come first, as NumberGlyphs says.
			runes := slices.Compact(slices.Sorted(slices.Values([]rune(tc.text))))
			for i, n := range NumberGlyphs(orig, runes) {
				if got := sub.Metrics(runes[i]).Glyph; got != n {
					t.Errorf("%q: glyph %d in the subset, NumberGlyphs says %d", runes[i], got, n)
				}
			}
		})
	}
}

// TestSubsetLayoutKern checks that a kerning pair survives: the subset
// kerns AV as the face does, with a value that is not zero.
func TestSubsetLayoutKern(t *testing.T) {
	orig := testFace(t, serif4)
	sub := mustParse(t, mustSubset(t, orig, []rune("AV"), SubsetOptions{Layout: true}))
	o, s := layoutOf(t, orig, "GPOS"), layoutOf(t, sub, "GPOS")
	want := pairAdjustment(o, "kern", orig.Metrics('A').Glyph, orig.Metrics('V').Glyph)
	got := pairAdjustment(s, "kern", sub.Metrics('A').Glyph, sub.Metrics('V').Glyph)
	if want == ([2]valueRecord{}) || got != want {
		t.Errorf("kern AV: %v in the subset, %v in the face (want a non-zero adjustment)", got, want)
	}
}

// TestSubsetLayoutCFF checks a CFF face's subset: layout features, and
// the vertical origins (VORG) its vertical forms need.
func TestSubsetLayoutCFF(t *testing.T) {
	orig := cffFace(t)
	features := map[string][]string{"GSUB": {"locl", "vert", "vrt2"}, "GPOS": {"halt", "kern", "vert", "vhal", "vkrn"}}
	sub := checkLayoutKept(t, orig, "永和，发展。“”《》（）", features)
	tables, err := tableDirectory(sub.Data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables["VORG"]) < 8 {
		t.Errorf("the subset has no VORG table")
	}
}

// TestSubsetLayoutSize: the features cost a little, not the face's whole
// tables.
func TestSubsetLayoutSize(t *testing.T) {
	f := testFace(t, serifSC)
	runes := append([]rune(layoutMarks), hanRunes(t, f, 1500)...)
	plain := mustSubset(t, f, runes, SubsetOptions{})
	laid := mustSubset(t, f, runes, SubsetOptions{Layout: true})
	if extra := len(laid) - len(plain); extra <= 0 || extra > 60_000 {
		t.Errorf("layout tables and vertical metrics add %d bytes to a %d-byte subset", extra, len(plain))
	}
	t.Logf("%d → %d bytes", len(plain), len(laid))
}

// TestSubsetLayoutCorrupt flips bytes of the layout tables: Subset may
// leave them out but must neither fail nor panic.
func TestSubsetLayoutCorrupt(t *testing.T) {
	good := testFace(t, serif4)
	src, err := readTables(good.Data)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	tags := []string{"GSUB", "GPOS", "GDEF"}
	for range 300 {
		data := slices.Clone(good.Data)
		for range 1 + rng.IntN(8) {
			tag := tags[rng.IntN(len(tags))]
			off := tableOffset(t, good.Data, tag) + rng.IntN(min(len(src[tag]), 400))
			data[off] = byte(rng.Uint32())
		}
		if _, err := Subset(&Face{Data: data, sf: good.sf}, []rune("AVé½ﬁ"), SubsetOptions{Layout: true}); err != nil {
			t.Errorf("a font with corrupt layout tables: %v", err)
		}
	}
}
