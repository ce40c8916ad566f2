package layout

import (
	"math"
	"slices"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/parallel"
)

// contents is what the contents, the list of figures, the outline and
// internal links are made from: the headings and part titles in order,
// the target of every id, the figures. The rows register their entries
// and targets as they are made; once the pages are known, resolve points
// the links and fills in the page numbers.
type contents struct {
	*frame
	text     *typesetter
	headings []*anchor
	byID     map[string]*anchor
	// figures are the list-of-figures entries, in order.
	figures []figureEntry
	// inPart is set once a part title is set: the headings after it are
	// one level deeper in the contents and the outline.
	inPart bool
}

func newContents(fr *frame, text *typesetter) *contents {
	return &contents{frame: fr, text: text, byID: map[string]*anchor{}}
}

// addPart adds a part title to the contents and the outline.
func (c *contents) addPart(info *anchor) {
	c.headings = append(c.headings, info)
	c.target(info)
	c.inPart = true
}

// addHeading adds a heading to the contents and the outline, a level
// deeper after a part title.
func (c *contents) addHeading(info *anchor) {
	if c.inPart {
		info.level++
	}
	c.headings = append(c.headings, info)
	c.target(info)
}

// target makes a heading what links to its id jump to, whichever target
// had the id before.
func (c *contents) target(info *anchor) {
	if info.id != "" {
		c.byID[info.id] = info
	}
}

// addFigure adds a figure to the list of figures and, unless something
// before it has its id, makes it the id's target.
func (c *contents) addFigure(info *anchor, number int, caption []doc.Inline) {
	c.floatTarget(info)
	c.figures = append(c.figures, figureEntry{info: info, number: number, caption: caption})
}

// floatTarget makes a figure or table what links to its id jump to,
// unless something before it has the id.
func (c *contents) floatTarget(info *anchor) {
	if info.id == "" {
		return
	}
	if _, taken := c.byID[info.id]; !taken {
		c.byID[info.id] = info
	}
}

// anchor is what links to an id jump to and, for a heading or part
// title, its entry in the contents and the outline; pagination fills in
// where it landed.
type anchor struct {
	title string
	// level is the entry's level in the contents and the outline: the
	// heading's, one deeper after a part title.
	level int
	part  bool // a part title, not a heading
	id    string
	page  int
	folio string
	y     float64
	pos   doc.Pos // in the source, for characters no face has
}

// figureEntry is a figure as the list of figures shows it.
type figureEntry struct {
	info    *anchor // where the figure is, once paginated
	number  int
	caption []doc.Inline
}

// pendingLink is an internal link waiting for its target's page.
type pendingLink struct {
	page int
	link Link
	id   string
}

// tocPlacement is a table-of-contents row as placed on a page.
type tocPlacement struct {
	page int
	top  float64
	row  *row
}

// tocRows sets the table of contents: one entry per heading, with dot
// leaders and the page number filled in after pagination (resolve). The
// error is a panic while setting an entry.
func (c *contents) tocRows() ([]*row, error) {
	if len(c.headings) == 0 {
		return nil, nil
	}
	var toc []*row
	toc = append(toc, &row{slots: 1, discardable: true})
	label := c.text.atomsOf([]doc.Inline{doc.Text("目　录")}, styleOf(c.headingF, c.st.HeadingSize(2)), doc.Pos{})
	lsp := c.text.setText(label, c.measure, 0, 0, false)
	lr := &row{slots: 1, noBreakAfter: true}
	drawLine(lr, lsp, lsp.lines[0], (c.measure-lsp.lines[0].width)/2, c.baseline(c.st.HeadingSize(2)))
	toc = append(toc, lr)
	// Entries are set in parallel, each with the characters no face had
	// kept apart and reported in the entries' order.
	type entry struct {
		rows    []*row
		missing []MissingGlyph
	}
	entries := make([]entry, len(c.headings))
	err := parallel.Workers(len(c.headings), 0, "setting the contents", func(scratch *workerScratch, i int) error {
		entries[i].rows = c.tocEntry(c.headings[i], &entries[i].missing, scratch)
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := 0
	for _, e := range entries {
		n += len(e.rows)
	}
	toc = slices.Grow(toc, n+1)
	for _, e := range entries {
		toc = append(toc, e.rows...)
		c.text.missing = append(c.text.missing, e.missing...)
	}
	toc = append(toc, &row{slots: 1, discardable: true})
	return toc, nil
}

// tocEntry sets the contents entry of heading h: its rows, the last one
// carrying h for the page number. Characters no face has are added to
// missing.
func (c *contents) tocEntry(h *anchor, missing *[]MissingGlyph, scratch *workerScratch) []*row {
	// Page numbers get a 3-em column; entries are indented by level.
	numCol := 3 * c.em
	indent := float64(h.level-1) * 2 * c.em
	face := c.body
	if h.part {
		face = c.headingF
	}
	b := c.text.builder(h.pos)
	b.atoms, b.missing = scratch.atoms[:0], missing
	b.addText(h.title, styleOf(face, c.em))
	atoms := b.finish()
	defer func() { scratch.atoms = atoms[:0] }()
	set := func(atoms []atom) *setPara {
		p := paragraph{atoms: atoms, measure: c.measure - numCol - c.em, firstIndent: indent, indent: indent + 2*c.em,
			em: c.em, scratch: &scratch.breaks}
		return &setPara{atoms: atoms, lines: breakLines(p)}
	}
	sp := set(atoms)
	// Like headings, entries wrap after punctuation when that costs no
	// extra line.
	if len(sp.lines) > 1 {
		if punct := breaksAfterPunctuation(atoms); punct != nil {
			if try := set(punct); len(try.lines) == len(sp.lines) {
				sp = try
			}
		}
	}
	rows := make([]*row, len(sp.lines))
	for i, ln := range sp.lines {
		r := &row{slots: 1, noBreakAfter: i < len(sp.lines)-1}
		x0 := indent
		if i > 0 {
			x0 += 2 * c.em
		}
		drawLine(r, sp, ln, x0, c.baseline(c.em))
		if i == len(sp.lines)-1 {
			r.toc = h
			r.tocWidth = x0 + ln.width
		}
		rows[i] = r
	}
	return rows
}

// targetFolios returns the printed page of every id a link can jump to.
// Headings register in byID; so do figures and tables, through the row
// that carries them.
func (c *contents) targetFolios() map[string]string {
	out := make(map[string]string, len(c.byID))
	for id, h := range c.byID {
		if h.folio != "" {
			out[id] = h.folio
		}
	}
	return out
}

// resolve fills in what depends on final page numbers: internal links,
// the table of contents' page numbers and leaders, and the outline.
func (c *contents) resolve(b *Book, links []pendingLink, tocs []tocPlacement) {
	for _, pl := range links {
		h := c.byID[pl.id]
		if h == nil {
			continue
		}
		lk := pl.link
		lk.DestPage, lk.DestY = h.page, h.y
		b.Pages[pl.page].Links = append(b.Pages[pl.page].Links, lk)
	}
	c.growTOCPages(b, tocs)
	for _, t := range tocs {
		c.fillTOCEntry(b.Pages[t.page], t, c.leftFor(t.page))
	}
	prev := 0
	for _, h := range c.headings {
		level := min(h.level, prev+1)
		b.Outline = append(b.Outline, OutlineEntry{Title: h.title, Level: level, Page: h.page, Y: h.y})
		prev = level
	}
}

// growTOCPages makes room on the contents' pages for what fillTOCEntry
// adds, so that their glyphs are copied once instead of doubled by the
// entries' appends: the contents of 100,000 headings held 116 MB of
// glyphs, a third of it unused capacity.
func (c *contents) growTOCPages(b *Book, tocs []tocPlacement) {
	type room struct{ glyphs, entries int }
	need := map[int]room{}
	for _, t := range tocs {
		g, _ := c.text.lineOf(t.row.toc.folio, c.em)
		r := need[t.page]
		r.glyphs += len(g)
		r.entries++
		need[t.page] = r
	}
	for i, r := range need {
		p := b.Pages[i]
		p.Glyphs = slices.Grow(p.Glyphs, r.glyphs)
		p.Rules = slices.Grow(p.Rules, r.entries)
		p.Links = slices.Grow(p.Links, r.entries)
	}
}

// fillTOCEntry draws dot leaders and the right-aligned page number on
// p, whose measure starts at left.
func (c *contents) fillTOCEntry(p *Page, t tocPlacement, left float64) {
	h := t.row.toc
	g, w := c.text.lineOf(h.folio, c.em)
	base := t.top + c.baseline(c.em)
	right := left + c.measure
	for _, gl := range g {
		gl.X += right - w
		gl.Y += base
		p.Glyphs = append(p.Glyphs, gl)
	}
	// Leaders: dots every half em, aligned to a common grid so that the
	// columns of dots line up from entry to entry.
	step := c.em / 2
	d := 0.1 * c.em
	from := left + t.row.tocWidth + c.em/2
	to := right - w - c.em/2
	if x := left + math.Ceil((from-left)/step)*step; x+d <= to {
		n := math.Floor((to - d - x) / step)
		p.Rules = append(p.Rules, Rule{X: x, Y: base - d, W: n*step + d, H: d, Step: step})
	}
	p.Links = append(p.Links, Link{X: left, Y: t.top, W: c.measure, H: c.pitch, DestPage: h.page, DestY: h.y})
}
