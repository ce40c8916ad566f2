package fonts

import (
	"errors"
	"math"
)

// Descriptor is what a PDF font descriptor says of a face (ISO 32000-1
// §9.8.1), in thousandths of an em.
type Descriptor struct {
	Ascent, Descent int // hhea: above and below the baseline (negative)
	CapHeight       int // OS/2 version 2 and later; else Ascent
	XHeight         int // OS/2 version 2 and later; else 0 (unknown)
	BBox            [4]int
	ItalicAngle     float64 // degrees counter-clockwise from vertical
	FixedPitch      bool
}

// PDFDescriptor reads the face's descriptor from its head, hhea, OS/2 and
// post tables.
func (f *Face) PDFDescriptor() (Descriptor, error) {
	if f == nil || f.sf == nil {
		return Descriptor{}, errors.New("fonts: PDFDescriptor needs a face from Load or Parse")
	}
	t, err := readTablesAt(f.Data, f.dirOffset)
	if err != nil {
		return Descriptor{}, err
	}
	head, hhea, os2, post := t["head"], t["hhea"], t["OS/2"], t["post"]
	upem := float64(u16(head[18:]))
	if upem == 0 {
		return Descriptor{}, errors.New("fonts: head table gives 0 units per em")
	}
	em := func(b []byte) int { return int(math.Round(float64(int16(u16(b))) * 1000 / upem)) }
	d := Descriptor{
		Ascent:  em(hhea[4:]),
		Descent: em(hhea[6:]),
		BBox:    [4]int{em(head[36:]), em(head[38:]), em(head[40:]), em(head[42:])},
		// A 16.16 fixed-point number.
		ItalicAngle: float64(int32(u32(post[4:]))) / 65536,
		FixedPitch:  u32(post[12:]) != 0,
	}
	d.CapHeight = d.Ascent
	if u16(os2) >= 2 && len(os2) >= 90 {
		d.XHeight, d.CapHeight = em(os2[86:]), em(os2[88:])
	}
	return d, nil
}
