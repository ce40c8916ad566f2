package layout

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/doc"
)

// Image is a raster image placed on a page, scaled to W×H points with its
// top-left corner at (X, Y).
type Image struct {
	X, Y, W, H float64
	Image      *ImageData
}

// ImageData is an image file as the reader found and checked it: the PDF
// writer embeds it without reading the document model.
type ImageData = doc.Image

// figureDPI is the resolution at which an image is shown at its natural
// size: a figure is never enlarged past it, so that pixels never show
// (150 dpi is the least a halftone print of a screenshot needs).
const figureDPI = 150

// maxFigureShare is the largest part of the body height an image may take,
// so that a figure leaves room for its caption and some text on its page.
const maxFigureShare = 2.0 / 3

// minFigureShare is the part of the body height an image keeps, at most
// its own height, however long its caption: a caption too long to fit
// below it continues after the figure rather than squeezing it away.
const minFigureShare = 1.0 / 3

// addFigure sets a figure centred in the column in leaves with
// its caption below it, as one row: a whole number of grid lines, so the
// text below stays on the grid, with the space left over shared above and
// below; a row is never split, so the figure is kept on one page. The
// lines of a caption longer than the page holds continue below it, one
// row each, on the pages after.
func (e *engine) addFigure(f *doc.Figure, in nest) {
	info := &anchor{id: f.ID, pos: f.Pos} // a link target, not a contents entry
	e.toc.addFigure(info, f.Number, f.Caption)
	avail := e.column(in)
	var w, h float64
	var ph *placeholder
	if f.Image != nil && f.Image.Missing == "" {
		w, h = e.figureSize(f.Image.Width, f.Image.Height, avail)
	} else {
		ph = e.text.newPlaceholder(f, avail)
		w, h = ph.w, ph.h
		if ph.shown >= 0 && doc.PlainText(f.Caption) != f.Alt {
			// A caption that is not the alt text does not give it whole.
			e.warnings = append(e.warnings, doc.Warning{Pos: f.Pos, Msg: fmt.Sprintf(
				"the alt text standing in for the image is cut after %d of its %d characters in the PDF, to fit a page; the EPUB keeps it all",
				ph.shown, utf8.RuneCountInString(f.Alt))})
		}
	}
	size := e.captionSize()
	capPitch := 1.5 * size
	gap := 0.4 * size // between the image and its caption
	sp := e.text.balanced(e.text.captionAtoms("图", f.Number, f.Caption, e.headingF, size, f.Pos), avail)
	lines := sp.lines
	capH := float64(len(lines)) * capPitch
	// A long caption takes room from the image, so that the figure still
	// fits a page.
	if room := e.bodyH - e.pitch - gap - capH; h > room && ph == nil {
		s := max(room, min(h, minFigureShare*e.bodyH)) / h
		w, h = w*s, h*s
	}
	slots := func(n int) int {
		return int(math.Ceil((h+gap+float64(n)*capPitch+e.pitch)/e.pitch - eps))
	}
	// The caption lines that do not fit on the figure's page follow it.
	var rest []line
	if page := int(e.bodyH/e.pitch + eps); slots(len(lines)) > page {
		n := len(lines)
		for n > 0 && slots(n) > page {
			n--
		}
		lines, rest = lines[:n], lines[n:]
	}
	content := h + gap + float64(len(lines))*capPitch
	// At least half a line above and below.
	r := &row{anchor: info, float: true, slots: slots(len(lines))}
	top := (float64(r.slots)*e.pitch - content) / 2
	switch {
	case ph != nil:
		drawPlaceholder(r, ph, in.left+(avail-w)/2, top)
	case w > 0 && h > 0:
		r.images = append(r.images, Image{X: in.left + (avail-w)/2, Y: top, W: w, H: h, Image: f.Image})
	}
	y := top + h + gap + (capPitch-size)/2 + emAscent*size
	for _, ln := range lines {
		drawLine(r, sp, ln, in.left+(avail-ln.width)/2, y)
		y += capPitch
	}
	e.rows = append(e.rows, r)
	for _, ln := range rest {
		// Floating with the figure, so that the text after it never
		// comes between its lines (see floatFigure).
		cr := &row{slots: 1, float: true, caption: true}
		drawLine(cr, sp, ln, in.left+(avail-ln.width)/2, e.baseline(size))
		e.rows = append(e.rows, cr)
	}
}

// captionAtoms sets "图1　caption": the label in faces f, an em's space
// (typed U+3000 would be taken for a word space), the caption in the body
// face.
func (ts *typesetter) captionAtoms(label string, n int, caption []doc.Inline, f faceSet, size float64, pos doc.Pos) []atom {
	b := ts.builder(pos)
	b.addText(label+strconv.Itoa(n), styleOf(f, size))
	k := len(b.atoms)
	ts.addInlines(b, caption, styleOf(ts.body, size))
	atoms := b.finish()
	if k < len(atoms) {
		atoms[k].gap, atoms[k].gapKind = size, gapNone
	}
	return atoms
}

// captionRows sets a table's caption "表1　caption" centred in the
// column in leaves, one row per line, kept with the table. It returns the
// first row.
func (e *engine) captionRows(label string, n int, caption []doc.Inline, in nest, pos doc.Pos) *row {
	size := e.captionSize()
	atoms := e.text.captionAtoms(label, n, caption, e.headingF, size, pos)
	avail := e.column(in)
	sp := e.text.balanced(atoms, avail)
	var first *row
	for _, ln := range sp.lines {
		r := &row{slots: 1, noBreakAfter: true}
		drawLine(r, sp, ln, in.left+(avail-ln.width)/2, e.baseline(size))
		e.rows = append(e.rows, r)
		if first == nil {
			first = r
		}
	}
	return first
}

// lofRows sets the list of figures (插图目录) like the table of
// contents: dot leaders and page numbers are filled in after pagination
// (fillTOCEntry).
func (c *contents) lofRows() []*row {
	if len(c.figures) == 0 {
		return nil
	}
	var lof []*row
	lof = append(lof, &row{slots: 1, discardable: true})
	size := c.st.HeadingSize(2)
	label := c.text.atomsOf([]doc.Inline{doc.Text("插图目录")}, styleOf(c.headingF, size), doc.Pos{})
	lsp := c.text.setText(label, c.measure, 0, 0, false)
	lr := &row{slots: 1, noBreakAfter: true, newPage: c.st.FrontMatterPages}
	drawLine(lr, lsp, lsp.lines[0], (c.measure-lsp.lines[0].width)/2, c.baseline(size))
	lof = append(lof, lr)
	numCol := 3 * c.em // as in the table of contents
	for _, f := range c.figures {
		atoms := c.text.captionAtoms("图", f.number, f.caption, c.body, c.em, f.info.pos)
		sp := c.text.setText(atoms, c.measure-numCol-c.em, 0, 2*c.em, false)
		for i, ln := range sp.lines {
			r := &row{slots: 1, noBreakAfter: i < len(sp.lines)-1}
			x0 := 0.0
			if i > 0 {
				x0 = 2 * c.em
			}
			drawLine(r, sp, ln, x0, c.baseline(c.em))
			if i == len(sp.lines)-1 {
				r.toc, r.tocWidth = f.info, x0+ln.width
			}
			lof = append(lof, r)
		}
	}
	lof = append(lof, &row{slots: 1, discardable: true})
	return lof
}

// floatFigure handles a figure at row i that does not fit on the page
// whose rows so far take used slots: as in books set by hand (and LaTeX's
// floats), the text that follows fills the page and the figure goes to
// the top of the next one, rather than leaving the page's foot empty.
// Figures after it wait too, in their order, while the text flows past
// them. The text moved up stops at the next heading (or table) or forced
// page, so a figure never leaves its section. It reports whether rows were moved.
func (p *paginator) floatFigure(i, used int, carry []noteChunk, notes []*doc.Footnote) bool {
	if p.rows[i].caption {
		return false // the rest of a caption stays before the text after it
	}
	moved := 0
	j := i + 1
	for ; j < len(p.rows); j++ {
		r := p.rows[j]
		if r.float {
			continue
		}
		if r.anchor != nil || r.newPage || r.discardable {
			break
		}
		withNotes := appendNew(notes, r.notes)
		if !p.fits(used+r.slots, carry, withNotes) {
			break
		}
		notes, used = withNotes, used+r.slots
		moved++
	}
	if moved == 0 {
		return false
	}
	// The text first, then the waiting figures, each group in its order.
	// Their page positions lie before text now on an earlier page.
	var text, figures []*row
	for _, r := range p.rows[i:j] {
		if r.float {
			r.lead = nil
			figures = append(figures, r)
		} else {
			text = append(text, r)
		}
	}
	copy(p.rows[i:j], append(text, figures...))
	return true
}
