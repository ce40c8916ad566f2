package impose

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/paiban/paiban/internal/pdfobj"
	"github.com/signintech/gopdf"
)

const mm = 72 / 25.4

// DefaultBleed is the bleed print shops ask for: 3 mm.
const DefaultBleed = 3 * mm

// markLength is how long each crop mark is; marks start at the bleed edge
// so that none reaches into the bleed.
const markLength = 5 * mm

// CropMarks reads the PDF src and writes each page centred on a larger
// sheet with crop marks at the corners of the trim, outside the bleed.
// Every page gets a TrimBox (the page as designed) and a BleedBox (bleed
// beyond it), which imposition software and print shops read. The marks
// are drawn in grey-scale black, so a grey-scale PDF stays grey-scale.
func CropMarks(w io.Writer, src []byte, bleed float64) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("crop marks: cannot read the PDF: %v", r)
		}
	}()
	rs := io.ReadSeeker(bytes.NewReader(src))
	probe := &gopdf.GoPdf{}
	probe.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: *gopdf.PageSizeA4})
	sizes := probe.GetStreamPageSizes(&rs)
	if len(sizes) == 0 {
		return errors.New("crop marks: the PDF has no pages")
	}
	box := sizes[1]["/MediaBox"]
	pw, ph := box["w"], box["h"]
	if !(pw > 0 && ph > 0) {
		return errors.New("crop marks: the PDF's pages have no size")
	}
	slug := bleed + markLength + 2*mm
	W, H := pw+2*slug, ph+2*slug
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: W, H: H}})
	trim := &gopdf.Box{Left: slug, Top: slug, Right: slug + pw, Bottom: slug + ph}
	for p := 1; p <= len(sizes); p++ {
		gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: W, H: H}, TrimBox: trim})
		tpl := gp.ImportPageStream(&rs, p, "/MediaBox")
		gp.UseImportedTemplate(tpl, slug, slug, pw, ph)
		gp.SetGrayStroke(0)
		gp.SetLineWidth(0.25)
		for _, x := range []float64{slug, slug + pw} {
			for _, y := range []float64{slug, slug + ph} {
				dx, dy := -1.0, -1.0 // outwards from the trim
				if x > slug {
					dx = 1
				}
				if y > slug {
					dy = 1
				}
				// a horizontal mark level with the trim edge, a vertical one
				gp.Line(x+dx*bleed, y, x+dx*(bleed+markLength), y)
				gp.Line(x, y+dy*bleed, x, y+dy*(bleed+markLength))
			}
		}
	}
	f, err := pdfobj.Render(gp, len(src)+len(sizes)<<10)
	if err != nil {
		return fmt.Errorf("crop marks: %w", err)
	}
	pages, err := f.Pages()
	if err != nil {
		return fmt.Errorf("crop marks: unexpected gopdf output: %w", err)
	}
	// gopdf writes a TrimBox but knows no BleedBox: add one beside it.
	bleedBox := fmt.Sprintf("[ %0.2f %0.2f %0.2f %0.2f ]", slug-bleed, slug-bleed, slug+pw+bleed, slug+ph+bleed)
	for _, p := range pages {
		if err := f.SetEntries(p, "/BleedBox", bleedBox); err != nil {
			return fmt.Errorf("crop marks: unexpected gopdf output: %w", err)
		}
	}
	return f.Write(w, 0)
}
