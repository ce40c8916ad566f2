package markdown

import (
	"net/url"
	pathpkg "path"
	"strconv"
	"strings"
	"unicode"

	"github.com/paiban/paiban/internal/doc"
)

// chapterInfo is what links into one chapter file need: the headings it
// holds, in order, and the anchors other tools would give them.
type chapterInfo struct {
	headings []*doc.Heading
	// anchors maps the ids GitHub and GitBook give the chapter's
	// headings, and paiban's own, to paiban's id.
	anchors map[string]string
}

// addChapter records the headings of the chapter file (a slash path
// inside the book's folder) for links to it.
func (s *bookState) addChapter(file string, blocks []doc.Block) {
	ch := &chapterInfo{}
	doc.Walk(blocks, func(b doc.Block) {
		if h, ok := b.(*doc.Heading); ok {
			ch.headings = append(ch.headings, h)
		}
	})
	if _, ok := s.chapters[file]; !ok {
		s.order = append(s.order, file)
	}
	s.chapters[file] = ch
}

// indexAnchors gives each chapter its anchors, once every heading has its
// id: a link written for GitHub or GitBook finds the heading it meant.
// GitHub numbers a repeated anchor -1, -2 within a file; an anchor found
// in no chapter of its own falls back to the first chapter having it.
func (s *bookState) indexAnchors() {
	// Each heading has one to three anchors, often all the same: the maps
	// are sized for one each rather than grown from nothing as they fill.
	n := 0
	for _, file := range s.order {
		n += len(s.chapters[file].headings)
	}
	s.anchors = make(map[string]string, n)
	for _, file := range s.order {
		ch := s.chapters[file]
		ch.anchors = make(map[string]string, len(ch.headings))
		seen := make(map[string]int, len(ch.headings))
		for _, h := range ch.headings {
			text := doc.PlainText(h.Content)
			gh := githubAnchor(text)
			if n := seen[gh]; n > 0 {
				seen[gh] = n + 1
				gh += "-" + strconv.Itoa(n)
			} else {
				seen[gh] = 1
			}
			for _, a := range []string{h.ID, gh, gitbookAnchor(text)} {
				if _, ok := ch.anchors[a]; !ok && a != "" {
					ch.anchors[a] = h.ID
				}
				if _, ok := s.anchors[a]; !ok && a != "" {
					s.anchors[a] = h.ID
				}
			}
		}
	}
}

// githubAnchor is the id GitHub gives a heading (and mdBook, which
// follows it): lower case, every character but letters, marks, digits,
// '_', '-' and spaces dropped, spaces as '-' (html-pipeline's
// TableOfContentsFilter: /[^\p{Word}\- ]/u). Chinese punctuation goes:
// "2.1 启动：新建容器" → "21-启动新建容器".
func githubAnchor(text string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.In(r, unicode.L, unicode.M, unicode.Nd, unicode.Nl, unicode.Pc):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// gitbookSymbols are the characters GitBook's and Honkit's heading ids
// drop (the github-slugid package); Chinese punctuation is kept.
const gitbookSymbols = "[]!\"'#$%&()*+,./:;<=>?@\\^_`{|}~©∑®†“”‘’∂ƒ™℠…œŒ˚ºª•∆∞♥"

// gitbookAnchor is the id GitBook and Honkit give a heading: the symbols
// above dropped, spaces as '-', runs of '-' as one, lower case, without a
// leading '-': "2.1 启动：新建容器" → "21-启动：新建容器".
func gitbookAnchor(text string) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(gitbookSymbols, r) {
			return -1
		}
		if r == ' ' {
			return '-'
		}
		return unicode.ToLower(r)
	}, text)
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	return strings.TrimPrefix(s, "-")
}

// resolveAnchor finds the heading id an anchor written in chapter from
// means: an id of the book, or an anchor of that chapter, or of another.
func (s *bookState) resolveAnchor(from, anchor string) (string, bool) {
	if s.taken(anchor) {
		return anchor, true
	}
	if ch := s.chapters[from]; ch != nil {
		if id, ok := ch.anchors[anchor]; ok {
			return id, true
		}
		if id, ok := ch.anchors[strings.ToLower(anchor)]; ok {
			return id, true
		}
	}
	id, ok := s.anchors[anchor]
	return id, ok
}

// chapterLink resolves a relative link written in chapter from to another
// chapter of the book: other.md, ../dir/other.md#anchor, dir/ (its
// README.md), and other.html as GitBook publishes it. It returns the
// chapter's path, or "" when the link names no chapter of the book.
func (s *bookState) chapterLink(from string, u *url.URL) string {
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.Path == "" {
		return ""
	}
	p := u.Path
	if strings.HasPrefix(p, "/") {
		p = strings.TrimPrefix(p, "/") // GitBook: from the book's folder
	} else {
		p = pathpkg.Join(pathpkg.Dir(from), p)
	}
	p = pathpkg.Clean(p)
	candidates := []string{p, pathpkg.Join(p, "README.md"), pathpkg.Join(p, "index.md")}
	if ext := pathpkg.Ext(p); ext == ".html" || ext == ".htm" {
		stem := strings.TrimSuffix(p, ext)
		candidates = append(candidates, stem+".md")
		if pathpkg.Base(stem) == "index" {
			candidates = append(candidates, pathpkg.Join(pathpkg.Dir(stem), "README.md"))
		}
	}
	for _, c := range candidates {
		if _, ok := s.chapters[c]; ok {
			return c
		}
	}
	return ""
}
