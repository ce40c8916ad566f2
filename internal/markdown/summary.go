package markdown

import (
	"net/url"
	pathpkg "path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/paiban/paiban/internal/doc"
)

// summaryTitles are what a summary's own title reads when it is not a
// level-1 heading: a first heading like these names the list, not a
// part.
var summaryTitles = []string{"summary", "table of contents", "contents", "目录", "目次"}

// chapterExts are the extensions of the Markdown files a summary may
// list.
var chapterExts = []string{".md", ".markdown"}

// summaryReader reads a SUMMARY.md as GitBook, Honkit and mdBook write it
// (https://rust-lang.github.io/mdBook/format/summary.html,
// https://github.com/honkit/honkit/blob/master/docs/pages.md):
//
//   - nested lists of links give the chapters, in reading order and with
//     their depth; an item without a link is a title without a file, and
//     a link with no file, [x](), a draft chapter, left out;
//   - links in a paragraph of their own are chapters at the top level
//     (mdBook's prefix and suffix chapters);
//   - headings are part titles, except a first one that is the list's own
//     title (a level-1 heading, or one such as "Summary" or 目录);
//   - --- lines only separate, and anything else is left out with a
//     warning.
//
// Chapter paths are relative to the summary's folder.
type summaryReader struct {
	src     []byte
	lines   lineIndex
	errs    *errorsFor
	base    string // the summary's folder, a slash path inside the book's
	entries []entry
	seen    map[string]bool
}

// parseSummary reads the summary name, whose folder inside the book's is
// base, into the book's reading order.
func parseSummary(name string, src []byte, base string) ([]entry, *errorsFor) {
	s := &summaryReader{src: src, lines: newLineIndex(src), errs: &errorsFor{file: name}, base: base, seen: map[string]bool{}}
	// Nesting costs goldmark time quadratic in its depth, as in a chapter.
	if checkNesting(src, s.errs) > 0 {
		return nil, s.errs
	}
	root := goldmark.New().Parser().Parse(text.NewReader(src))
	titled := false
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			title := s.text(n)
			if !titled && len(s.entries) == 0 && (n.Level == 1 || slices.Contains(summaryTitles, strings.ToLower(title))) {
				titled = true
				continue
			}
			s.entries = append(s.entries, entry{part: true, title: title, at: s.pos(n)})
		case *ast.Paragraph:
			s.prefixChapters(n)
		case *ast.List:
			s.list(n, 0)
		case *ast.ThematicBreak:
		default:
			s.errs.warn(s.line(n), "%s is not a chapter or a part title: left out", n.Kind())
		}
	}
	s.dropEmptyParts()
	if len(s.entries) == 0 && len(s.errs.list) == 0 {
		s.errs.add(1, "the summary lists no chapters: list them as - [title](file.md)")
	}
	return s.entries, s.errs
}

// prefixChapters reads the links of a paragraph as top-level chapters.
func (s *summaryReader) prefixChapters(p ast.Node) {
	for n := p.FirstChild(); n != nil; n = n.NextSibling() {
		if l, ok := n.(*ast.Link); ok {
			s.chapter(l, 0)
		}
	}
}

// list reads the items of a list at depth, and their lists one deeper.
func (s *summaryReader) list(l *ast.List, depth int) {
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		for n := item.FirstChild(); n != nil; n = n.NextSibling() {
			switch n := n.(type) {
			case *ast.List:
				s.list(n, depth+1)
			case *ast.TextBlock, *ast.Paragraph:
				if l := firstLink(n); l != nil {
					s.chapter(l, depth)
				} else if t := s.text(n); t != "" {
					s.entries = append(s.entries, entry{title: t, depth: depth, at: s.pos(n)})
				}
			}
		}
	}
}

// firstLink is the first link among n's inlines.
func firstLink(n ast.Node) *ast.Link {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if l, ok := c.(*ast.Link); ok {
			return l
		}
	}
	return nil
}

// chapter adds the chapter a summary link names.
func (s *summaryReader) chapter(l *ast.Link, depth int) {
	title, dest, at := s.text(l), string(l.Destination), s.pos(l)
	if dest == "" {
		s.errs.warn(at.Line, "%q is a draft chapter (no file): left out", title)
		return
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		s.errs.warn(at.Line, "%q links to %q, not to a chapter file: left out", title, dest)
		return
	}
	file := pathpkg.Join(s.base, strings.TrimPrefix(u.Path, "/"))
	switch {
	case !filepath.IsLocal(filepath.FromSlash(file)):
		s.errs.add(at.Line, "chapter %q must be a file inside the book's folder", dest)
	case !slices.Contains(chapterExts, strings.ToLower(pathpkg.Ext(file))):
		s.errs.warn(at.Line, "%q links to %q, which is not a Markdown file: left out", title, dest)
	case s.seen[file] && u.Fragment != "":
		// An entry for a section of a chapter listed before: the
		// contents list every heading anyway.
	case s.seen[file]:
		s.errs.warn(at.Line, "%s is listed twice: the second entry is left out", dest)
	default:
		s.seen[file] = true
		s.entries = append(s.entries, entry{file: file, title: title, depth: depth, at: at})
	}
}

// dropEmptyParts leaves out part titles with no chapter after them.
func (s *summaryReader) dropEmptyParts() {
	var kept []entry
	for i, e := range s.entries {
		if e.part && (i+1 == len(s.entries) || s.entries[i+1].part) {
			s.errs.warn(e.at.Line, "part %q has no chapters: left out", e.title)
			continue
		}
		kept = append(kept, e)
	}
	s.entries = kept
}

// text is the plain text of n's inlines, on one line; spaces other than
// ASCII ones (the ideographic space in 第一部分　基础) are kept.
func (s *summaryReader) text(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(s.src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }), " ")
}

func (s *summaryReader) pos(n ast.Node) doc.Pos {
	return doc.Pos{File: s.errs.file, Line: s.line(n)}
}

func (s *summaryReader) line(n ast.Node) int { return s.lines.line(offset(n)) }
