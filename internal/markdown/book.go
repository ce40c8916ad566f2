package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"path/filepath"
	"strings"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"
	"gopkg.in/yaml.v3"

	"github.com/paiban/paiban/internal/doc"
)

// BookFile is the file that makes a folder a book of several chapters.
const BookFile = "book.yaml"

// IsBook says whether path is a folder holding a book.yaml.
func IsBook(path string) bool {
	fi, err := os.Stat(filepath.Join(path, BookFile))
	return err == nil && fi.Mode().IsRegular()
}

// ParseBook reads a book kept as a folder: dir/book.yaml holds the
// metadata (the front matter keys) and `chapters`, the Markdown files in
// reading order, relative to dir. Chapters have no front matter. Errors
// name the file and line they are in.
func ParseBook(dir string) (*doc.Document, error) {
	name := filepath.Join(dir, BookFile)
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	chapters, meta, warnings, err := splitBookFile(name, src)
	if err != nil {
		return nil, err
	}
	d := &doc.Document{Meta: meta, Warnings: warnings}
	var all ErrorList
	book := newBookState(dir)
	type chapter struct {
		d    *doc.Document
		errs *errorsFor
	}
	var read []chapter
	for _, ch := range chapters {
		path := filepath.Join(dir, filepath.FromSlash(ch.file))
		csrc, err := openInside(dir, ch.file)
		if err != nil {
			if u := errors.Unwrap(err); u != nil {
				err = u // the reason, without the path the message gives
			}
			all = append(all, &Error{File: name, Line: ch.line, Msg: fmt.Sprintf("chapter %s: %v", ch.file, err)})
			continue
		}
		cd, errs := parseChapter(path, csrc, book, pathpkg.Dir(ch.file))
		read = append(read, chapter{cd, errs})
	}
	// Links may point into a later chapter, and ids made from headings
	// give way to every {#id} in the book.
	book.finish()
	for _, ch := range read {
		if err := ch.errs.err(); err != nil {
			all = append(all, ch.errs.list...)
			continue
		}
		merge(d, ch.d)
		d.Warnings = append(d.Warnings, ch.errs.sortedWarnings()...)
	}
	if len(all) > 0 {
		return nil, all
	}
	numberHeadings(d.Blocks, meta.Numbering)
	return d, nil
}

type chapterRef struct {
	file string
	line int
}

// splitBookFile reads book.yaml: the chapter list itself, the rest as
// front matter, so that the keys and their checks are the same as in a
// one-file book.
func splitBookFile(name string, src []byte) ([]chapterRef, doc.Metadata, []doc.Warning, error) {
	errs := &errorsFor{file: name}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		line, msg := yamlErrorPlace(err.Error())
		errs.add(max(line, 1), "%s", msg)
		return nil, doc.Metadata{}, nil, errs.err()
	}
	lines := strings.SplitAfter(string(src), "\n")
	var chapters []chapterRef
	found := false
	if len(root.Content) > 0 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if k.Value != "chapters" {
				continue
			}
			found = true
			if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
				errs.add(k.Line, "chapters must be a list of Markdown files, such as - 01-chapter.md")
			}
			for _, c := range v.Content {
				if c.Kind != yaml.ScalarNode || !filepath.IsLocal(filepath.FromSlash(c.Value)) {
					errs.add(c.Line, "chapter %q must be a file inside the book's folder", c.Value)
					continue
				}
				chapters = append(chapters, chapterRef{c.Value, c.Line})
			}
			// Blank the list out (keeping line numbers) for the metadata.
			end := len(lines)
			if i+2 < len(m.Content) {
				end = m.Content[i+2].Line - 1
			}
			for l := k.Line - 1; l < end && l < len(lines); l++ {
				lines[l] = "\n"
			}
		}
	}
	if !found {
		errs.add(1, "no chapters: list the Markdown files under chapters:")
	}
	// Read the rest as the front matter of an empty book; its lines are
	// one further down there, behind the opening ---.
	fm := "---\n" + strings.Join(lines, "") + "\n---\n"
	ctx := parser.NewContext()
	newParser().Parse(text.NewReader([]byte(fm)), parser.WithContext(ctx))
	var meta doc.Metadata
	metaErrs := &errorsFor{file: name}
	if data := frontmatter.Get(ctx); data != nil {
		decodeMeta(data, metaErrs, &meta)
	} else {
		metaErrs.add(2, "missing title")
	}
	meta.CoverPos.Line = max(meta.CoverPos.Line-1, 1)
	for _, e := range metaErrs.list {
		errs.add(max(e.Line-1, 1), "%s", e.Msg)
	}
	for _, w := range metaErrs.warnings {
		errs.warnAt(max(w.Line-1, 1), w.Col, "%s", w.Msg)
	}
	return chapters, meta, errs.sortedWarnings(), errs.err()
}

// parseChapter reads one chapter, Markdown without front matter, whose
// folder is dir inside the book's; its problems are in the returned
// errorsFor, to which book.finish may add some.
func parseChapter(name string, src []byte, book *bookState, dir string) (*doc.Document, *errorsFor) {
	errs := &errorsFor{file: name}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	lines := newLineIndex(src)
	if bad := firstInvalidUTF8(src); bad >= 0 {
		errs.addAt(lines.line(bad), lines.column(src, bad), "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", src[bad])
	}
	n := len(errs.list)
	checkNesting(src, errs)
	checkTables(src, errs)
	if len(errs.list) > n {
		return nil, errs // too costly for goldmark to read
	}
	ctx := parser.NewContext()
	root := newParser().Parse(text.NewReader(src), parser.WithContext(ctx))
	if frontmatter.Get(ctx) != nil {
		errs.add(1, "a chapter has no front matter: put title and the other keys in %s", BookFile)
	}
	d := &doc.Document{}
	c := newConverter(src, lines, errs, ctx, book, dir)
	c.convert(root, d)
	if len(d.Blocks) == 0 && !c.sawUnsupported {
		errs.add(1, "empty chapter")
	}
	return d, errs
}

// merge appends chapter c to d; footnotes keep counting from d's.
func merge(d, c *doc.Document) {
	for _, n := range c.Footnotes {
		n.Number += len(d.Footnotes)
	}
	d.Footnotes = append(d.Footnotes, c.Footnotes...)
	d.Blocks = append(d.Blocks, c.Blocks...)
}
