package fonts

import (
	"encoding/binary"
	"testing"
)

func TestStubKeepsGlyphIDsAndWidths(t *testing.T) {
	for file, text := range map[string]string{
		"NotoSerifSC-Regular.ttf":  "新质生产力，“高质量”ABCxyz 123",
		"SourceSerif4-Regular.ttf": "Nguyễn ệ fi ABCxyz 123",
	} {
		t.Run(file, func(t *testing.T) {
			orig := testFace(t, file)
			runes := []rune(text)
			if orig.Has(0x20CD0) {
				runes = append(runes, 0x20CD0) // beyond the BMP: format 12
			}
			// A glyph past numberOfHMetrics takes the last advance listed.
			src, err := readTables(orig.Data)
			if err != nil {
				t.Fatal(err)
			}
			hm := binary.BigEndian.Uint16(src["hhea"][34:])
			for r := rune(0x2000); r < 0x10000; r++ {
				if g := orig.Metrics(r).Glyph; g >= hm && orig.Metrics(r).Advance > 0 {
					runes = append(runes, r)
					break
				}
			}
			data, err := Stub(orig, runes)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) > len(orig.Data)/4 {
				t.Errorf("stub is %d bytes, the face %d", len(data), len(orig.Data))
			}
			stub := mustParse(t, data)
			if stub.PostScriptName != orig.PostScriptName {
				t.Errorf("PostScript name %q, want %q", stub.PostScriptName, orig.PostScriptName)
			}
			maxGlyph := uint16(0)
			for _, r := range runes {
				want, got := orig.Metrics(r), stub.Metrics(r)
				if want.Glyph == 0 {
					t.Fatalf("%s lacks %q: bad test", file, r)
				}
				maxGlyph = max(maxGlyph, want.Glyph)
				if got.Glyph != want.Glyph || got.Advance != want.Advance {
					t.Errorf("%q: glyph %d advance %g, want glyph %d advance %g", r, got.Glyph, got.Advance, want.Glyph, want.Advance)
				}
				if got.InkX1 != got.InkX0 || got.InkY1 != got.InkY0 {
					t.Errorf("%q has an outline in the stub", r)
				}
			}
			for _, r := range "型态Q" {
				if stub.Has(r) {
					t.Errorf("stub maps %q, which was not asked for", r)
				}
			}
			tables, err := readTables(data)
			if err != nil {
				t.Fatal(err)
			}
			if n := binary.BigEndian.Uint16(tables["maxp"][4:]); n != maxGlyph+1 {
				t.Errorf("stub has %d glyphs, want %d (up to the highest used)", n, maxGlyph+1)
			}
		})
	}
}

func TestStubErrors(t *testing.T) {
	if _, err := Stub(nil, []rune("a")); err == nil {
		t.Error("nil face: no error")
	}
	if _, err := Stub(Synthetic("x", func(rune) GlyphMetrics { return GlyphMetrics{} }), []rune("a")); err == nil {
		t.Error("synthetic face: no error")
	}
}

func BenchmarkStub(b *testing.B) {
	f := testFace(b, "NotoSerifSC-Regular.ttf")
	runes := hanRunes(b, f, 1500)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Stub(f, runes); err != nil {
			b.Fatal(err)
		}
	}
}
