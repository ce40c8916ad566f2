package layout

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// DumpGlyph is one character in the layout dump (README, --dump-layout):
// positions in points from the page's top-left corner.
type DumpGlyph struct {
	Char      string  `json:"ch"`
	Font      string  `json:"font"`
	CellStart float64 `json:"cellStart"`
	CellWidth float64 `json:"cellWidth"`
	OriginX   float64 `json:"originX"`
	OriginY   float64 `json:"originY"`
	Size      float64 `json:"size"`
	// Dot is the emphasis dot (着重号) under the character, if any.
	Dot *DumpDot `json:"dot,omitempty"`
}

// DumpDot is an emphasis dot: its centre and diameter, in points.
type DumpDot struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	D float64 `json:"d"`
}

// DumpLine is one line of the layout dump.
type DumpLine struct {
	Page   int         `json:"page"` // 1-based
	Line   int         `json:"line"` // 1-based within the page
	Y      float64     `json:"y"`
	X0     float64     `json:"x0"`
	X1     float64     `json:"x1"`
	Glyphs []DumpGlyph `json:"glyphs"`
}

// Dump writes every set line of the book as JSON, one object per line of
// text (JSON Lines), for tests and for checking a layout by hand.
func (b *Book) Dump(w io.Writer) error {
	enc := json.NewEncoder(w)
	for pi, p := range b.Pages {
		for li, l := range p.Lines {
			d := DumpLine{Page: pi + 1, Line: li + 1, Y: round2(l.Y), X0: round2(l.X0), X1: round2(l.X1)}
			for _, c := range l.Cells {
				g := p.Glyphs[c.Glyph]
				d.Glyphs = append(d.Glyphs, DumpGlyph{
					Char: g.Text, Font: g.Face.PostScriptName,
					CellStart: round2(c.Start), CellWidth: round2(c.Width),
					OriginX: round2(g.X), OriginY: round2(g.Y), Size: g.Size,
					Dot: dotUnder(p, c, g),
				})
			}
			if err := enc.Encode(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// Summary is a compact, readable text form of the layout: one row per
// line with its page, baseline, extent and text. Golden files use it,
// since a person can review it.
func (b *Book) Summary() string {
	var sb strings.Builder
	for pi, p := range b.Pages {
		for _, l := range p.Lines {
			var text strings.Builder
			for _, c := range l.Cells {
				text.WriteString(p.Glyphs[c.Glyph].Text)
			}
			fmt.Fprintf(&sb, "p%d y=%.2f x=%.2f..%.2f %s\n", pi+1, l.Y, l.X0, l.X1, text.String())
		}
	}
	return sb.String()
}

// dotUnder finds the emphasis dot drawn under a character's cell: a round
// rule centred within the cell, below the baseline and within an em.
func dotUnder(p *Page, c Cell, g Glyph) *DumpDot {
	for _, r := range p.Rules {
		x, y := r.X+r.W/2, r.Y+r.H/2
		if r.Round && x > c.Start && x < c.Start+c.Width && y > g.Y && y < g.Y+g.Size {
			return &DumpDot{X: round2(x), Y: round2(y), D: round2(r.W)}
		}
	}
	return nil
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
