package impose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"

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
	var out bytes.Buffer
	if _, err := gp.WriteTo(&out); err != nil {
		return err
	}
	// gopdf writes a TrimBox but knows no BleedBox: add one beside it.
	bleedBox := fmt.Sprintf("$0/BleedBox [ %0.2f %0.2f %0.2f %0.2f ]\n", slug-bleed, slug-bleed, slug+pw+bleed, slug+ph+bleed)
	b, err := reindex(trimBoxLine.ReplaceAll(out.Bytes(), []byte(bleedBox)))
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

var objStart = regexp.MustCompile(`(?m)^(\d+) 0 obj\b`)

// reindex rewrites the cross-reference table of a PDF whose objects have
// moved (gopdf writes one classic table, objects numbered 1…n in order).
func reindex(b []byte) ([]byte, error) {
	x := bytes.LastIndex(b, []byte("\nxref\n"))
	t := bytes.LastIndex(b, []byte("\ntrailer"))
	s := bytes.LastIndex(b, []byte("\nstartxref"))
	if x < 0 || t < x || s < t {
		return nil, errors.New("crop marks: unexpected gopdf output: no xref table")
	}
	offsets := map[int]int{}
	n := 0
	for _, m := range objStart.FindAllSubmatchIndex(b[:x], -1) {
		var k int
		fmt.Sscan(string(b[m[2]:m[3]]), &k)
		offsets[k] = m[0]
		n = max(n, k)
	}
	var out bytes.Buffer
	out.Write(b[:x+1])
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", n+1)
	for k := 1; k <= n; k++ {
		off, ok := offsets[k]
		if !ok {
			return nil, fmt.Errorf("crop marks: unexpected gopdf output: no object %d", k)
		}
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	out.Write(b[t+1 : s+1])
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes(), nil
}

var trimBoxLine = regexp.MustCompile(`/TrimBox \[[^\]]*\]\n`)
