package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"
	"gopkg.in/yaml.v3"

	"github.com/paiban/paiban/internal/doc"
)

// The files that make a folder a book of several chapters: paiban's own
// book.yaml, GitBook's and Honkit's SUMMARY.md with book.json, mdBook's
// book.toml with src/SUMMARY.md.
const (
	BookFile    = "book.yaml"
	SummaryFile = "SUMMARY.md"
	GitBookFile = "book.json"
	MdBookFile  = "book.toml"
)

// IsBook says whether path is a folder holding a book: a book.yaml, a
// book.toml or a SUMMARY.md. One that is not a regular file (a named
// pipe, a device) makes it a book too, so that reading it names that
// file rather than the folder.
func IsBook(path string) bool {
	for _, name := range []string{BookFile, MdBookFile, SummaryFile} {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			return true
		}
	}
	return false
}

// entry is one item of a book's reading order: a chapter file, a part
// title, or a title the summary lists without a file.
type entry struct {
	file  string // slash path inside the book's folder; "" for a part or a title alone
	title string // the text the summary gives it
	// depth is the entry's nesting in the summary (0 at the top), which
	// sets its heading level; -1 for book.yaml's chapters, which keep the
	// levels they are written with.
	depth int
	part  bool
	at    doc.Pos // where the entry is listed
}

// ParseBook reads a book kept as a folder. Its reading order comes from
// book.yaml's `chapters` (the Markdown files, relative to dir), or from a
// SUMMARY.md as GitBook, Honkit and mdBook write it (nested lists of
// links; headings above them are parts); its metadata from book.yaml,
// book.json or book.toml, book.yaml's keys first. Chapters have no front
// matter. Errors name the file and line they are in.
func ParseBook(dir string) (*doc.Document, error) {
	return parseBook(dir, Options{})
}

func parseBook(dir string, opt Options) (*doc.Document, error) {
	entries, meta, warnings, err := readBookFiles(dir, opt)
	if err != nil {
		return nil, err
	}
	d := &doc.Document{Meta: meta, Warnings: warnings}
	var all ErrorList
	book := newBookState(dir)
	book.fetcher, book.opened = opt.Remote, opt.opened
	// item is a part or a chapter read.
	type item struct {
		part *doc.Part
		d    *doc.Document
		errs *errorsFor
	}
	var items []item
	parts := 0
	for _, e := range entries {
		switch {
		case e.part:
			parts++
			items = append(items, item{part: &doc.Part{Pos: e.at, ID: "part-" + strconv.Itoa(parts), Title: e.title}})
			continue
		case e.file == "":
			items = append(items, item{d: titleOnly(e, book), errs: &errorsFor{file: e.at.File}})
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(e.file))
		opt.opened(path)
		csrc, err := openInside(dir, e.file)
		if err != nil {
			if u := errors.Unwrap(err); u != nil {
				err = u // the reason, without the path the message gives
			}
			all = append(all, &Error{File: e.at.File, Line: e.at.Line, Msg: fmt.Sprintf("chapter %s: %v", e.file, err)})
			continue
		}
		cd, errs := parseChapter(path, csrc, book, e)
		items = append(items, item{d: cd, errs: errs})
	}
	// Links may point into a later chapter, and ids made from headings
	// give way to every {#id} in the book.
	book.finish()
	for _, it := range items {
		if it.part != nil {
			d.Blocks = append(d.Blocks, it.part)
			continue
		}
		if err := it.errs.err(); err != nil {
			all = append(all, it.errs.list...)
			continue
		}
		merge(d, it.d)
		d.Warnings = append(d.Warnings, it.errs.sortedWarnings()...)
	}
	if len(all) > 0 {
		return nil, all
	}
	numberHeadings(d.Blocks, meta.Numbering)
	return d, nil
}

// titleOnly is the chapter of a summary entry without a file: its title
// as a heading.
func titleOnly(e entry, book *bookState) *doc.Document {
	h := &doc.Heading{Pos: e.at, Level: e.depth + 1, Content: []doc.Inline{doc.Text(e.title)}}
	book.pending = append(book.pending, h)
	return &doc.Document{Blocks: []doc.Block{h}}
}

// readBookFiles reads the files that describe a book folder: its reading
// order and its metadata.
func readBookFiles(dir string, opt Options) ([]entry, doc.Metadata, []doc.Warning, error) {
	// Each of these may be there or not, and changes the book.
	for _, name := range []string{BookFile, GitBookFile, MdBookFile, SummaryFile} {
		opt.opened(filepath.Join(dir, name))
	}
	foreign := readForeignMeta(dir)
	if foreign.err != nil {
		return nil, doc.Metadata{}, nil, foreign.err
	}
	var cfg bookConfig
	var yamlErrs *errorsFor
	name := filepath.Join(dir, BookFile)
	if src, err := ReadFile(name); err == nil {
		cfg, yamlErrs = readBookYAML(name, src, foreign)
	} else if errors.Is(err, os.ErrNotExist) {
		if foreign.summaryErr != nil {
			return nil, doc.Metadata{}, nil, foreign.summaryErr
		}
		cfg = foreign.config(dir)
	} else {
		return nil, doc.Metadata{}, nil, err
	}
	var all ErrorList
	var warnings []doc.Warning
	for _, errs := range []*errorsFor{foreign.errs, yamlErrs} {
		if errs != nil {
			warnings = append(warnings, errs.sortedWarnings()...)
			all = append(all, errs.list...)
		}
	}
	entries := cfg.chapters
	if cfg.summary != "" && len(all) == 0 {
		opt.opened(filepath.Join(dir, filepath.FromSlash(cfg.summary)))
		src, err := openInside(dir, cfg.summary)
		if err != nil {
			if u := errors.Unwrap(err); u != nil {
				err = u
			}
			return nil, doc.Metadata{}, nil, ErrorList{{File: cfg.summaryAt.File, Line: cfg.summaryAt.Line, Msg: fmt.Sprintf("summary %s: %v", cfg.summary, err)}}
		}
		var errs *errorsFor
		entries, errs = parseSummary(filepath.Join(dir, filepath.FromSlash(cfg.summary)), src, pathpkg.Dir(cfg.summary))
		warnings = append(warnings, errs.sortedWarnings()...)
		all = append(all, errs.list...)
	}
	if len(all) > 0 {
		return nil, doc.Metadata{}, nil, all
	}
	return entries, cfg.meta, warnings, nil
}

// bookConfig is what book.yaml (or, without one, book.json or book.toml)
// says of a book.
type bookConfig struct {
	meta      doc.Metadata
	chapters  []entry // book.yaml's chapters, when it lists them
	summary   string  // the summary's path inside the book's folder, else ""
	summaryAt doc.Pos // where the summary is named
}

// readBookYAML reads book.yaml: `chapters` or `summary` itself, the rest
// as front matter, so that the keys and their checks are the same as in
// a one-file book. Keys book.yaml lacks are taken from foreign (book.json
// or book.toml).
func readBookYAML(name string, src []byte, foreign foreignMeta) (bookConfig, *errorsFor) {
	errs := &errorsFor{file: name}
	var cfg bookConfig
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		line, msg := yamlErrorPlace(err.Error())
		errs.add(max(line, 1), "%s", msg)
		return cfg, errs
	}
	lines := strings.SplitAfter(string(src), "\n")
	keys := map[string]bool{}
	if len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			keys[k.Value] = true
			switch k.Value {
			case "chapters":
				cfg.chapters = chapterList(k, v, errs)
			case "summary":
				cfg.summary, cfg.summaryAt = summaryPath(v, errs)
			default:
				continue
			}
			// Blank the key out (keeping line numbers) for the metadata.
			end := len(lines)
			if i+2 < len(m.Content) {
				end = m.Content[i+2].Line - 1
			}
			for l := k.Line - 1; l < end && l < len(lines); l++ {
				lines[l] = "\n"
			}
		}
	}
	switch {
	case keys["chapters"] && keys["summary"]:
		errs.add(1, "book.yaml names both chapters and a summary: keep one")
	case !keys["chapters"] && !keys["summary"] && foreign.summary == "":
		errs.add(1, "no chapters: list the Markdown files under chapters:, or name a SUMMARY.md with summary:")
	case !keys["chapters"] && !keys["summary"]:
		cfg.summary, cfg.summaryAt = foreign.summary, foreign.at
	}
	// Read the rest as the front matter of an empty book; its lines are
	// one further down there, behind the opening ---.
	fm := "---\n" + strings.Join(lines, "") + "\n" + foreign.yaml(keys) + "---\n"
	meta, metaErrs := decodeBookMeta(name, fm)
	for _, e := range metaErrs.list {
		errs.add(max(e.Line-1, 1), "%s", e.Msg)
	}
	for _, w := range metaErrs.warnings {
		errs.warnAt(max(w.Line-1, 1), w.Col, "%s", w.Msg)
	}
	cfg.meta = meta
	return cfg, errs
}

// chapterList reads book.yaml's chapters: a list of files inside the
// book's folder.
func chapterList(k, v *yaml.Node, errs *errorsFor) []entry {
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		errs.add(k.Line, "chapters must be a list of Markdown files, such as - 01-chapter.md")
	}
	var out []entry
	for _, c := range v.Content {
		if c.Kind != yaml.ScalarNode || !filepath.IsLocal(filepath.FromSlash(c.Value)) {
			errs.add(c.Line, "chapter %q must be a file inside the book's folder", c.Value)
			continue
		}
		out = append(out, entry{file: c.Value, depth: -1, at: doc.Pos{File: errs.file, Line: c.Line}})
	}
	return out
}

// summaryPath reads book.yaml's summary: a file inside the book's folder.
func summaryPath(v *yaml.Node, errs *errorsFor) (string, doc.Pos) {
	if v.Kind != yaml.ScalarNode || !filepath.IsLocal(filepath.FromSlash(v.Value)) {
		errs.add(v.Line, "summary %q must be a file inside the book's folder, such as SUMMARY.md", v.Value)
		return "", doc.Pos{}
	}
	return v.Value, doc.Pos{File: errs.file, Line: v.Line}
}

// decodeBookMeta reads the metadata of a book folder, given as the front
// matter of an empty Markdown file fm (its lines one below the file's).
func decodeBookMeta(name, fm string) (doc.Metadata, *errorsFor) {
	ctx := parser.NewContext()
	newParser().Parse(text.NewReader([]byte(fm)), parser.WithContext(ctx))
	var meta doc.Metadata
	errs := &errorsFor{file: name}
	if data := frontmatter.Get(ctx); data != nil {
		decodeMeta(data, errs, &meta)
	} else {
		errs.add(2, "missing title")
	}
	meta.CoverPos.Line = max(meta.CoverPos.Line-1, 1)
	return meta, errs
}

// parseChapter reads one chapter, Markdown without front matter; its
// problems are in the returned errorsFor, to which book.finish may add
// some. A chapter from a summary takes the heading level of its place
// there: its first heading becomes level depth+1 and the others follow;
// one that does not open with a heading gets the summary's title as one.
func parseChapter(name string, src []byte, book *bookState, e entry) (*doc.Document, *errorsFor) {
	errs := &errorsFor{file: name}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	lines := newLineIndex(src)
	if bad := firstInvalidUTF8(src); bad >= 0 {
		errs.addAt(lines.line(bad), lines.column(src, bad), "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", src[bad])
	}
	n := len(errs.list)
	screen(src, errs)
	if len(errs.list) > n {
		return nil, errs // too costly for goldmark to read
	}
	ctx := parser.NewContext()
	root := newParser().Parse(text.NewReader(src), parser.WithContext(ctx))
	if frontmatter.Get(ctx) != nil {
		errs.add(1, "a chapter has no front matter: put title and the other keys in %s", BookFile)
	}
	d := &doc.Document{}
	c := newConverter(src, lines, errs, ctx, book, pathpkg.Dir(e.file))
	c.file = e.file
	var title *doc.Heading
	if e.depth >= 0 {
		top := e.depth + 1
		if !opensWithHeading(root) {
			title = &doc.Heading{Pos: doc.Pos{File: name, Line: 1}, Level: top, Content: []doc.Inline{doc.Text(e.title)}}
			book.pending = append(book.pending, title)
			top++
		}
		if m := minHeadingLevel(root); m > 0 {
			c.levelShift = top - m
		}
	}
	c.convert(root, d)
	if title != nil {
		d.Blocks = append([]doc.Block{title}, d.Blocks...)
	}
	book.addChapter(e.file, d.Blocks)
	if len(d.Blocks) == 0 && !c.sawUnsupported {
		errs.add(1, "empty chapter")
	}
	return d, errs
}

// opensWithHeading reports whether the first block of a chapter, HTML
// blocks aside, is a heading.
func opensWithHeading(root ast.Node) bool {
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		switch n.(type) {
		case *ast.HTMLBlock:
			continue
		case *ast.Heading:
			return true
		}
		return false
	}
	return false
}

// minHeadingLevel is the highest (smallest) level of the headings in the
// tree, 0 when it has none.
func minHeadingLevel(root ast.Node) int {
	m := 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && (m == 0 || h.Level < m) {
			m = h.Level
		}
		return ast.WalkContinue, nil
	})
	return m
}

// merge appends chapter c to d; footnotes keep counting from d's.
func merge(d, c *doc.Document) {
	for _, n := range c.Footnotes {
		n.Number += len(d.Footnotes)
	}
	d.Footnotes = append(d.Footnotes, c.Footnotes...)
	d.Blocks = append(d.Blocks, c.Blocks...)
}
