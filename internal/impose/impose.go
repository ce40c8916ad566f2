// Package impose arranges the pages of a finished PDF two to a sheet: as a
// saddle-stitched booklet or as plain 2-up, and adds crop marks. It reads
// the finished PDF (what paiban writes) back, so it works on the file a
// print shop gets, not on the layout: through gofpdi for the sheets,
// through pdfobj for the crop marks.
package impose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/signintech/gopdf"
)

// Mode is an imposition scheme.
type Mode string

const (
	Booklet Mode = "booklet" // saddle stitch: fold the duplex-printed stack in half
	TwoUp   Mode = "2up"     // pages 1,2 on the first sheet, 3,4 on the next…
)

// Modes lists the schemes, for flag help and completion.
var Modes = []Mode{Booklet, TwoUp}

// ParseMode checks a scheme name given on the command line or in a style.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown imposition %q: use booklet or 2up", s)
}

// ParseModes checks a comma-separated list of scheme names
// ("booklet,2up").
func ParseModes(list string) ([]Mode, error) {
	var out []Mode
	for _, s := range strings.Split(list, ",") {
		m, err := ParseMode(s)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// A4 landscape in points: the sheet a duplex office printer takes.
const (
	SheetWidth  = 841.89
	SheetHeight = 595.28
)

// Blank marks a slot on a sheet left empty.
const Blank = -1

// Order returns, for a document of n pages, the 0-based page in each slot,
// two slots (left, right) per sheet side, Blank for padding. A booklet is
// padded to a multiple of four; in saddle-stitch order the outermost sheet
// carries the last and the first page on its front and the second and the
// second-to-last on its back.
func Order(m Mode, n int) []int {
	if n <= 0 {
		return nil
	}
	page := func(i int) int {
		if i < n {
			return i
		}
		return Blank
	}
	var out []int
	switch m {
	case Booklet:
		total := (n + 3) / 4 * 4
		for s := 0; s < total/4; s++ {
			out = append(out,
				page(total-1-2*s), page(2*s), // front
				page(2*s+1), page(total-2-2*s)) // back
		}
	case TwoUp:
		for i := 0; i < n; i += 2 {
			out = append(out, page(i), page(i+1))
		}
	}
	return out
}

// Impose reads the PDF src and writes the imposed PDF to w. Each page is
// taken at its trim box (its media box when it has none), so crop marks
// and bleed stay off the sheet, and scaled uniformly to fit half an A4
// landscape sheet: an A5 page at 100 %, an A4 page at 71 %.
func Impose(w io.Writer, src []byte, m Mode) (err error) {
	if _, err := ParseMode(string(m)); err != nil {
		return err
	}
	// gofpdi panics on files it cannot read.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("impose: cannot read the PDF: %v", r)
		}
	}()
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: SheetWidth, H: SheetHeight}})
	rs := io.ReadSeeker(bytes.NewReader(src))
	n := gp.GetStreamPageSizes(&rs)
	if len(n) == 0 {
		return errors.New("impose: the PDF has no pages")
	}
	boxName := "/TrimBox"
	box := n[1][boxName]
	if box["w"] == 0 {
		boxName = "/MediaBox"
		box = n[1][boxName]
	}
	pw, ph := box["w"], box["h"]
	if !(pw > 0 && ph > 0) {
		return errors.New("impose: the PDF's pages have no size")
	}
	scale := math.Min(SheetWidth/2/pw, SheetHeight/ph)
	w2, h2 := pw*scale, ph*scale
	y := (SheetHeight - h2) / 2
	tpls := map[int]int{}
	order := Order(m, len(n))
	for i, p := range order {
		if i%2 == 0 {
			gp.AddPage()
		}
		if p == Blank {
			continue
		}
		tpl, ok := tpls[p]
		if !ok {
			tpl = gp.ImportPageStream(&rs, p+1, boxName)
			tpls[p] = tpl
		}
		half := float64(i % 2)
		x := half*SheetWidth/2 + (SheetWidth/2-w2)/2
		gp.UseImportedTemplate(tpl, x, y, w2, h2)
	}
	_, err = gp.WriteTo(w)
	return err
}
