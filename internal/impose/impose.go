// Package impose arranges the pages of a finished PDF two to a sheet: as a
// saddle-stitched booklet or as plain 2-up, and adds crop marks. It reads
// the finished PDF (what paiban writes) back through pdfobj, so it works
// on the file a print shop gets, not on the layout.
package impose

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paiban/paiban/internal/deflate"
	"github.com/paiban/paiban/internal/pdfobj"
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
//
// Each page becomes one Form XObject that shares the page's resources
// and content stream with src, so fonts and images stay single objects;
// the source pages themselves, their links and the outline, which would
// point at pages that are no longer there, are left out.
func Impose(w io.Writer, src []byte, m Mode) error {
	if _, err := ParseMode(string(m)); err != nil {
		return err
	}
	f, pages, err := readPages(src, "impose")
	if err != nil {
		return err
	}
	first, err := pageBox(f, pages[0])
	if err != nil {
		return fmt.Errorf("impose: %w", err)
	}
	pw, ph := first[2]-first[0], first[3]-first[1]
	if !(pw > 0 && ph > 0) {
		return errors.New("impose: the PDF's pages have no size")
	}
	scale := math.Min(SheetWidth/2/pw, SheetHeight/ph)
	w2, h2 := pw*scale, ph*scale
	y := (SheetHeight - h2) / 2
	forms := map[int]int{}
	tree := f.Add(nil)
	var kids []byte
	order := Order(m, len(pages))
	for i := 0; i < len(order); i += 2 {
		var content, xobjects []byte
		for half, p := range order[i : i+2] {
			if p == Blank {
				continue
			}
			form, ok := forms[p]
			if !ok {
				if form, err = pageForm(f, pages[p]); err != nil {
					return fmt.Errorf("impose: page %d: %w", p+1, err)
				}
				forms[p] = form
			}
			box, err := pageBox(f, pages[p])
			if err != nil {
				return fmt.Errorf("impose: page %d: %w", p+1, err)
			}
			x := float64(half)*SheetWidth/2 + (SheetWidth/2-w2)/2
			// The scale to six places: to three, an A4 page's top would
			// be a tenth of a point off.
			sc := strconv.FormatFloat(scale, 'f', 6, 64)
			content = fmt.Appendf(content, "q %s 0 0 %s %s %s cm /P%d Do Q\n",
				sc, sc, num(x-scale*box[0]), num(y-scale*box[1]), p+1)
			xobjects = fmt.Appendf(xobjects, " /P%d %d 0 R", p+1, form)
		}
		c := f.Add(stream(string(content)))
		sheet := f.Add(fmt.Appendf(nil, "<<\n  /Type /Page\n  /Parent %d 0 R\n  /MediaBox [ 0 0 %s %s ]\n  /Resources << /ProcSet [/PDF] /XObject <<%s >> >>\n  /Contents %d 0 R\n>>\n",
			tree, num(SheetWidth), num(SheetHeight), xobjects, c))
		kids = fmt.Appendf(kids, " %d 0 R", sheet)
	}
	f.Set(tree, fmt.Appendf(nil, "<<\n  /Type /Pages\n  /Kids [%s ]\n  /Count %d\n>>\n", kids, len(order)/2))
	// A new catalog: the outline, page labels and named destinations
	// speak of the source's pages.
	cat, err := f.Dict(f.Root())
	if err != nil {
		return fmt.Errorf("impose: %w", err)
	}
	root := fmt.Appendf(nil, "<<\n  /Type /Catalog\n  /Pages %d 0 R\n", tree)
	if lang, ok := cat.Get("/Lang"); ok {
		root = fmt.Appendf(root, "  /Lang %s\n", lang)
	}
	f.Set(f.Root(), append(root, ">>\n"...))
	f.Prune(f.Info())
	return f.Write(w, f.Info())
}

// pageBox is the part of page p that goes on the sheet: its TrimBox, or
// its MediaBox when it has none.
func pageBox(f *pdfobj.File, p int) ([4]float64, error) {
	d, err := f.Dict(p)
	if err != nil {
		return [4]float64{}, err
	}
	if v, ok := d.Get("/TrimBox"); ok {
		return parseBox(v)
	}
	return mediaBox(f, p)
}

// pageForm adds a Form XObject showing page p: its content, clipped to
// its box, drawn with the page's own resources object.
func pageForm(f *pdfobj.File, p int) (int, error) {
	box, err := pageBox(f, p)
	if err != nil {
		return 0, err
	}
	res, err := inherited(f, p, "/Resources")
	if err != nil {
		return 0, err
	}
	d, err := f.Dict(p)
	if err != nil {
		return 0, err
	}
	contents, ok := d.Refs("/Contents")
	if !ok {
		return 0, errors.New("no /Contents")
	}
	var filter, data []byte
	if len(contents) == 1 {
		// One stream: its data as it is, compressed or not.
		sd, raw, err := f.Stream(contents[0])
		if err != nil {
			return 0, err
		}
		if v, ok := sd.Get("/Filter"); ok {
			filter = fmt.Appendf(nil, " /Filter %s", v)
		}
		if v, ok := sd.Get("/DecodeParms"); ok {
			filter = fmt.Appendf(filter, " /DecodeParms %s", v)
		}
		data = raw
	} else {
		// Several: one stream of their decoded data, the streams
		// separated by a line end as in a page (ISO 32000-1 §7.8.2).
		var all bytes.Buffer
		for _, c := range contents {
			plain, err := decoded(f, c)
			if err != nil {
				return 0, err
			}
			all.Write(plain)
			all.WriteByte('\n')
		}
		var z bytes.Buffer
		if err := deflate.Zlib(&z, all.Bytes(), 6); err != nil {
			return 0, err
		}
		filter, data = []byte(" /Filter /FlateDecode"), z.Bytes()
	}
	body := fmt.Appendf(make([]byte, 0, len(data)+200),
		"<< /Type /XObject /Subtype /Form /BBox %s /Resources %s%s /Length %d >>\nstream\n",
		rect(box[0], box[1], box[2], box[3]), res, filter, len(data))
	body = append(append(body, data...), "\nendstream\n"...)
	return f.Add(body), nil
}

// decoded returns the data of stream n, inflated if it is compressed.
func decoded(f *pdfobj.File, n int) ([]byte, error) {
	sd, raw, err := f.Stream(n)
	if err != nil {
		return nil, err
	}
	v, ok := sd.Get("/Filter")
	if !ok {
		return raw, nil
	}
	if _, parms := sd.Get("/DecodeParms"); parms || strings.Trim(string(v), "[] ") != "/FlateDecode" {
		return nil, fmt.Errorf("content stream %d: filter %s not supported", n, v)
	}
	r, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("content stream %d: %w", n, err)
	}
	return io.ReadAll(r)
}

// readPages parses src and finds its pages; errors begin with what.
func readPages(src []byte, what string) (*pdfobj.File, []int, error) {
	f, err := pdfobj.Parse(src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot read the PDF: %w", what, err)
	}
	pages, err := f.Pages()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot read the PDF: %w", what, err)
	}
	if len(pages) == 0 {
		return nil, nil, fmt.Errorf("%s: the PDF has no pages", what)
	}
	return f, pages, nil
}
