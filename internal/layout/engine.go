package layout

import (
	"math"
	"slices"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/parallel"
)

// engine makes a pass's rows: it walks the document, asks the
// typesetter for the lines of each block and registers headings, figures
// and tables with the contents, which it then sets before the text. The
// paginator takes the rows from there.
type engine struct {
	*frame
	text *typesetter
	toc  *contents

	rows []*row
	// minLevel is the level of the document's top headings, set as
	// level 1.
	minLevel int
	// headings are the headings set ahead (setHeadings).
	headings map[*doc.Heading]setHeading

	// block counts headings and paragraphs in document order, for TextPos.
	block int
	// bodyStart is the first row of the text proper: pages before it are
	// front matter, numbered i, ii, … when the style gives them pages.
	bodyStart int
	// leads are the page positions of the uncounted blocks (figures,
	// tables, code) since the last heading or paragraph, resolved when
	// the next one comes (see TextPos.Lead).
	leads    []*TextPos
	progress func(Progress)
	// partEnds are the last rows of the part titles, after which a page
	// begins.
	partEnds []*row
	// warnings are what the PDF could not set as written, in order.
	warnings []doc.Warning
}

// newEngine starts a layout pass; pageRefs are the folios the previous
// pass found (nil in the first).
func newEngine(fr *frame, pageRefs map[string]string, progress func(Progress)) *engine {
	text := newTypesetter(fr, pageRefs)
	return &engine{frame: fr, text: text, toc: newContents(fr, text), progress: progress}
}

// buildRows makes the rows of d: the title block, the colophon, the
// contents and list of figures, the text with its paragraphs set, and
// where the body begins. The error is a paragraph that could not be set.
func (e *engine) buildRows(d *doc.Document) error {
	e.minLevel = 0
	doc.Walk(d.Blocks, func(b doc.Block) {
		if h, ok := b.(*doc.Heading); ok && !h.Minor() && (e.minLevel == 0 || h.Level < e.minLevel) {
			e.minLevel = h.Level
		}
	})
	if err := e.setHeadings(d); err != nil {
		return err
	}
	e.addTitleBlock(d)
	if e.st.FrontMatterPages {
		// On the verso of the title page.
		e.addColophon(d.Meta)
	}
	tocAt := len(e.rows)
	e.addBlocks(d.Blocks, nest{faces: e.body, indent: e.st.Indent * e.em})
	var err error
	if e.rows, err = e.text.setParagraphs(e.rows, e.progress); err != nil {
		return err
	}
	e.breakAfterParts()
	if d.Meta.Source != "" {
		e.addRightAligned("（转载自" + d.Meta.Source + "）")
	}
	if !e.st.FrontMatterPages {
		e.addColophon(d.Meta)
	}
	front, err := e.toc.tocRows()
	if err != nil {
		return err
	}
	if d.Meta.ListOfFigures {
		front = append(front, e.toc.lofRows()...)
	}
	e.rows = slices.Insert(e.rows, tocAt, front...)
	inserted := len(front)
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
	return nil
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
			e.addHeading(n, e.countBlock())
		case *doc.Paragraph:
			e.addParagraph(n, in, e.countBlock())
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
// the heading or paragraph after it comes (countBlock).
func (e *engine) uncounted(from int) {
	pos := &TextPos{Block: -1}
	e.leads = append(e.leads, pos)
	for _, r := range e.rows[from:] {
		if r.lead == nil {
			r.lead = pos
		}
	}
}

// countBlock numbers the heading or paragraph that comes next (TextPos)
// and places the uncounted blocks since the last one before it.
func (e *engine) countBlock() int {
	block := e.block
	for i, pos := range e.leads {
		pos.Block, pos.Lead = block, len(e.leads)-i
	}
	e.leads = e.leads[:0]
	e.block++
	return block
}

// minMeasure is the narrowest column, in ems, that nesting leaves for
// text: deeper block quotes and lists keep the indent of the level that
// reached it, rather than squeezing their text out of the page.
const minMeasure = 10

// nested returns the left indent of the level inside in.
func (fr *frame) nested(in nest) float64 {
	return min(in.left+2*fr.em, max(in.left, in.left+fr.column(in)-minMeasure*fr.em))
}

// column is the width in leaves for text.
func (fr *frame) column(in nest) float64 {
	return fr.measure - in.right - in.left
}

// addParagraph queues a body paragraph for setting.
func (e *engine) addParagraph(p *doc.Paragraph, in nest, block int) {
	j := &paraJob{inlines: p.Content, in: in, block: block, pos: p.Pos}
	e.rows = append(e.rows, &row{job: j})
}

// addSpace adds slots blank grid lines, which vanish at a page's top or
// foot; none before the first row.
func (e *engine) addSpace(slots int) {
	if len(e.rows) == 0 {
		return
	}
	e.rows = append(e.rows, &row{slots: slots, discardable: true})
}

// addHeading sets a heading in the sans face, centred at the top level and
// flush left below it, kept with the two lines that follow
// (docs/typesetting.md §5.3).
func (e *engine) addHeading(h *doc.Heading, block int) {
	if h.Minor() {
		e.addMinorHeading(h, block)
		return
	}
	set, ok := e.headings[h]
	if ok {
		delete(e.headings, h) // its rows are placed once
	} else {
		set = e.setHeading(h, &workerScratch{})
	}
	e.text.missing = append(e.text.missing, set.missing...)
	if len(set.rows) == 0 {
		return
	}
	level := h.Level - e.minLevel + 1
	info := &anchor{title: h.Number + doc.PlainText(h.Content), level: level, id: h.ID, pos: h.Pos}
	e.toc.addHeading(info)
	opensChapter := level == 1 && e.st.ChapterRecto
	if !opensChapter {
		e.addSpace(1)
	}
	for i, r := range set.rows {
		r.slots, r.noBreakAfter, r.start = 1, true, &TextPos{Block: block, Offset: set.starts[i]}
		if i == 0 {
			r.anchor = info
			r.newPage, r.recto = opensChapter, opensChapter && e.st.Duplex
		}
		if level == 1 {
			r.chapter = info.title
		}
		markLine(r, block, i, len(set.rows))
		e.rows = append(e.rows, r)
	}
}

// setHeading is a heading's lines drawn on rows, ahead of the walk that
// places them: where each line starts in the heading's text, and the
// characters no face had, which the walk reports in its order.
type setHeading struct {
	rows    []*row
	starts  []int
	missing []MissingGlyph
}

// setHeadings sets the document's headings (but the minor ones) in
// parallel before the walk: each is set on its own, and a book of many
// short chapters spent most of its layout setting them one by one. The
// error is a panic while setting one.
func (e *engine) setHeadings(d *doc.Document) error {
	var hs []*doc.Heading
	doc.Walk(d.Blocks, func(b doc.Block) {
		if h, ok := b.(*doc.Heading); ok && !h.Minor() {
			hs = append(hs, h)
		}
	})
	sets := make([]setHeading, len(hs))
	err := parallel.Workers(len(hs), 0, "setting the headings", func(scratch *workerScratch, i int) error {
		sets[i] = e.setHeading(hs[i], scratch)
		return nil
	})
	if err != nil {
		return err
	}
	e.headings = make(map[*doc.Heading]setHeading, len(hs))
	for i, h := range hs {
		e.headings[h] = sets[i]
	}
	return nil
}

// setHeading sets h in the sans face at its level's size, centred at the
// top level and flush left below it, balanced over its lines.
func (e *engine) setHeading(h *doc.Heading, scratch *workerScratch) setHeading {
	var set setHeading
	level := h.Level - e.minLevel + 1
	size := e.st.HeadingSize(level)
	atoms := e.text.headingAtoms(h, styleOf(e.headingF, size), &set.missing, scratch.atoms)
	defer func() { scratch.atoms = atoms[:0] }()
	if len(atoms) == 0 {
		return set
	}
	sp := e.text.balanced(atoms, e.measure)
	set.rows = make([]*row, len(sp.lines))
	set.starts = make([]int, len(sp.lines))
	for i, ln := range sp.lines {
		r := &row{}
		x0 := 0.0
		if level == 1 {
			x0 = (e.measure - ln.width) / 2
		}
		drawLine(r, sp, ln, x0, e.baseline(size))
		set.rows[i], set.starts[i] = r, int(sp.atoms[ln.start].off)
	}
	return set
}

// addMinorHeading sets a heading of level 5 or 6 as a line of body-size
// 黑体 after a blank line, flush left and kept with the lines after it,
// without a place in the contents or the bookmarks. Links may still
// point to it.
func (e *engine) addMinorHeading(h *doc.Heading, block int) {
	atoms := e.text.headingAtoms(h, styleOf(e.headingF, e.em), &e.text.missing, nil)
	if len(atoms) == 0 {
		return
	}
	info := &anchor{title: doc.PlainText(h.Content), level: h.Level, id: h.ID, pos: h.Pos}
	e.toc.target(info)
	e.addSpace(1)
	sp := e.text.setText(atoms, e.measure, 0, 0, false)
	for i, ln := range sp.lines {
		r := &row{slots: 1, noBreakAfter: true, start: &TextPos{Block: block, Offset: int(atoms[ln.start].off)}}
		if i == 0 {
			r.anchor = info
		}
		drawLine(r, sp, ln, 0, e.baseline(e.em))
		markLine(r, block, i, len(sp.lines))
		e.rows = append(e.rows, r)
	}
}

// addList sets each item with its marker hanging in the indent, wide
// enough for the widest marker, so that wrapped lines align with the
// item's text, not with its marker.
func (e *engine) addList(l *doc.List, in nest) {
	markers := make([]*setPara, len(l.Items))
	hang := 2 * e.em
	for i := range l.Items {
		atoms := e.text.atomsOf([]doc.Inline{doc.Text(l.Marker(i, in.depth))}, styleOf(e.body, e.em), l.Pos)
		markers[i] = e.text.setText(atoms, math.Inf(1), 0, 0, false)
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
			drawLine(e.rows[first], markers[i], markers[i].lines[0], in.left, e.baseline(e.em))
		}
	}
}

// addRightAligned adds a one-line note flush right (the reprint notice).
func (e *engine) addRightAligned(text string) {
	atoms := e.text.atomsOf([]doc.Inline{doc.Text(text)}, styleOf(e.body, e.em), doc.Pos{})
	sp := e.text.setText(atoms, e.measure, 0, 0, false)
	for _, ln := range sp.lines {
		r := &row{slots: 1}
		drawLine(r, sp, ln, e.measure-ln.width, e.baseline(e.em))
		e.rows = append(e.rows, r)
	}
}

// centredRows sets text from pos centred in the given faces and size,
// each line taking slots grid lines.
func (e *engine) centredRows(text string, f faceSet, size float64, slots int, pos doc.Pos) {
	atoms := e.text.atomsOf([]doc.Inline{doc.Text(text)}, styleOf(f, size), pos)
	if len(atoms) == 0 {
		return
	}
	sp := e.text.balanced(atoms, e.measure)
	for _, ln := range sp.lines {
		r := &row{slots: slots, noBreakAfter: true}
		y := float64(slots)*e.pitch/2 - size/2 + emAscent*size
		drawLine(r, sp, ln, (e.measure-ln.width)/2, y)
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
