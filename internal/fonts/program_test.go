package fonts

import (
	"testing"
)

// TestProgramNested checks that a PDF font program keeps the components
// of components at their ids: ệ is built from ẹ, itself built from e and a
// dot below, and a subset one level deep printed a bare e.
func TestProgramNested(t *testing.T) {
	f := testFace(t, serif4)
	g := f.Metrics('ệ').Glyph
	prog, err := Program(f, []uint16{g})
	if err != nil {
		t.Fatal(err)
	}
	if s := checksum(prog); s != 0xB1B0AFBA {
		t.Errorf("font checksum %#x, want 0xB1B0AFBA", s)
	}
	tables, err := tableDirectory(prog)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := readTables(f.Data)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := newGlyphSource(tables)
	if err != nil {
		t.Fatal(err)
	}
	ogs, err := newGlyphSource(orig)
	if err != nil {
		t.Fatal(err)
	}
	if gs.numGlyphs != ogs.numGlyphs {
		t.Fatalf("%d glyphs, the face has %d: ids must not change", gs.numGlyphs, ogs.numGlyphs)
	}
	depth := map[uint16]int{g: 0}
	todo := []uint16{g}
	deepest := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		data, err := gs.glyph(c)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := ogs.glyph(c)
		if len(data) == 0 || string(data) != string(want) {
			t.Errorf("glyph %d (depth %d) is not the face's glyph %d", c, depth[c], c)
			continue
		}
		offs, err := componentOffsets(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range offs {
			k := u16(data[o:])
			if _, seen := depth[k]; !seen {
				depth[k] = depth[c] + 1
				deepest = max(deepest, depth[k])
				todo = append(todo, k)
			}
		}
	}
	if deepest < 2 {
		t.Errorf("ệ is only %d level(s) deep; the test needs a nested composite", deepest)
	}
	if len(tables["glyf"]) > 2000 {
		t.Errorf("glyf is %d bytes for a handful of glyphs", len(tables["glyf"]))
	}
	if other, _ := gs.glyph(f.Metrics('A').Glyph); len(other) != 0 {
		t.Errorf("glyph of A kept although unused")
	}
}
