package impose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paiban/paiban/internal/pdfobj"
)

const mm = 72 / 25.4

// DefaultBleed is the bleed print shops ask for: 3 mm.
const DefaultBleed = 3 * mm

// markLength is how long each crop mark is; marks start at the bleed edge
// so that none reaches into the bleed.
const markLength = 5 * mm

// CropMarks reads the PDF src and writes it again with each page on a
// larger sheet, crop marks at the corners of the trim, outside the bleed.
// Every page gets a TrimBox (the page as designed) and a BleedBox (bleed
// beyond it), which imposition software and print shops read. The marks
// are drawn in grey-scale black, so a grey-scale PDF stays grey-scale.
//
// The pages are not copied but enlarged in place: the MediaBox grows
// around the page's own, to negative coordinates, so that the content,
// links and outline keep their coordinates and every font and image stays
// one shared object, as in src.
func CropMarks(w io.Writer, src []byte, bleed float64) error {
	f, pages, err := readPages(src, "crop marks")
	if err != nil {
		return err
	}
	slug := bleed + markLength + 2*mm
	// The page's own graphics state must not reach the marks: its content
	// is wrapped in q … Q. The marks depend only on the page's box, so
	// pages of one size share one stream.
	save := f.Add(stream("q\n"))
	marks := map[[4]float64]int{}
	for _, p := range pages {
		box, err := mediaBox(f, p)
		if err != nil {
			return fmt.Errorf("crop marks: page object %d: %w", p, err)
		}
		if !(box[2] > box[0] && box[3] > box[1]) {
			return errors.New("crop marks: the PDF's pages have no size")
		}
		m, ok := marks[box]
		if !ok {
			m = f.Add(stream(markStream(box, bleed)))
			marks[box] = m
		}
		d, err := f.Dict(p)
		if err != nil {
			return fmt.Errorf("crop marks: %w", err)
		}
		contents, ok := d.Refs("/Contents")
		if !ok {
			return fmt.Errorf("crop marks: page object %d has no /Contents", p)
		}
		arr := make([]byte, 0, 16*len(contents)+32)
		arr = fmt.Appendf(arr, "[%d 0 R", save)
		for _, c := range contents {
			arr = fmt.Appendf(arr, " %d 0 R", c)
		}
		arr = fmt.Appendf(arr, " %d 0 R]", m)
		kv := []string{
			"/MediaBox", rect(box[0]-slug, box[1]-slug, box[2]+slug, box[3]+slug),
			"/TrimBox", rect(box[0], box[1], box[2], box[3]),
			"/BleedBox", rect(box[0]-bleed, box[1]-bleed, box[2]+bleed, box[3]+bleed),
			"/Contents", string(arr),
		}
		if _, ok := d.Get("/CropBox"); ok {
			kv = append(kv, "/CropBox", kv[1])
		}
		if err := f.SetEntries(p, kv...); err != nil {
			return fmt.Errorf("crop marks: %w", err)
		}
	}
	return f.Write(w, f.Info())
}

// mediaBox reads page p's MediaBox, on the page or inherited from the
// page tree.
func mediaBox(f *pdfobj.File, p int) ([4]float64, error) {
	v, err := inherited(f, p, "/MediaBox")
	if err != nil {
		return [4]float64{}, err
	}
	return parseBox(v)
}

// parseBox reads a rectangle written as an array of four numbers.
func parseBox(v []byte) ([4]float64, error) {
	var box [4]float64
	fields := bytes.Fields(bytes.Trim(v, "[] \n\r\t"))
	if len(fields) != 4 {
		return box, fmt.Errorf("bad box %q", v)
	}
	for i, s := range fields {
		var err error
		if box[i], err = strconv.ParseFloat(string(s), 64); err != nil {
			return box, fmt.Errorf("bad box %q", v)
		}
	}
	return box, nil
}

// inherited returns the value of key on page p or the nearest node of
// the page tree above it that has it, as written.
func inherited(f *pdfobj.File, p int, key string) ([]byte, error) {
	for n, depth := p, 0; depth < 32; depth++ {
		d, err := f.Dict(n)
		if err != nil {
			return nil, err
		}
		if v, ok := d.Get(key); ok {
			return v, nil
		}
		parent, ok := d.Ref("/Parent")
		if !ok {
			break
		}
		n = parent
	}
	return nil, fmt.Errorf("no %s", key)
}

// markStream draws the crop marks around the trim box: at each corner a
// horizontal mark level with the trim edge and a vertical one, from the
// bleed edge outwards. It first closes the q that precedes the page's
// content.
func markStream(trim [4]float64, bleed float64) string {
	var b bytes.Buffer
	b.WriteString("Q\n0 G\n0.25 w\n")
	for _, x := range []float64{trim[0], trim[2]} {
		for _, y := range []float64{trim[1], trim[3]} {
			dx, dy := -1.0, -1.0 // outwards from the trim
			if x > trim[0] {
				dx = 1
			}
			if y > trim[1] {
				dy = 1
			}
			fmt.Fprintf(&b, "%.2f %.2f m %.2f %.2f l S\n", x+dx*bleed, y, x+dx*(bleed+markLength), y)
			fmt.Fprintf(&b, "%.2f %.2f m %.2f %.2f l S\n", x, y+dy*bleed, x, y+dy*(bleed+markLength))
		}
	}
	return b.String()
}

// stream is the body of an unfiltered stream object holding data.
func stream(data string) []byte {
	return fmt.Appendf(nil, "<< /Length %d >>\nstream\n%s\nendstream\n", len(data), data)
}

func rect(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf("[ %s %s %s %s ]", num(x0), num(y0), num(x1), num(y1))
}

// num writes a coordinate to a thousandth of a point, so that boxes
// computed apart (media, trim) keep their exact distances.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
}
