package markdown

import (
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/remote"
)

// bookState is what the chapters of one book share while they are read:
// figure and table numbers, heading numbers, ids and images run through
// the whole book, and links may point into any chapter.
type bookState struct {
	// root is the book's folder: files a book names must be inside it.
	root string

	figures, tables int

	// ids are the ids given so far: the authors' {#id}, fig-N and tab-N.
	// Headings without {#id} get theirs in finish, once every explicit id
	// of the book is known, so that an explicit one never has to give way.
	ids     map[string]idOwner
	pending []*doc.Heading
	links   []linkUse

	images map[string]*doc.Image // by path inside root
	names  map[string]bool       // Image.Name values given

	// chapters are the book's files by their path inside root, in order,
	// for links between them; anchors map the anchors of every chapter
	// to heading ids (see indexAnchors).
	chapters map[string]*chapterInfo
	order    []string
	anchors  map[string]string

	// opened hears the path of each image file read (Options.Opened).
	opened func(path string)

	// fetcher gets the images named by URL (nil: none is fetched);
	// remote are the figures showing them, mu guards the image names
	// while they are fetched.
	fetcher *remote.Fetcher
	remote  []remoteUse
	mu      sync.Mutex
}

// linkUse is a link destination, checked once all ids are known.
type linkUse struct {
	url, title string
	at         place
	errs       *errorsFor
	link       *doc.Link
	from       string // the file it is in, a slash path inside root
}

func newBookState(root string) *bookState {
	return &bookState{
		root:     root,
		ids:      map[string]idOwner{},
		images:   map[string]*doc.Image{},
		names:    map[string]bool{},
		chapters: map[string]*chapterInfo{},
	}
}

// idOwner is what has an id, for messages.
type idOwner struct {
	what string
	pos  doc.Pos
}

// describe names the owner for a message about file: "heading at line
// 4", with the file's name when it is another chapter's.
func (o idOwner) describe(file string) string {
	if o.pos.File == file {
		return o.what + " at line " + strconv.Itoa(o.pos.Line)
	}
	return o.what + " at " + o.pos.File + ":" + strconv.Itoa(o.pos.Line)
}

// readFile reads the file at rel, a slash path inside the book's folder,
// telling s.opened of it.
func (s *bookState) readFile(rel string) ([]byte, error) {
	if s.opened != nil {
		s.opened(filepath.Join(s.root, filepath.FromSlash(rel)))
	}
	return openInside(s.root, rel)
}

func (s *bookState) taken(id string) bool {
	_, ok := s.ids[id]
	return ok
}

// reservedID matches the ids kept for figures and tables and those the
// EPUB writer gives notes (fn1, nr1-2) and page markers (page-…).
var reservedID = regexp.MustCompile(`^(fig|tab)-[0-9]+$|^(fn|nr)[0-9]+(-[0-9]+)?$|^page-`)

// finish fetches the images named by URL, gives headings without {#id}
// their ids and checks the links.
func (s *bookState) finish() {
	s.fetchRemote()
	// Ids are never given back, so the suffixes tried for a base before
	// stay taken: each base's search goes on from where it stopped (a
	// thousand headings "小结" tried -2, -3, … anew each, in time the
	// square of their number).
	next := map[string]int{}
	for _, h := range s.pending {
		base := headingID(doc.PlainText(h.Content))
		if reservedID.MatchString(base) {
			base = "sec-" + base
		}
		id := base
		for k := max(next[base], 2); s.taken(id); k++ {
			id = base + "-" + strconv.Itoa(k)
			next[base] = k + 1
		}
		h.ID = id
		s.ids[id] = idOwner{"heading", h.Pos}
	}
	s.pending = nil
	s.indexAnchors()
	for _, l := range s.links {
		s.checkLink(l)
	}
	s.links = nil
}

// linkSchemes are the URL schemes a link may use.
var linkSchemes = []string{"http", "https", "mailto"}

// pageTitles are the link titles that ask the PDF for the target's page.
var pageTitles = []string{"page", "页码"}

// checkLink drops a link the writers cannot follow, keeping its text,
// with a warning: the model allows absolute http, https and mailto URLs
// and #id of a heading, figure or table. Links to another chapter
// (other.md, ../dir/other.md#anchor) and anchors as GitHub and GitBook
// make them become #id of the heading they mean. javascript: and data:
// would run or smuggle content in a reader; other schemes and relative
// paths lead nowhere in a book.
func (s *bookState) checkLink(l linkUse) {
	showPage := slices.Contains(pageTitles, strings.TrimSpace(l.title))
	drop := func(format string, args ...any) {
		l.errs.warnIn(l.at, "link to %q: "+format+"; the text is kept without the link", append([]any{l.url}, args...)...)
		l.link.URL = ""
	}
	u, err := url.Parse(l.url)
	if err == nil {
		if file := s.chapterLink(l.from, u); file != "" || u.Path == "" && strings.HasPrefix(l.url, "#") {
			s.internalLink(l, file, u.Fragment, showPage, drop)
			return
		}
	}
	if showPage {
		l.errs.warnIn(l.at, "link to %q: the title %q asks for the page of the target, which only a link to #id in the book has", l.url, l.title)
	}
	switch {
	case err != nil:
		drop("not a valid URL")
	case !u.IsAbs() && slices.Contains(imageFileExts, strings.ToLower(path.Ext(u.Path))):
		drop("no image in the book's folder that paiban can read (%s)", readFormats)
	case !u.IsAbs():
		drop("not a chapter of the book (link to a chapter, to #id or to an absolute URL)")
	case !slices.Contains(linkSchemes, strings.ToLower(u.Scheme)):
		drop("%s: links are not allowed (use http, https or mailto)", u.Scheme)
	}
}

// internalLink points a link at the heading it means: anchor in the
// chapter file ("" for the link's own), or the chapter's first heading;
// drop drops a link that finds none.
func (s *bookState) internalLink(l linkUse, file, anchor string, showPage bool, drop func(string, ...any)) {
	from := l.from
	if file != "" {
		from = file
	}
	if anchor == "" {
		ch := s.chapters[file]
		switch {
		case file == "":
			drop("a link to # has no target")
		case ch == nil || len(ch.headings) == 0:
			drop("the chapter %s has no heading to link to", file)
		default:
			l.link.URL = "#" + ch.headings[0].ID
			l.link.ShowPage = showPage
		}
		return
	}
	id, ok := s.resolveAnchor(from, anchor)
	if !ok {
		drop("no heading, figure or table has the id %q", anchor)
		return
	}
	l.link.URL = "#" + id
	l.link.ShowPage = showPage
}

// headingID makes a readable id from a heading's text: Han characters,
// letters and digits are kept (Latin in lower case), spaces become '-',
// punctuation is dropped. An id must be an XML NCName, which cannot start
// with a digit, so one that would is prefixed with "sec-", as is an
// empty one.
func headingID(text string) string {
	var b strings.Builder
	dash := false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r):
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		return "sec"
	}
	if r, _ := utf8.DecodeRuneInString(id); !isNameStart(r) {
		return "sec-" + id
	}
	return id
}

// isNameStart and isNameChar follow the NCName production of XML
// Namespaces closely enough for ids: letters (Han included) or '_' first,
// then also digits, '-', '.', '·' and combining marks.
func isNameStart(r rune) bool { return unicode.IsLetter(r) || r == '_' }

func isNameChar(r rune) bool {
	return isNameStart(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '\u00B7' ||
		unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// validID reports whether id is an NCName.
func validID(id string) bool {
	for i, r := range id {
		if (i == 0 && !isNameStart(r)) || !isNameChar(r) {
			return false
		}
	}
	return id != ""
}

// numberHeadings gives the headings of the book's text (not of its
// notes) their printed numbers when numbering is chinese. Numbers start
// at the highest level the book uses, so an article whose sections are
// ## gets 一、 there; every heading counts whether or not its number is
// printed. Minor headings (##### and ######) are not numbered.
func numberHeadings(blocks []doc.Block, numbering string) {
	if numbering != "chinese" {
		return
	}
	minLevel := 0
	doc.Walk(blocks, func(b doc.Block) {
		if h, ok := b.(*doc.Heading); ok && !h.Minor() && (minLevel == 0 || h.Level < minLevel) {
			minLevel = h.Level
		}
	})
	var counters []int
	doc.Walk(blocks, func(b doc.Block) {
		h, ok := b.(*doc.Heading)
		if !ok || h.Minor() {
			return
		}
		depth := h.Level - minLevel
		for len(counters) <= depth {
			counters = append(counters, 0)
		}
		counters = counters[:depth+1]
		counters[depth]++
		h.Number = headingNumber(depth, counters[depth])
	})
}

// chineseNumber writes n (1 ≤ n ≤ 9999) in Chinese numerals as headings
// are numbered: 一 … 十, 十一, 二十, 一百零五.
func chineseNumber(n int) string {
	digits := []rune("零一二三四五六七八九")
	units := []string{"", "十", "百", "千"}
	if n >= 10 && n < 20 {
		return "十" + strings.TrimPrefix(chineseNumber(n-10), "零")
	}
	var out []string
	zero := false
	for i := 3; i >= 0; i-- {
		p := 1
		for range i {
			p *= 10
		}
		d := n / p % 10
		switch {
		case d != 0:
			if zero {
				out = append(out, "零")
			}
			out = append(out, string(digits[d])+units[i])
			zero = false
		case len(out) > 0:
			zero = true
		}
	}
	if len(out) == 0 {
		return "零"
	}
	return strings.Join(out, "")
}

// headingNumber returns the printed number of a heading at depth (0 for
// the book's highest level) numbered k: 一、（一）1.（1）.
func headingNumber(depth, k int) string {
	switch depth {
	case 0:
		return chineseNumber(k) + "、"
	case 1:
		return "（" + chineseNumber(k) + "）"
	case 2:
		return strconv.Itoa(k) + "."
	default:
		return "（" + strconv.Itoa(k) + "）"
	}
}
