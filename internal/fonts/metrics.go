package fonts

import "encoding/binary"

// boxes reads advance widths from hmtx and ink boxes from the headers of
// simple glyphs in glyf (OpenType spec, hmtx and glyf), which takes a few
// loads where sfnt decodes the whole outline to find its bounds. A
// TrueType glyph header's box is that of its points, which is what sfnt
// computes; composite glyphs are left to sfnt, since their header box
// need not follow the transformed components.
type boxes struct {
	glyphs      *glyphSource
	hmtx        []byte
	numHMetrics int
	upem        float64
}

// newBoxes returns nil when the font's tables are not fit for the fast
// path, and Metrics then asks sfnt for everything.
func newBoxes(t map[string][]byte) *boxes {
	if t == nil {
		return nil
	}
	gs, err := newGlyphSource(t)
	if err != nil {
		return nil
	}
	b := &boxes{glyphs: gs, hmtx: t["hmtx"], numHMetrics: int(u16(t["hhea"][34:])), upem: float64(u16(t["head"][18:]))}
	if b.numHMetrics == 0 || len(b.hmtx) < 4*b.numHMetrics || b.upem == 0 {
		return nil
	}
	return b
}

// metrics returns glyph g's metrics; ok is false when sfnt has to answer.
func (b *boxes) metrics(g uint16) (m GlyphMetrics, ok bool) {
	data, err := b.glyphs.glyph(g)
	if err != nil {
		return GlyphMetrics{}, false
	}
	m.Glyph = g
	adv := int(g)
	if adv >= b.numHMetrics {
		adv = b.numHMetrics - 1
	}
	m.Advance = float64(u16(b.hmtx[4*adv:])) / b.upem
	if len(data) == 0 {
		return m, true // no outline: an empty box
	}
	if len(data) < 10 || int16(u16(data)) < 0 {
		return GlyphMetrics{}, false
	}
	be := binary.BigEndian
	m.InkX0 = float64(int16(be.Uint16(data[2:]))) / b.upem
	m.InkY0 = float64(int16(be.Uint16(data[4:]))) / b.upem
	m.InkX1 = float64(int16(be.Uint16(data[6:]))) / b.upem
	m.InkY1 = float64(int16(be.Uint16(data[8:]))) / b.upem
	return m, true
}
