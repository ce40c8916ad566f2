package markdown

import (
	"bufio"
	"bytes"
	stdhtml "html"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/paiban/paiban/internal/doc"
)

// converter turns a goldmark tree into the document model.
type converter struct {
	src   []byte
	lines lineIndex
	errs  *errorsFor
	doc   *doc.Document
	// lastPlace is the last place computed, from which the next one on
	// its line counts on: nodes come in source order, and counting each
	// column from its line's start would take time quadratic in the
	// length of a line holding many links.
	lastOff   int
	lastPlace place

	// undefinedRefs are footnote references without a definition (source
	// offset → label), recorded by footnoteRefParser.
	undefinedRefs map[int]string
	// defs are the footnote definitions in source order; byIndex finds the
	// one a goldmark FootnoteLink points to.
	defs    []*east.Footnote
	byIndex map[int]*east.Footnote
	// parsedDefs are the definitions the reference parser saw, by label,
	// including any goldmark then left out of the tree.
	parsedDefs map[string]*east.Footnote
	// notes are the definitions referenced so far, with their model;
	// noteDefs[i] is the definition of doc.Footnotes[i].
	notes    map[*east.Footnote]*doc.Footnote
	noteDefs []*east.Footnote

	// book is what the chapters of the book share; dir is the folder of
	// the file being read, as a slash path inside the book's folder.
	book *bookState
	dir  string
	// inAlt is set while the alt text of an image is read.
	inAlt bool
	// file is the file being read, a slash path inside the book's folder:
	// links to #anchor look among its headings first.
	file string
	// levelShift is added to every heading's level: a chapter listed in a
	// summary takes the level of its place there.
	levelShift int
	// sawUnsupported is set once a construct has been reported as not
	// supported, which also explains a body left without blocks.
	sawUnsupported bool
	// depth is how many emphases and spans enclose the inlines being
	// converted.
	depth int
}

func newConverter(src []byte, lines lineIndex, errs *errorsFor, ctx parser.Context, book *bookState, dir string) *converter {
	refs, _ := ctx.Get(undefinedRefsKey).(map[int]string)
	parsedDefs, _ := ctx.Get(footnoteDefsKey).(map[string]*east.Footnote)
	return &converter{
		parsedDefs:    parsedDefs,
		src:           src,
		lines:         lines,
		errs:          errs,
		undefinedRefs: refs,
		byIndex:       map[int]*east.Footnote{},
		notes:         map[*east.Footnote]*doc.Footnote{},
		book:          book,
		dir:           dir,
	}
}

// convert fills d's blocks and footnotes from the tree.
func (c *converter) convert(root ast.Node, d *doc.Document) {
	c.doc = d
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.Footnote:
			c.defs = append(c.defs, n)
			if n.Index > 0 {
				c.byIndex[n.Index] = n
			}
		}
		return ast.WalkContinue, nil
	})

	d.Blocks = c.blocks(root)
	// Bodies are read in note order, so a note referenced only from
	// another note's body is numbered after it.
	for i := 0; i < len(d.Footnotes); i++ {
		d.Footnotes[i].Blocks = c.blocks(c.noteDefs[i])
	}
	c.checkFootnotes()
}

// checkFootnotes reports definitions defined twice or never referenced and
// references to no definition.
func (c *converter) checkFootnotes() {
	first := map[string]int{}
	for _, def := range c.defs {
		label, line := string(def.Ref), c.line(def)
		if at, dup := first[label]; dup {
			c.errs.add(line, "footnote [^%s] is defined twice (first at line %d)", label, at)
			continue
		}
		first[label] = line
		if _, used := c.notes[def]; !used {
			c.errs.add(line, "footnote [^%s] is never referenced", label)
		}
	}
	offsets := make([]int, 0, len(c.undefinedRefs))
	for off := range c.undefinedRefs {
		offsets = append(offsets, off)
	}
	sort.Ints(offsets)
	for _, off := range offsets {
		at := c.placeAt(off)
		c.errs.addAt(at.line, at.col, "footnote reference [^%s] has no definition", c.undefinedRefs[off])
	}
}

// blocks converts the block children of parent.
func (c *converter) blocks(parent ast.Node) []doc.Block {
	var out []doc.Block
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			out = append(out, c.heading(n))
		case *ast.Paragraph, *ast.TextBlock:
			if img, ok := n.FirstChild().(*ast.Image); ok && n.ChildCount() == 1 {
				if f := c.figure(n, img); f != nil {
					out = append(out, f)
				}
				continue
			}
			content := c.inlineContent(n, true)
			if len(content) > 0 { // a paragraph of indentation only
				out = append(out, &doc.Paragraph{Pos: c.pos(n), Content: content})
			}
		case *ast.Blockquote:
			out = append(out, &doc.BlockQuote{Pos: c.pos(n), Blocks: c.blocks(n)})
		case *ast.List:
			l := &doc.List{Pos: c.pos(n), Ordered: n.IsOrdered(), Start: n.Start}
			for item := n.FirstChild(); item != nil; item = item.NextSibling() {
				l.Items = append(l.Items, c.blocks(item))
			}
			out = append(out, l)
		case *ast.FencedCodeBlock:
			out = append(out, &doc.CodeBlock{Pos: c.pos(n), Language: string(n.Language(c.src)), Text: c.codeText(n)})
		case *ast.CodeBlock:
			out = append(out, &doc.CodeBlock{Pos: c.pos(n), Text: c.codeText(n)})
		case *ast.ThematicBreak:
			out = append(out, &doc.ThematicBreak{Pos: c.pos(n)})
		case *east.FootnoteList:
			// Definitions are read where they are first referenced.
		case *ast.LinkReferenceDefinition:
			// goldmark has resolved the references to it.
		case *ast.HTMLBlock:
			out = append(out, c.htmlBlock(n)...)
		case *east.Table:
			t := c.table(n)
			if p, ok := n.NextSibling().(*ast.Paragraph); ok && isCaption(p, c.src) {
				t.Caption = c.caption(p)
				n.Parent().RemoveChild(n.Parent(), p) // read as the caption
			}
			out = append(out, t)
		case *east.DefinitionList:
			out = append(out, c.definitionList(n))
		default:
			c.unsupported(n, n.Kind().String())
		}
	}
	return out
}

// heading converts a heading; its ID is the author's {#id}, or else one
// made from its text once the whole book is read, when numberHeadings
// also numbers it.
func (c *converter) heading(n *ast.Heading) *doc.Heading {
	h := &doc.Heading{Pos: c.pos(n), Level: n.Level + c.levelShift, Content: c.inlineContent(n, false)}

	b := c.book
	for _, a := range n.Attributes() {
		if string(a.Name) != "id" {
			c.errs.add(h.Line, "heading attribute %q is not supported (only {#id} is)", a.Name)
			continue
		}
		if v, ok := a.Value.([]byte); ok {
			h.ID = string(v)
		}
	}
	switch {
	case h.ID == "":
		b.pending = append(b.pending, h)
	case !validID(h.ID):
		c.errs.add(h.Line, "heading id %q: an id starts with a letter or _ and holds only letters, digits, -, _ and .", h.ID)
	case reservedID.MatchString(h.ID):
		c.errs.add(h.Line, "heading id %q: ids fig-N, tab-N, fnN, nrN and page-… are kept for figures, tables, notes and page markers", h.ID)
	default:
		if owner, dup := b.ids[h.ID]; dup {
			c.errs.add(h.Line, "heading id %q is already used by the %s", h.ID, owner.describe(c.errs.file))
		} else {
			b.ids[h.ID] = idOwner{"heading", h.Pos}
		}
	}
	return h
}

// codeText returns the lines of a code block without the final newline,
// which ends the last line rather than adding an empty one.
func (c *converter) codeText(n ast.Node) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(c.src))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// softBreak stands for a soft line break until the characters on both
// sides are known. It is compared by identity, so no text can be taken
// for it.
var softBreak doc.Inline = &doc.Emphasis{}

// inlineContent converts the inlines of a block, resolving soft line
// breaks; for a paragraph it also strips the manual indentation (ideographic
// or ASCII spaces) some authors type at its start, since the layout indents
// paragraphs itself.
func (c *converter) inlineContent(n ast.Node, paragraph bool) []doc.Inline {
	content := c.inlines(n)
	var leaves []*doc.Inline
	var collect func([]doc.Inline)
	collect = func(xs []doc.Inline) {
		for i := range xs {
			switch n := xs[i].(type) {
			case *doc.Emphasis:
				if xs[i] != softBreak {
					collect(n.Content)
					continue
				}
			case *doc.Link:
				collect(n.Content)
				continue
			case *doc.Span:
				collect(n.Content)
				continue
			}
			leaves = append(leaves, &xs[i])
		}
	}
	collect(content)

	for i, leaf := range leaves {
		if *leaf == softBreak {
			*leaf = doc.Text(softBreakText(lastRune(leaves[:i]), firstRune(leaves[i+1:])))
		}
	}
	if paragraph {
		for _, leaf := range leaves {
			t, ok := (*leaf).(doc.Text)
			if !ok {
				break
			}
			t = doc.Text(strings.TrimLeft(string(t), " \u3000"))
			*leaf = t
			if t != "" {
				break
			}
		}
	}
	return tidy(content)
}

// softBreakText is what a soft line break between before and after becomes.
// Chinese is written without spaces, so a break next to a wide character
// (Han, kana, CJK or fullwidth punctuation) disappears; between Latin words
// it is a space. This is the CommonMark East Asian line break rule, with
// the condition relaxed from both sides to either side: goldmark's version
// counts neither fullwidth punctuation like ， nor quotation marks like “
// as wide and would put a space after "，" or before "“" at a line end.
// Between Han and Latin no space is kept because the layout adds its own
// gap there. At the edge of a paragraph or a hard break it vanishes.
func softBreakText(before, after rune) string {
	if before == 0 || after == 0 || wide(before) || wide(after) {
		return ""
	}
	return " "
}

// wide reports whether r is East Asian Wide or Fullwidth, by goldmark's
// width table (docs/typesetting.md §4.6).
func wide(r rune) bool {
	w := util.EastAsianWidth(r)
	return w == "W" || w == "F"
}

// lastRune returns the last character of the text in leaves, or 0 if a
// hard break or the start of the block comes first.
func lastRune(leaves []*doc.Inline) rune {
	for i := len(leaves) - 1; i >= 0; i-- {
		text, decides := leafText(*leaves[i])
		if text != "" {
			r, _ := utf8.DecodeLastRuneInString(text)
			return r
		}
		if decides {
			return 0
		}
	}
	return 0
}

// firstRune is lastRune looking forward.
func firstRune(leaves []*doc.Inline) rune {
	for _, leaf := range leaves {
		text, decides := leafText(*leaf)
		if text != "" {
			r, _ := utf8.DecodeRuneInString(text)
			return r
		}
		if decides {
			return 0
		}
	}
	return 0
}

// leafText is the text a leaf shows, for lastRune and firstRune. An image
// stands for its alt text, which a reader sees when the image cannot be
// had: badges on lines of their own keep a space between them. decides
// is set where the leaf ends the search even without text: a ruby's base,
// and a hard break, which has none.
func leafText(n doc.Inline) (text string, decides bool) {
	switch n := n.(type) {
	case doc.Text:
		return string(n), false
	case doc.Code:
		return string(n), false
	case *doc.InlineImage:
		return n.Alt, false
	case *doc.Ruby:
		return n.Base, true
	case doc.LineBreak:
		return "", true
	}
	return "", false
}

// tidy merges adjacent texts and drops empty ones, so that writers see
// each run of text once.
func tidy(xs []doc.Inline) []doc.Inline {
	var out []doc.Inline
	// Text is joined once per run: adding each piece to the last would
	// copy the run again each time (a paragraph of 100,000 brackets, each
	// its own piece, took half a minute).
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, doc.Text(run.String()))
			run.Reset()
		}
	}
	for _, x := range xs {
		switch n := x.(type) {
		case doc.Text:
			run.WriteString(string(n))
			continue
		case *doc.Emphasis:
			n.Content = tidy(n.Content)
		case *doc.Link:
			n.Content = tidy(n.Content)
		case *doc.Span:
			n.Content = tidy(n.Content)
		}
		flush()
		out = append(out, x)
	}
	flush()
	return out
}

// inlines converts the inline children of parent; soft line breaks are
// left as softBreak for inlineContent. Inline HTML elements gather what
// comes between their tags.
func (c *converter) inlines(parent ast.Node) []doc.Inline {
	var out []doc.Inline
	h := &htmlInlines{c: c}
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if raw, ok := n.(*ast.RawHTML); ok {
			h.tag(&out, raw, c.src)
			continue
		}
		h.add(&out, c.inline(n)...)
	}
	h.finish(&out)
	return out
}

// inline converts one inline node.
func (c *converter) inline(n ast.Node) []doc.Inline {
	var out []doc.Inline
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(c.src)
		if n.IsRaw() {
			out = append(out, doc.Text(v))
		} else {
			out = append(out, doc.Text(literal(v)))
		}
		if n.HardLineBreak() {
			out = append(out, doc.LineBreak{})
		} else if n.SoftLineBreak() {
			out = append(out, softBreak)
		}
	case *ast.CodeSpan:
		out = append(out, doc.Code(c.codeSpan(n)))
	case *ast.Emphasis:
		out = append(out, c.nested(n, func(in []doc.Inline) doc.Inline { return &doc.Emphasis{Strong: n.Level >= 2, Content: in} })...)
	case *ast.Link:
		l := &doc.Link{URL: literal(n.Destination), Content: c.inlines(n)}
		if l.Image = c.linkedImage(l.URL); l.Image != nil {
			l.URL = ""
		} else {
			c.book.links = append(c.book.links, linkUse{url: l.URL, title: literal(n.Title), at: c.place(n), errs: c.errs, link: l, from: c.file})
		}
		out = append(out, l)
	case *ast.AutoLink:
		dest := string(n.URL(c.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		l := &doc.Link{URL: dest, Content: []doc.Inline{doc.Text(n.Label(c.src))}}
		c.book.links = append(c.book.links, linkUse{url: dest, at: c.place(n), errs: c.errs, link: l})
		out = append(out, l)
	case *east.FootnoteLink:
		if c.byIndex[n.Index] == nil {
			at := c.place(n)
			c.errs.addAt(at.line, at.col,
				"footnote [^%s]: its definition was lost (a definition that starts with another, as in \"[^a]: [^b]: …\", cannot be read): give each definition a line of its own",
				c.lostLabel(n.Index))
			return nil
		}
		out = append(out, &doc.FootnoteRef{Note: c.note(n)})
	case *rubyNode:
		out = append(out, &doc.Ruby{Base: n.Base, Annotation: n.Annotation})
	case *ast.Image:
		out = append(out, c.inlineImage(n)...)
	case *east.Strikethrough:
		out = append(out, c.nested(n, func(in []doc.Inline) doc.Inline { return &doc.Span{Kind: doc.Strike, Content: in} })...)
	case *east.TaskCheckBox:
		out = append(out, doc.TaskBox{Checked: n.IsChecked})
	default:
		c.unsupported(n, n.Kind().String())
	}
	return out
}

// maxInlineNesting is how deep emphases and spans may be nested: readers
// parse an EPUB's markup with a limit on its depth (Calibre stops at 256
// levels and drops the whole chapter), and no text needs more than a few.
const maxInlineNesting = 8

// nested converts the children of n, an emphasis or a span, and wraps
// them with wrap; deeper than maxInlineNesting they are set as the text
// around them, with a warning. The levels past the limit are wrapped too
// and unwrapped once, by the deepest level kept: returning each level's
// text for its parent to copy took time in the square of the depth.
func (c *converter) nested(n ast.Node, wrap func([]doc.Inline) doc.Inline) []doc.Inline {
	c.depth++
	in := c.inlines(n)
	c.depth--
	switch {
	case c.depth >= maxInlineNesting:
		c.tooDeep(c.place(n))
	case c.depth == maxInlineNesting-1:
		in = appendUnwrapped(nil, in)
	}
	return []doc.Inline{wrap(in)}
}

// appendUnwrapped appends in to out with the emphases and struck spans
// made past maxInlineNesting replaced by their text, inside links too.
// Below the deepest level kept there are no others: HTML elements there
// are set as text when read (htmlInlines).
func appendUnwrapped(out, in []doc.Inline) []doc.Inline {
	for _, x := range in {
		switch x := x.(type) {
		case *doc.Emphasis:
			out = appendUnwrapped(out, x.Content)
		case *doc.Span:
			out = appendUnwrapped(out, x.Content)
		case *doc.Link:
			x.Content = appendUnwrapped(nil, x.Content)
			out = append(out, x)
		default:
			out = append(out, x)
		}
	}
	return out
}

// tooDeep warns of emphases or spans nested past maxInlineNesting.
func (c *converter) tooDeep(at place) {
	// Once a line: past the limit every further level would warn again.
	c.errs.warn(at.line, "emphasis nested more than %d deep: the inner levels are set like the outer ones", maxInlineNesting)
}

// inlineImage converts an image inside running text; one that cannot be
// placed leaves its alt text. Inside alt text an image is its own alt
// text (it is never loaded).
func (c *converter) inlineImage(n *ast.Image) []doc.Inline {
	inAlt := c.inAlt
	c.inAlt = true
	alt := c.inlines(n)
	c.inAlt = inAlt
	if inAlt {
		return alt
	}
	img := c.image(literal(n.Destination), c.place(n))
	if img == nil || img.Missing != "" {
		return alt
	}
	return []doc.Inline{&doc.InlineImage{Image: img, Alt: doc.PlainText(alt)}}
}

// codeSpan returns the text of inline code; goldmark keeps a line end
// inside it, which CommonMark reads as a space.
func (c *converter) codeSpan(n *ast.CodeSpan) string {
	var b strings.Builder
	for t := n.FirstChild(); t != nil; t = t.NextSibling() {
		if t, ok := t.(*ast.Text); ok {
			v := t.Segment.Value(c.src)
			if trimmed, ok := bytes.CutSuffix(v, []byte("\n")); ok {
				b.Write(trimmed)
				b.WriteByte(' ')
			} else {
				b.Write(v)
			}
		}
	}
	return b.String()
}

// note returns the footnote a reference points to, numbering it at its
// first reference.
func (c *converter) note(link *east.FootnoteLink) *doc.Footnote {
	def := c.byIndex[link.Index]
	if fn, ok := c.notes[def]; ok {
		return fn
	}
	fn := &doc.Footnote{Pos: c.pos(def), Number: len(c.doc.Footnotes) + 1, Label: string(def.Ref)}
	c.notes[def] = fn
	c.noteDefs = append(c.noteDefs, def)
	c.doc.Footnotes = append(c.doc.Footnotes, fn)
	return fn
}

// lostLabel is the label of the definition a reference was given that
// goldmark left out of the tree.
func (c *converter) lostLabel(index int) string {
	for label, def := range c.parsedDefs {
		if def.Index == index {
			return label
		}
	}
	return "?"
}

// unsupported reports a construct the writers cannot render yet.
func (c *converter) unsupported(n ast.Node, what string) {
	c.sawUnsupported = true
	c.errs.add(c.line(n), "%s is not supported yet", what)
}

// place returns where n starts: its line and column.
func (c *converter) place(n ast.Node) place { return c.placeAt(offset(n)) }

// placeAt returns the line and column of the byte at off, counting the
// column from the last place asked for when it is on the same line, so
// that places asked for along a long line cost the distance between them
// (a line of 20,000 linked images asked for each link's place after its
// image's, a step back, and counted from the line's start each time).
func (c *converter) placeAt(off int) place {
	line := c.lines.line(off)
	switch {
	case line == c.lastPlace.line && off >= c.lastOff:
		c.lastPlace.col += utf8.RuneCount(c.src[c.lastOff:off])
	case line == c.lastPlace.line && off-c.lines[line-1] > c.lastOff-off:
		c.lastPlace.col -= utf8.RuneCount(c.src[off:c.lastOff])
	default:
		c.lastPlace = place{line, c.lines.column(c.src, off)}
	}
	c.lastOff = off
	return c.lastPlace
}

func (c *converter) pos(n ast.Node) doc.Pos {
	return doc.Pos{File: c.errs.file, Line: c.line(n)}
}

// line returns the source line where n starts.
func (c *converter) line(n ast.Node) int {
	return c.lines.line(offset(n))
}

// offset returns the source offset where n starts. goldmark records it for
// blocks and most inlines; a paragraph turned into a list's TextBlock
// keeps only its lines, and a plain text only its segment.
func offset(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	if p := n.Parent(); p != nil {
		return offset(p)
	}
	return 0
}

// literal returns the text a Markdown text segment stands for: backslash
// escapes and entity references are resolved by goldmark's own HTML writer
// (goldmark has no plain-text one), then its HTML escaping is undone.
func literal(v []byte) string {
	// Most text has neither, and the round trip through the writer (with
	// a 4 KB buffer per call) was most of the reader's time on books with
	// many short segments, such as one footnote per paragraph.
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	html.DefaultWriter.Write(w, v)
	_ = w.Flush() // a bytes.Buffer does not fail
	return stdhtml.UnescapeString(b.String())
}
