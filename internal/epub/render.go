package epub

import (
	"encoding/xml"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
)

// usage records the characters the book sets in each context, to subset
// the embedded fonts to exactly what the text needs, and the classes its
// markup uses, so that the style sheet has no rules for absent parts.
type usage struct {
	body    map[rune]bool // body text and notes: the serif and Latin faces
	italic  map[rune]bool // Latin runs in emphasised body text
	sans    map[rune]bool // headings, strong, the title
	kai     map[rune]bool // Han and marks in block quotations
	mono    map[rune]bool // code
	classes map[string]bool
}

func newUsage() usage {
	return usage{body: map[rune]bool{}, italic: map[rune]bool{}, sans: map[rune]bool{}, kai: map[rune]bool{}, mono: map[rune]bool{}, classes: map[string]bool{}}
}

// renderer writes XHTML body content. Every piece of text and every
// attribute value goes through escape; markup is only ever written from
// literals here.
type renderer struct {
	out    strings.Builder
	use    usage
	fileOf map[string]string     // heading, figure and table ID → file, for #id links
	file   string                // the file being written
	images map[*doc.Image]string // figure images → their path from a text file
	views  map[*doc.Image]string // images links lead to → the file showing each

	sans, em bool // inside a heading or strong; inside emphasis
	mono     bool // inside a key (kbd), set in the code face
	quote    int  // depth of block quotations (set in 楷体)
	lists    int  // depth of lists, which picks the item markers
	// inLink holds back footnote references met inside a link, because
	// a noteref is itself a link and links cannot nest.
	inLink  bool
	pending []*doc.Footnote

	badLinks []string // links that lead nowhere

	// marks places the print edition's page breaks; nil in files outside
	// the text. pending holds those of the current heading or paragraph
	// not yet written, off is the rune offset reached in its plain text.
	marks   *pageMarks
	breaks  []int
	off     int
	inNotes bool // footnote bodies are not part of the numbered text

	notes []*doc.Footnote       // in order of first reference in this file
	num   map[*doc.Footnote]int // the note's number in this file
	refs  map[*doc.Footnote]int // references to the note so far
}

func newRenderer(file string, fileOf map[string]string, use usage) *renderer {
	return &renderer{file: file, fileOf: fileOf, use: use, num: map[*doc.Footnote]int{}, refs: map[*doc.Footnote]int{}}
}

// raw writes markup.
func (r *renderer) raw(s string) { r.out.WriteString(s) }

// open writes the start of a start tag with a class; the caller ends the
// tag. The class is recorded for the style sheet.
func (r *renderer) open(tag, class string) {
	r.use.classes[class] = true
	r.raw("<" + tag + ` class="` + class + `"`)
}

// attr writes ` name="value"` with the value escaped.
func (r *renderer) attr(name, value string) {
	r.raw(" " + name + `="`)
	escape(&r.out, value)
	r.raw(`"`)
}

// text writes text escaped and records its characters. In emphasised body
// text, runs of Latin words are wrapped in a span so that the style sheet
// can set them in italic without dots while Han stays upright with dots;
// their characters are recorded for the italic face.
func (r *renderer) text(s string) {
	s = dropHanLatinSpaces(s)
	if !r.em || r.sans {
		r.plain(s)
		return
	}
	for s != "" {
		i := strings.IndexFunc(s, isLatinWord)
		if i < 0 {
			r.plain(s)
			return
		}
		r.plain(s[:i])
		s = s[i:]
		// The run ends at its last letter or digit: spaces and
		// punctuation around it stay upright.
		k := strings.LastIndexFunc(s[:latinRun(s)], isLatinWord)
		_, size := utf8.DecodeRuneInString(s[k:])
		r.record(s[:k+size], true)
		r.open("span", "latn")
		r.raw(">")
		escape(&r.out, s[:k+size])
		r.raw("</span>")
		s = s[k+size:]
	}
}

// phrases writes a Chinese title whose parts the author set apart with
// spaces (聚焦推动高质量发展 加快发展新质生产力) each in a span the style
// sheet keeps on one line when it fits, so that a narrow screen breaks
// the title at a space, not inside a part. Other text is written as it is.
func (r *renderer) phrases(s string) {
	s = dropHanLatinSpaces(s) // as text would: those are no breaks between parts
	blank := func(c rune) bool { return c == ' ' || c == '\u3000' }
	parts := strings.FieldsFunc(s, blank)
	if len(parts) < 2 || !strings.ContainsFunc(s, chars.IsHan) {
		r.text(s)
		return
	}
	// The blanks between the parts are written as they stand.
	for _, p := range parts {
		i := strings.Index(s, p)
		if i > 0 {
			r.plain(s[:i])
		}
		r.open("span", "phrase")
		r.raw(">")
		r.text(p)
		r.raw("</span>")
		s = s[i+len(p):]
	}
	if s != "" {
		r.plain(s)
	}
}

// dropHanLatinSpaces removes the spaces an author typed between a Han
// character and a Latin letter or digit: readers now add their own gap there
// (text-autospace), and a space would double it (docs/typesetting.md §7.2).
func dropHanLatinSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	return keptRunes(rs, hanLatinSpaces(rs), 0, len(rs))
}

// hanLatinSpaces marks the spaces between Han and Latin in rs.
func hanLatinSpaces(rs []rune) []bool {
	drop := make([]bool, len(rs))
	for i := 1; i < len(rs); i++ {
		if rs[i] != ' ' || rs[i-1] == ' ' {
			continue
		}
		j := i
		for j < len(rs) && rs[j] == ' ' {
			j++
		}
		if j < len(rs) && gapPair(rs[i-1], rs[j]) {
			for k := i; k < j; k++ {
				drop[k] = true
			}
		}
	}
	return drop
}

// keptRunes is rs[from:to] without the dropped runes.
func keptRunes(rs []rune, drop []bool, from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		if !drop[i] {
			b.WriteRune(rs[i])
		}
	}
	return b.String()
}

// gapPair reports whether a and b are Han and Latin, in either order.
func gapPair(a, b rune) bool {
	return chars.IsHan(a) && isLatinWord(b) || isLatinWord(a) && chars.IsHan(b)
}

// plain writes text in the current context.
func (r *renderer) plain(s string) {
	r.record(s, false)
	escape(&r.out, s)
}

// record notes the characters of s as set in the current context.
func (r *renderer) record(s string, italic bool) {
	set := r.use.body
	switch {
	case r.mono:
		set = r.use.mono
	case r.sans:
		set = r.use.sans
	case italic:
		set = r.use.italic
	case r.quote > 0:
		set = r.use.kai
	}
	for _, c := range s {
		if c >= ' ' {
			set[c] = true
		}
	}
}

// isLatinWord reports whether c is a Latin letter or digit.
func isLatinWord(c rune) bool { return isLatin(c) && (unicode.IsLetter(c) || unicode.IsDigit(c)) }

// latinRun returns the byte length of the run of Latin characters at the
// start of s.
func latinRun(s string) int {
	for i, c := range s {
		if !isLatin(c) {
			return i
		}
	}
	return len(s)
}

// isLatin reports whether c is set in the Latin face: ASCII and Latin
// letters. Punctuation shared with Chinese (“”‘’…—·) stays with the CJK
// face, which sets it full width.
func isLatin(c rune) bool {
	return c >= ' ' && c <= '~' || c == '\u00a0' || unicode.Is(unicode.Latin, c)
}

// escape writes s as XML character data, valid in text and in attribute
// values alike. encoding/xml escapes; its named entities are then written
// as character references, which EPUBCheck prefers (HTM-006).
func escape(b *strings.Builder, s string) {
	if plainXML(s) {
		b.WriteString(s) // what escaping would write, without its two copies
		return
	}
	var e strings.Builder
	// EscapeText only fails when the writer does; a Builder never does.
	_ = xml.EscapeText(&e, []byte(s))
	_, _ = numericEntities.WriteString(b, e.String())
}

// plainXML reports whether s is XML character data as it stands: no
// character xml.EscapeText would change (markup, quotes, tab, line ends,
// characters outside XML's range, invalid UTF-8). Most Chinese text is.
func plainXML(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x20, r == '&', r == '<', r == '>', r == '"', r == '\'':
			return false
		case r >= 0xD800 && r < 0xE000, r == utf8.RuneError, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

// numericEntities rewrites the named entities encoding/xml writes. In
// escaped text an ampersand only ever starts a reference, so the
// replacement cannot misread text.
var numericEntities = strings.NewReplacer("&amp;", "&#38;", "&lt;", "&#60;", "&gt;", "&#62;")

func (r *renderer) blocks(bs []doc.Block) {
	for _, bl := range bs {
		r.block(bl)
	}
}

// inSans runs write with the characters it writes recorded for the sans
// face (headings, strong, terms, table heads), as the style sheet sets
// them in it.
func (r *renderer) inSans(write func()) {
	sans := r.sans
	r.sans = true
	write()
	r.sans = sans
}

func (r *renderer) block(bl doc.Block) {
	switch n := bl.(type) {
	case *doc.Part:
		r.leadBreaks(n)
		r.raw("<h1")
		r.attr("id", n.ID)
		r.raw(">")
		r.inSans(func() { r.text(n.Title) })
		r.raw("</h1>\n")
	case *doc.Heading:
		r.headingBreaks()
		tag := "h" + strconv.Itoa(min(max(n.Level, 1), 6))
		r.raw("<" + tag)
		r.attr("id", n.ID)
		r.raw(">")
		r.inSans(func() {
			r.textBlock(n.Content, func() {
				// The number is not in the heading's plain text: the print
				// edition's page offsets count from the text after it.
				if n.Number != "" {
					r.open("span", "num")
					r.raw(">")
					r.plain(n.Number)
					r.raw("</span>")
				}
			})
		})
		r.raw("</" + tag + ">\n")
	case *doc.Paragraph:
		r.raw("<p>")
		r.textBlock(n.Content, nil)
		r.raw("</p>\n")
	case *doc.BlockQuote:
		r.raw("<blockquote>\n")
		r.quote++
		r.blocks(n.Blocks)
		r.quote--
		r.raw("</blockquote>\n")
	case *doc.List:
		r.list(n)
	case *doc.CodeBlock:
		r.leadBreaks(n)
		r.codeBlock(n)
	case *doc.ThematicBreak:
		r.raw("<hr/>\n")
	case *doc.Figure:
		r.leadBreaks(n)
		r.figure(n)
	case *doc.Table:
		r.leadBreaks(n)
		r.table(n)
	case *doc.DefinitionList:
		r.raw("<dl>\n")
		for _, item := range n.Items {
			// Terms are set in 黑体, like strong text.
			r.raw("<dt>")
			r.inSans(func() { r.inlines(item.Term) })
			r.raw("</dt>\n")
			for _, def := range item.Definitions {
				r.raw("<dd>")
				r.blocks(def)
				r.raw("</dd>\n")
			}
		}
		r.raw("</dl>\n")
	}
}

// list writes a list with its markers as text: ordered lists number
// 1.  （1）  ① by depth and bullets are • then ◦, as the print edition
// does, which no list-style-type gives in every reader. The marker goes
// into the item's first paragraph, so the style sheet can hang it.
func (r *renderer) list(l *doc.List) {
	depth := r.lists
	if l.Ordered {
		class := "numbered"
		if hang := markerHang(l, depth); hang != "" {
			r.use.classes[hang] = true
			class += " " + hang
		}
		r.use.classes["numbered"] = true
		r.raw(`<ol class="` + class + `"`)
		if l.Start != 1 {
			r.attr("start", strconv.Itoa(l.Start))
		}
	} else {
		r.open("ul", "bullets")
	}
	r.raw(">\n")
	r.lists++
	for i, item := range l.Items {
		mark := func() {
			r.open("span", "marker")
			r.raw(">")
			r.plain(l.Marker(i, depth))
			r.raw("</span>")
		}
		r.raw("<li>")
		if len(item) > 0 {
			if p, ok := item[0].(*doc.Paragraph); ok {
				r.raw("<p>")
				r.textBlock(p.Content, mark)
				r.raw("</p>\n")
				r.blocks(item[1:])
				r.raw("</li>\n")
				continue
			}
		}
		mark()
		r.blocks(item)
		r.raw("</li>\n")
	}
	r.lists--
	if l.Ordered {
		r.raw("</ol>\n")
	} else {
		r.raw("</ul>\n")
	}
}

// markerHang is the class that widens a numbered list's hanging indent
// to fit its widest marker and a half-em gap, in steps of half an em
// from the style sheet's 2.5 em up to 5 em: "" when 2.5 em is enough.
// The width is reckoned as a reader without any punctuation trimming
// sets the marker: full-width characters an em, digits and the full
// stop at most half an em.
func markerHang(l *doc.List, depth int) string {
	widest := 0.0
	for i := range l.Items {
		w := 0.0
		for _, c := range l.Marker(i, depth) {
			if c >= 0x2000 {
				w++
			} else {
				w += 0.5
			}
		}
		widest = max(widest, w)
	}
	halves := min(int(math.Ceil((widest+0.5)*2)), 10)
	if halves <= 5 {
		return ""
	}
	if halves%2 == 0 {
		return "hang" + strconv.Itoa(halves/2)
	}
	return "hang" + strconv.Itoa(halves/2) + "-5"
}

// codeBlock writes a code block one code element per line, so that the
// style sheet can indent the continuation of a line wrapped on a small
// screen (the visible mark that a line goes on). Each line ends in its
// newline, so the text reads right without the style sheet.
func (r *renderer) codeBlock(c *doc.CodeBlock) {
	r.raw("<pre>")
	for _, line := range strings.Split(strings.TrimSuffix(c.Text, "\n"), "\n") {
		r.open("code", "line")
		r.raw(">")
		r.code(doc.ExpandTabs(line) + "\n")
		r.raw("</code>")
	}
	r.raw("</pre>\n")
}

// code writes text set in the monospace face. Its spaces are in the
// face's subset too: a reader's own space would put the columns out.
func (r *renderer) code(s string) {
	for _, c := range s {
		if c >= ' ' {
			r.use.mono[c] = true
		}
	}
	escape(&r.out, s)
}

// figure writes an image with its numbered caption. The caption is not
// among the print edition's numbered paragraphs.
func (r *renderer) figure(f *doc.Figure) {
	r.raw("<figure")
	r.attr("id", f.ID)
	if f.Image == nil || f.Image.Missing != "" {
		r.raw(">\n")
		r.placeholder(f)
		r.raw("<figcaption>")
		r.caption("图", f.Number, f.Caption)
		r.raw("</figcaption>\n</figure>\n")
		return
	}
	r.raw(">\n<img")
	r.attr("src", r.images[f.Image])
	alt := f.Alt
	if strings.TrimSpace(alt) == "" {
		alt = doc.PlainText(f.Caption)
	}
	r.attr("alt", alt)
	if f.Image.Width > 0 && f.Image.Height > 0 {
		r.attr("width", strconv.Itoa(f.Image.Width))
		r.attr("height", strconv.Itoa(f.Image.Height))
	}
	r.raw("/>\n<figcaption>")
	r.caption("图", f.Number, f.Caption)
	r.raw("</figcaption>\n</figure>\n")
}

// placeholder writes, for a figure whose image could not be had, a frame
// with its alt text and where the image should have come from.
func (r *renderer) placeholder(f *doc.Figure) {
	r.open("div", "placeholder")
	r.raw(` role="img"`)
	r.attr("aria-label", f.Alt)
	r.raw(">")
	if f.Alt != "" {
		r.raw("<p>")
		r.plain(f.Alt)
		r.raw("</p>")
	}
	if f.Image != nil {
		r.raw("<p>")
		r.plain(f.Image.Path)
		r.raw("</p>")
	}
	r.raw("</div>\n")
}

// caption writes 图1 or 表1 and the caption after an ideographic space.
func (r *renderer) caption(kind string, number int, content []doc.Inline) {
	r.plain(kind + strconv.Itoa(number))
	if len(content) > 0 {
		r.plain("\u3000")
		r.inlines(content)
	}
}

// table writes a table in a box that scrolls sideways when the table is
// wider than the screen, instead of squeezing every column.
func (r *renderer) table(t *doc.Table) {
	r.open("div", "table")
	r.raw(">\n<table")
	r.attr("id", t.ID)
	r.raw(">\n<caption>")
	r.caption("表", t.Number, t.Caption)
	r.raw("</caption>\n")
	row := func(cells [][]doc.Inline, tag string) {
		r.raw("<tr>")
		for i, cell := range cells {
			r.raw("<" + tag)
			if tag == "th" {
				r.raw(` scope="col"`)
			}
			if i < len(t.Align) {
				if class := alignClass[t.Align[i]]; class != "" {
					r.use.classes[class] = true
					r.raw(` class="` + class + `"`)
				}
			}
			r.raw(">")
			r.inlines(cell)
			r.raw("</" + tag + ">")
		}
		r.raw("</tr>\n")
	}
	if len(t.Header) > 0 {
		r.raw("<thead>\n")
		r.inSans(func() { row(t.Header, "th") })
		r.raw("</thead>\n")
	}
	r.raw("<tbody>\n")
	for _, cells := range t.Rows {
		row(cells, "td")
	}
	r.raw("</tbody>\n</table>\n</div>\n")
}

var alignClass = map[doc.Align]string{doc.AlignLeft: "left", doc.AlignCenter: "center", doc.AlignRight: "right"}

func (r *renderer) inlines(xs []doc.Inline) {
	for _, x := range xs {
		r.inline(x)
	}
}

func (r *renderer) inline(x doc.Inline) {
	switch n := x.(type) {
	case doc.Text:
		r.marked(string(n), true, r.text)
	case doc.Code:
		r.raw("<code>")
		r.marked(string(n), false, r.code)
		r.raw("</code>")
	case *doc.Ruby:
		r.ruby(n)
	case doc.LineBreak:
		r.marked("\n", false, func(string) { r.raw("<br/>") })
	case *doc.Emphasis:
		if n.Strong {
			r.raw("<strong>")
			r.inSans(func() { r.inlines(n.Content) })
			r.raw("</strong>")
			return
		}
		em := r.em
		r.raw("<em>")
		r.em = true
		r.inlines(n.Content)
		r.em = em
		r.raw("</em>")
	case *doc.Link:
		// A link inside a link, or one the reader dropped: the text only.
		if r.inLink || n.URL == "" && r.views[n.Image] == "" {
			r.inlines(n.Content)
			return
		}
		r.raw("<a")
		if n.Image != nil {
			r.attr("href", r.views[n.Image])
		} else {
			r.attr("href", r.href(n.URL))
		}
		r.raw(">")
		r.inLink = true
		r.inlines(n.Content)
		r.inLink = false
		r.raw("</a>")
		pending := r.pending
		r.pending = nil
		for _, fn := range pending {
			r.noteref(fn)
		}
	case *doc.FootnoteRef:
		if r.inLink {
			r.pending = append(r.pending, n.Note)
			return
		}
		r.noteref(n.Note)
	case *doc.Span:
		r.span(n)
	case *doc.InlineImage:
		if n.Image.Missing != "" {
			r.text(n.Alt) // an image that could not be had
			return
		}
		r.raw("<img")
		r.use.classes["inline"] = true
		r.raw(` class="inline"`)
		r.attr("src", r.images[n.Image])
		r.attr("alt", n.Alt)
		r.raw("/>")
	case doc.TaskBox:
		r.open("span", "task")
		r.raw(">")
		r.marked(n.Glyph(), false, r.text)
		r.raw("</span>")
	}
}

// spanTags are the elements spans are written as.
var spanTags = map[doc.SpanKind]string{
	doc.Strike: "del", doc.Underline: "u", doc.Inserted: "ins", doc.Superscript: "sup",
	doc.Subscript: "sub", doc.Marked: "mark", doc.Small: "small", doc.Keyboard: "kbd",
	doc.Abbreviation: "abbr", doc.Language: "span",
}

// span writes a span as its HTML element; a key is set in the code face.
func (r *renderer) span(n *doc.Span) {
	tag := spanTags[n.Kind]
	if tag == "" {
		r.inlines(n.Content)
		return
	}
	r.raw("<" + tag)
	switch n.Kind {
	case doc.Abbreviation:
		r.attr("title", n.Title)
	case doc.Language:
		r.attr("lang", n.Lang)
		r.attr("xml:lang", n.Lang)
	}
	r.raw(">")
	mono := r.mono
	r.mono = r.mono || n.Kind == doc.Keyboard
	r.inlines(n.Content)
	r.mono = mono
	r.raw("</" + tag + ">")
}

// ruby writes an annotated base: one ruby group per character when the
// annotation has a part for each, else one group for the whole base.
// The rp parentheses show the annotation in readers without ruby.
func (r *renderer) ruby(n *doc.Ruby) {
	rt := func(s string) {
		r.raw("<rp>(</rp><rt>")
		r.plain(s)
		r.raw("</rt><rp>)</rp>")
	}
	r.raw("<ruby>")
	if parts := n.Parts(); parts != nil {
		for i, c := range []rune(n.Base) {
			r.marked(string(c), false, r.text)
			rt(parts[i])
		}
	} else {
		r.marked(n.Base, false, r.text)
		rt(n.Annotation)
	}
	r.raw("</ruby>")
}

// href resolves a link: #id of a heading, figure or table points into the
// file that holds it; anything else must be an absolute URL. Other links are
// noted, since they would be broken in the EPUB.
func (r *renderer) href(link string) string {
	if id, ok := strings.CutPrefix(link, "#"); ok {
		f := r.fileOf[id]
		switch f {
		case "":
			r.badLinks = append(r.badLinks, link)
		case r.file:
		default:
			return f + link
		}
		return link
	}
	if u, err := url.Parse(link); err != nil || !u.IsAbs() {
		r.badLinks = append(r.badLinks, link)
	}
	return uriSafe(link)
}

// uriSafe percent-encodes what may not stand in a URI (RFC 3986, section
// 2): blanks and controls, " < > \ ^ ` { | }, a % that starts no escape
// and a # after the first. Escaped for XML, such an href still makes an
// invalid EPUB; encoded, it leads to the same place.
func uriSafe(s string) string {
	var b strings.Builder
	hash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		bad := c <= ' ' || c == 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0 ||
			c == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])) ||
			c == '#' && hash
		hash = hash || c == '#'
		if bad {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// noteref writes a footnote reference in the form Apple Books, Kobo,
// calibre and Kindle all show as a pop-up: a bare link, nothing inside the
// a element but the number (superscript and the tap target come from the
// style sheet), after a word joiner.
func (r *renderer) noteref(fn *doc.Footnote) {
	k, ok := r.num[fn]
	if !ok {
		r.notes = append(r.notes, fn)
		k = len(r.notes)
		r.num[fn] = k
	}
	r.refs[fn]++
	id := "nr" + strconv.Itoa(k)
	if n := r.refs[fn]; n > 1 {
		id += "-" + strconv.Itoa(n)
	}
	// A word joiner glues the reference to the character before it: a
	// line must not begin with a note reference, away from what it marks.
	r.raw("\u2060")
	r.raw(`<a epub:type="noteref" role="doc-noteref"`)
	r.attr("id", id)
	r.attr("href", "#fn"+strconv.Itoa(k))
	r.raw(">")
	r.text(noteMark(k))
	r.raw("</a>")
}

// footnotes writes the notes referenced in this file at its end, each with
// a back-link to its first reference at the start of its text. Rendering a
// note may reference further notes, which are appended and written too.
func (r *renderer) footnotes() {
	if len(r.notes) == 0 {
		return
	}
	r.raw("<section epub:type=\"footnotes\">\n")
	r.open("hr", "notes")
	r.raw("/>\n")
	for i := 0; i < len(r.notes); i++ {
		fn, k := r.notes[i], i+1
		r.raw(`<aside epub:type="footnote" role="doc-footnote"`)
		r.attr("id", "fn"+strconv.Itoa(k))
		r.raw("><p>")
		r.raw("<a")
		r.attr("href", "#nr"+strconv.Itoa(k))
		r.raw(` role="doc-backlink">`)
		r.text(noteMark(k))
		r.raw("</a>")
		r.text(" ")
		rest := fn.Blocks
		if len(rest) > 0 {
			if p, ok := rest[0].(*doc.Paragraph); ok {
				r.inlines(p.Content)
				rest = rest[1:]
			}
		}
		r.raw("</p>")
		r.inNotes = true
		r.blocks(rest)
		r.inNotes = false
		r.raw("</aside>\n")
	}
	r.raw("</section>\n")
}

// noteMark is the mark of the k-th note in a file: a circled number up to
// ㊿, the last one Unicode encodes, then [51], [52]…
func noteMark(k int) string {
	switch {
	case k >= 1 && k <= 20:
		return string(rune(0x2460 + k - 1)) // ①–⑳
	case k >= 21 && k <= 35:
		return string(rune(0x3251 + k - 21)) // ㉑–㉟
	case k >= 36 && k <= 50:
		return string(rune(0x32B1 + k - 36)) // ㊱–㊿
	}
	return fmt.Sprintf("[%d]", k)
}

// textBlock writes the content of a heading or paragraph: the blocks the
// print edition's page positions count, as doc.Walk visits them. lead,
// if any, writes what comes before the text (a number or a list marker),
// after a page break at the very start.
func (r *renderer) textBlock(content []doc.Inline, lead func()) {
	if r.marks == nil || r.inNotes {
		if lead != nil {
			lead()
		}
		r.inlines(content)
		return
	}
	r.breaks, r.off = r.marks.byBlock[r.marks.next], 0
	r.marks.next++
	for len(r.breaks) > 0 && r.marks.breaks[r.breaks[0]].Offset == 0 {
		r.pageBreak(r.breaks[0])
		r.breaks = r.breaks[1:]
	}
	if lead != nil {
		lead()
	}
	r.inlines(content)
	// Only a break at the very end of the text is left (pages are checked
	// to lie inside their block).
	for _, i := range r.breaks {
		r.pageBreak(i)
	}
	r.breaks = nil
}

// marked writes s, a piece of the current block's plain text, through
// write, with the page-break markers that fall inside it in place. With
// drop, the spaces between Han and Latin are left out; the offsets still
// count them, as the print edition's do.
func (r *renderer) marked(s string, drop bool, write func(string)) {
	rs := []rune(s)
	dropped := make([]bool, len(rs))
	if drop {
		dropped = hanLatinSpaces(rs)
	}
	piece := func(from, to int) {
		if t := keptRunes(rs, dropped, from, to); t != "" {
			write(t)
		}
	}
	start := 0
	for len(r.breaks) > 0 {
		k := r.marks.breaks[r.breaks[0]].Offset - r.off
		if k >= len(rs) {
			break
		}
		piece(start, k)
		r.pageBreak(r.breaks[0])
		r.breaks = r.breaks[1:]
		start = k
	}
	piece(start, len(rs))
	r.off += len(rs)
}

// leadBreaks writes, before a figure, table, code block or part title,
// the markers of the print pages that begin with it: breaks of the next
// heading or paragraph whose Lead reaches back to this block. They are
// taken out of that block's list, which would otherwise mark them at its
// start.
func (r *renderer) leadBreaks(bl doc.Block) {
	if r.marks == nil || r.inNotes {
		return
	}
	lead := r.marks.lead[bl]
	if lead == 0 {
		return
	}
	list := r.marks.byBlock[r.marks.next]
	for _, i := range list {
		if r.marks.breaks[i].Lead == lead {
			r.pageBreak(i)
		}
	}
	r.marks.byBlock[r.marks.next] = slices.DeleteFunc(list, func(i int) bool { return r.marks.breaks[i].Lead == lead })
}

// headingBreaks writes, before a heading, the markers of the print pages
// that begin in it, and takes them out of its list: a marker inside the
// heading would be read aloud as part of it ("4 三、加快发展…"). A page
// that begins inside a heading is marked at the heading's start, so
// that going to the page shows all of it.
func (r *renderer) headingBreaks() {
	if r.marks == nil || r.inNotes {
		return
	}
	for _, i := range r.marks.byBlock[r.marks.next] {
		r.pageBreak(i)
	}
	delete(r.marks.byBlock, r.marks.next)
}

// pageBreak writes the marker of the i-th print page. It is empty, so
// it adds nothing to the text; the number is its accessible name. The
// DPUB-ARIA role alone marks it: readers find the pages through the page
// list, and epub:type="pagebreak" would only add an EPUBCheck usage
// message (HTM-050).
func (r *renderer) pageBreak(i int) {
	pb := r.marks.breaks[i]
	r.raw(`<span role="doc-pagebreak"`)
	r.attr("id", r.marks.ids[i])
	r.attr("aria-label", pb.Label)
	r.raw("/>")
	r.marks.files[i] = r.file
}
