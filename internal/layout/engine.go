// Package layout sets a document on pages: Chinese line breaking,
// punctuation compression, justification, footnotes at the foot of their
// page, running heads, a table of contents and the outline. It produces a
// Book of positioned glyphs and knows nothing about PDF.
package layout

import (
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
)

// Options configure one layout run.
type Options struct {
	Style *style.Style
	// Faces holds the loaded fonts by file name, as the style names them.
	Faces   map[string]*fonts.Face
	Creator string
	Date    time.Time
	// Progress, when set, hears how far the layout is, for a progress
	// line on long books. It is called from one goroutine at a time.
	Progress func(Progress)
}

// Progress is how far a layout is: paragraphs are set first (in
// parallel), then pages are made.
type Progress struct {
	Paragraphs, OfParagraphs int
	Pages                    int
	Chapter                  string // the chapter being worked on
}

// Result is a laid-out book plus what the author should hear about.
type Result struct {
	Book *Book
	// Missing lists characters no bundled font covers; each was set as 〓.
	Missing []MissingGlyph
}

// Em-box metrics of the CJK faces: the ideographic em box runs from
// -0.12 em to 0.88 em around the alphabetic baseline (docs/typesetting.md §4.3).
const (
	emAscent  = 0.88
	emDescent = 0.12
)

// Layout sets d in the given style.
func Layout(d *doc.Document, opt Options) (*Result, error) {
	e, err := newEngine(opt)
	if err != nil {
		return nil, err
	}
	// A cross-reference that prints its target's page needs the pages
	// first: the book is laid out again with the folios found until they
	// no longer change (a number's width can move a target).
	var refs map[string]string // none known in the first pass
	for pass := 1; ; pass++ {
		e.pageRefs = refs
		e.buildRows(d)
		pages := e.paginate()
		book := &Book{
			Info: Info{
				Title:    d.Meta.Title,
				Author:   d.Meta.AuthorNames(),
				Subject:  d.Meta.Description,
				Keywords: strings.Join(d.Meta.Keywords, ", "),
				Language: d.Meta.Language,
				Creator:  opt.Creator,
				Date:     opt.Date,
			},
			Pages: pages,
		}
		e.resolve(book)
		found := e.targetFolios()
		if !showsPages(d) || (refs != nil && maps.Equal(found, refs)) || pass == maxRefPasses {
			return &Result{Book: book, Missing: e.missing}, nil
		}
		refs = found
		if e, err = newEngine(opt); err != nil {
			return nil, err
		}
	}
}

type engine struct {
	*frame

	title    string
	rows     []*row
	headings []*headingInfo
	byID     map[string]*headingInfo
	missing  []MissingGlyph
	// noteLines caches each footnote's set lines (their number is drawn
	// per page, the text does not change).
	noteLines map[*doc.Footnote]*setPara
	// setLines caches lineOf: every page sets its running head and folio,
	// and most heads repeat the book's or the chapter's title.
	setLines map[lineKey]shortLine
	// heads caches shortHead: running heads too long for the measure.
	heads    map[string]string
	minLevel int
	// figures are the list-of-figures entries, in order.
	figures []figureEntry

	pendingLinks []pendingLink
	tocPlaced    []tocPlacement
	// block counts headings and paragraphs in document order, for TextPos.
	block int
	// bodyStart is the first row of the text proper: pages before it are
	// front matter, numbered i, ii, … when the style gives them pages.
	bodyStart int
	// Running state of pagination: folio counters and the chapter whose
	// title right-hand running heads carry.
	frontPages, bodyPages int
	// leads are the page positions of the uncounted blocks (figures,
	// tables, code) since the last heading or paragraph, resolved when
	// the next one comes (see TextPos.Lead).
	leads    []*TextPos
	progress func(Progress)
	chapter  string
	// inPart is set once a part title is set: the headings after it are
	// one level deeper in the contents and the outline. partEnds are the
	// last rows of the part titles, after which a page begins.
	inPart   bool
	partEnds []*row
	// pageRefs holds the folio of each heading, figure or table id from
	// the previous pass, for cross-references that print it.
	pageRefs map[string]string
}

func newEngine(opt Options) (*engine, error) {
	fr, err := newFrame(opt)
	if err != nil {
		return nil, err
	}
	return &engine{
		frame:     fr,
		byID:      map[string]*headingInfo{},
		noteLines: map[*doc.Footnote]*setPara{},
		setLines:  map[lineKey]shortLine{},
		heads:     map[string]string{},
		progress:  opt.Progress,
	}, nil
}

// row is a horizontal band of the page, a whole number of grid lines tall so
// that body text stays on one baseline grid (docs/typesetting.md §5.2).
// Positions inside a row are relative to its top-left corner (the measure's
// left).
type row struct {
	slots  int
	glyphs []Glyph
	lines  []Line
	rules  []Rule
	links  []rowLink
	notes  []*doc.Footnote // notes referenced in this row, in order
	refs   []int           // glyph indices of note reference marks
	// noBreakAfter forbids a page break after this row (keep-with-next,
	// widows and orphans).
	noBreakAfter bool
	// discardable rows (space before a heading) vanish at a page top.
	discardable bool
	// float lets a figure give way to the text after it when it does not
	// fit on the page (see floatFigure).
	float bool
	// newPage starts a new page with this row; recto makes that page a
	// right-hand (odd) one, leaving a blank page when needed.
	newPage, recto bool
	// chapter is the title of the top-level heading this row opens.
	chapter string
	// job, on a placeholder row, is the paragraph to be set in its place.
	job     *paraJob
	heading *headingInfo
	start   *TextPos // where the row's body text begins, if it has any
	// lead, on the rows of a figure, table or code block, is the page
	// position before it; Block stays -1 when no heading or paragraph
	// follows it.
	lead     *TextPos
	toc      *headingInfo // a table-of-contents entry for this heading
	tocWidth float64      // where the entry's text ends
	images   []Image
	// tableHead marks a table's header row, which is placed again on
	// every page its table continues on.
	tableHead bool
	// repeat, on a table's body row, is the table's header row, set again
	// above this row when it starts a page.
	repeat *row
}

type rowLink struct {
	x, y, w, h float64
	url        string
}

type headingInfo struct {
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

// setPara is a paragraph set into lines, with the atoms the lines index.
type setPara struct {
	atoms []atom
	lines []line
}

// builder starts the atoms of a text from pos in the source, which a
// character no face has is reported at.
func (e *engine) builder(pos doc.Pos) *atomBuilder {
	return &atomBuilder{fallback: e.fallback, pos: pos, missing: &e.missing, profile: e.profile}
}

// atomsOf converts inlines from pos to atoms in the given base style.
func (e *engine) atomsOf(inlines []doc.Inline, base runStyle, pos doc.Pos) []atom {
	b := e.builder(pos)
	e.addInlines(b, inlines, base)
	return b.finish()
}

func (e *engine) addInlines(b *atomBuilder, inlines []doc.Inline, st runStyle) {
	for _, in := range inlines {
		switch n := in.(type) {
		case doc.Text:
			b.addText(string(n), st)
		case doc.Code:
			inner := st
			inner.faces, inner.code = e.mono, true
			b.addText(string(n), inner)
		case *doc.Ruby:
			e.addRuby(b, n, st)
		case doc.LineBreak:
			b.lineBreak()
		case *doc.Emphasis:
			inner := st
			if n.Strong {
				inner.faces = e.strong
			} else {
				// Han is never slanted: emphasis dots under Han, italic
				// only for Latin (clreq §3.1.8; docs/typesetting.md §5.4).
				inner.dots = true
				inner.faces.latin = e.emLatin
			}
			e.addInlines(b, n.Content, inner)
		case *doc.Link:
			inner := st
			if n.URL != "" { // else a link the reader dropped: text only
				inner.link = n.URL
			}
			e.addInlines(b, n.Content, inner)
			if n.ShowPage {
				e.addPageRef(b, n.URL, inner)
			}
		case *doc.FootnoteRef:
			b.addNoteRef(n.Note, st)
		case *doc.Span:
			e.addInlines(b, n.Content, e.spanStyle(n.Kind, st))
		case *doc.InlineImage:
			if n.Image.Missing == "" {
				b.addImage(n.Image, st)
				break
			}
			// An image that could not be had: its alt text, which is no
			// part of the plain text, so TextPos offsets stay the source's.
			off := b.offset
			b.addText(n.Alt, st)
			b.offset = off
		case doc.TaskBox:
			b.addText(n.Glyph(), st)
			b.pendingSpace = true // the item's text follows after a space
		}
	}
}

// Sizes and shifts of spans, in ems of the text around them: sub- and
// superscripts at 0.65 like the note marks, raised or lowered by a
// third of that size (docs/typesetting.md §4.3).
const (
	scriptScale = 0.65
	superRise   = 0.33
	subDrop     = -0.12
	smallScale  = 0.85
)

// spanStyle is the style of a span's text inside st.
func (e *engine) spanStyle(kind doc.SpanKind, st runStyle) runStyle {
	switch kind {
	case doc.Strike:
		st.deco |= decoStrike
	case doc.Underline, doc.Inserted:
		st.deco |= decoUnder
	case doc.Marked:
		st.deco |= decoMark
	case doc.Superscript:
		st.rise += superRise * st.size
		st.size *= scriptScale
	case doc.Subscript:
		st.rise += subDrop * st.size
		st.size *= scriptScale
	case doc.Small:
		st.size *= smallScale
	case doc.Keyboard:
		st.faces, st.code = e.mono, true
	}
	return st
}

// setText sets inlines as a paragraph in the given measure.
func (e *engine) setText(atoms []atom, measure, firstIndent, indent float64, justify bool) *setPara {
	return e.setTextWith(nil, atoms, measure, firstIndent, indent, justify)
}

// setTextWith is setText reusing a worker's scratch memory (nil: none).
func (e *engine) setTextWith(scratch *breakScratch, atoms []atom, measure, firstIndent, indent float64, justify bool) *setPara {
	p := paragraph{atoms: atoms, measure: measure, firstIndent: firstIndent, indent: indent, justify: justify, em: e.em, scratch: scratch}
	return &setPara{atoms: atoms, lines: breakLines(p)}
}

// balancedLines is the most lines balanced evens out: past a few lines
// the eye no longer compares their lengths, and minMaxSplit's time grows
// with the cube of the text's length, so a heading of thousands of
// characters would take minutes.
const balancedLines = 8

// balanced sets a ragged multi-line text (a heading) in as many lines as
// it needs, with the break points that make the longest line shortest.
// Breaks after punctuation, then between words (in a line more if need
// be), are preferred when such a split exists and leaves no stub line, so
// that a heading is not cut inside a phrase or a word (issue 18, item 15).
// Longer texts keep the line breaker's lines.
func (e *engine) balanced(atoms []atom, measure float64) *setPara {
	sp := e.setText(atoms, measure, 0, 0, false)
	n := len(sp.lines)
	if n < 2 || n > balancedLines {
		return sp
	}
	// Breaks after punctuation are tried first, then also between words,
	// then anywhere.
	tries := []func([]atom) []atom{breaksAfterPunctuation, breaksBetweenWords, slices.Clone[[]atom]}
	for i, try := range tries {
		cand := try(atoms)
		if cand == nil {
			continue
		}
		p := paragraph{atoms: cand, measure: measure, em: e.em}
		ends := minMaxSplit(p, n)
		if ends == nil && i == 1 {
			// A line more rather than a word cut in two.
			ends = minMaxSplit(p, n+1)
		}
		if ends == nil {
			continue
		}
		out := &setPara{atoms: cand}
		s := 0
		shortest, widest := math.Inf(1), 0.0
		for _, end := range ends {
			ln := setLine(p, s, end, measure, false)
			out.lines = append(out.lines, ln)
			shortest, widest = min(shortest, ln.width), max(widest, ln.width)
			s = end
		}
		// A split that leaves a stub (一、 alone) is worse than a break
		// inside a phrase.
		if i == len(tries)-1 || shortest >= widest/3 {
			return out
		}
	}
	return sp
}

// breaksBetweenWords returns a copy of atoms that may not break inside a
// word of a run of Han characters (see words.go), or nil when that takes
// no break away.
func breaksBetweenWords(atoms []atom) []atom {
	var out []atom
	for i := 0; i < len(atoms); {
		j := i
		for j < len(atoms) && ideograph(&atoms[j]) {
			j++
		}
		if j-i < 2 {
			i = j + 1
			continue
		}
		runes := make([]rune, j-i)
		for k := range runes {
			runes[k] = atoms[i+k].r
		}
		for k, start := range wordStarts(runes) {
			if !start && atoms[i+k].breakBefore {
				if out == nil {
					out = slices.Clone(atoms)
				}
				out[i+k].breakBefore = false
			}
		}
		i = j
	}
	return out
}

// breaksAfterPunctuation returns a copy of atoms that may break only after
// a pause, stop or closing mark (，、；：。？！”》）), or nil when there is
// no such place.
func breaksAfterPunctuation(atoms []atom) []atom {
	out := append([]atom(nil), atoms...)
	found := false
	for i := 1; i < len(out); i++ {
		after := out[i-1].cls
		ok := out[i].breakBefore && chars.BlankRight(after)
		found = found || ok
		out[i].breakBefore = ok
	}
	if !found {
		return nil
	}
	return out
}

// minMaxSplit splits p into exactly n lines, each within the measure, so
// that the widest line is as narrow as possible. It returns the line ends,
// or nil when no such split exists. The dynamic programme takes n times
// the square of the candidate ends: callers keep n small.
func minMaxSplit(p paragraph, n int) []int {
	sums := newPrefix(&p)
	var ends []int // candidate line ends, ascending
	for e := 1; e <= len(p.atoms); e++ {
		if canEnd(&sums, e) {
			ends = append(ends, e)
		}
	}
	inf := math.Inf(1)
	// best[k][i]: narrowest widest line setting atoms[:ends[i]] in k+1 lines.
	best := make([][]float64, n)
	from := make([][]int, n)
	for k := range best {
		best[k] = make([]float64, len(ends))
		from[k] = make([]int, len(ends))
		for i := range ends {
			best[k][i], from[k][i] = inf, -1
			if k == 0 {
				if w := natural(&sums, 0, ends[i]); w <= p.measure+eps {
					best[0][i] = w
				}
				continue
			}
			for j := 0; j < i; j++ {
				if best[k-1][j] == inf {
					continue
				}
				w := natural(&sums, ends[j], ends[i])
				if w > p.measure+eps {
					continue
				}
				if m := max(best[k-1][j], w); m < best[k][i] {
					best[k][i], from[k][i] = m, j
				}
			}
		}
	}
	last := len(ends) - 1
	if last < 0 || best[n-1][last] == inf {
		return nil
	}
	out := make([]int, n)
	for k, i := n-1, last; k >= 0; k-- {
		out[k] = ends[i]
		i = from[k][i]
	}
	return out
}

// fits reports whether every line of sp is within the measure.
func fits(sp *setPara, measure float64) bool {
	for _, ln := range sp.lines {
		if ln.width > measure+eps {
			return false
		}
	}
	return true
}

// lineGlyphs draws one set line into a row whose baseline is at y.
func (e *engine) lineGlyphs(r *row, sp *setPara, ln line, x0, y float64) {
	var linkStart = -1
	flushLink := func(i int) {
		if linkStart < 0 {
			return
		}
		a := sp.atoms[ln.start+linkStart]
		x := x0 + ln.x[linkStart]
		w := ln.x[i-1] + ln.w[i-1] - ln.x[linkStart]
		r.links = append(r.links, rowLink{x: x, y: y - emAscent*a.size, w: w, h: a.size, url: a.link})
		linkStart = -1
	}
	rec := Line{Y: y, X0: x0, X1: x0 + ln.width, Cells: make([]Cell, 0, ln.end-ln.start), Block: -1}
	r.glyphs = slices.Grow(r.glyphs, ln.end-ln.start)
	for i := 0; i < ln.end-ln.start; i++ {
		a := sp.atoms[ln.start+i]
		x := x0 + ln.x[i] + ln.shift[i]
		rec.Cells = append(rec.Cells, Cell{Glyph: len(r.glyphs), Start: x0 + ln.x[i], Width: ln.w[i]})
		if linkStart >= 0 && sp.atoms[ln.start+linkStart].link != a.link {
			flushLink(i)
		}
		if a.link != "" && linkStart < 0 {
			linkStart = i
		}
		switch {
		case a.dash || a.cls == chars.Ellipsis:
			e.drawRun(r, a, x0+ln.x[i], y)
		case a.cls == chars.NoteRef:
			r.refs = append(r.refs, len(r.glyphs))
			r.notes = append(r.notes, a.note)
			r.glyphs = append(r.glyphs, Glyph{Text: a.text, Face: a.face, Size: a.size, X: x, Y: y - a.rise})
		case a.image != nil:
			rec.Cells = rec.Cells[:len(rec.Cells)-1] // a cell has a glyph
			r.images = append(r.images, Image{X: x, Y: y + emDescent*a.size - a.imageH, W: a.width, H: a.imageH, Image: a.image})
		default:
			r.glyphs = append(r.glyphs, Glyph{Text: a.text, Face: a.face, Size: a.size, X: x, Y: y - a.rise})
		}
		if a.dots {
			// 着重号: a dot centred under the character's cell.
			d := dotSize * a.size
			cx := x0 + ln.x[i] + ln.w[i]/2
			r.rules = append(r.rules, Rule{X: cx - d/2, Y: y + (emDescent+dotGap)*a.size, W: d, H: d, Round: true})
		}
	}
	flushLink(ln.end - ln.start)
	decorate(r, sp.atoms[ln.start:ln.end], ln, x0, y)
	r.lines = append(r.lines, rec)
	// Annotations go after the line's own glyphs, so that the base text
	// is drawn, and extracted, in one run.
	for i := range ln.end - ln.start {
		if sp.atoms[ln.start+i].ruby != nil {
			e.drawRuby(r, sp, ln, i, x0, y)
		}
	}
}

// Decoration lines, in ems of the text they mark: a strikethrough
// through the middle of the em box, an underline just below the
// baseline, a marked ground over the whole em box.
const (
	strikeY    = 0.35 // above the baseline
	underY     = 0.14 // below the baseline
	decoWeight = 0.05
	markGray   = 0.85
)

// decorate draws the strikethrough, underline and marked ground of the
// atoms on one line, as one rule per run of atoms with the same line,
// spanning the gaps between them.
func decorate(r *row, atoms []atom, ln line, x0, y float64) {
	for _, d := range []decoration{decoMark, decoStrike, decoUnder} {
		for i := 0; i < len(atoms); {
			if atoms[i].deco&d == 0 {
				i++
				continue
			}
			j := i
			size := 0.0
			for j < len(atoms) && atoms[j].deco&d != 0 {
				size = max(size, atoms[j].size)
				j++
			}
			left, right := x0+ln.x[i], x0+ln.x[j-1]+ln.w[j-1]
			var top, h float64
			switch d {
			case decoMark:
				top, h = y-emAscent*size, size
			case decoStrike:
				top, h = y-strikeY*size, decoWeight*size
			case decoUnder:
				top, h = y+underY*size, decoWeight*size
			}
			rule := Rule{X: left, Y: top, W: right - left, H: h}
			if d == decoMark {
				rule.Gray = markGray
			}
			r.rules = append(r.rules, rule)
			i = j
		}
	}
}

// drawRun draws a dash or ellipsis run one glyph per 1-em cell. A dash run
// is drawn as one rule across its cells, its glyphs kept as hidden text:
// the font's U+2014 is a Latin em dash, 0.89 em wide and set low, so the
// stroke takes the height and weight of the face's full-width dash
// instead (docs/typesetting.md §2.1, T10, T29). The hidden glyphs fill
// their cells, so that the text reads —— and not "— —".
func (e *engine) drawRun(r *row, a atom, x, y float64) {
	m := a.face.Metrics(a.r)
	n := 0
	for _, ch := range a.text {
		g := Glyph{Text: string(ch), Face: a.face, Size: a.size, X: x + float64(n)*a.size, Y: y}
		if a.dash && m.Advance > 0 {
			g.Hidden, g.Widen = true, 1/m.Advance
		} else {
			g.X += (1 - m.Advance) / 2 * a.size
		}
		r.glyphs = append(r.glyphs, g)
		n++
	}
	if a.dash {
		// The stroke runs from 0.04 to n-0.04 em of the cells, the
		// dash of docs/typesetting.md §2.1.
		y0, y1 := dashStroke(a.face)
		x0, x1 := x+0.04*a.size, x+(float64(n)-0.04)*a.size
		r.rules = append(r.rules, Rule{X: x0, Y: y - y1*a.size, W: x1 - x0, H: (y1 - y0) * a.size})
	}
}

// dashStroke returns the bottom and top of the face's dash stroke, in em
// above the baseline: those of its full-width dash, the glyph CJK faces
// draw for U+2015 (GB 2312's 破折号 A1AA in the original mapping), when it
// has one an em wide; else those of U+2014; else a stroke centred 0.38 em
// up.
func dashStroke(f *fonts.Face) (float64, float64) {
	if m := f.Metrics('―'); m.Glyph != 0 && math.Abs(m.Advance-1) < 0.01 && m.InkY1 > m.InkY0 {
		return m.InkY0, m.InkY1
	}
	if m := f.Metrics('—'); m.Glyph != 0 && m.InkY1 > m.InkY0 {
		return m.InkY0, m.InkY1
	}
	return 0.36, 0.40
}

// paraJob is a body paragraph waiting to be set. Paragraphs are
// independent until pagination, so they are set in parallel after the
// document has been walked (setParagraphs); until then a placeholder row
// stands in the row list.
type paraJob struct {
	inlines []doc.Inline
	in      nest
	block   int // the paragraph's TextPos.Block
	pos     doc.Pos
	rows    []*row
	missing []MissingGlyph
}

// addParagraph queues a body paragraph for setting.
func (e *engine) addParagraph(p *doc.Paragraph, in nest) {
	j := &paraJob{inlines: p.Content, in: in, block: e.block, pos: p.Pos}
	e.rows = append(e.rows, &row{job: j})
}

// workerScratch is the memory a line-setting worker reuses from one
// paragraph to the next: nothing keeps a paragraph's atoms (over a
// hundred bytes a character) or its line breaker's tables once its rows
// are made.
type workerScratch struct {
	atoms  []atom
	breaks breakScratch
}

// set breaks the paragraph into lines and makes its rows.
func (e *engine) set(j *paraJob, scratch *workerScratch) {
	b := &atomBuilder{atoms: scratch.atoms[:0], fallback: e.fallback, pos: j.pos, missing: &j.missing, profile: e.profile}
	e.addInlines(b, j.inlines, styleOf(j.in.faces, e.em))
	atoms := b.finish()
	defer func() { scratch.atoms = atoms[:0] }()
	if len(atoms) == 0 {
		return
	}
	sp := e.setTextWith(&scratch.breaks, atoms, e.measure-j.in.left-j.in.right, j.in.indent, 0, true)
	for i, ln := range sp.lines {
		r := &row{slots: 1}
		x0 := j.in.left
		if i == 0 {
			x0 += j.in.indent
		}
		y := e.baseline(e.em)
		if lineHasRuby(sp, ln) && rubyRoom(sp, i, e.em) > e.pitch-e.em+eps {
			// The annotation does not fit between the lines: this line
			// alone takes a second grid line above it.
			r.slots++
			y += e.pitch
		}
		e.lineGlyphs(r, sp, ln, x0, y)
		r.start = &TextPos{Block: j.block, Offset: atoms[ln.start].off}
		markLine(r, j.block, i, len(sp.lines))
		j.rows = append(j.rows, r)
	}
	// No lone first line at a page foot, no lone last line at a page top
	// (clreq §3.4.4 item 2; docs/typesetting.md §5.6).
	if n := len(sp.lines); n >= 2 {
		j.rows[0].noBreakAfter = true
		j.rows[n-2].noBreakAfter = true
	}
}

// setParagraphs sets every queued paragraph, in parallel, and puts their
// rows in place of the placeholders. Whatever was drawn on a placeholder
// (a list item's marker) goes onto the paragraph's first line.
// progressEvery is how many paragraphs pass between progress reports.
const progressEvery = 32

func (e *engine) setParagraphs() {
	var jobs []*paraJob
	for _, r := range e.rows {
		if r.job != nil {
			jobs = append(jobs, r.job)
		}
	}
	next := make(chan *paraJob)
	var wg sync.WaitGroup
	// A panic in a worker would end the program, as no recover of the
	// caller sees it: the first one is raised again in the caller's
	// goroutine once all jobs are done, where the build turns it into an
	// error naming the book.
	var failOnce sync.Once
	var failure any
	setJob := func(j *paraJob, scratch *workerScratch) {
		defer func() {
			if p := recover(); p != nil {
				failOnce.Do(func() { failure = fmt.Sprintf("%s:%d: %v", j.pos.File, j.pos.Line, p) })
			}
		}()
		e.set(j, scratch)
	}
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch workerScratch
			for j := range next {
				setJob(j, &scratch)
			}
		}()
	}
	chapter, sent := "", 0
	for _, r := range e.rows {
		if r.chapter != "" {
			chapter = r.chapter
		}
		if r.job == nil {
			continue
		}
		next <- r.job
		if sent++; e.progress != nil && sent%progressEvery == 0 {
			e.progress(Progress{Paragraphs: sent, OfParagraphs: len(jobs), Chapter: chapter})
		}
	}
	close(next)
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
	rows := make([]*row, 0, len(e.rows)+len(jobs)*4)
	for _, r := range e.rows {
		if r.job == nil {
			rows = append(rows, r)
			continue
		}
		if len(r.job.rows) > 0 {
			first := r.job.rows[0]
			// A first line lowered to make room for ruby takes its
			// marker down with it.
			dy := float64(first.slots-1) * e.pitch
			for _, g := range r.glyphs {
				g.Y += dy
				first.glyphs = append(first.glyphs, g)
			}
			for _, ru := range r.rules {
				ru.Y += dy
				first.rules = append(first.rules, ru)
			}
		}
		rows = append(rows, r.job.rows...)
		e.missing = append(e.missing, r.job.missing...)
	}
	e.rows = rows
}

func (e *engine) addSpace(slots int) {
	if len(e.rows) == 0 {
		return
	}
	e.rows = append(e.rows, &row{slots: slots, discardable: true})
}

// addHeading sets a heading in the sans face, centred at the top level and
// flush left below it, kept with the two lines that follow
// (docs/typesetting.md §5.3).
func (e *engine) addHeading(h *doc.Heading) {
	if h.Minor() {
		e.addMinorHeading(h)
		return
	}
	level := h.Level - e.minLevel + 1
	size := e.st.HeadingSize(level)
	atoms := e.headingAtoms(h, styleOf(e.headingF, size))
	if len(atoms) == 0 {
		return
	}
	info := &headingInfo{title: h.Number + doc.PlainText(h.Content), level: level, id: h.ID, pos: h.Pos}
	if e.inPart {
		info.level++
	}
	e.headings = append(e.headings, info)
	if h.ID != "" {
		e.byID[h.ID] = info
	}
	opensChapter := level == 1 && e.st.ChapterRecto
	if !opensChapter {
		e.addSpace(1)
	}
	sp := e.balanced(atoms, e.measure)
	for i, ln := range sp.lines {
		r := &row{slots: 1, noBreakAfter: true, start: &TextPos{Block: e.block, Offset: atoms[ln.start].off}}
		if i == 0 {
			r.heading = info
			r.newPage, r.recto = opensChapter, opensChapter && e.st.Duplex
		}
		if level == 1 {
			r.chapter = info.title
		}
		x0 := 0.0
		if level == 1 {
			x0 = (e.measure - ln.width) / 2
		}
		e.lineGlyphs(r, sp, ln, x0, e.baseline(size))
		markLine(r, e.block, i, len(sp.lines))
		e.rows = append(e.rows, r)
	}
}

// addMinorHeading sets a heading of level 5 or 6 as a line of body-size
// 黑体 after a blank line, flush left and kept with the lines after it,
// without a place in the contents or the bookmarks. Links may still
// point to it.
func (e *engine) addMinorHeading(h *doc.Heading) {
	atoms := e.headingAtoms(h, styleOf(e.headingF, e.em))
	if len(atoms) == 0 {
		return
	}
	info := &headingInfo{title: doc.PlainText(h.Content), level: h.Level, id: h.ID, pos: h.Pos}
	if h.ID != "" {
		e.byID[h.ID] = info
	}
	e.addSpace(1)
	sp := e.setText(atoms, e.measure, 0, 0, false)
	for i, ln := range sp.lines {
		r := &row{slots: 1, noBreakAfter: true, start: &TextPos{Block: e.block, Offset: atoms[ln.start].off}}
		if i == 0 {
			r.heading = info
		}
		e.lineGlyphs(r, sp, ln, 0, e.baseline(e.em))
		markLine(r, e.block, i, len(sp.lines))
		e.rows = append(e.rows, r)
	}
}

// markLine records which block the row's last line belongs to.
func markLine(r *row, block, index, count int) {
	l := &r.lines[len(r.lines)-1]
	l.Block, l.Index, l.Count = block, index, count
}

func (e *engine) buildRows(d *doc.Document) {
	e.title = d.Meta.Title
	e.minLevel = 0
	doc.Walk(d.Blocks, func(b doc.Block) {
		if h, ok := b.(*doc.Heading); ok && !h.Minor() && (e.minLevel == 0 || h.Level < e.minLevel) {
			e.minLevel = h.Level
		}
	})
	e.addTitleBlock(d)
	if e.st.FrontMatterPages {
		// On the verso of the title page.
		e.addColophon(d.Meta)
	}
	tocAt := len(e.rows)
	e.addBlocks(d.Blocks, nest{faces: e.body, indent: e.st.Indent * e.em})
	e.setParagraphs()
	e.breakAfterParts()
	if d.Meta.Source != "" {
		e.addRightAligned("（转载自" + d.Meta.Source + "）")
	}
	if !e.st.FrontMatterPages {
		e.addColophon(d.Meta)
	}
	inserted := e.insertTOC(tocAt)
	if d.Meta.ListOfFigures {
		inserted += e.insertLOF(tocAt + inserted)
	}
	if e.st.FrontMatterPages {
		// The contents and then the text each begin a page; the text on
		// a right-hand one when printing on both sides.
		if inserted > 0 {
			e.rows[tocAt+1].newPage = true // after the TOC's leading space
		}
		e.bodyStart = tocAt + inserted
		if e.bodyStart < len(e.rows) {
			e.rows[e.bodyStart].newPage = true
			e.rows[e.bodyStart].recto = e.rows[e.bodyStart].recto || e.st.Duplex
		}
	}
}

// nest is what the quotations and lists around a block give it.
type nest struct {
	faces faceSet // of the text
	// left and right are the indents from the measure's edges.
	left, right float64
	indent      float64 // of a paragraph's first line, past left
	depth       int     // how many lists enclose the block
}

// addBlocks sets blocks inside in.
func (e *engine) addBlocks(blocks []doc.Block, in nest) {
	for _, b := range blocks {
		switch n := b.(type) {
		case *doc.Part:
			// A part title is not counted either: the page it opens is
			// marked in the EPUB before it (TextPos.Lead).
			from := len(e.rows)
			e.addPart(n)
			e.uncounted(from)
		case *doc.Heading:
			e.addHeading(n)
			e.resolveLeads()
			e.block++
		case *doc.Paragraph:
			e.addParagraph(n, in)
			e.resolveLeads()
			e.block++
		case *doc.BlockQuote:
			// Quotations in 楷体, indented two ems on both sides
			// (clreq §2.2.3, §3.4.2; docs/typesetting.md §5.4).
			quote := in
			quote.faces, quote.left = e.kai, e.nested(in)
			quote.right = min(in.right+2*e.em, max(in.right, e.measure-quote.left-minMeasure*e.em))
			e.addBlocks(n.Blocks, quote)
		case *doc.List:
			e.addList(n, in)
		case *doc.CodeBlock, *doc.Figure, *doc.Table:
			from := len(e.rows)
			e.addUncounted(n, in)
			e.uncounted(from)
		case *doc.DefinitionList:
			e.addDefinitions(n, in)
		case *doc.ThematicBreak:
			e.addSpace(1)
			r := &row{slots: 1}
			r.rules = append(r.rules, Rule{X: e.measure/2 - e.em, Y: e.pitch / 2, W: 2 * e.em, H: 0.5})
			e.rows = append(e.rows, r)
		}
	}
}

// addUncounted sets a figure, table or code block: the blocks that are
// not among the document's headings and paragraphs (TextPos).
func (e *engine) addUncounted(b doc.Block, in nest) {
	switch n := b.(type) {
	case *doc.CodeBlock:
		e.addCodeBlock(n, in)
	case *doc.Figure:
		e.addFigure(n, in)
	case *doc.Table:
		e.addTable(n, in)
	}
}

// uncounted gives the rows from index from on, those of a figure, table
// or code block, the page position of that block: it is known only once
// the heading or paragraph after it comes (resolveLeads).
func (e *engine) uncounted(from int) {
	pos := &TextPos{Block: -1}
	e.leads = append(e.leads, pos)
	for _, r := range e.rows[from:] {
		if r.lead == nil {
			r.lead = pos
		}
	}
}

// resolveLeads places the uncounted blocks since the last heading or
// paragraph before the current one, e.block.
func (e *engine) resolveLeads() {
	for i, pos := range e.leads {
		pos.Block, pos.Lead = e.block, len(e.leads)-i
	}
	e.leads = e.leads[:0]
}

// minMeasure is the narrowest column, in ems, that nesting leaves for
// text: deeper block quotes and lists keep the indent of the level that
// reached it, rather than squeezing their text out of the page.
const minMeasure = 10

// nested returns the left indent of the level inside in.
func (e *engine) nested(in nest) float64 {
	return min(in.left+2*e.em, max(in.left, in.left+e.column(in)-minMeasure*e.em))
}

// column is the width in leaves for text.
func (e *engine) column(in nest) float64 {
	return e.measure - in.right - in.left
}

// addList sets each item with its marker hanging in the indent, wide
// enough for the widest marker, so that wrapped lines align with the
// item's text, not with its marker.
func (e *engine) addList(l *doc.List, in nest) {
	markers := make([]*setPara, len(l.Items))
	hang := 2 * e.em
	for i := range l.Items {
		atoms := e.atomsOf([]doc.Inline{doc.Text(l.Marker(i, in.depth))}, styleOf(e.body, e.em), l.Pos)
		markers[i] = e.setText(atoms, math.Inf(1), 0, 0, false)
		if len(markers[i].lines) > 0 {
			// Half an em between the marker and the text, in half-em steps.
			hang = max(hang, math.Ceil((markers[i].lines[0].width+e.em/2)/(e.em/2)-eps)*e.em/2)
		}
	}
	inner := nest{faces: in.faces, right: in.right, depth: in.depth + 1}
	inner.left = min(in.left+hang, max(in.left, in.left+e.column(in)-minMeasure*e.em))
	for i, item := range l.Items {
		first := len(e.rows)
		e.addBlocks(item, inner)
		if first < len(e.rows) && len(markers[i].lines) > 0 {
			e.lineGlyphs(e.rows[first], markers[i], markers[i].lines[0], in.left, e.baseline(e.em))
		}
	}
}

// addRightAligned adds a one-line note flush right (the reprint notice).
func (e *engine) addRightAligned(text string) {
	atoms := e.atomsOf([]doc.Inline{doc.Text(text)}, styleOf(e.body, e.em), doc.Pos{})
	sp := e.setText(atoms, e.measure, 0, 0, false)
	for _, ln := range sp.lines {
		r := &row{slots: 1}
		e.lineGlyphs(r, sp, ln, e.measure-ln.width, e.baseline(e.em))
		e.rows = append(e.rows, r)
	}
}

// centredRows sets text from pos centred in the given faces and size,
// each line taking slots grid lines.
func (e *engine) centredRows(text string, f faceSet, size float64, slots int, pos doc.Pos) {
	atoms := e.atomsOf([]doc.Inline{doc.Text(text)}, styleOf(f, size), pos)
	if len(atoms) == 0 {
		return
	}
	sp := e.balanced(atoms, e.measure)
	for _, ln := range sp.lines {
		r := &row{slots: slots, noBreakAfter: true}
		y := float64(slots)*e.pitch/2 - size/2 + emAscent*size
		e.lineGlyphs(r, sp, ln, (e.measure-ln.width)/2, y)
		e.rows = append(e.rows, r)
	}
}

// addTitleBlock sets the title, subtitle and authors at the head of the
// first page.
func (e *engine) addTitleBlock(d *doc.Document) {
	m := d.Meta
	if e.st.FrontMatterPages {
		// On a title page of its own the title stands a third of the way
		// down rather than at the top.
		e.rows = append(e.rows, &row{slots: int(e.bodyH/e.pitch) / 3})
	}
	titleSlots := int(math.Ceil(1.8 * e.st.TitleSize / e.pitch))
	e.centredRows(m.Title, e.headingF, e.st.TitleSize, titleSlots, doc.Pos{})
	if m.Subtitle != "" {
		e.centredRows("——"+m.Subtitle, e.body, e.em*1.1, 1, doc.Pos{})
	}
	for _, a := range m.Authors {
		e.centredRows(a.Name, e.body, e.em*1.15, 1, doc.Pos{})
		if a.Position != "" {
			e.centredRows(a.Position, e.body, e.noteSize+1, 1, doc.Pos{})
		}
	}
	if m.Date != "" && !hasColophon(m) {
		// The colophon gives the date when there is one.
		e.centredRows(chineseDate(m.Date), e.body, e.noteSize+1, 1, doc.Pos{})
	}
	if n := len(e.rows); n > 0 {
		e.rows[n-1].noBreakAfter = false
	}
}

// insertTOC inserts a table of contents at row index at: one entry per
// heading, with dot leaders and the page number filled in after
// pagination.
// It returns the number of rows inserted.
func (e *engine) insertTOC(at int) int {
	if len(e.headings) == 0 {
		return 0
	}
	var toc []*row
	toc = append(toc, &row{slots: 1, discardable: true})
	label := e.atomsOf([]doc.Inline{doc.Text("目　录")}, styleOf(e.headingF, e.st.HeadingSize(2)), doc.Pos{})
	lsp := e.setText(label, e.measure, 0, 0, false)
	lr := &row{slots: 1, noBreakAfter: true}
	e.lineGlyphs(lr, lsp, lsp.lines[0], (e.measure-lsp.lines[0].width)/2, e.baseline(e.st.HeadingSize(2)))
	toc = append(toc, lr)
	// Page numbers get a 3-em column; entries are indented by level.
	numCol := 3 * e.em
	for _, h := range e.headings {
		indent := float64(h.level-1) * 2 * e.em
		face := e.body
		if h.part {
			face = e.headingF
		}
		atoms := e.atomsOf([]doc.Inline{doc.Text(h.title)}, styleOf(face, e.em), h.pos)
		sp := e.setText(atoms, e.measure-numCol-e.em, indent, indent+2*e.em, false)
		// Like headings, entries wrap after punctuation when that costs no
		// extra line.
		if punct := breaksAfterPunctuation(atoms); punct != nil && len(sp.lines) > 1 {
			if try := e.setText(punct, e.measure-numCol-e.em, indent, indent+2*e.em, false); len(try.lines) == len(sp.lines) {
				sp = try
			}
		}
		for i, ln := range sp.lines {
			r := &row{slots: 1, noBreakAfter: i < len(sp.lines)-1}
			x0 := indent
			if i > 0 {
				x0 += 2 * e.em
			}
			e.lineGlyphs(r, sp, ln, x0, e.baseline(e.em))
			if i == len(sp.lines)-1 {
				r.toc = h
				r.tocWidth = x0 + ln.width
			}
			toc = append(toc, r)
		}
	}
	toc = append(toc, &row{slots: 1, discardable: true})
	e.rows = append(e.rows[:at], append(toc, e.rows[at:]...)...)
	return len(toc)
}
