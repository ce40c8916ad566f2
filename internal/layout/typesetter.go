package layout

import (
	"math"
	"strings"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
)

// typesetter sets text: inlines into atoms, atoms into lines. Body
// paragraphs are set in parallel (setParagraphs); everything else as the
// rows are made or pages planned. It keeps the lines that repeat from
// page to page (footnotes, running heads, folios) and the characters no
// face had.
type typesetter struct {
	*frame
	// pageRefs holds the folio of each heading, figure or table id from
	// the previous pass, for cross-references that print it.
	pageRefs map[string]string
	// missing lists the characters no face had, in the order met.
	missing []MissingGlyph
	// noteLines caches each footnote's set lines (their number is drawn
	// per page, the text does not change).
	noteLines map[*doc.Footnote]*setPara
	// setLines caches lineOf: every page sets its running head and folio,
	// and most heads repeat the book's or the chapter's title.
	setLines map[lineKey]shortLine
	// heads caches shortHead: running heads too long for the measure.
	heads map[string]string
}

func newTypesetter(fr *frame, pageRefs map[string]string) *typesetter {
	return &typesetter{
		frame:     fr,
		pageRefs:  pageRefs,
		noteLines: map[*doc.Footnote]*setPara{},
		setLines:  map[lineKey]shortLine{},
		heads:     map[string]string{},
	}
}

// setPara is a paragraph set into lines, with the atoms the lines index.
type setPara struct {
	atoms []atom
	lines []line
}

// builder starts the atoms of a text from pos in the source, which a
// character no face has is reported at.
func (ts *typesetter) builder(pos doc.Pos) *atomBuilder {
	return &atomBuilder{fallback: ts.fallback, pos: pos, missing: &ts.missing, profile: ts.profile}
}

// atomsOf converts inlines from pos to atoms in the given base style.
func (ts *typesetter) atomsOf(inlines []doc.Inline, base runStyle, pos doc.Pos) []atom {
	b := ts.builder(pos)
	ts.addInlines(b, inlines, base)
	return b.finish()
}

// addInlines adds inlines to b in style st, the styles of emphasis,
// links, code and spans applied inside it.
func (ts *typesetter) addInlines(b *atomBuilder, inlines []doc.Inline, st runStyle) {
	for _, in := range inlines {
		switch n := in.(type) {
		case doc.Text:
			b.addText(string(n), st)
		case doc.Code:
			inner := st
			inner.faces, inner.code = ts.mono, true
			b.addText(string(n), inner)
		case *doc.Ruby:
			ts.addRuby(b, n, st)
		case doc.LineBreak:
			b.lineBreak()
		case *doc.Emphasis:
			inner := st
			if n.Strong {
				inner.faces = ts.strong
			} else {
				// Han is never slanted: emphasis dots under Han, italic
				// only for Latin (clreq §3.1.8; docs/typesetting.md §5.4).
				inner.dots = true
				inner.faces.latin = ts.emLatin
			}
			ts.addInlines(b, n.Content, inner)
		case *doc.Link:
			inner := st
			if n.URL != "" { // else a link the reader dropped: text only
				inner.link = n.URL
			}
			ts.addInlines(b, n.Content, inner)
			if n.ShowPage {
				ts.addPageRef(b, n.URL, inner)
			}
		case *doc.FootnoteRef:
			b.addNoteRef(n.Note, st)
		case *doc.Span:
			ts.addInlines(b, n.Content, ts.spanStyle(n.Kind, st))
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
func (ts *typesetter) spanStyle(kind doc.SpanKind, st runStyle) runStyle {
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
		st.faces, st.code = ts.mono, true
	}
	return st
}

// setText sets atoms as a paragraph in the given measure.
func (ts *typesetter) setText(atoms []atom, measure, firstIndent, indent float64, justify bool) *setPara {
	p := paragraph{atoms: atoms, measure: measure, firstIndent: firstIndent, indent: indent, justify: justify, em: ts.em}
	return &setPara{atoms: atoms, lines: breakLines(p)}
}

// note returns the footnote's text set in the note size (cached).
func (ts *typesetter) note(n *doc.Footnote) *setPara {
	if sp, ok := ts.noteLines[n]; ok {
		return sp
	}
	b := ts.builder(n.Pos)
	st := styleOf(ts.body, ts.noteSize)
	for i, bl := range n.Blocks {
		if p, ok := bl.(*doc.Paragraph); ok {
			if i > 0 {
				b.lineBreak()
			}
			ts.addInlines(b, p.Content, st)
		}
	}
	atoms := b.finish()
	p := paragraph{atoms: atoms, measure: ts.measure, firstIndent: ts.noteNumberWidth(), indent: ts.noteNumberWidth(), justify: true, em: ts.noteSize}
	sp := &setPara{atoms: atoms, lines: breakLines(p)}
	ts.noteLines[n] = sp
	return sp
}

// shortHead returns the running head for a title: the title when it fits
// the measure at size, else its longest leading phrase that fits and
// fills at least a third of the measure, cut after a pause, stop or
// closing mark or at a space (a pause or stop mark dropped), else as many
// characters as fit followed by ……: a running head never reaches past
// the text block (docs/typesetting.md §5.7). The work is bounded by the measure,
// not by the title's length.
func (ts *typesetter) shortHead(title string, size float64) string {
	if _, w := ts.lineOf(title, size); w <= ts.measure+eps {
		return title
	}
	if h, ok := ts.heads[title]; ok {
		return h
	}
	atoms := ts.atomsOf([]doc.Inline{doc.Text(title)}, styleOf(ts.body, size), doc.Pos{})
	// widths[k] is the width of atoms[:k] set on one line: a little
	// more than it takes when its last mark's blank is trimmed.
	widths := []float64{0}
	for k := 0; k < len(atoms) && widths[k] <= ts.measure+eps; k++ {
		w := widths[k] + atoms[k].width
		if k > 0 {
			w += atoms[k].gap
		}
		widths = append(widths, w)
	}
	text := func(k int) string {
		var b strings.Builder
		for i := range atoms[:k] {
			if i > 0 && atoms[i].gapKind == gapWordSpace {
				b.WriteByte(' ')
			}
			b.WriteString(atoms[i].text())
		}
		return b.String()
	}
	head := ""
	for k := len(widths) - 1; k > 0 && head == ""; k-- {
		end := -1 // the phrase ends before atoms[end]
		switch c := atoms[k-1].cls; {
		case k < len(atoms) && atoms[k].gapKind == gapWordSpace, c == chars.Close, c == chars.QEx:
			end = k
		case c == chars.Pause || c == chars.Stop:
			end = k - 1
		}
		if end > 0 && widths[end] <= ts.measure+eps && widths[end] >= ts.measure/3 {
			head = text(end)
		}
	}
	for k := len(widths) - 1; k > 0 && head == ""; k-- {
		if widths[k]+2*size <= ts.measure+eps {
			head = text(k) + "……"
		}
	}
	ts.heads[title] = head
	return head
}

// lineOf sets a short text on one line at the origin.
// The glyphs it returns are shared: callers copy them before moving them.
func (ts *typesetter) lineOf(text string, size float64) ([]Glyph, float64) {
	key := lineKey{text, size}
	if l, ok := ts.setLines[key]; ok {
		return l.glyphs, l.width
	}
	var l shortLine
	if atoms := ts.atomsOf([]doc.Inline{doc.Text(text)}, styleOf(ts.body, size), doc.Pos{}); len(atoms) > 0 {
		p := paragraph{atoms: atoms, measure: math.Inf(1), em: size}
		ln := setLine(p, 0, len(atoms), p.measure, false)
		r := &row{}
		drawLine(r, &setPara{atoms: atoms, lines: []line{ln}}, ln, 0, 0)
		l = shortLine{r.glyphs, ln.width}
	}
	ts.setLines[key] = l
	return l.glyphs, l.width
}

type lineKey struct {
	text string
	size float64
}

// shortLine is a line lineOf set: its glyphs from the origin, its width.
type shortLine struct {
	glyphs []Glyph
	width  float64
}
