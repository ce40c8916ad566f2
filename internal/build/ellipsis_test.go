package build

import (
	"math"
	"testing"
)

// TestEllipsisDots is case T12 of docs/typesetting.md in print: …… is six
// dots, evenly spaced across its two ems, centred on the em box. The PDF page
// is rasterised at 600 dpi and the dots are found in the pixels.
func TestEllipsisDots(t *testing.T) {
	res, _, _, pgm := rasterOneParagraph(t, "还要大……过去哪一个世纪料想到。")
	// The ellipsis's cell on its line.
	var cellX, baseline, size float64
	found := false
	for _, p := range res.Book.Pages[:1] {
		for _, l := range p.Lines {
			for _, c := range l.Cells {
				if g := p.Glyphs[c.Glyph]; g.Text == "…" {
					cellX, baseline, size, found = c.Start, l.Y, g.Size, true
					if math.Abs(c.Width-2*size) > 0.01*size {
						t.Errorf("the ellipsis's cell is %.3f em, want 2", c.Width/size)
					}
					break
				}
			}
		}
	}
	if !found {
		t.Fatal("no ellipsis on page 1")
	}
	w, pix := readPGM(t, pgm)
	scale := 600.0 / 72
	dark := func(x, y int) bool { return pix[y*w+x] < 128 }
	// The darkest row within the em box over the cell is the dots' row.
	x0, x1 := int(cellX*scale), int((cellX+2*size)*scale)
	top, bottom := int((baseline-emAscentForTest*size)*scale), int((baseline+emDescentForTest*size)*scale)
	bestY, best := 0, 0
	for y := top; y <= bottom; y++ {
		n := 0
		for x := x0; x <= x1; x++ {
			if dark(x, y) {
				n++
			}
		}
		if n > best {
			bestY, best = y, n
		}
	}
	// Dots are the dark runs along that row.
	var centres []float64
	for x := x0; x <= x1; x++ {
		if !dark(x, bestY) {
			continue
		}
		start := x
		for x <= x1 && dark(x, bestY) {
			x++
		}
		centres = append(centres, float64(start+x-1)/2/scale)
	}
	if len(centres) != 6 {
		t.Fatalf("%d dots in the ellipsis's cell, want 6", len(centres))
	}
	step := (centres[5] - centres[0]) / 5
	ems := make([]float64, len(centres))
	for i, c := range centres {
		ems[i] = (c - cellX) / size
	}
	t.Logf("dot centres, in ems from the cell's start: %.3f", ems)
	for i := 1; i < 6; i++ {
		if gap := centres[i] - centres[i-1]; math.Abs(gap-step)/size > 0.03 {
			t.Errorf("dots %d and %d are %.3f em apart, the mean is %.3f em (tolerance 0.03)", i, i+1, gap/size, step/size)
		}
	}
	// The dots' vertical centre: scan the first dot's column.
	cx := int(centres[0] * scale)
	y0, y1 := bestY, bestY
	for dark(cx, y0-1) {
		y0--
	}
	for dark(cx, y1+1) {
		y1++
	}
	if h := (baseline - float64(y0+y1)/2/scale) / size; math.Abs(h-0.38) > 0.05 {
		t.Errorf("the dots' centres are %.3f em above the baseline, want 0.38 ± 0.05", h)
	}
	// Evenly spaced across the cell: as much room before the first dot
	// as after the last.
	if l, r := centres[0]-cellX, cellX+2*size-centres[5]; math.Abs(l-r)/size > 0.05 {
		t.Errorf("the dots sit off-centre in their cell: %.3f em before, %.3f em after", l/size, r/size)
	}
}

// The em box around the baseline (layout's emAscent and emDescent).
const emAscentForTest, emDescentForTest = 0.88, 0.12
