// Package markdown reads a book written in Markdown with YAML front matter
// into the document model. It is the only stage that knows Markdown: every
// construct the writers cannot render yet is reported as an error at its
// line rather than dropped, so nothing an author wrote silently disappears.
package markdown

import (
	"bytes"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/frontmatter"

	"github.com/paiban/paiban/internal/doc"
)

// ParseFile reads the book at path; errors name the file by path.
func ParseFile(path string) (*doc.Document, error) {
	src, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// Parse reads one Markdown book (YAML front matter + body). name is the file
// name used in error messages. When the book has problems, the error is an
// ErrorList holding all of them and the document is nil.
func Parse(name string, src []byte) (*doc.Document, error) {
	return parse(name, src, Options{})
}

func parse(name string, src []byte, opt Options) (*doc.Document, error) {
	errs := &errorsFor{file: name}
	// Editors on Windows may start a file with a byte order mark, which
	// would hide the opening --- of the front matter. It is three bytes on
	// the first line, so line numbers are unaffected.
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	lines := newLineIndex(src)

	if bad := firstInvalidUTF8(src); bad >= 0 {
		errs.addAt(lines.line(bad), lines.column(src, bad), "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", src[bad])
	}

	fm := findFrontMatter(src)
	if fm.open && fm.bodyLine == 0 {
		// Without a closing line the whole book would be read as YAML, and
		// every other message would be noise caused by this one.
		errs.add(1, "front matter is not closed: add a line %s after it", fm.delim)
		return nil, errs.err()
	}
	n := len(errs.list)
	screen(src, errs)
	if len(errs.list) > n {
		return nil, errs.err() // too costly for goldmark to read
	}

	ctx := parser.NewContext()
	root := newParser().Parse(text.NewReader(src), parser.WithContext(ctx))

	d := &doc.Document{}
	data := frontmatter.Get(ctx)
	if data != nil {
		decodeMeta(data, errs, &d.Meta)
	}

	book := newBookState(filepath.Dir(name))
	book.fetcher, book.opened = opt.Remote, opt.opened
	c := newConverter(src, lines, errs, ctx, book, ".")
	c.file = filepath.Base(name)
	c.convert(root, d)
	if data == nil {
		titleWithoutFrontMatter(d, name, errs, book)
	}
	book.addChapter(c.file, d.Blocks)
	book.finish()
	numberHeadings(d.Blocks, d.Meta.Numbering)
	if len(d.Blocks) == 0 && !c.sawUnsupported {
		errs.warn(min(fm.bodyLine, lines.count()), "empty body: the book has no text")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	d.Warnings = errs.sortedWarnings()
	return d, nil
}

// titleWithoutFrontMatter gives a book without front matter its title:
// the text of its first level-1 heading, which is then not set a second
// time, or else the file's name; the language is the default. A warning
// says where the title came from.
// A link to the heading then warns that its target is gone.
func titleWithoutFrontMatter(d *doc.Document, name string, errs *errorsFor, book *bookState) {
	d.Meta.Language = defaultLanguage
	for i, b := range d.Blocks {
		h, ok := b.(*doc.Heading)
		if !ok || h.Level != 1 {
			continue
		}
		if t := strings.TrimSpace(doc.PlainText(h.Content)); t != "" {
			d.Meta.Title = t
			d.Blocks = slices.Delete(d.Blocks, i, i+1)
			book.pending = slices.DeleteFunc(book.pending, func(p *doc.Heading) bool { return p == h })
			delete(book.ids, h.ID)
			errs.warn(h.Line, "no front matter: the title is this heading's text %q (add ---, title: …, --- to set it)", t)
			return
		}
	}
	d.Meta.Title = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	errs.warn(1, "no front matter and no level-1 heading: the title is the file's name %q (add ---, title: …, --- to set it)", d.Meta.Title)
}

// newParser builds the goldmark parser: GFM (tables, strikethrough, task
// lists, bare URLs as links), definition lists, ruby and CJK-friendly
// emphasis.
//
// Footnotes use the extension's definition parser (wrapped to index the
// definitions) and a reference parser of paiban's, but not the extension's
// AST transformer, which only serves HTML output: it moves the definitions
// to the end and deletes the ones never referenced, which are reported
// here instead.
//
// Headings get no automatic IDs (goldmark's drop every non-ASCII
// character; bookState makes readable ones); parser.WithAttribute
// enables an explicit {#id}.
func newParser() parser.Parser {
	// goldmark's emphasis parser is left out of the defaults rather than
	// outranked, so that only the CJK-friendly one ever sees * and _.
	var inlines []util.PrioritizedValue
	for _, p := range parser.DefaultInlineParsers() {
		if p.Value == parser.NewEmphasisParser() { // a shared instance
			p.Value = cjkEmphasisParser{}
		}
		inlines = append(inlines, p)
	}
	base := parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
	md := goldmark.New(
		goldmark.WithParser(base),
		goldmark.WithExtensions(
			extension.Table,
			extension.Strikethrough,
			extension.TaskList,
			extension.Linkify,
			extension.DefinitionList,
			&frontmatter.Extender{Formats: []frontmatter.Format{frontmatter.YAML}},
		),
		goldmark.WithParserOptions(
			parser.WithAttribute(),
			parser.WithBlockParsers(util.Prioritized(footnoteDefParser{extension.NewFootnoteBlockParser()}, 999)),
			parser.WithInlineParsers(
				util.Prioritized(footnoteRefParser{}, 101),
				util.Prioritized(rubyParser{}, 600),
			),
		),
	)
	return md.Parser()
}

// undefinedRefsKey holds, in the parser context, the footnote references
// without a definition: source offset of the '[' → label.
var undefinedRefsKey = parser.NewContextKey()

// footnoteDefsKey holds, in the parser context, the footnote definitions
// by label, the first of each label. goldmark's reference parser finds a
// definition by walking the list of them, in time quadratic in the number
// of notes (100,000 notes took five minutes); this map makes it linear.
var footnoteDefsKey = parser.NewContextKey()

// footnoteRef matches a footnote reference at the start of the rest of a
// line, after an optional '!' (the extension is triggered by both).
var footnoteRef = regexp.MustCompile(`^!?\[\^([^\]\s]+)\]`)

// footnoteLabelLimit is the longest label the extension reads.
const footnoteLabelLimit = 999

// footnoteDefParser is the extension's definition parser, indexing each
// definition by label as it is closed.
type footnoteDefParser struct{ parser.BlockParser }

// Close implements parser.BlockParser.
func (p footnoteDefParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	p.BlockParser.Close(node, reader, pc)
	defs, _ := pc.Get(footnoteDefsKey).(map[string]*east.Footnote)
	if defs == nil {
		defs = map[string]*east.Footnote{}
		pc.Set(footnoteDefsKey, defs)
	}
	if fn, ok := node.(*east.Footnote); ok {
		if _, dup := defs[string(fn.Ref)]; !dup {
			defs[string(fn.Ref)] = fn
		}
	}
}

// footnoteRefParser reads footnote references as the extension does, but
// finds their definitions in footnoteDefsKey, and records the references
// without a definition, which goldmark would leave as literal text. Code
// spans are parsed before it, so [^x] inside `code` is not a reference.
type footnoteRefParser struct{}

// Trigger implements parser.InlineParser.
func (footnoteRefParser) Trigger() []byte { return []byte{'!', '['} }

// Parse implements parser.InlineParser.
func (footnoteRefParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	pos := 1
	if len(line) > 0 && line[0] == '!' {
		pos++
	}
	if pos+1 >= len(line) || line[pos] != '^' {
		return nil
	}
	pos++
	closure := util.FindClosure(line[pos:min(len(line), pos+footnoteLabelLimit)], '[', ']', false, false) //nolint:staticcheck // as the extension
	if closure < 0 {
		return nil
	}
	defs, _ := pc.Get(footnoteDefsKey).(map[string]*east.Footnote)
	if def := defs[string(line[pos:pos+closure])]; def != nil {
		if def.Index < 0 {
			n, _ := pc.Get(footnoteCountKey).(int)
			def.Index = n + 1
			pc.Set(footnoteCountKey, n+1)
		}
		block.Advance(pos + closure + 1)
		if line[0] == '!' {
			parent.AppendChild(parent, ast.NewTextSegment(text.NewSegment(seg.Start, seg.Start+1)))
		}
		return east.NewFootnoteLink(def.Index)
	}
	if m := footnoteRef.FindSubmatchIndex(line); m != nil {
		refs, _ := pc.Get(undefinedRefsKey).(map[int]string)
		if refs == nil {
			refs = map[int]string{}
			pc.Set(undefinedRefsKey, refs)
		}
		// Keyed by the '[' so that "![^x]", seen at '!' and again at '[',
		// counts once.
		refs[seg.Start+bytes.IndexByte(line, '[')] = string(line[m[2]:m[3]])
	}
	return nil
}

// footnoteCountKey holds the number of footnotes referenced so far.
var footnoteCountKey = parser.NewContextKey()

// frontMatterSpan is where the front matter is.
type frontMatterSpan struct {
	open     bool   // the file starts with a delimiter line
	delim    string // the opening line, e.g. "---"
	bodyLine int    // first line after the closing delimiter; 0 if unclosed
}

// findFrontMatter finds the closing delimiter the way the frontmatter
// extension does (a line repeating the opening one exactly), because the
// extension does not say where the front matter ended.
func findFrontMatter(src []byte) frontMatterSpan {
	lines := bytes.SplitAfter(src, []byte("\n"))
	first := trimEOL(lines[0])
	if len(first) < 3 || len(bytes.Trim(first, "-")) != 0 {
		return frontMatterSpan{bodyLine: 1}
	}
	fm := frontMatterSpan{open: true, delim: string(first)}
	for i, l := range lines[1:] {
		if bytes.Equal(trimEOL(l), first) {
			fm.bodyLine = i + 3 // lines[1+i] is file line i+2
			break
		}
	}
	return fm
}

func trimEOL(line []byte) []byte {
	return bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // byte offset where each line starts

func newLineIndex(src []byte) lineIndex {
	starts := lineIndex{0}
	for i, b := range src {
		if b == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line returns the line holding the byte at offset.
func (l lineIndex) line(offset int) int {
	return sort.Search(len(l), func(i int) bool { return l[i] > offset })
}

// column returns the 1-based column, in characters, of the byte at
// offset; bytes that are not UTF-8 count one each.
func (l lineIndex) column(src []byte, offset int) int {
	start := l[l.line(offset)-1]
	return utf8.RuneCount(src[start:offset]) + 1
}

// count is the number of lines.
func (l lineIndex) count() int { return len(l) }

// firstInvalidUTF8 returns the offset of the first byte that is not part
// of valid UTF-8, or -1.
func firstInvalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}
