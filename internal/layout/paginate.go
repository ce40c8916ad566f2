package layout

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/parallel"
)

// noteChunk is the part of a footnote set on one page: lines [from, to)
// of its text. A note too long for the page of its mark continues under
// the rule of the next page (JLReq §4.2.5; docs/typesetting.md §5.5).
// number is the note's number on its mark's page, which it keeps when
// the whole note waits for the next page (see overfull).
type noteChunk struct {
	note     *doc.Footnote
	from, to int
	number   int
}

// keepsWithNext reports whether the page may not end after row k: the
// row may not end a page, or it is blank space (which vanishes at a
// page's foot) after such a row, on the page that begins at start. A
// heading followed by the space before a code block, table or figure
// goes with them.
func (p *paginator) keepsWithNext(start, k int) bool {
	for k > start && p.rows[k].discardable {
		k--
	}
	return p.rows[k].noBreakAfter
}

// paginator fills pages with rows: it decides where pages break, numbers
// them, sets the footnotes at their feet and the running heads and folios,
// and says where the internal links and the contents entries landed, for
// resolve.
type paginator struct {
	*frame
	text *typesetter // sets the footnotes, running heads and folios
	rows []*row
	// bodyStart is the first row of the text proper: pages before it are
	// front matter, numbered i, ii, … when the style gives them pages.
	bodyStart int
	title     string // the book's, for running heads
	progress  func(Progress)
	// noteLinks are the links of marks whose notes begin on a later page
	// than theirs, to be pointed there when the notes are placed.
	noteLinks map[*doc.Footnote][]pageLink
	// Running state: folio counters and the chapter whose title
	// right-hand running heads carry.
	frontPages, bodyPages int
	chapter               string
}

// paginate fills pages with rows. A row that does not fit, together with
// the first lines of the footnotes it references, goes to the next page
// unless no page could hold those (see overfull); so do the rows before
// it that may not end a page (headings, orphans, widows). Notes continued
// from earlier pages that fill a page have it to themselves. It returns
// the pages, the internal links on them and the contents entries as
// placed.
// Pages are filled on other goroutines while the next are planned; an
// error is a page that could not be filled.
func (p *paginator) paginate() (pages []*Page, links []pendingLink, tocs []tocPlacement, err error) {
	var carry []noteChunk // note lines continued from the previous page
	// Every page is filled before paginate returns, panicking or not.
	fills, filled := parallel.Feed(0, "filling pages", func(f *pageFill) error {
		f.fill()
		return nil
	})
	defer func() { err = errors.Join(err, filled()) }()
	for i := 0; i < len(p.rows) || len(carry) > 0; {
		for i < len(p.rows) && p.rows[i].discardable {
			i++
		}
		if i == len(p.rows) && len(carry) == 0 {
			break
		}
		start, used := i, p.repeatSlots(i)
		// A right-hand start after a right-hand page leaves a blank
		// left-hand page (pages with an even index are right-hand).
		if i < len(p.rows) && p.rows[i].recto && len(pages)%2 == 1 && len(carry) == 0 {
			pages = append(pages, p.blankPage(len(pages), i < p.bodyStart))
		}
		var notes []*doc.Footnote
		// Notes continued from earlier pages that leave no room for a
		// line of text fill this page alone.
		forced := len(carry) > 0 && !p.fits(1, carry, nil)
		for i < len(p.rows) && !forced {
			r := p.rows[i]
			if i > start && r.newPage {
				forced = true
				break
			}
			withNotes := appendNew(notes, r.notes)
			if i > start && !p.fits(used+r.slots, carry, withNotes) && !p.overfull(r.slots, used, carry, notes, withNotes) {
				if r.float && p.floatFigure(i, used, carry, notes) {
					continue
				}
				break
			}
			notes, used = withNotes, used+r.slots
			i++
		}
		if i < len(p.rows) && !forced {
			cut := i
			for cut-1 > start && p.keepsWithNext(start, cut-1) {
				cut--
			}
			if cut-1 > start || !p.rows[start].noBreakAfter {
				i = cut
			}
		}
		f, pl, pt, rest := p.finishPage(p.tablePage(start, i), len(pages), carry, start < p.bodyStart)
		pages = append(pages, f.page)
		fills <- f
		if p.progress != nil {
			p.progress(Progress{Pages: len(pages), Chapter: p.chapter})
		}
		links = append(links, pl...)
		tocs = append(tocs, pt...)
		carry = rest
	}
	return pages, links, tocs, nil
}

// pageFill is what finishPage decided to draw on a page, in drawing
// order. Copying the rows' drawing onto the page is most of pagination's
// work and depends on nothing decided for later pages, so pages are
// filled by other goroutines while the next ones are planned.
type pageFill struct {
	page *Page
	left float64 // the measure's left edge on the page
	ops  []fillOp
}

// fillOp is one step of filling a page: a row placed with its left edge
// at left and its top at y, with the text of some of its glyphs replaced
// (note marks numbered on the page), or glyphs and rules already placed.
type fillOp struct {
	row     *row
	left, y float64
	marks   []glyphText
	glyphs  []Glyph
	rules   []Rule
}

// glyphText replaces the text of a row's glyph and, when size is not
// zero, its size and horizontal scale.
type glyphText struct {
	glyph       int
	text        string
	size, widen float64
}

// minWiden is how far a note number wider than its place is condensed
// before it is made smaller as well: [51] keeps most of its height and
// stays legible.
const minWiden = 0.7

// fitScale returns the scales of size and of width that fit a text width
// wide into room: condensed first, down to minWiden, then smaller.
func fitScale(width, room float64) (scale, widen float64) {
	f := room / width
	widen = max(f, minWiden)
	return f / widen, widen
}

// fitMark gives the mark g, glyph gi of its row, its text on the page.
// The line was set with a circled number's width for the mark; a number
// past ㊿ ([51]) is wider and is fitted to that width, so that it does
// not run into what follows it.
func fitMark(gi int, g Glyph, text string) glyphText {
	m := glyphText{glyph: gi, text: text}
	if utf8.RuneCountInString(text) < 2 {
		return m
	}
	room, w := 0.0, 0.0
	for _, c := range g.Text {
		room += g.Face.Advance(c) * g.Size
	}
	for _, c := range text {
		w += g.Face.Advance(c) * g.Size
	}
	if w > room+eps {
		scale, widen := fitScale(w, room)
		m.size, m.widen = g.Size*scale, widen
	}
	return m
}

// fill copies the page's rows and other drawing onto it. A placed row's
// own drawing is dropped afterwards, so that a long book does not hold
// its glyphs twice; a table's header row keeps its drawing for the pages
// its table continues on.
func (f *pageFill) fill() {
	p := f.page
	glyphs, lines := 0, 0
	for _, op := range f.ops {
		glyphs += len(op.glyphs)
		if op.row != nil {
			glyphs += len(op.row.glyphs)
			lines += len(op.row.lines)
		}
	}
	p.Glyphs = make([]Glyph, 0, glyphs)
	p.Lines = make([]Line, 0, lines)
	for _, op := range f.ops {
		if op.row != nil {
			op.row.copyTo(p, op.left, op.y, op.marks)
			if !op.row.tableHead {
				op.row.glyphs, op.row.lines, op.row.rules, op.row.images = nil, nil, nil, nil
			}
		}
		p.Glyphs = append(p.Glyphs, op.glyphs...)
		p.Rules = append(p.Rules, op.rules...)
	}
}

// fits reports whether slots grid lines of body text fit on a page with
// the continued note lines and notes: every note whole, except that the
// last may break after its first two lines.
func (p *paginator) fits(slots int, carry []noteChunk, notes []*doc.Footnote) bool {
	h := float64(slots) * p.pitch
	if len(carry) > 0 || len(notes) > 0 {
		h += p.noteGap
	}
	for _, c := range carry {
		h += float64(c.to-c.from) * p.notePitch
	}
	for k, n := range notes {
		lines := len(p.text.note(n).lines)
		if k == len(notes)-1 {
			lines = min(lines, 2)
		}
		h += float64(lines) * p.notePitch
	}
	return h <= p.bodyH+eps
}

// overfull reports whether a row of slots grid lines whose notes do not
// all fit on the page goes on it anyway, after used slots and notes:
// when no page could hold its new notes (withNotes past notes), waiting
// for the next page would only leave this one short, a paragraph's first
// line alone on it, and the row would not fit the next one either. It
// goes here when the notes before it and the first lines of its first
// note fit; its other notes continue on the following pages.
func (p *paginator) overfull(slots, used int, carry []noteChunk, notes, withNotes []*doc.Footnote) bool {
	if len(withNotes) == len(notes) || p.fits(slots, nil, withNotes[len(notes):]) {
		return false
	}
	return p.fits(used+slots, carry, withNotes[:len(notes)+1])
}

func appendNew(notes, more []*doc.Footnote) []*doc.Footnote {
	out := notes
	for _, n := range more {
		found := false
		for _, m := range out {
			found = found || m == n
		}
		if !found {
			if len(out) == len(notes) {
				out = append([]*doc.Footnote(nil), notes...)
			}
			out = append(out, n)
		}
	}
	return out
}

// finishPage places rows on page number idx (0-based), numbers the
// footnote marks ①②③ afresh on the page and sets the notes at its foot
// (docs/typesetting.md §5.5), and adds the running head and folio.
// front says the page belongs to the front matter (title, contents).
// The page's drawing is copied onto it later (see pageFill); everything
// else about the page is decided here, in page order.
func (p *paginator) finishPage(rows []*row, idx int, carry []noteChunk, front bool) (*pageFill, []pendingLink, []tocPlacement, []noteChunk) {
	page := &Page{Width: p.pageW, Height: p.pageH, Folio: p.folio(front), Start: TextPos{Block: -1}}
	f := &pageFill{page: page, left: p.leftFor(idx)}
	// The chapter right-hand running heads carry: the one in effect at
	// the page's top, or the first the page opens if none is.
	chapter, opensChapter := p.chapter, false
	var links []pendingLink
	var tocs []tocPlacement
	marks := noteMarks{number: map[*doc.Footnote]int{}}
	y := p.top
	first := true // no row placed on the page yet
	for k, r := range rows {
		if r.discardable && (k == 0 || k == len(rows)-1) {
			continue
		}
		op := p.placeRow(f, r, y)
		for _, l := range r.links {
			if id, ok := strings.CutPrefix(l.url, "#"); ok {
				links = append(links, pendingLink{page: idx, link: Link{X: l.x + f.left, Y: l.y + y, W: l.w, H: l.h}, id: id})
			}
		}
		for j, gi := range r.refs {
			g := r.glyphs[gi]
			g.X += f.left
			g.Y += y
			op.marks = append(op.marks, fitMark(gi, g, marks.add(r.notes[j], g)))
		}
		if r.anchor != nil {
			r.anchor.page, r.anchor.y = idx, y
			r.anchor.folio = page.Folio
		}
		if r.chapter != "" {
			// A page whose text begins with the chapter's title opens
			// the chapter, whether the style starts chapters on new
			// pages or not.
			opensChapter = opensChapter || first
			if chapter == "" || first {
				chapter = r.chapter
			}
		}
		first = false
		if r.lead != nil && r.lead.Block >= 0 && page.Start.Block < 0 {
			page.Start = *r.lead
		}
		if r.start != nil && page.Start.Block < 0 {
			page.Start = *r.start
		}
		if r.toc != nil {
			tocs = append(tocs, tocPlacement{page: idx, top: y, row: r})
		}
		y += float64(r.slots) * p.pitch
	}
	rest := p.notesAndMarks(f, idx, carry, &marks, y)
	p.runningHead(f, idx, front, opensChapter, chapter)
	// The chapter in effect at the next page's top is the last one
	// opened on this page.
	for _, r := range rows {
		if r.chapter != "" {
			p.chapter = r.chapter
		}
	}
	return f, links, tocs, rest
}

// notesAndMarks sets at the foot of page idx, below y, the notes carried
// from earlier pages and those its marks call, links each mark to its
// note (to a later page's when the note is set there; see noteLinks), and
// returns the notes left for the next page.
func (p *paginator) notesAndMarks(f *pageFill, idx int, carry []noteChunk, marks *noteMarks, y float64) []noteChunk {
	page := f.page
	chunks := append([]noteChunk(nil), carry...)
	for _, n := range marks.notes {
		chunks = append(chunks, noteChunk{note: n, from: 0, to: len(p.text.note(n).lines), number: marks.number[n]})
	}
	noteTop, rest := p.placeNotes(f, chunks, y)
	for n, top := range noteTop {
		for _, l := range p.noteLinks[n] {
			l.page.Links[l.link].DestPage, l.page.Links[l.link].DestY = idx, top
		}
		delete(p.noteLinks, n)
	}
	for k, g := range marks.glyphs {
		n := marks.of[k]
		top, ok := noteTop[n]
		if !ok {
			if p.noteLinks == nil {
				p.noteLinks = map[*doc.Footnote][]pageLink{}
			}
			p.noteLinks[n] = append(p.noteLinks[n], pageLink{page, len(page.Links)})
		}
		page.Links = append(page.Links, Link{X: g.X, Y: g.Y - emAscent*g.Size, W: g.Size, H: g.Size, DestPage: idx, DestY: top})
	}
	return rest
}

// pageLink is a link on a page, by its index in the page's links.
type pageLink struct {
	page *Page
	link int
}

// noteMarks numbers a page's footnotes ①②③ in the order their marks
// come, and keeps the marks as placed, for links to the notes.
type noteMarks struct {
	notes  []*doc.Footnote // in the order of their first marks
	number map[*doc.Footnote]int
	glyphs []Glyph         // the marks as placed on the page
	of     []*doc.Footnote // the note of each mark
}

// add numbers the mark of note n placed as g and returns its text.
func (m *noteMarks) add(n *doc.Footnote, g Glyph) string {
	if m.number[n] == 0 {
		m.notes = append(m.notes, n)
		m.number[n] = len(m.notes)
	}
	m.glyphs = append(m.glyphs, g)
	m.of = append(m.of, n)
	return circled(m.number[n])
}

// folio numbers the next page: front matter i, ii, … and the text from 1
// when the style gives the front matter pages of its own, else 1, 2, ….
func (p *paginator) folio(front bool) string {
	if front && p.st.FrontMatterPages {
		p.frontPages++
		return roman(p.frontPages)
	}
	p.bodyPages++
	return strconv.Itoa(p.bodyPages)
}

// roman writes n in lower-case Roman numerals, as front matter folios are.
func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// blankPage is a page left empty so that the next starts on the right:
// it counts in the numbering but prints no head or folio.
func (p *paginator) blankPage(idx int, front bool) *Page {
	return &Page{Width: p.pageW, Height: p.pageH, Folio: p.folio(front), Start: TextPos{Block: -1}}
}

// placeRow places a row on the page being planned with its top at y: its
// external links now, its drawing when the page is filled. It returns the
// row's fill step, for marks to be added to.
func (p *paginator) placeRow(f *pageFill, r *row, y float64) *fillOp {
	f.ops = append(f.ops, fillOp{row: r, left: f.left, y: y})
	for _, l := range r.links {
		if !strings.HasPrefix(l.url, "#") {
			f.page.Links = append(f.page.Links, Link{X: l.x + f.left, Y: l.y + y, W: l.w, H: l.h, URL: l.url})
		}
	}
	return &f.ops[len(f.ops)-1]
}

// copyTo copies the row's glyphs, rules, images and lines onto p with its
// left edge at left and its top at y, then gives the glyphs in marks
// their text.
func (r *row) copyTo(p *Page, left, y float64, marks []glyphText) {
	base := len(p.Glyphs)
	p.Glyphs = append(p.Glyphs, r.glyphs...)
	for i := base; i < len(p.Glyphs); i++ {
		p.Glyphs[i].X += left
		p.Glyphs[i].Y += y
	}
	for _, m := range marks {
		g := &p.Glyphs[base+m.glyph]
		g.Text = m.text
		if m.size != 0 {
			g.Size, g.Widen = m.size, m.widen
		}
	}
	for _, ru := range r.rules {
		ru.X += left
		ru.Y += y
		p.Rules = append(p.Rules, ru)
	}
	for _, im := range r.images {
		im.X += left
		im.Y += y
		p.Images = append(p.Images, im)
	}
	n := 0
	for _, l := range r.lines {
		n += len(l.Cells)
	}
	cells := make([]Cell, 0, n) // one allocation for the row's lines
	for _, l := range r.lines {
		l.Y += y
		l.X0 += left
		l.X1 += left
		from := len(cells)
		for _, c := range l.Cells {
			cells = append(cells, Cell{Glyph: c.Glyph + base, Start: c.Start + left, Width: c.Width})
		}
		l.Cells = cells[from:len(cells):len(cells)]
		p.Lines = append(p.Lines, l)
	}
}

// placeNotes sets the page's note chunks bottom-aligned in the type
// area below a short rule, as many lines as fit below bodyEnd; it returns
// where each note starts and the lines left for the next page. A chunk
// that continues a note has no number.
func (p *paginator) placeNotes(f *pageFill, chunks []noteChunk, bodyEnd float64) (map[*doc.Footnote]float64, []noteChunk) {
	tops := map[*doc.Footnote]float64{}
	if len(chunks) == 0 {
		return tops, nil
	}
	room := int((p.top + p.bodyH - bodyEnd - p.noteGap + eps) / p.notePitch)
	var placed, rest []noteChunk
	for _, c := range chunks {
		n := min(c.to-c.from, max(room, 0))
		if n > 0 {
			placed = append(placed, noteChunk{note: c.note, from: c.from, to: c.from + n, number: c.number})
			room -= n
		}
		if c.from+n < c.to {
			rest = append(rest, noteChunk{note: c.note, from: c.from + n, to: c.to, number: c.number})
		}
	}
	lines := 0
	for _, c := range placed {
		lines += c.to - c.from
	}
	y := p.top + p.bodyH - p.noteGap - float64(lines)*p.notePitch
	// Separator: a thin rule a quarter of the measure long, flush left.
	f.ops = append(f.ops, fillOp{rules: []Rule{{X: f.left, Y: y + p.noteGap/2, W: p.measure / 4, H: 0.5}}})
	y += p.noteGap
	base := (p.notePitch-p.noteSize)/2 + emAscent*p.noteSize
	for _, c := range placed {
		sp := p.text.note(c.note)
		r := &row{}
		if c.from == 0 {
			tops[c.note] = y
			r.glyphs = append(r.glyphs, p.noteNumber(c)...)
		}
		for k, ln := range sp.lines[c.from:c.to] {
			drawLine(r, sp, ln, p.noteNumberWidth(), base+float64(k)*p.notePitch)
		}
		p.placeRow(f, r, y)
		y += float64(c.to-c.from) * p.notePitch
	}
	return tops, rest
}

// noteNumber draws the number of the note that chunk c begins, at the
// left edge of a note row. A number wider than an em ([51] on) is fitted to
// one, as the mark in the text is (fitMark), so that the half-em gap to
// the note's hanging text stays.
func (p *paginator) noteNumber(c noteChunk) []Glyph {
	base := (p.notePitch-p.noteSize)/2 + emAscent*p.noteSize
	atoms := p.text.atomsOf([]doc.Inline{doc.Text(circled(c.number))}, styleOf(p.body, p.noteSize), c.note.Pos)
	glyphs := make([]Glyph, len(atoms))
	x := 0.0
	for k, a := range atoms {
		if k > 0 {
			x += a.gap
		}
		glyphs[k] = Glyph{Text: a.text(), Face: a.face, Size: a.size, X: x, Y: base}
		x += a.width
	}
	if len(glyphs) < 2 || x <= p.noteSize+eps {
		return glyphs
	}
	scale, widen := fitScale(x, p.noteSize)
	for k := range glyphs {
		glyphs[k].X *= scale * widen
		glyphs[k].Size *= scale
		glyphs[k].Widen = widen
	}
	return glyphs
}

// runningHead adds the book title or the chapter above the type area (not
// on the first page) and the folio centred below it (docs/typesetting.md
// §5.7).
func (p *paginator) runningHead(f *pageFill, idx int, front, opensChapter bool, chapter string) {
	page := f.page
	size := p.st.HeaderSize
	head := p.title
	if p.st.Duplex && idx%2 == 0 && chapter != "" {
		// Right-hand pages carry the chapter, left-hand ones the book.
		head = chapter
	}
	if idx > 0 && head != "" && !front && !opensChapter {
		g, w := p.text.lineOf(p.text.shortHead(head, size), size)
		base := p.top - 0.9*p.em
		f.ops = append(f.ops, fillOp{
			glyphs: placed(g, f.left+(p.measure-w)/2, base),
			rules:  []Rule{{X: f.left, Y: base + 0.45*size, W: p.measure, H: 0.4}},
		})
	}
	if front && idx == 0 && p.st.FrontMatterPages {
		return // the title page shows no folio
	}
	g, w := p.text.lineOf(page.Folio, size)
	base := p.top + p.bodyH + (p.pageH-p.top-p.bodyH)/2
	f.ops = append(f.ops, fillOp{glyphs: placed(g, f.left+(p.measure-w)/2, base)})
}

// placed returns a copy of glyphs moved by (dx, dy).
func placed(glyphs []Glyph, dx, dy float64) []Glyph {
	out := slices.Clone(glyphs)
	for i := range out {
		out[i].X += dx
		out[i].Y += dy
	}
	return out
}
