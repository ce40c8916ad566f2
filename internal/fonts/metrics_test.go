package fonts

import (
	"path/filepath"
	"testing"
)

// TestFastMetricsMatchSFNT checks the metrics read from glyph headers
// against sfnt decoding the outlines, for every bundled face over Latin,
// punctuation, CJK symbols, full-width forms and a sample of Han.
func TestFastMetricsMatchSFNT(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "fonts", "*.ttf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bundled fonts: %v", err)
	}
	var runes []rune
	for _, span := range [][2]rune{{0x20, 0x24F}, {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x3000, 0x303F}, {0xFF00, 0xFFEF}} {
		for r := span[0]; r <= span[1]; r++ {
			runes = append(runes, r)
		}
	}
	for r := rune(0x4E00); r <= 0x9FFF; r += 5 {
		runes = append(runes, r)
	}
	for _, file := range files {
		f := testFace(t, filepath.Base(file))
		if f.boxes == nil {
			t.Errorf("%s: no fast path", file)
			continue
		}
		fast, composite, bad := 0, 0, 0
		for _, r := range runes {
			gi, err := f.sf.GlyphIndex(&f.buf, r)
			if err != nil || gi == 0 {
				continue
			}
			got, ok := f.boxes.metrics(uint16(gi))
			if !ok {
				composite++
				continue
			}
			fast++
			if want := f.measureSFNT(gi); got != want && bad < 5 {
				bad++
				t.Errorf("%s: %q (glyph %d): header says %+v, outline %+v", filepath.Base(file), r, gi, got, want)
			}
		}
		if fast == 0 {
			t.Errorf("%s: no glyph measured from its header", file)
		}
		t.Logf("%s: %d glyphs from headers, %d composite", filepath.Base(file), fast, composite)
	}
}
