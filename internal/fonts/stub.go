package fonts

import (
	"errors"
	"fmt"
)

// Stub returns a TrueType font with the face's glyph numbering, metrics
// and names but no outlines (every glyph is empty), whose cmap maps only
// runes. It stands in for the face where a library parses a whole font
// file to learn glyph ids and advance widths (the PDF writer's gopdf reads
// every table it knows in full, which for a CJK face is megabytes of
// work thrown away): the stub is as small as the runes used.
//
// Glyphs beyond the highest one runes map to are cut off, so the
// numbering of those that remain is unchanged.
func Stub(f *Face, runes []rune) ([]byte, error) {
	if f == nil || f.sf == nil {
		return nil, errors.New("fonts: Stub needs a face from Load or Parse")
	}
	out, err := stub(f, runes)
	if err != nil {
		return nil, fmt.Errorf("stub of %s: %w", f.PostScriptName, err)
	}
	return out, nil
}

func stub(f *Face, runes []rune) ([]byte, error) {
	src, gs, err := readSource(f.Data)
	if err != nil {
		return nil, err
	}
	entries, err := mapRunes(f.sf, runes)
	if err != nil {
		return nil, err
	}
	n := 1 // .notdef
	for _, e := range entries {
		if int(e.g) >= gs.numGlyphs {
			return nil, fmt.Errorf("cmap maps %U to glyph %d of %d", e.r, e.g, gs.numGlyphs)
		}
		n = max(n, int(e.g)+1)
	}
	// hmtx holds numberOfHMetrics (advance, lsb) pairs, then a bare lsb
	// for each further glyph; both parts are cut at glyph n.
	hm := int(u16(src["hhea"][34:]))
	if hm == 0 {
		return nil, errors.New("hhea has no horizontal metrics")
	}
	hmN := min(hm, n)
	hmtxLen := 4*hmN + 2*(n-hmN)
	if hmtxLen > len(src["hmtx"]) {
		return nil, fmt.Errorf("hmtx table too short (%d bytes)", len(src["hmtx"]))
	}
	// Metrics of glyphs not mapped are zeroed: a reader of the stub only
	// asks for those it maps, and gopdf compresses the table with its
	// (discarded) subset, which for real metrics costs milliseconds.
	used := make([]bool, n)
	used[0] = true
	used[hmN-1] = true // its advance is that of every glyph after it
	for _, e := range entries {
		used[e.g] = true
	}
	hmtx := make([]byte, hmtxLen)
	for g := range n {
		at, size := 4*g, 4
		if g >= hmN {
			at, size = 4*hmN+2*(g-hmN), 2
		}
		if used[g] {
			copy(hmtx[at:at+size], src["hmtx"][at:])
		}
	}
	locaEntry := 2
	if gs.longLoca {
		locaEntry = 4
	}
	cmap, err := buildCmap(entries)
	if err != nil {
		return nil, err
	}
	return writeSFNT(map[string][]byte{
		"OS/2": src["OS/2"],
		"cmap": cmap,
		"glyf": nil,
		"head": patchHead(src["head"], gs.longLoca),
		"hhea": patchU16(src["hhea"], 34, hmN),
		"hmtx": hmtx,
		"loca": make([]byte, locaEntry*(n+1)), // every glyph at offset 0, empty
		"maxp": patchU16(src["maxp"], 4, n),
		"name": src["name"],
		"post": post3(src["post"]),
	}), nil
}
