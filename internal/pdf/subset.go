package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// subsetTables are the TrueType tables a font program embedded in a PDF
// needs (ISO 32000-1, 9.9); they are also the ones gopdf keeps.
var subsetTables = []string{"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"}

// subsetFont returns a font program with the glyphs in used, glyph 0 and
// every glyph they are built from, at their original glyph IDs; the other
// glyphs are empty. It replaces gopdf's subset, which adds the components
// of composite glyphs only one level deep: in Source Serif 4, ệ is built
// from ẹ, itself built from e and a dot, and came out as a bare e.
func subsetFont(font []byte, used []uint16) ([]byte, error) {
	tables, err := tableDirectory(font)
	if err != nil {
		return nil, err
	}
	for _, tag := range []string{"glyf", "head", "hhea", "hmtx", "loca", "maxp"} {
		if tables[tag] == nil {
			return nil, fmt.Errorf("font has no %q table", tag)
		}
	}
	head, maxp, hhea := tables["head"], tables["maxp"], tables["hhea"]
	if len(head) < 54 || len(maxp) < 6 || len(hhea) < 36 {
		return nil, errors.New("font has a short head, hhea or maxp table")
	}
	long := binary.BigEndian.Uint16(head[50:]) != 0
	n := int(binary.BigEndian.Uint16(maxp[4:]))
	loca, err := readLoca(tables["loca"], n, long, len(tables["glyf"]))
	if err != nil {
		return nil, err
	}
	glyf := tables["glyf"]
	glyph := func(g int) []byte { return glyf[loca[g]:loca[g+1]] }

	keep := make([]bool, n)
	todo := []int{0}
	for _, g := range used {
		todo = append(todo, int(g))
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if g >= n || keep[g] {
			continue
		}
		keep[g] = true
		cs, err := components(glyph(g))
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", g, err)
		}
		todo = append(todo, cs...)
	}

	// Glyph data stays aligned so that short loca offsets (halved) work.
	align := 2
	if long {
		align = 4
	}
	var newGlyf []byte
	newLoca := make([]int, n+1)
	for g := range n {
		newLoca[g] = len(newGlyf)
		if keep[g] {
			newGlyf = append(newGlyf, glyph(g)...)
			for len(newGlyf)%align != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	newLoca[n] = len(newGlyf)
	locaData := make([]byte, 0, 4*(n+1))
	for _, off := range newLoca {
		if long {
			locaData = binary.BigEndian.AppendUint32(locaData, uint32(off))
		} else {
			locaData = binary.BigEndian.AppendUint16(locaData, uint16(off/2))
		}
	}

	// The metrics of glyphs left out are never used (the PDF carries its own
	// widths); zeroing them lets the table compress to almost nothing.
	hmtx := slices.Clone(tables["hmtx"])
	hm := int(binary.BigEndian.Uint16(hhea[34:]))
	for g := range n {
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

	out := map[string][]byte{"glyf": newGlyf, "loca": locaData, "hmtx": hmtx, "head": slices.Clone(head)}
	for _, tag := range subsetTables {
		if out[tag] == nil && tables[tag] != nil {
			out[tag] = tables[tag]
		}
	}
	return writeFont(out), nil
}

// tableDirectory returns the font's tables by tag.
func tableDirectory(font []byte) (map[string][]byte, error) {
	if len(font) < 12 {
		return nil, errors.New("font too short")
	}
	num := int(binary.BigEndian.Uint16(font[4:]))
	if len(font) < 12+16*num {
		return nil, errors.New("font table directory truncated")
	}
	tables := make(map[string][]byte, num)
	for i := range num {
		rec := font[12+16*i:]
		off, size := uint64(binary.BigEndian.Uint32(rec[8:])), uint64(binary.BigEndian.Uint32(rec[12:]))
		if off+size > uint64(len(font)) {
			return nil, fmt.Errorf("font table %q out of bounds", rec[:4])
		}
		tables[string(rec[:4])] = font[off : off+size]
	}
	return tables, nil
}

// readLoca returns the n+1 glyph offsets into a glyf table of glyfLen bytes.
func readLoca(loca []byte, n int, long bool, glyfLen int) ([]int, error) {
	width := 2
	if long {
		width = 4
	}
	if len(loca) < width*(n+1) {
		return nil, errors.New("font loca table truncated")
	}
	offs := make([]int, n+1)
	for g := range offs {
		if long {
			offs[g] = int(binary.BigEndian.Uint32(loca[4*g:]))
		} else {
			offs[g] = 2 * int(binary.BigEndian.Uint16(loca[2*g:]))
		}
		if offs[g] > glyfLen || g > 0 && offs[g] < offs[g-1] {
			return nil, errors.New("font loca table inconsistent")
		}
	}
	return offs, nil
}

// Composite glyph flags (OpenType glyf table).
const (
	argsAreWords  = 0x0001
	haveScale     = 0x0008
	moreComps     = 0x0020
	haveXYScale   = 0x0040
	haveTwoByTwo  = 0x0080
	compHeaderLen = 10
)

// components returns the glyphs a composite glyph is built from; a simple
// or empty glyph has none.
func components(g []byte) ([]int, error) {
	if len(g) < compHeaderLen || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, nil
	}
	var cs []int
	p := compHeaderLen
	for {
		if p+4 > len(g) {
			return nil, errors.New("composite glyph truncated")
		}
		flags := binary.BigEndian.Uint16(g[p:])
		cs = append(cs, int(binary.BigEndian.Uint16(g[p+2:])))
		p += 4 + 2
		if flags&argsAreWords != 0 {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComps == 0 {
			return cs, nil
		}
	}
}

// writeFont assembles a TrueType file from its tables, with correct
// checksums.
func writeFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	num := len(tags)
	sel := bits.Len(uint(num)) - 1
	font := binary.BigEndian.AppendUint32(nil, 0x00010000)
	font = binary.BigEndian.AppendUint16(font, uint16(num))
	font = binary.BigEndian.AppendUint16(font, uint16(16<<sel))
	font = binary.BigEndian.AppendUint16(font, uint16(sel))
	font = binary.BigEndian.AppendUint16(font, uint16(16*num-(16<<sel)))
	off := 12 + 16*num
	headAt := 0
	for _, tag := range tags {
		t := tables[tag]
		if tag == "head" {
			clear(t[8:12]) // checkSumAdjustment, computed below
			headAt = off
		}
		font = append(font, tag...)
		font = binary.BigEndian.AppendUint32(font, checksum(t))
		font = binary.BigEndian.AppendUint32(font, uint32(off))
		font = binary.BigEndian.AppendUint32(font, uint32(len(t)))
		off += (len(t) + 3) &^ 3
	}
	for _, tag := range tags {
		font = append(font, tables[tag]...)
		for len(font)%4 != 0 {
			font = append(font, 0)
		}
	}
	binary.BigEndian.PutUint32(font[headAt+8:], 0xB1B0AFBA-checksum(font))
	return font
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s,
// the last one zero-padded.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
