package layout

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
)

// gapKind says what the space before an atom is, which decides how
// justification may stretch or shrink it (docs/typesetting.md §3.2, §3.3;
// §4.1 for the Han–Latin gap).
type gapKind uint8

const (
	gapNone      gapKind = iota
	gapWordSpace         // a space typed between words
	gapHanLatin          // the quarter em between Han and Latin
	gapCode              // a space inside inline code: kept as typed
)

// atom is the smallest unit the line breaker moves: one character, or a
// run that is drawn and measured as one (a two-em dash, an ellipsis pair).
// Widths are in points.
//
// A paragraph holds one atom a character, and a long one holds millions
// of them at once, so an atom keeps inline only what the line breaker
// reads for every character (72 bytes); what few atoms have is behind x.
// Its text is string(r) unless x says otherwise.
type atom struct {
	face *fonts.Face
	x    *atomExtra // nil for most atoms; shared by atoms of one style
	size float64
	// width is the cell width after adjacent-mark compression.
	width float64
	// shift is the glyph origin relative to the cell start: negative when
	// the blank left half of an opening mark was trimmed (like OpenType halt).
	shift float64
	// blank is the trimmable blank of a mark's cell: on the left for an
	// opening mark (blankL), on the right for closing and pause marks
	// (blankR); no mark has both.
	blank float64
	gap   float64 // the space before this atom
	r     rune    // first rune, for the break rules
	// off is the rune offset of the first character in the block's plain
	// text; a block would need over 2 GB of text to pass int32.
	off int32
	cls chars.Class

	// The junction before this atom.
	gapKind     gapKind
	breakBefore bool // a line may break before this atom
	hardBreak   bool // a line must break before this atom

	code bool // inline code: never stretched or squeezed inside
	dots bool // emphasis dots under the character (着重号)
	dash bool // draw a continuous rule across the cell
	// rubyCont marks the atoms of a ruby group after the first, so that
	// no line breaks inside it.
	rubyCont bool
}

// atomExtra holds an atom's rarely set fields. Atoms of one style share
// one (a link's text, a superscript), so it is never changed in place:
// own gives an atom its own copy first.
type atomExtra struct {
	link string
	rise float64 // baseline shift upwards (note references, superscripts)
	// deco are the lines drawn through, under or behind the atom
	// (strikethrough, underline, a marked ground).
	deco decoration
	note *doc.Footnote // for chars.NoteRef
	// ruby, on the first atom of a ruby group, is its annotation.
	ruby *rubyAnn
	// image, on an atom standing for an inline image, is drawn in its
	// cell, imageH high, with its foot on the em box's foot. Such an
	// atom has no text.
	image  *doc.Image
	imageH float64
	// run is the text of a merged run of dashes or ellipses.
	run string
}

// own gives a its own copy of its extra fields, to change.
func (a *atom) own() *atomExtra {
	x := new(atomExtra)
	if a.x != nil {
		*x = *a.x
	}
	a.x = x
	return x
}

// text is what the atom draws: its character, or its run.
func (a *atom) text() string {
	switch {
	case a.x == nil:
		return string(a.r)
	case a.x.run != "":
		return a.x.run
	case a.x.image != nil:
		return ""
	}
	return string(a.r)
}

// single reports whether the atom's text is the one character r.
func (a *atom) single() bool {
	return a.x == nil || (a.x.run == "" && a.x.image == nil)
}

// appendText appends the atom's text to buf without making a string of it.
func (a *atom) appendText(buf []byte) []byte {
	if a.single() {
		return utf8.AppendRune(buf, a.r)
	}
	return append(buf, a.text()...)
}

func (a *atom) link() string {
	if a.x == nil {
		return ""
	}
	return a.x.link
}

func (a *atom) rise() float64 {
	if a.x == nil {
		return 0
	}
	return a.x.rise
}

func (a *atom) deco() decoration {
	if a.x == nil {
		return 0
	}
	return a.x.deco
}

func (a *atom) note() *doc.Footnote {
	if a.x == nil {
		return nil
	}
	return a.x.note
}

func (a *atom) ruby() *rubyAnn {
	if a.x == nil {
		return nil
	}
	return a.x.ruby
}

func (a *atom) image() (*doc.Image, float64) {
	if a.x == nil {
		return nil, 0
	}
	return a.x.image, a.x.imageH
}

// blankL is the trimmable blank on the left (opening marks).
func (a *atom) blankL() float64 {
	if a.cls != chars.Open {
		return 0
	}
	return a.blank
}

// blankR is the trimmable blank on the right (closing and pause marks).
func (a *atom) blankR() float64 {
	if !chars.BlankRight(a.cls) {
		return 0
	}
	return a.blank
}

// decoration is a set of the lines a span draws with its text.
type decoration uint8

const (
	decoStrike decoration = 1 << iota
	decoUnder
	decoMark
)

// faceSet is the faces one kind of text is set in.
type faceSet struct {
	cjk, latin *fonts.Face
}

// runStyle is the inline context of a piece of text.
type runStyle struct {
	faces faceSet
	size  float64
	link  string
	dots  bool
	code  bool
	rise  float64 // baseline shift upwards, in points (superscripts)
	deco  decoration
}

// MissingGlyph reports a character no bundled font can draw.
type MissingGlyph struct {
	Pos  doc.Pos
	Char rune
}

// atomBuilder turns text into atoms for one paragraph.
type atomBuilder struct {
	atoms    []atom
	fallback []*fonts.Face // tried in order when a face lacks a character
	pos      doc.Pos
	missing  *[]MissingGlyph

	pendingSpace bool
	pendingHard  bool
	offset       int // runes of plain text consumed so far
	profile      Profile

	// styleX is the extra fields of the atoms of the last style that
	// had any, shared by all its atoms.
	styleX *atomExtra
}

// extraFor returns the shared extra fields of the atoms of style st, nil
// when it has none.
func (b *atomBuilder) extraFor(st runStyle) *atomExtra {
	if st.link == "" && st.rise == 0 && st.deco == 0 {
		return nil
	}
	if x := b.styleX; x == nil || x.link != st.link || x.rise != st.rise || x.deco != st.deco {
		b.styleX = &atomExtra{link: st.link, rise: st.rise, deco: st.deco}
	}
	return b.styleX
}

// missingMark stands in for a character no font has: the geta mark 〓 is
// the traditional printer's placeholder for a missing sort.
const missingMark = '〓'

func (b *atomBuilder) addText(s string, st runStyle) {
	// At most one atom a character: the atoms grow once, whatever the script.
	b.atoms = slices.Grow(b.atoms, utf8.RuneCountInString(s))
	for i := 0; i < len(s); {
		// A byte that is not UTF-8 is one U+FFFD of one byte.
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		b.offset++
		if unicode.IsSpace(r) || r == '\u3000' {
			b.pendingSpace = true
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i:])
		b.addRune(r, next, st)
	}
}

func (b *atomBuilder) addRune(r, next rune, st runStyle) {
	cls := chars.Of(r)
	useCJK := cls != chars.Latin
	// U+2019 between two Latin letters is an apostrophe, set from the
	// Latin face (docs/typesetting.md §4.5).
	if r == '’' && b.prevIsLatinLetter() && unicode.IsLetter(next) && !chars.CJK(next) {
		cls, useCJK = chars.Latin, false
	}
	face := st.faces.latin
	if useCJK {
		face = st.faces.cjk
	}
	face, m := b.faceFor(r, face)
	if face == nil {
		*b.missing = append(*b.missing, MissingGlyph{Pos: b.pos, Char: r})
		r, cls = missingMark, chars.Han
		face, m = b.faceFor(r, st.faces.cjk)
	}
	a := atom{r: r, cls: cls, face: face, size: st.size, off: int32(b.offset - 1), x: b.extraFor(st)}
	a.width = m.Advance * st.size
	a.code = st.code
	if st.dots && cls == chars.Han {
		a.dots = true
	}
	b.push(a, st)
}

func (b *atomBuilder) prevIsLatinLetter() bool {
	if len(b.atoms) == 0 || b.pendingSpace {
		return false
	}
	last := b.atoms[len(b.atoms)-1]
	return last.cls == chars.Latin && unicode.IsLetter(last.r)
}

// faceFor returns want if it has r, else the first fallback face that has
// it, with r's metrics in that face; nil when no face has r.
func (b *atomBuilder) faceFor(r rune, want *fonts.Face) (*fonts.Face, fonts.GlyphMetrics) {
	if want != nil {
		if m := want.Metrics(r); m.Glyph != 0 {
			return want, m
		}
	}
	for _, f := range b.fallback {
		if m := f.Metrics(r); m.Glyph != 0 {
			return f, m
		}
	}
	return nil, fonts.GlyphMetrics{}
}

// addNoteRef adds a footnote reference mark: a superscript circled number
// (the digit is chosen per page during pagination), 0.65 of the size,
// raised so its top stays inside the em box (docs/typesetting.md §4.3, §5.5).
func (b *atomBuilder) addNoteRef(n *doc.Footnote, st runStyle) {
	const scale = 0.65
	face, m := b.faceFor('①', st.faces.cjk)
	if face == nil {
		*b.missing = append(*b.missing, MissingGlyph{Pos: b.pos, Char: '①'})
		return
	}
	a := atom{r: '①', cls: chars.NoteRef, face: face, size: st.size * scale}
	a.width = m.Advance * a.size
	a.x = &atomExtra{note: n, rise: 0.33 * st.size}
	b.pendingSpace = false // no gap before a note mark
	b.push(a, st)
}

// inlineImageDPI is the resolution an inline image's pixels are taken
// at when it is small enough to be set at its own size: CSS's 96 per
// inch, as a browser shows an icon.
const inlineImageDPI = 96

// addImage adds an image inside running text: at its own size when it is
// no taller than the em (an icon), else scaled down to the em's height,
// the size the EPUB's style sheet gives it too. Lines may break on either
// side of it, as of a Han character.
func (b *atomBuilder) addImage(img *doc.Image, st runStyle) {
	h := float64(img.Height) * 72 / inlineImageDPI
	w := float64(img.Width) * 72 / inlineImageDPI
	if h > st.size {
		w, h = w*st.size/h, st.size
	}
	a := atom{r: '\uFFFC', cls: chars.Han, size: st.size, width: w, off: int32(b.offset),
		x: &atomExtra{link: st.link, image: img, imageH: h, deco: st.deco}}
	b.push(a, st)
}

// lineBreak forces a line break; it counts as one character ("\n") of
// plain text.
func (b *atomBuilder) lineBreak() {
	b.pendingHard = true
	b.offset++
}

func (b *atomBuilder) push(a atom, st runStyle) {
	if n := len(b.atoms); n > 0 {
		prev := &b.atoms[n-1]
		inCode := prev.code && a.code
		if b.pendingSpace && a.cls != chars.NoteRef {
			a.gapKind = gapWordSpace
			if inCode {
				a.gapKind = gapCode
			}
			a.gap = st.faces.latin.Advance(' ') * st.size
		}
		// Spaces typed between Han and Latin are replaced by the standard
		// quarter-em gap, not added to it (docs/typesetting.md §4.1). Code
		// keeps its own spacing.
		if hanLatinPair(prev, &a) && !inCode {
			a.gapKind = gapHanLatin
			a.gap = 0.25 * st.size
		}
		a.hardBreak = b.pendingHard
	}
	b.pendingSpace, b.pendingHard = false, false
	b.atoms = append(b.atoms, a)
}

// hanLatinPair reports whether the quarter-em gap goes between a and b:
// Han next to Latin text, in either order, never next to CJK punctuation
// (docs/typesetting.md §4.1).
func hanLatinPair(a, b *atom) bool {
	return (a.cls == chars.Han && latinText(b)) || (latinText(a) && b.cls == chars.Han)
}

// latinText reports whether a is a Latin letter or digit, a sign that
// belongs to a number (100%, $5), or any Latin character of inline code,
// which reads as one unit: these get the Han–Latin gap, so that
// `100%以及` is spaced like `5 km/h 也`, and a code span like `./...`
// on both sides.
func latinText(a *atom) bool {
	return a.cls == chars.Latin && (a.code || unicode.IsLetter(a.r) || unicode.IsDigit(a.r) || chars.NumberSign(a.r))
}

// finish merges dash and ellipsis runs, applies the punctuation widths and
// decides where lines may break. em is the paragraph's body size.
func (b *atomBuilder) finish() []atom {
	atoms := mergeRuns(b.atoms)
	for i := range atoms {
		setBlanks(&atoms[i])
	}
	compressAdjacent(atoms)
	markBreaks(atoms, b.profile)
	for i := range atoms {
		if atoms[i].rubyCont {
			atoms[i].breakBefore = false
		}
	}
	return atoms
}

// mergeRuns joins consecutive dashes (——, drawn continuous over 2 em) and
// ellipses (……) into single atoms: neither may be split (GB 15834 §5.1.4,
// §5.1.5), and each U+2014 gets a full 1-em cell although Noto gives it a
// proportional advance (docs/typesetting.md §2.1).
func mergeRuns(in []atom) []atom {
	out := in[:0] // merged in place: out never overtakes in
	for i := 0; i < len(in); i++ {
		a := in[i]
		if a.cls == chars.Dash || a.cls == chars.Ellipsis {
			j := i + 1
			for j < len(in) && in[j].cls == a.cls && in[j].gapKind == gapNone && in[j].face == a.face {
				j++
			}
			if j > i+1 {
				var run []byte
				for k := i; k < j; k++ {
					run = in[k].appendText(run)
				}
				a.own().run = string(run)
			}
			a.width = float64(j-i) * a.size
			a.dash = a.cls == chars.Dash
			i = j - 1
		}
		out = append(out, a)
	}
	return out
}

// setBlanks computes how much blank the mark's cell has on its trimmable side:
// half an em, but never more than the glyph's real blank less 0.02 em, so that
// fonts with centred marks do not collide (docs/typesetting.md §2.1, like
// ctex's per-font ctexpunct.spa table).
func setBlanks(a *atom) {
	if a.cls == chars.Latin || a.cls == chars.Han || a.cls == chars.NoteRef {
		return
	}
	m := a.face.Metrics(a.r)
	em := a.size
	safe := func(blank float64) float64 {
		return max(0, min(0.5, blank-0.02)) * em
	}
	if a.cls == chars.Interpunct {
		// A fixed half-em cell with the dot centred (clreq §3.1.6.1).
		a.width = 0.5 * em
		a.shift = 0.25*em - (m.InkX0+m.InkX1)/2*em
		return
	}
	if a.cls == chars.Dash || a.cls == chars.Ellipsis {
		return
	}
	// Marks are set in a 1-em cell whatever their advance: opening marks
	// flush right in it, closing and pause marks flush left, so that a
	// face with proportional quotes (LXGW WenKai's are 0.35 em) still
	// puts the ink where GB 15834 wants it.
	place := (1 - m.Advance) / 2
	switch {
	case a.cls == chars.Open:
		place = 1 - m.Advance
	case chars.BlankRight(a.cls):
		place = 0
	}
	a.shift += place * em
	a.width = em
	switch {
	case a.cls == chars.Open:
		a.blank = safe(place + m.InkX0)
	case chars.BlankRight(a.cls):
		a.blank = safe(1 - place - m.InkX1)
	}
}

// compressAdjacent sets two adjacent marks in 1.5 em instead of 2 by
// trimming the blank that lies between them (docs/typesetting.md §2.3).
func compressAdjacent(atoms []atom) {
	for i := 0; i+1 < len(atoms); i++ {
		a, b := &atoms[i], &atoms[i+1]
		if b.gapKind != gapNone {
			continue
		}
		switch {
		case a.cls == chars.QEx && b.cls == chars.QEx:
			// ？！ together take one em (GB 15834 §5.1.2).
			trimRight(a, a.blankR())
			trimRight(b, b.blankR())
		case chars.BlankRight(a.cls) && (b.cls == chars.Open || chars.BlankRight(b.cls)):
			trimRight(a, a.blankR())
		case a.cls == chars.Open && b.cls == chars.Open:
			trimLeft(b, b.blankL())
		case a.cls == chars.Close && b.cls == chars.Interpunct:
			trimRight(a, min(a.blankR(), 0.25*a.size))
		case a.cls == chars.Interpunct && b.cls == chars.Open:
			trimLeft(b, min(b.blankL(), 0.25*b.size))
		}
	}
}

// trimRight and trimLeft take t off the blank of a mark with a blank on
// that side.
func trimRight(a *atom, t float64) {
	a.width -= t
	a.blank -= t
}

func trimLeft(a *atom, t float64) {
	a.width -= t
	a.shift -= t
	a.blank -= t
}

// Profile selects the line-breaking strictness (docs/typesetting.md §1.1).
type Profile uint8

const (
	// ProfileGB is clreq's GB-style level plus "no ellipsis at a line
	// start"; a two-em dash may start a line. The default.
	ProfileGB Profile = iota
	// ProfileStrict also keeps —— off the start of a line.
	ProfileStrict
)

// markBreaks decides before which atoms a line may break: the break
// opportunities of UAX #14 (from uniseg), tailored for Chinese text as
// docs/typesetting.md §1.5 says, then the prohibitions (避头尾) of
// §1.2–§1.4.
func markBreaks(atoms []atom, profile Profile) {
	url := urlBreaks(atoms)
	uax := uaxBreaks(atoms, latinPairs(atoms, url))
	prev := -1 // last atom that is not a note reference
	for i := range atoms {
		b := &atoms[i]
		if b.cls == chars.NoteRef {
			// A note mark never starts a line (JLReq §3.1.10 item 10).
			b.breakBefore = false
			continue
		}
		if prev < 0 {
			prev = i
			continue
		}
		a := &atoms[prev]
		switch {
		case b.hardBreak:
			b.breakBefore = true
		case a.code && b.code:
			// Inline code breaks only at its own spaces, whatever
			// character follows (./...): a command or a path is not cut
			// after its / or - (a unit wider than the measure is broken
			// by emergencyBreak).
			b.breakBefore = b.gapKind == gapCode
		case chars.NeverStarts(b.cls, b.r) || chars.NeverEnds(a.cls, a.r):
			b.breakBefore = false
		case b.dash && (profile == ProfileStrict || b.single()):
			// A single — (一字线) is a connector; under the strict
			// profile —— may not start a line either (clreq §3.1.4).
			b.breakBefore = false
		case a.cls == chars.Latin && b.cls == chars.Latin && b.gapKind == gapNone:
			// Inside a Latin run UAX #14 decides: words and numbers stay
			// whole. URLs have rules of their own.
			b.breakBefore = uax[i]
			if url != nil && url[i] != urlNone {
				b.breakBefore = url[i] == urlBreak
			}
		default:
			// Between Han, after closing and pause marks, before opening
			// marks (including “ ‘, which UAX #14 ≤ 15.1 glues as QU), at
			// spaces and at Han–Latin boundaries.
			b.breakBefore = true
		}
		prev = i
	}
}

// latinPairs marks the atoms markBreaks asks UAX #14 about: a Latin atom
// right after another (note references aside), with no space between,
// outside inline code.
func latinPairs(atoms []atom, url []urlPlace) []bool {
	ask := make([]bool, len(atoms))
	prev := -1
	for i := range atoms {
		b := &atoms[i]
		if b.cls == chars.NoteRef {
			continue
		}
		ask[i] = prev >= 0 && atoms[prev].cls == chars.Latin && b.cls == chars.Latin && b.gapKind == gapNone &&
			!(atoms[prev].code && b.code) && (url == nil || url[i] == urlNone)
		prev = i
	}
	return ask
}

// urlPlace says what a junction inside a URL is.
type urlPlace uint8

const (
	urlNone    urlPlace = iota // not inside a URL
	urlBreak                   // a line may break here
	urlNoBreak                 // a line may not
)

// urlBreaks finds the URLs in the text, runs of Latin atoms without a
// space that hold "://" or start with "www.", and says where a line may
// break inside them: after "://" and after each of / . - _ ~ ? & = # :,
// except before ( or [ (docs/typesetting.md §3.4, as Typst breaks links). UAX #14
// alone allows too few breaks in a URL (none after the dots of a host
// name), which leaves holes on the lines around it. It returns nil when
// the text has no URL.
func urlBreaks(atoms []atom) []urlPlace {
	var out []urlPlace
	var text []byte // a run's text, reused
	for i := 0; i < len(atoms); {
		j := i + 1
		for j < len(atoms) && urlChar(&atoms[j]) && atoms[j].gapKind == gapNone {
			j++
		}
		if !urlChar(&atoms[i]) {
			i = j
			continue
		}
		text = text[:0]
		for k := i; k < j; k++ {
			text = atoms[k].appendText(text)
		}
		if bytes.Contains(text, []byte("://")) || bytes.HasPrefix(text, []byte("www.")) {
			if out == nil {
				out = make([]urlPlace, len(atoms))
			}
			for k := i + 1; k < j; k++ {
				out[k] = urlNoBreak
				if a, b := atoms[k-1].r, atoms[k].r; strings.ContainsRune("/.-_~?&=#:", a) && !strings.ContainsRune("([", b) &&
					!(a == ':' && b == '/') && !(a == '/' && b == '/') {
					out[k] = urlBreak
				}
			}
		}
		i = j
	}
	return out
}

// urlChar reports whether a can be part of a URL in running text.
func urlChar(a *atom) bool { return a.cls == chars.Latin && !a.code }

// uaxBreaks answers, in place of each true in ask, whether UAX #14 allows
// a break before that atom, running github.com/rivo/uniseg over the atoms'
// text with the typed spaces put back.
//
// uniseg runs only around the atoms asked about: from the Han ideograph
// before them to the one after (or the paragraph's ends), not over the
// whole paragraph, most of which is Chinese that needs no asking. An
// ideograph (class ID) takes no part in the contexts a decision further on
// looks back or ahead to (UAX #14 LB14–LB17, LB21a, LB25, LB30a), so the
// answers are the same; TestUAXWindows compares them with runs over
// whole paragraphs.
func uaxBreaks(atoms []atom, ask []bool) []bool {
	var text []byte  // the window's text
	var starts []int // byte offset in text of each atom in the window
	var allowed []bool
	for i := 0; i < len(atoms); i++ {
		if !ask[i] {
			continue
		}
		first, last := i-1, i
		for first > 0 && !ideograph(&atoms[first]) {
			first--
		}
		for last < len(atoms)-1 && !ideograph(&atoms[last]) {
			last++
		}
		text, starts = appendAtomText(text[:0], starts[:0], atoms[first:last+1])
		allowed = breakOpportunities(allowed, text)
		for j := i; j <= last; j++ {
			if ask[j] {
				ask[j] = allowed[starts[j-first]]
			}
		}
		i = last
	}
	return ask
}

// appendAtomText appends the atoms' text with the typed spaces put back,
// and where each atom starts to starts. Both are sized once.
func appendAtomText(text []byte, starts []int, atoms []atom) ([]byte, []int) {
	n := 0
	for i := range atoms {
		n += 1 + utf8.RuneLen(atoms[i].r) // a space and a character; a run may take more
	}
	text, starts = slices.Grow(text, n), slices.Grow(starts, len(atoms))
	for i := range atoms {
		a := &atoms[i]
		if a.gapKind == gapWordSpace || a.gapKind == gapCode {
			text = append(text, ' ')
		}
		starts = append(starts, len(text))
		text = a.appendText(text)
	}
	return text, starts
}

// breakOpportunities reports, by byte offset into text, where UAX #14
// allows a line break (uniseg), reusing buf.
func breakOpportunities(buf []bool, text []byte) []bool {
	allowed := slices.Grow(buf[:0], len(text)+1)[:len(text)+1]
	clear(allowed)
	rest, state, pos := text, -1, 0
	for len(rest) > 0 {
		var seg []byte
		seg, rest, _, state = uniseg.FirstLineSegment(rest, state)
		pos += len(seg)
		allowed[pos] = true
	}
	return allowed
}

// ideograph reports whether a is a single CJK unified ideograph, of
// UAX #14 class ID.
func ideograph(a *atom) bool {
	return a.single() && chars.Ideograph(a.r)
}
