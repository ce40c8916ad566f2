package fonts

import (
	"errors"
	"fmt"
	"slices"
)

// programTables are the TrueType tables a font program embedded in a PDF
// needs (ISO 32000-1, 9.9): the PDF carries the cmap and widths itself.
var programTables = []string{"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"}

// Program returns a font program for a PDF: the face's glyphs in used,
// glyph 0 and every glyph they are built from (to any depth: in Source
// Serif 4, ệ is built from ẹ, itself built from e and a dot), at their
// original glyph ids; every other glyph is empty. Keeping the ids lets the
// PDF's content refer to glyphs as the face numbers them.
func Program(f *Face, used []uint16) ([]byte, error) {
	if f == nil {
		return nil, errors.New("fonts: Program needs a face")
	}
	out, err := program(f.Data, used)
	if err != nil {
		return nil, fmt.Errorf("font program of %s: %w", f.PostScriptName, err)
	}
	return out, nil
}

func program(data []byte, used []uint16) ([]byte, error) {
	src, gs, err := readSource(data)
	if err != nil {
		return nil, err
	}
	entries := make([]cmapEntry, len(used))
	for i, g := range used {
		entries[i].g = g
	}
	ids, err := gs.closure(entries)
	if err != nil {
		return nil, err
	}
	keep := make([]bool, gs.numGlyphs)
	for _, g := range ids {
		keep[g] = true
	}
	// Glyph data stays aligned as in the face, so that short loca offsets
	// (halved) work.
	align := gs.locaEntrySize()
	var glyf []byte
	offsets := make([]uint32, gs.numGlyphs+1)
	for g := range gs.numGlyphs {
		offsets[g] = uint32(len(glyf))
		if keep[g] {
			data, err := gs.glyph(uint16(g))
			if err != nil {
				return nil, err
			}
			glyf = append(glyf, data...)
			for len(glyf)%align != 0 {
				glyf = append(glyf, 0)
			}
		}
	}
	offsets[gs.numGlyphs] = uint32(len(glyf))
	loca, long := encodeLoca(offsets)
	// The metrics of glyphs left out are never used (the PDF carries its
	// own widths); zeroing them lets the table compress to almost nothing.
	hmtx := slices.Clone(src["hmtx"])
	hm := int(u16(src["hhea"][34:]))
	for g := range gs.numGlyphs {
		if keep[g] {
			continue
		}
		at, size := 4*g, 4
		if g >= hm {
			at, size = 4*hm+2*(g-hm), 2
		}
		if at+size <= len(hmtx) {
			clear(hmtx[at : at+size])
		}
	}
	out := map[string][]byte{"glyf": glyf, "loca": loca, "hmtx": hmtx, "head": patchHead(src["head"], long)}
	for _, tag := range programTables {
		if out[tag] == nil && src[tag] != nil {
			out[tag] = src[tag]
		}
	}
	return writeSFNT(out), nil
}
