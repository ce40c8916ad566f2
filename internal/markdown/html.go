package markdown

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/paiban/paiban/internal/doc"
)

// Raw HTML is read through golang.org/x/net/html (its tokenizer for the
// tags goldmark finds inside a paragraph, its parser for HTML blocks) and
// mapped into the document model by the allowlist below: no markup an
// author wrote is ever passed on to a writer, so nothing outside the list
// can reach the EPUB, whatever its attributes. The README's HTML table
// states the same policy.

// htmlKind is what paiban does with an HTML element.
type htmlKind uint8

const (
	htmlUnknown   htmlKind = iota // dropped, its text kept, with a warning
	htmlInline                    // rendered through the model (htmlSpans, htmlInlineRules)
	htmlBlock                     // read as its Markdown equivalent
	htmlContainer                 // its content read as blocks, the element itself dropped
	htmlDangerous                 // dropped with its content, with a warning
	htmlSilent                    // dropped with its content, quietly (rp: the parentheses readers without ruby show)
)

// htmlElements are the elements paiban knows, by name.
var htmlElements = map[string]htmlKind{}

func init() {
	for kind, names := range map[htmlKind]string{
		htmlInline: "sup sub br u ins del s strike mark small big kbd abbr q cite dfn var samp code tt em i strong b span ruby rt a img wbr",
		htmlBlock:  "p blockquote pre hr h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr td th summary figcaption caption",
		// Containers hold blocks; their own meaning (centring, a
		// collapsible box) has no equivalent on paper.
		htmlContainer: "div center section article aside details figure header footer main nav",
		htmlDangerous: "script style iframe object embed form input button link meta base frame frameset applet param",
		htmlSilent:    "rp",
	} {
		for _, n := range strings.Fields(names) {
			htmlElements[n] = kind
		}
	}
}

// htmlSpans are the inline elements that become a doc.Span.
var htmlSpans = map[string]doc.SpanKind{
	"del": doc.Strike, "s": doc.Strike, "strike": doc.Strike, "u": doc.Underline, "ins": doc.Inserted,
	"sup": doc.Superscript, "sub": doc.Subscript, "mark": doc.Marked, "small": doc.Small, "kbd": doc.Keyboard,
}

// htmlElement is an element being read: its name, the attributes paiban
// keeps, and the inlines found inside it so far.
type htmlElement struct {
	name    string
	attrs   map[string]string
	content []doc.Inline
	at      place // where it starts, for warnings about it
	// flat is set on an element opened past maxInlineNesting: it is set
	// as the text around it, its content going straight to into (nil:
	// the paragraph's), where its parent's goes. Gathering it and copying
	// it into the parent at the end tag took time and memory in the
	// square of the depth (12,000 unclosed <span>s: 1.2 GB).
	flat bool
	into *htmlElement
}

// keptAttrs are the attributes read, by element; every other one is
// dropped (event handlers, styles, sizes).
var keptAttrs = map[string][]string{"a": {"href"}, "img": {"src", "alt"}, "abbr": {"title"}, "span": {"lang"}, "ol": {"start"}}

func newHTMLElement(name string, attrs []html.Attribute, at place) *htmlElement {
	e := &htmlElement{name: name, attrs: map[string]string{}, at: at}
	for _, a := range attrs {
		for _, k := range keptAttrs[name] {
			if a.Key == k {
				e.attrs[k] = a.Val
			}
		}
	}
	return e
}

// rubyText marks the annotation of a ruby element (an rt) until the
// ruby is closed; it never leaves the reader.
type rubyText struct{ doc.Text }

// inlineOf renders a closed inline element as model inlines; inRuby
// says whether a ruby element encloses it (an rt outside one is text).
func (c *converter) inlineOf(e *htmlElement, at place, inRuby bool) []doc.Inline {
	content := e.content
	if k, ok := htmlSpans[e.name]; ok {
		return []doc.Inline{&doc.Span{Kind: k, Content: content}}
	}
	switch e.name {
	case "em", "i", "cite", "dfn", "var":
		return []doc.Inline{&doc.Emphasis{Content: content}}
	case "strong", "b":
		return []doc.Inline{&doc.Emphasis{Strong: true, Content: content}}
	case "code", "samp", "tt":
		return []doc.Inline{doc.Code(doc.PlainText(content))}
	case "q":
		return append(append([]doc.Inline{doc.Text("“")}, content...), doc.Text("”"))
	case "abbr":
		if t := e.attrs["title"]; t != "" {
			return []doc.Inline{&doc.Span{Kind: doc.Abbreviation, Title: t, Content: content}}
		}
	case "span":
		if l := e.attrs["lang"]; languageTag.MatchString(l) {
			return []doc.Inline{&doc.Span{Kind: doc.Language, Lang: l, Content: content}}
		}
	case "rt":
		if inRuby {
			return []doc.Inline{rubyText{doc.Text(doc.PlainText(content))}}
		}
	case "ruby":
		return rubyOf(content)
	case "a":
		if href, ok := e.attrs["href"]; ok {
			l := &doc.Link{URL: href, Content: content}
			c.book.links = append(c.book.links, linkUse{url: href, at: at, errs: c.errs, link: l, from: c.file})
			return []doc.Inline{l}
		}
	}
	return content
}

// rubyOf makes a ruby of the base text and the rt annotations in content:
// <ruby>漢<rt>kan</rt>字<rt>ji</rt></ruby> is {漢字|kan ji}.
func rubyOf(content []doc.Inline) []doc.Inline {
	var base strings.Builder
	var ann []string
	for _, x := range content {
		if rt, ok := x.(rubyText); ok {
			ann = append(ann, strings.TrimSpace(string(rt.Text)))
			continue
		}
		base.WriteString(doc.PlainText([]doc.Inline{x}))
	}
	b := strings.TrimSpace(base.String())
	if b == "" || len(ann) == 0 {
		return []doc.Inline{doc.Text(b + strings.Join(ann, ""))}
	}
	return []doc.Inline{&doc.Ruby{Base: b, Annotation: strings.Join(ann, " ")}}
}

// voidInline renders an element that has no content: br, img, wbr.
func (c *converter) voidInline(e *htmlElement, at place) []doc.Inline {
	switch e.name {
	case "br":
		return []doc.Inline{doc.LineBreak{}}
	case "img":
		alt := []doc.Inline{doc.Text(e.attrs["alt"])}
		src, ok := e.attrs["src"]
		if !ok {
			c.errs.warnIn(at, "HTML <img> without src: its alt text is set instead")
			return alt
		}
		if img := c.image(src, at); img != nil {
			return []doc.Inline{&doc.InlineImage{Image: img, Alt: e.attrs["alt"]}}
		}
		return alt
	}
	return nil
}

// htmlInlines reads the tags goldmark found inside a paragraph, one
// RawHTML node at a time: an element's content is gathered until its end
// tag (or the end of the paragraph) and then rendered as one inline.
type htmlInlines struct {
	c     *converter
	open  []*htmlElement
	drop  int // open elements whose content is dropped
	depth int // open elements whose content is dropped quietly
}

// add appends x to the innermost open element, or to out.
func (h *htmlInlines) add(out *[]doc.Inline, xs ...doc.Inline) {
	if h.drop > 0 || h.depth > 0 {
		return
	}
	if n := len(h.open); n > 0 {
		if e := h.open[n-1]; !e.flat {
			e.content = append(e.content, xs...)
			return
		} else if e.into != nil {
			e.into.content = append(e.into.content, xs...)
			return
		}
	}
	*out = append(*out, xs...)
}

// tag reads one RawHTML node.
func (h *htmlInlines) tag(out *[]doc.Inline, n *ast.RawHTML, src []byte) {
	var raw bytes.Buffer
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		raw.Write(seg.Value(src))
	}
	at := h.c.place(n)
	if declaration(raw.Bytes()) {
		h.c.errs.warnIn(at, "HTML %s is dropped", declarationName(raw.Bytes()))
		return
	}
	z := html.NewTokenizer(&raw)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			h.start(out, t, at)
		case html.EndTagToken:
			h.end(out, z.Token().Data)
		case html.TextToken:
			h.add(out, doc.Text(z.Text()))
		}
	}
}

// declaration reports a processing instruction, a declaration or a CDATA
// section, which the tokenizer would read as a comment.
func declaration(raw []byte) bool {
	return bytes.HasPrefix(raw, []byte("<?")) || bytes.HasPrefix(raw, []byte("<!")) && !bytes.HasPrefix(raw, []byte("<!--"))
}

func declarationName(raw []byte) string {
	switch {
	case bytes.HasPrefix(raw, []byte("<?")):
		return "processing instruction <?…?>"
	case bytes.HasPrefix(raw, []byte("<![CDATA[")):
		return "CDATA section"
	}
	return "declaration <!…>"
}

func (h *htmlInlines) start(out *[]doc.Inline, t html.Token, at place) {
	name := t.Data
	kind := htmlElements[name]
	switch {
	case kind == htmlDangerous:
		h.c.errs.warnIn(at, "HTML element <%s> is dropped with its content", name)
		if t.Type == html.StartTagToken && !voidElement(t.DataAtom) {
			h.open = append(h.open, &htmlElement{name: name})
			h.drop++
		}
	case kind == htmlSilent:
		if t.Type == html.StartTagToken {
			h.open = append(h.open, &htmlElement{name: name})
			h.depth++
		}
	case kind == htmlUnknown:
		h.c.errs.warnIn(at, "HTML element <%s> is not supported: its text is kept without it", name)
	case kind == htmlInline && voidElement(t.DataAtom):
		if h.drop == 0 && h.depth == 0 {
			h.add(out, h.c.voidInline(newHTMLElement(name, t.Attr, at), at)...)
		}
	case kind == htmlInline && t.Type == html.StartTagToken:
		e := newHTMLElement(name, t.Attr, at)
		if n := len(h.open); h.c.depth+n >= maxInlineNesting {
			e.flat = true
			if n > 0 {
				if e.into = h.open[n-1]; e.into.flat {
					e.into = e.into.into
				}
			}
		}
		h.open = append(h.open, e)
	}
	// Block elements inside a paragraph keep their text (a <p> or <div>
	// on a line of text), as do the ones above without end tags.
}

// end closes the innermost open element named name, and any opened
// inside it; an end tag without its start tag is ignored.
func (h *htmlInlines) end(out *[]doc.Inline, name string) {
	for i := len(h.open) - 1; i >= 0; i-- {
		if h.open[i].name == name {
			for len(h.open) > i {
				h.close(out)
			}
			return
		}
	}
}

// close renders the innermost open element into its parent.
func (h *htmlInlines) close(out *[]doc.Inline) {
	e := h.open[len(h.open)-1]
	h.open = h.open[:len(h.open)-1]
	switch htmlElements[e.name] {
	case htmlDangerous:
		h.drop--
		return
	case htmlSilent:
		h.depth--
		return
	}
	if e.flat {
		h.c.tooDeep(e.at)
		return
	}
	inRuby := slices.ContainsFunc(h.open, func(o *htmlElement) bool { return o.name == "ruby" })
	h.add(out, h.c.inlineOf(e, e.at, inRuby)...)
}

// finish closes what the paragraph left open.
func (h *htmlInlines) finish(out *[]doc.Inline) {
	for len(h.open) > 0 {
		h.close(out)
	}
}

func voidElement(a atom.Atom) bool {
	switch a {
	case atom.Br, atom.Img, atom.Wbr, atom.Hr, atom.Input, atom.Link, atom.Meta, atom.Base, atom.Embed, atom.Param:
		return true
	}
	return false
}

// htmlBlock reads an HTML block: it is parsed as the content of a body
// element, and its elements mapped to blocks. An HTML block ends at a
// blank line, so an element opened in one (<details>) and closed in
// another is read as its two halves, with the Markdown between them as
// it stands.
func (c *converter) htmlBlock(n *ast.HTMLBlock) []doc.Block {
	var raw bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		raw.Write(seg.Value(c.src))
	}
	if n.HasClosure() {
		raw.Write(n.ClosureLine.Value(c.src))
	}
	// Elements inside a block are not placed more closely than its
	// first line.
	at := place{line: c.line(n)}
	if declaration(bytes.TrimSpace(raw.Bytes())) {
		c.errs.warnIn(at, "HTML %s is dropped", declarationName(bytes.TrimSpace(raw.Bytes())))
		return nil
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(&raw, body)
	if err != nil { // only a failing reader makes it fail
		c.errs.warnIn(at, "HTML block cannot be read: %v", err)
		return nil
	}
	b := &htmlBlocks{c: c, at: at}
	for _, nd := range nodes {
		b.node(nd)
	}
	b.flush()
	return b.out
}

// htmlBlocks maps parsed HTML to blocks.
type htmlBlocks struct {
	c   *converter
	at  place
	out []doc.Block
	run []doc.Inline // inlines not yet in a paragraph
}

// flush makes a paragraph of the inlines gathered, if they hold more
// than white space; an image alone becomes a figure, as in Markdown.
func (b *htmlBlocks) flush() {
	run := trimInlines(tidy(b.run))
	b.run = nil
	if len(run) == 0 {
		return
	}
	pos := doc.Pos{File: b.c.errs.file, Line: b.at.line}
	if im, ok := run[0].(*doc.InlineImage); ok && len(run) == 1 {
		b.c.book.figures++
		f := &doc.Figure{Pos: pos, Image: im.Image, Alt: im.Alt, Caption: []doc.Inline{doc.Text(im.Alt)}, Number: b.c.book.figures}
		if im.Alt == "" {
			f.Caption = nil
		}
		f.ID = "fig-" + strconv.Itoa(f.Number)
		b.c.book.ids[f.ID] = idOwner{"figure", pos}
		b.out = append(b.out, f)
		return
	}
	b.out = append(b.out, &doc.Paragraph{Pos: pos, Content: run})
}

// blocksOf reads the children of n as blocks.
func (b *htmlBlocks) blocksOf(n *html.Node) []doc.Block {
	inner := &htmlBlocks{c: b.c, at: b.at}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		inner.node(ch)
	}
	inner.flush()
	return inner.out
}

// node reads one node at block level.
func (b *htmlBlocks) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.run = append(b.run, collapseSpace(n.Data))
		return
	case html.ElementNode:
	default:
		return // comments, doctypes
	}
	name := n.Data
	switch htmlElements[name] {
	case htmlInline, htmlUnknown, htmlDangerous, htmlSilent:
		b.run = append(b.run, b.c.htmlTreeElement(n, b.at)...)
		return
	case htmlContainer:
		b.flush()
		b.out = append(b.out, b.blocksOf(n)...)
		return
	}
	b.flush()
	pos := doc.Pos{File: b.c.errs.file, Line: b.at.line}
	switch name {
	case "p", "figcaption", "caption":
		b.run = b.c.htmlTreeInlines(n, b.at)
		b.flush()
	case "summary": // the title of a <details>, in 黑体
		b.run = []doc.Inline{&doc.Emphasis{Strong: true, Content: b.c.htmlTreeInlines(n, b.at)}}
		b.flush()
	case "dt", "dd", "li", "td", "th", "tr", "thead", "tbody", "tfoot":
		// Out of their place (the parser keeps li in lists and cells
		// in tables): read as what they hold.
		b.out = append(b.out, b.blocksOf(n)...)
	case "h1", "h2", "h3", "h4", "h5", "h6":
		h := &doc.Heading{Pos: pos, Level: int(name[1] - '0'), Content: trimInlines(tidy(b.c.htmlTreeInlines(n, b.at)))}
		b.c.book.pending = append(b.c.book.pending, h)
		b.out = append(b.out, h)
	case "blockquote":
		b.out = append(b.out, &doc.BlockQuote{Pos: pos, Blocks: b.blocksOf(n)})
	case "pre":
		b.out = append(b.out, &doc.CodeBlock{Pos: pos, Text: strings.TrimSuffix(strings.TrimPrefix(textOf(n), "\n"), "\n")})
	case "hr":
		b.out = append(b.out, &doc.ThematicBreak{Pos: pos})
	case "ul", "ol":
		b.out = append(b.out, b.list(n, pos))
	case "dl":
		b.out = append(b.out, b.definitions(n, pos))
	case "table":
		b.out = append(b.out, b.table(n, pos))
	}
}

// list reads ul or ol; anything but li inside it is read as an item.
func (b *htmlBlocks) list(n *html.Node, pos doc.Pos) *doc.List {
	l := &doc.List{Pos: pos, Ordered: n.Data == "ol", Start: 1}
	for _, a := range n.Attr {
		if a.Key == "start" {
			if k, err := strconv.Atoi(a.Val); err == nil {
				l.Start = k
			}
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.TextNode && strings.TrimSpace(ch.Data) == "" {
			continue
		}
		if ch.Type != html.ElementNode && ch.Type != html.TextNode {
			continue
		}
		if ch.Data == "li" {
			l.Items = append(l.Items, b.blocksOf(ch))
			continue
		}
		one := &htmlBlocks{c: b.c, at: b.at}
		one.node(ch)
		one.flush()
		l.Items = append(l.Items, one.out)
	}
	return l
}

// definitions reads dl: each dt starts a term, each dd is a definition.
func (b *htmlBlocks) definitions(n *html.Node, pos doc.Pos) *doc.DefinitionList {
	l := &doc.DefinitionList{Pos: pos}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case ch.Type != html.ElementNode:
		case ch.Data == "dt":
			l.Items = append(l.Items, doc.Definition{Term: trimInlines(tidy(b.c.htmlTreeInlines(ch, b.at)))})
		default:
			if len(l.Items) == 0 {
				l.Items = append(l.Items, doc.Definition{})
			}
			last := &l.Items[len(l.Items)-1]
			last.Definitions = append(last.Definitions, b.blocksOf(ch))
		}
	}
	return l
}

// table reads a table: its rows, wherever they are (thead, tbody,
// tfoot), the first one the header when its cells are th or it is in
// thead. Row and column spans are not kept: each cell takes one place.
func (b *htmlBlocks) table(n *html.Node, pos doc.Pos) *doc.Table {
	t := &doc.Table{Pos: pos}
	var rows [][][]doc.Inline
	header := false
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inHead bool) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			switch ch.Data {
			case "thead", "tbody", "tfoot":
				walk(ch, ch.Data == "thead")
			case "caption":
				t.Caption = trimInlines(tidy(b.c.htmlTreeInlines(ch, b.at)))
			case "tr":
				var cells [][]doc.Inline
				allTH := true
				for cell := ch.FirstChild; cell != nil; cell = cell.NextSibling {
					if cell.Type != html.ElementNode || cell.Data != "td" && cell.Data != "th" {
						continue
					}
					allTH = allTH && cell.Data == "th"
					for _, a := range cell.Attr {
						if (a.Key == "rowspan" || a.Key == "colspan") && a.Val != "1" {
							b.c.errs.warnIn(b.at, "HTML table cell %s=%s: cells spanning rows or columns are set one per place", a.Key, a.Val)
						}
					}
					cells = append(cells, trimInlines(tidy(b.c.htmlTreeInlines(cell, b.at))))
				}
				if len(rows) == 0 && (inHead || allTH && len(cells) > 0) {
					header = true
				}
				rows = append(rows, cells)
			}
		}
	}
	walk(n, false)
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	width = min(max(width, 1), maxTableColumns)
	t.Align = make([]doc.Align, width)
	for i, r := range rows {
		r = r[:min(len(r), width)]
		for len(r) < width {
			r = append(r, nil)
		}
		if i == 0 && header {
			t.Header = r
			continue
		}
		t.Rows = append(t.Rows, r)
	}
	b.c.book.tables++
	t.Number = b.c.book.tables
	t.ID = "tab-" + strconv.Itoa(t.Number)
	b.c.book.ids[t.ID] = idOwner{"table", pos}
	return t
}

// htmlTreeInlines reads the children of n as inlines; block elements
// inside it keep only their text.
func (c *converter) htmlTreeInlines(n *html.Node, at place) []doc.Inline {
	var out []doc.Inline
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			out = append(out, collapseSpace(ch.Data))
		case html.ElementNode:
			out = append(out, c.htmlTreeElement(ch, at)...)
		}
	}
	return out
}

// htmlTreeElement reads one element inside running text.
func (c *converter) htmlTreeElement(n *html.Node, at place) []doc.Inline {
	name := n.Data
	switch htmlElements[name] {
	case htmlDangerous:
		c.errs.warnIn(at, "HTML element <%s> is dropped with its content", name)
		return nil
	case htmlSilent:
		return nil
	case htmlUnknown:
		c.errs.warnIn(at, "HTML element <%s> is not supported: its text is kept without it", name)
	}
	e := newHTMLElement(name, n.Attr, at)
	if voidElement(n.DataAtom) {
		return c.voidInline(e, at)
	}
	e.content = c.htmlTreeInlines(n, at)
	if htmlElements[name] != htmlInline {
		if name == "p" || name == "div" || name == "li" || name == "tr" {
			// A block inside a line still separates its text.
			return append(e.content, doc.Text(" "))
		}
		return e.content
	}
	inRuby := false
	for p := n.Parent; p != nil; p = p.Parent {
		inRuby = inRuby || p.Type == html.ElementNode && p.Data == "ruby"
	}
	return c.inlineOf(e, at, inRuby)
}

// collapseSpace reads HTML text as a browser shows it: each run of white
// space is one space, except that a line break next to a wide character
// disappears, as Markdown's soft breaks do (softBreakText).
func collapseSpace(s string) doc.Text {
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isHTMLSpace(s[i]) {
			r, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += size
			continue
		}
		j, newline := i, false
		for j < len(s) && isHTMLSpace(s[j]) {
			newline = newline || s[j] == '\n'
			j++
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		if !newline || i == 0 || j == len(s) || softBreakText(before, after) != "" {
			b.WriteByte(' ')
		}
		i = j
	}
	return doc.Text(b.String())
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// textOf is the text inside n, as written (for pre).
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && htmlElements[n.Data] == htmlDangerous {
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

// trimInlines drops the white space at the start and end of a run.
func trimInlines(xs []doc.Inline) []doc.Inline {
	if len(xs) > 0 {
		if t, ok := xs[0].(doc.Text); ok {
			xs[0] = doc.Text(strings.TrimLeft(string(t), " "))
		}
		if t, ok := xs[len(xs)-1].(doc.Text); ok {
			xs[len(xs)-1] = doc.Text(strings.TrimRight(string(t), " "))
		}
	}
	return tidy(xs)
}
