package fonts

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

const (
	serifSC = "NotoSerifSC-Regular.ttf"
	sansSC  = "NotoSansSC-Bold.ttf"
	serif4  = "SourceSerif4-Regular.ttf"
	italic4 = "SourceSerif4-Italic.ttf"

	cjkText = "聚焦推动高质量发展，加快发展新质生产力。“”《》（）——……ABC abc 123"
)

var testFaces sync.Map // file name -> *Face

// testFace loads a bundled font once per test binary.
func testFace(tb testing.TB, file string) *Face {
	tb.Helper()
	if f, ok := testFaces.Load(file); ok {
		return f.(*Face)
	}
	f, err := Load(filepath.Join("..", "..", "fonts", file))
	if err != nil {
		tb.Fatal(err)
	}
	testFaces.Store(file, f)
	return f
}

// hanRunes returns n Han characters f covers, spread over the URO block.
func hanRunes(tb testing.TB, f *Face, n int) []rune {
	tb.Helper()
	var rs []rune
	for r := rune(0x4E00); r <= 0x9FFF && len(rs) < n; r += 13 {
		if f.Has(r) {
			rs = append(rs, r)
		}
	}
	if len(rs) < n {
		tb.Fatalf("face covers only %d of the sampled Han characters", len(rs))
	}
	return rs
}

func mustSubset(tb testing.TB, f *Face, runes []rune, opt SubsetOptions) []byte {
	tb.Helper()
	out, err := Subset(f, runes, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func mustParse(tb testing.TB, data []byte) *Face {
	tb.Helper()
	f, err := Parse(data)
	if err != nil {
		tb.Fatalf("subset does not parse: %v", err)
	}
	return f
}

// keptTables is the table set every subset of the bundled fonts has.
var keptTables = []string{"OS/2", "cmap", "gasp", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"}

// checkSFNT checks the sfnt structure of a subset against the OpenType
// spec independently of sfnt.Parse, which ignores checksums and ordering,
// and returns its tables.
func checkSFNT(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	be := binary.BigEndian
	if len(data)%4 != 0 || be.Uint32(data) != 0x00010000 {
		t.Fatalf("bad sfnt header or length %d", len(data))
	}
	n := int(be.Uint16(data[4:]))
	sr, es, rs := be.Uint16(data[6:]), be.Uint16(data[8:]), be.Uint16(data[10:])
	pow := 1
	for pow*2 <= n {
		pow *= 2
	}
	if int(sr) != 16*pow || 1<<es != pow || int(rs) != 16*n-16*pow {
		t.Errorf("searchRange/entrySelector/rangeShift = %d/%d/%d for %d tables", sr, es, rs, n)
	}
	tables := map[string][]byte{}
	var tags []string
	end := 12 + 16*n
	for i := range n {
		rec := data[12+16*i:]
		tag, sum, off, length := string(rec[:4]), be.Uint32(rec[4:]), int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		tags = append(tags, tag)
		if off%4 != 0 || off < end || off+length > len(data) {
			t.Errorf("table %q at %d+%d misplaced", tag, off, length)
			continue
		}
		end = off + length
		padded := slices.Clone(data[off : (off+length+3)&^3])
		if tag == "head" {
			be.PutUint32(padded[8:], 0)
		}
		if got := checksum(padded); got != sum {
			t.Errorf("table %q checksum %#x, directory says %#x", tag, got, sum)
		}
		tables[tag] = data[off : off+length]
	}
	if !slices.Equal(tags, keptTables) {
		t.Errorf("tables %q, want %q", tags, keptTables)
	}
	if got := checksum(data); got != 0xB1B0AFBA {
		t.Errorf("whole-font checksum %#x, want 0xB1B0AFBA", got)
	}
	if v := be.Uint32(tables["post"]); v != 0x00030000 {
		t.Errorf("post version %#x, want 3.0", v)
	}
	numGlyphs := int(be.Uint16(tables["maxp"][4:]))
	locaSize := 2
	if be.Uint16(tables["head"][50:]) == 1 {
		locaSize = 4
	}
	if len(tables["loca"]) != locaSize*(numGlyphs+1) {
		t.Errorf("loca is %d bytes for %d glyphs of %d-byte offsets", len(tables["loca"]), numGlyphs, locaSize)
	}
	if locaSize == 4 && len(tables["glyf"]) <= 0x1FFFE {
		t.Errorf("long loca for a %d-byte glyf", len(tables["glyf"]))
	}
	nhm := int(be.Uint16(tables["hhea"][34:]))
	if len(tables["hmtx"]) != 4*nhm+2*(numGlyphs-nhm) {
		t.Errorf("hmtx is %d bytes for %d glyphs, %d hMetrics", len(tables["hmtx"]), numGlyphs, nhm)
	}
	if hmtx := tables["hmtx"]; nhm > 1 && be.Uint16(hmtx[4*nhm-4:]) == be.Uint16(hmtx[4*nhm-8:]) {
		t.Errorf("hmtx repeats its last advance: numberOfHMetrics %d could be smaller", nhm)
	}
	return tables
}

// hMetric reads glyph g's advance and left side bearing from hmtx.
func hMetric(t *testing.T, f *Face, g sfnt.GlyphIndex) [2]uint16 {
	t.Helper()
	tables, err := readTables(f.Data)
	if err != nil {
		t.Fatal(err)
	}
	hmtx, nhm := tables["hmtx"], int(binary.BigEndian.Uint16(tables["hhea"][34:]))
	adv := binary.BigEndian.Uint16(hmtx[4*min(int(g), nhm-1):])
	if int(g) < nhm {
		return [2]uint16{adv, binary.BigEndian.Uint16(hmtx[4*int(g)+2:])}
	}
	return [2]uint16{adv, binary.BigEndian.Uint16(hmtx[4*nhm+2*(int(g)-nhm):])}
}

// checkGlyphs checks that every rune of text has in sub the glyph it has in
// orig: same metrics, including the left side bearing sfnt does not read,
// and, through composite components, the same outline.
func checkGlyphs(t *testing.T, orig, sub *Face, text string) {
	t.Helper()
	var ob, sb sfnt.Buffer
	ppem := fixed.I(int(orig.sf.UnitsPerEm()))
	for _, r := range text {
		om, sm := orig.Metrics(r), sub.Metrics(r)
		if (om.Glyph == 0) != (sm.Glyph == 0) {
			t.Errorf("%q: glyph %d in the face, %d in the subset", r, om.Glyph, sm.Glyph)
			continue
		}
		om.Glyph, sm.Glyph = 0, 0
		if om != sm {
			t.Errorf("%q: metrics %+v, subset %+v", r, om, sm)
		}
		og, _ := orig.sf.GlyphIndex(&ob, r)
		sg, _ := sub.sf.GlyphIndex(&sb, r)
		if og == 0 {
			continue
		}
		if om, sm := hMetric(t, orig, og), hMetric(t, sub, sg); om != sm {
			t.Errorf("%q: advance and lsb %v, subset %v", r, om, sm)
		}
		oseg, err1 := orig.sf.LoadGlyph(&ob, og, ppem, nil)
		sseg, err2 := sub.sf.LoadGlyph(&sb, sg, ppem, nil)
		if err1 != nil || err2 != nil || !slices.Equal(oseg, sseg) {
			t.Errorf("%q: outline differs (errors %v, %v)", r, err1, err2)
		}
	}
}

// distinctGlyphs counts the distinct glyphs f has for the runes of text.
func distinctGlyphs(f *Face, text string) int {
	seen := map[uint16]bool{}
	for _, r := range text {
		if g := f.Metrics(r).Glyph; g != 0 {
			seen[g] = true
		}
	}
	return len(seen)
}

func TestSubsetKeepsGlyphs(t *testing.T) {
	tests := []struct {
		name, file, text string
		composites       bool // whether the text's glyphs have components
		maxSize          int
	}{
		{"serif SC", serifSC, cjkText, false, 50_000},
		{"bopomofo past numberOfHMetrics", serifSC, "注音ㄅㄧㄚ", false, 10_000},
		{"sans SC bold", sansSC, "第一章　新质生产力的内涵：“高科技、高效能、高质量”", false, 50_000},
		{"Latin with composites", serif4, "Façade, naïve café — “Œuvre” ½ ﬁ 2024", true, 20_000},
		{"italic", italic4, "Hello, World! (émphasis)", true, 20_000},
		{"nothing the face has", serif4, "中文", false, 10_000},
		{"empty", serifSC, "", false, 10_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			orig := testFace(t, tc.file)
			data := mustSubset(t, orig, []rune(tc.text), SubsetOptions{})
			checkSFNT(t, data)
			sub := mustParse(t, data)
			checkGlyphs(t, orig, sub, tc.text)

			want := distinctGlyphs(orig, tc.text) + 1
			got := sub.sf.NumGlyphs()
			if tc.composites && got <= want || !tc.composites && got != want {
				t.Errorf("NumGlyphs = %d for %d distinct glyphs + .notdef (components expected: %v)", got, want, tc.composites)
			}
			if len(data) > tc.maxSize {
				t.Errorf("subset is %d bytes, want at most %d", len(data), tc.maxSize)
			}
			// A subset of a subset drops nothing more: the closure is exact.
			if again := mustSubset(t, sub, []rune(tc.text), SubsetOptions{}); !bytes.Equal(again, data) {
				t.Errorf("subsetting the subset changes it (%d -> %d bytes)", len(data), len(again))
			}
			t.Logf("%d runes -> %d glyphs, %d bytes", len([]rune(tc.text)), got, len(data))
		})
	}
}

func TestSubsetOS2CharRange(t *testing.T) {
	data := mustSubset(t, testFace(t, serifSC), []rune("质A中…"), SubsetOptions{})
	os2 := checkSFNT(t, data)["OS/2"]
	first, last := binary.BigEndian.Uint16(os2[64:]), binary.BigEndian.Uint16(os2[66:])
	if first != 'A' || last != '质' {
		t.Errorf("usFirstCharIndex, usLastCharIndex = %U, %U; want U+0041, U+8D28", first, last)
	}
}

func TestSubsetLocaFormat(t *testing.T) {
	f := testFace(t, serifSC)
	tests := []struct {
		han      int
		wantLong bool
	}{
		{200, false}, // glyf between 64 and 128 KB: short offsets count words
		{1000, true},
	}
	for _, tc := range tests {
		runes := hanRunes(t, f, tc.han)
		data := mustSubset(t, f, runes, SubsetOptions{})
		tables := checkSFNT(t, data)
		glyf := len(tables["glyf"])
		if !tc.wantLong && glyf <= 0xFFFF {
			t.Fatalf("%d Han characters make only %d bytes of glyf", tc.han, glyf)
		}
		if long := binary.BigEndian.Uint16(tables["head"][50:]) == 1; long != tc.wantLong {
			t.Errorf("%d-byte glyf: long loca %v, want %v", glyf, long, tc.wantLong)
		}
		checkGlyphs(t, f, mustParse(t, data), string(runes))
		t.Logf("%d Han characters: %d bytes", tc.han, len(data))
	}
}

func TestSubsetRename(t *testing.T) {
	tests := []struct {
		file, family, wantPS string
	}{
		{serifSC, "Paiban Serif", "PaibanSerif"},
		{sansSC, "Paiban Sans Bold", "PaibanSansBold"},
		{serif4, "Paiban Latin (4)/Roman%", "PaibanLatin4Roman"},
		{italic4, "派版 Italic", "Italic"},
	}
	for _, tc := range tests {
		t.Run(tc.family, func(t *testing.T) {
			orig := testFace(t, tc.file)
			data := mustSubset(t, orig, []rune("中A"), SubsetOptions{FamilyName: tc.family})
			checkSFNT(t, data)
			sub := mustParse(t, data)
			if sub.Family != tc.family || sub.PostScriptName != tc.wantPS {
				t.Errorf("Family, PostScriptName = %q, %q; want %q, %q", sub.Family, sub.PostScriptName, tc.family, tc.wantPS)
			}
			var buf sfnt.Buffer
			for id, want := range map[sfnt.NameID]string{sfnt.NameIDFull: tc.family, sfnt.NameIDUniqueIdentifier: tc.wantPS} {
				if got, err := sub.sf.Name(&buf, id); got != want {
					t.Errorf("name ID %d = %q (%v), want %q", id, got, err, want)
				}
			}
			if got, _ := sub.sf.Name(&buf, sfnt.NameIDSubfamily); got == "" {
				t.Error("subfamily name (ID 2) lost")
			}
			// The OFL forbids the old (reserved) name in a modified font.
			for id := range sfnt.NameID(400) {
				got, _ := sub.sf.Name(&buf, id)
				if id != sfnt.NameIDCopyright && id != sfnt.NameIDTrademark &&
					(strings.Contains(got, orig.Family) || strings.Contains(got, orig.PostScriptName)) {
					t.Errorf("name ID %d still says %q", id, got)
				}
			}
		})
	}
}

func TestSubsetNameCopied(t *testing.T) {
	f := testFace(t, serif4)
	src, err := readTables(f.Data)
	if err != nil {
		t.Fatal(err)
	}
	tables := checkSFNT(t, mustSubset(t, f, []rune("abc"), SubsetOptions{}))
	if !bytes.Equal(tables["name"], src["name"]) {
		t.Error("name table changed without FamilyName")
	}
}

func TestSubsetBadFamilyName(t *testing.T) {
	if _, err := Subset(testFace(t, serif4), []rune("a"), SubsetOptions{FamilyName: "派版 (宋)"}); err == nil {
		t.Error("family name without PostScript characters accepted")
	}
}

// cmapSubtables returns the cmap encoding records of a subset as
// "platform/encoding" -> subtable.
func cmapSubtables(t *testing.T, cmap []byte) map[string][]byte {
	t.Helper()
	be := binary.BigEndian
	subs := map[string][]byte{}
	for i := range int(be.Uint16(cmap[2:])) {
		rec := cmap[4+8*i:]
		subs[fmt.Sprintf("%d/%d", be.Uint16(rec), be.Uint16(rec[2:]))] = cmap[be.Uint32(rec[4:]):]
	}
	return subs
}

// lookup4 maps r through a cmap format 4 subtable written with
// idRangeOffset 0, as Subset writes them.
func lookup4(t *testing.T, st []byte, r rune) uint16 {
	t.Helper()
	be := binary.BigEndian
	segs := int(be.Uint16(st[6:])) / 2
	pow := 1
	for pow*2 <= segs {
		pow *= 2
	}
	if sr, es, rs := be.Uint16(st[8:]), be.Uint16(st[10:]), be.Uint16(st[12:]); int(sr) != 2*pow || 1<<es != pow || int(rs) != 2*segs-2*pow {
		t.Fatalf("format 4 searchRange/entrySelector/rangeShift = %d/%d/%d for %d segments", sr, es, rs, segs)
	}
	for i := range segs {
		end, start := rune(be.Uint16(st[14+2*i:])), rune(be.Uint16(st[16+2*segs+2*i:]))
		if start <= r && r <= end {
			return uint16(r) + be.Uint16(st[16+4*segs+2*i:])
		}
	}
	return 0
}

// lookup12 maps r through a cmap format 12 subtable.
func lookup12(st []byte, r rune) uint16 {
	be := binary.BigEndian
	for i := range int(be.Uint32(st[12:])) {
		g := st[16+12*i:]
		if start := rune(be.Uint32(g)); start <= r && r <= rune(be.Uint32(g[4:])) {
			return uint16(be.Uint32(g[8:]) + uint32(r-start))
		}
	}
	return 0
}

func TestSubsetCmapFormats(t *testing.T) {
	const (
		suppHas   = '\U0001F110' // PARENTHESIZED LATIN CAPITAL LETTER A
		suppLacks = '\U00020000' // CJK Ext. B, not in Noto Serif SC
	)
	f := testFace(t, serifSC)
	if !f.Has(suppHas) || f.Has(suppLacks) {
		t.Fatalf("font coverage changed: has %U %v, has %U %v", suppHas, f.Has(suppHas), suppLacks, f.Has(suppLacks))
	}
	tests := []struct {
		name    string
		text    string
		records []string
	}{
		{"BMP only", "质量ABC", []string{"3/1"}},
		{"lacking a supplementary character", "质量ABC" + string(suppLacks), []string{"3/1"}},
		{"with a supplementary character", "质量ABC" + string(suppHas) + string(suppLacks), []string{"3/1", "3/10"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := mustSubset(t, f, []rune(tc.text), SubsetOptions{})
			subs := cmapSubtables(t, checkSFNT(t, data)["cmap"])
			if keys := slices.Sorted(maps.Keys(subs)); !slices.Equal(keys, tc.records) {
				t.Fatalf("cmap records %q, want %q", keys, tc.records)
			}
			sub := mustParse(t, data)
			checkGlyphs(t, f, sub, tc.text)
			var buf sfnt.Buffer
			for _, r := range tc.text + "\uFFFF" {
				want, _ := sub.sf.GlyphIndex(&buf, r)
				if r <= 0xFFFF {
					if got := lookup4(t, subs["3/1"], r); got != uint16(want) {
						t.Errorf("format 4 maps %U to %d, sfnt to %d", r, got, want)
					}
				}
				if st, ok := subs["3/10"]; ok {
					if got := lookup12(st, r); got != uint16(want) {
						t.Errorf("format 12 maps %U to %d, sfnt to %d", r, got, want)
					}
				}
			}
		})
	}
}

func TestSubsetDeterministic(t *testing.T) {
	f := testFace(t, serifSC)
	runes := []rune(cjkText)
	a := mustSubset(t, f, runes, SubsetOptions{FamilyName: "Paiban Serif"})
	shuffled := append(slices.Clone(runes), runes...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b := mustSubset(t, f, shuffled, SubsetOptions{FamilyName: "Paiban Serif"})
	if !bytes.Equal(a, b) {
		t.Error("same characters in another order and repeated give different bytes")
	}
}

// tableOffset finds a table in a font's directory.
func tableOffset(t *testing.T, data []byte, tag string) int {
	t.Helper()
	for i := range int(binary.BigEndian.Uint16(data[4:])) {
		if rec := data[12+16*i:]; string(rec[:4]) == tag {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	t.Fatalf("no %s table", tag)
	return 0
}

func TestSubsetErrors(t *testing.T) {
	good := testFace(t, serif4)
	src, err := readTables(good.Data)
	if err != nil {
		t.Fatal(err)
	}
	at := func(tag string) int { return tableOffset(t, good.Data, tag) }
	// The glyph of 'é' is a composite in Source Serif 4.
	gs, err := newGlyphSource(src)
	if err != nil {
		t.Fatal(err)
	}
	eacute := good.Metrics('é').Glyph
	if data, _ := gs.glyph(eacute); len(data) < glyphHeaderSize || int16(u16(data)) >= 0 {
		t.Fatal("é is no longer a composite glyph")
	}
	locaEntry := at("loca") + 2*int(eacute) // short loca

	tests := []struct {
		name, want string
		corrupt    func(b []byte) []byte
	}{
		{"empty", "too short", func(b []byte) []byte { return nil }},
		{"short header", "too short", func(b []byte) []byte { return b[:11] }},
		{"CFF without a CFF table", "missing CFF", func(b []byte) []byte { copy(b, "OTTO"); return b }},
		{"not an sfnt", "not TrueType or OpenType", func(b []byte) []byte { copy(b, "wOFF"); return b }},
		{"directory past end", "directory runs past", func(b []byte) []byte { return b[:40] }},
		{"table past end", "runs past the end", func(b []byte) []byte { return b[:len(b)/2] }},
		{"missing glyf", "missing glyf", func(b []byte) []byte {
			copy(b[bytes.Index(b[:300], []byte("glyf")):], "glyX")
			return b
		}},
		{"bad indexToLocFormat", "indexToLocFormat", func(b []byte) []byte { b[at("head")+51] = 7; return b }},
		{"no glyphs", "no glyphs", func(b []byte) []byte { b[at("maxp")+4], b[at("maxp")+5] = 0, 0; return b }},
		{"no hMetrics", "numberOfHMetrics", func(b []byte) []byte { b[at("hhea")+34], b[at("hhea")+35] = 0, 0; return b }},
		{"loca past glyf", "outside glyf", func(b []byte) []byte { b[locaEntry+2], b[locaEntry+3] = 0xFF, 0xFF; return b }},
		{"truncated composite", "truncated composite", func(b []byte) []byte {
			binary.BigEndian.PutUint16(b[locaEntry+2:], binary.BigEndian.Uint16(b[locaEntry:])+6) // 12 bytes
			return b
		}},
		{"component out of range", "glyph 65535 out of range", func(b []byte) []byte {
			start := at("glyf") + 2*int(binary.BigEndian.Uint16(b[locaEntry:]))
			b[start+glyphHeaderSize+2], b[start+glyphHeaderSize+3] = 0xFF, 0xFF
			return b
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The sfnt.Font parsed from the good data still answers cmap
			// lookups, so the corruption reaches Subset's own reader.
			bad := &Face{Data: tc.corrupt(slices.Clone(good.Data)), sf: good.sf}
			if _, err := Subset(bad, []rune("Aé"), SubsetOptions{}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := Subset(nil, []rune("A"), SubsetOptions{}); err == nil {
		t.Error("nil face: no error")
	}
	if _, err := Subset(&Face{Data: good.Data}, []rune("A"), SubsetOptions{}); err == nil {
		t.Error("unparsed face: no error")
	}
}

// TestSubsetCorruptNoPanic flips random bytes of the tables Subset reads:
// it may fail or succeed but must not panic.
func TestSubsetCorruptNoPanic(t *testing.T) {
	good := testFace(t, serif4)
	src, err := readTables(good.Data)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	tags := []string{"OS/2", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "glyf"}
	failed := 0
	for range 500 {
		data := slices.Clone(good.Data)
		for range 1 + rng.IntN(8) {
			tag := tags[rng.IntN(len(tags))]
			off := tableOffset(t, good.Data, tag) + rng.IntN(min(len(src[tag]), 600))
			data[off] = byte(rng.Uint32())
		}
		if _, err := Subset(&Face{Data: data, sf: good.sf}, []rune("Aé½ﬁ"), SubsetOptions{FamilyName: "X"}); err != nil {
			failed++
		}
	}
	t.Logf("%d of 500 corrupted fonts rejected", failed)
}

func TestCmapFormat4Overflow(t *testing.T) {
	var entries []cmapEntry
	for r := rune(0); r < 0xFFFF; r += 2 {
		entries = append(entries, cmapEntry{r, 1})
	}
	if _, err := buildCmap(entries); err == nil {
		t.Error("32767 segments accepted in a format 4 subtable")
	}
}

func BenchmarkSubset(b *testing.B) {
	f := testFace(b, serifSC)
	runes := hanRunes(b, f, 1000)
	b.ReportAllocs()
	var out []byte
	for b.Loop() {
		out = mustSubset(b, f, runes, SubsetOptions{FamilyName: "Paiban Serif"})
	}
	b.ReportMetric(float64(len(out)), "font-bytes")
}

// TestSubsetNested checks that a subset keeps the components of
// components: ệ is built from ẹ, itself built from e and a dot below, and
// a subset one level deep printed a bare e. The subset's outline of ệ must
// be the face's.
func TestSubsetNested(t *testing.T) {
	f := testFace(t, serif4)
	data, err := Subset(f, []rune("ệ"), SubsetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := sfnt.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := tableDirectory(data)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := newGlyphSource(tables)
	if err != nil {
		t.Fatal(err)
	}
	// Walk the composite in the subset: it must be at least two deep.
	var depth func(g uint16) int
	depth = func(g uint16) int {
		data, err := gs.glyph(g)
		if err != nil {
			t.Fatal(err)
		}
		offs, err := componentOffsets(data)
		if err != nil {
			t.Fatal(err)
		}
		d := 0
		for _, o := range offs {
			d = max(d, 1+depth(u16(data[o:])))
		}
		return d
	}
	var buf sfnt.Buffer
	g, err := sub.GlyphIndex(&buf, 'ệ')
	if err != nil || g == 0 {
		t.Fatalf("subset maps ệ to glyph %d (%v)", g, err)
	}
	if d := depth(uint16(g)); d < 2 {
		t.Errorf("ệ is %d level(s) deep in the subset; the test needs a nested composite", d)
	}
	outline := func(sf *sfnt.Font, g sfnt.GlyphIndex) string {
		segs, err := sf.LoadGlyph(&buf, g, fixed.I(1000), nil)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(segs)
	}
	orig, _ := f.sf.GlyphIndex(&buf, 'ệ')
	if got, want := outline(sub, g), outline(f.sf, orig); got != want {
		t.Errorf("the subset's ệ differs from the face's:\n got %.200s\nwant %.200s", got, want)
	}
	if gs.numGlyphs > 10 {
		t.Errorf("subset of ệ has %d glyphs", gs.numGlyphs)
	}
}

// TestSubsetGlyphs checks the glyph numbers SubsetGlyphs reports against
// the subset's own cmap, and that characters the face lacks are absent.
func TestSubsetGlyphs(t *testing.T) {
	f := testFace(t, serifSC)
	runes := []rune(cjkText + "ệ\U0010FFFD")
	data, glyph, err := SubsetGlyphs(f, runes, SubsetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runes {
		if got, want := glyph[r], sub.Metrics(r).Glyph; got != want {
			t.Errorf("%q: SubsetGlyphs says glyph %d, the subset maps it to %d", r, got, want)
		}
	}
	if _, ok := glyph['\U0010FFFD']; ok {
		t.Errorf("a character the face lacks has a glyph")
	}
}

// TestNumberGlyphs checks that NumberGlyphs predicts the numbers the
// subset gives, on text with composite glyphs, characters the face lacks
// and characters that share a glyph (Kangxi radicals and compatibility
// ideographs drawn as unified ideographs).
func TestNumberGlyphs(t *testing.T) {
	f := testFace(t, serifSC)
	runes := []rune(cjkText + "ệ\U0010FFFD")
	for r := rune(0x2F00); r <= 0x2FD5; r++ {
		runes = append(runes, r, 0x4E00+(r-0x2F00)*37)
	}
	for r := rune(0xF900); r <= 0xFA6D; r++ {
		runes = append(runes, r)
	}
	runes = slices.Compact(slices.Sorted(slices.Values(runes)))
	_, glyph, err := SubsetGlyphs(f, runes, SubsetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	shared := map[uint16]int{}
	for i, n := range NumberGlyphs(f, runes) {
		if n != glyph[runes[i]] {
			t.Errorf("%q: NumberGlyphs says %d, the subset has %d", runes[i], n, glyph[runes[i]])
		}
		if n != 0 {
			shared[n]++
		}
	}
	if len(shared) == len(glyph) {
		t.Errorf("no two of the %d characters share a glyph: the test lost its point", len(glyph))
	}
}
