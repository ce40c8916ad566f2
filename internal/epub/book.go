package epub

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/parallel"
	"github.com/paiban/paiban/internal/style"
)

// book is one EPUB in the making: its files planned and rendered before
// go-epub assembles them.
type book struct {
	doc  *doc.Document
	opt  Options
	lang string
	id   string

	texts    []*textFile           // the text split into chapters, in reading order
	topLevel int                   // the highest heading level of the text
	fileOf   map[string]string     // heading, figure and table ID → name of the file holding it
	figures  []figureEntry         // for the list of figures
	images   []*imageFile          // figure images, each stored once
	imageOf  map[*doc.Image]string // an image's path from a text file
	// views are the pages that show an image a link leads to, outside
	// the reading order; viewOf names each image's page.
	views  []*imageView
	viewOf map[*doc.Image]string
	// contents are the content documents in reading order, the pages of
	// linked images last (assemble).
	contents   []contentDoc
	toc        []*navEntry // every heading, nested by level
	titlePage  string      // rendered bodies
	figureList string      // empty when the book asks for none or has no figures
	colophon   string
	licenses   []string // licence file names, sorted
	use        usage
	// fonts are the embedded faces by role, then the fallback faces;
	// nil where a face is absent or unused.
	fonts []*embeddedFont
	css   string
	cover *coverImage
	pages *pageMarks // nil when the book has no print page breaks
}

// textFile is one content document of the text.
type textFile struct {
	name  string // e.g. chapter01.xhtml
	title string
	// sections are the file's parts, chapters or pieces of a chapter, each
	// set in a section of its own (one, unless the book has more than
	// maxTextFiles of them); blocks are all their blocks in order.
	sections [][]doc.Block
	blocks   []doc.Block
	body     string // rendered XHTML
}

// imageView is a page of its own for an image a link leads to (a
// picture's larger version): its file name, title and rendered body.
type imageView struct {
	name, title, body string
}

// figureEntry is a figure and the file that holds it.
type figureEntry struct {
	fig  *doc.Figure
	file string
}

// imageFile is a figure image as stored in the images folder.
type imageFile struct {
	name string
	data []byte
}

// navEntry is one heading in the table of contents.
type navEntry struct {
	level    int
	label    string
	href     string // relative to the package document
	children []*navEntry
}

// Roles of the embedded faces.
const (
	roleSerif = iota
	roleSans
	roleLatin
	roleItalic
	roleKai
	roleMono
	numRoles
)

// embeddedFont is a face subset for the book and renamed, because the OFL
// lets a modified font keep none of its reserved names.
type embeddedFont struct {
	face   *fonts.Face
	family string // the new family name
	file   string // file name in the fonts folder
	italic bool
	bold   bool
	sets   string // what it sets, for the colophon
	runes  map[rune]bool
	data   []byte
}

// Fixed file names inside the EPUB, relative to the xhtml folder.
const (
	coverFile     = "cover.xhtml"
	titlePageFile = "titlepage.xhtml"
	colophonFile  = "colophon.xhtml"
	colophonTitle = "版本信息"
	figuresFile   = "figures.xhtml"
	figuresTitle  = "插图目录"
)

// verticalClass is on the html element of every text file of a vertical
// book, for the style sheet's rules of vertical writing.
const verticalClass = "vertical"

// reservedID matches the IDs given to footnotes and their references.
var reservedID = regexp.MustCompile(`^(fn|nr)[0-9]+(-[0-9]+)?$`)

// licenseName is what a licence file may be called inside the EPUB.
var licenseName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.txt$`)

// prepare plans and renders every file, subsets the fonts and makes the
// cover.
func (b *book) prepare() error {
	for name := range b.opt.Licenses {
		if !licenseName.MatchString(name) {
			return fmt.Errorf("epub: licence file name %q: use letters, digits, dots and hyphens, ending in .txt", name)
		}
		b.licenses = append(b.licenses, name)
	}
	slices.Sort(b.licenses)

	b.split()
	if err := b.index(); err != nil {
		return err
	}
	if len(b.opt.PageBreaks) > 0 {
		var err error
		if b.pages, err = newPageMarks(b.doc, b.opt.PageBreaks); err != nil {
			return err
		}
		for _, id := range b.pages.ids {
			if b.fileOf[id] != "" {
				return fmt.Errorf("epub: heading id %q is taken by the marker of a print page", id)
			}
		}
	}
	b.use = newUsage()
	if b.opt.Vertical {
		b.use.classes[verticalClass] = true
	}
	if err := b.renderTexts(); err != nil {
		return err
	}
	b.titlePage = b.renderTitlePage()
	if b.hasFigureList() {
		b.figureList = b.renderFigureList()
	}
	b.planFonts()
	b.keepLicenses()
	b.colophon = b.renderColophon()
	b.assignRunes()
	if err := b.subsetFontsAndDrawCover(); err != nil {
		return err
	}
	b.css = stylesheet(b.opt.Stylesheet, b.fonts, b.use.classes)
	return nil
}

// renderTexts renders the text files' bodies.
func (b *book) renderTexts() error {
	var badLinks []string
	for _, f := range b.texts {
		r := newRenderer(f.name, b.fileOf, b.use)
		r.images = b.imageOf
		r.views = b.viewOf
		r.marks = b.pages
		for i, s := range f.sections {
			r.raw(sectionStart(s, b.topLevel))
			r.blocks(s)
			if i == len(f.sections)-1 {
				r.footnotes()
			}
			r.raw("</section>\n")
		}
		f.body = r.out.String()
		badLinks = append(badLinks, r.badLinks...)
	}
	if len(badLinks) > 0 {
		return fmt.Errorf("epub: links to %q lead nowhere: link to a heading (#id) or an absolute URL", badLinks)
	}
	return nil
}

// subsetFontsAndDrawCover subsets the planned fonts to the characters
// they set and draws the cover. Subsetting a large CJK face and drawing
// the cover take the most time; they are independent.
func (b *book) subsetFontsAndDrawCover() error {
	tasks := []func() error{func() (err error) {
		b.cover, err = b.makeCover()
		return err
	}}
	for _, f := range b.fonts {
		if f == nil {
			continue
		}
		tasks = append(tasks, func() (err error) {
			runes := make([]rune, 0, len(f.runes))
			for c := range f.runes {
				runes = append(runes, c)
			}
			slices.Sort(runes)
			f.data, err = fonts.Subset(f.face, runes, fonts.SubsetOptions{FamilyName: f.family, Layout: true})
			if err != nil {
				return fmt.Errorf("epub: %w", err)
			}
			return nil
		})
	}
	return parallel.Do("subsetting the EPUB's fonts and making its cover", tasks...)
}

// index records which file holds each heading, figure and table, builds
// the table of contents, checking that every ID can serve as a link
// target, and names the figure images.
func (b *book) index() error {
	b.fileOf = map[string]string{}
	b.imageOf = map[*doc.Image]string{}
	b.viewOf = map[*doc.Image]string{}
	byData := map[[sha256.Size]byte]string{}
	flat, errs := b.indexTexts(byData)
	errs = append(errs, b.indexImages(byData)...)
	// The cover, title page and colophon are listed too, so that every
	// file of the reading order can be reached from the contents.
	b.toc = []*navEntry{
		{label: "封面", href: "xhtml/" + coverFile},
		{label: b.doc.Meta.Title, href: "xhtml/" + titlePageFile},
	}
	if b.hasFigureList() {
		b.toc = append(b.toc, &navEntry{label: figuresTitle, href: "xhtml/" + figuresFile})
	}
	b.toc = append(b.toc, nest(flat)...)
	b.toc = append(b.toc, &navEntry{label: colophonTitle, href: "xhtml/" + colophonFile})
	return errors.Join(errs...)
}

// indexTexts records the file of each part, heading, table and figure of
// the text files, checking their IDs, and returns the contents' entries
// in reading order, unnested.
func (b *book) indexTexts(byData map[[sha256.Size]byte]string) (flat []*navEntry, errs []error) {
	target := func(p doc.Pos, what, id, file string) {
		switch {
		case id == "" || strings.ContainsFunc(id, unicode.IsSpace):
			errs = append(errs, posErrorf(p, "%s id %q is not usable as a link target", what, id))
		case reservedID.MatchString(id):
			errs = append(errs, posErrorf(p, "%s id %q is reserved for footnotes in the EPUB", what, id))
		case b.fileOf[id] != "":
			errs = append(errs, posErrorf(p, "%s id %q is used twice", what, id))
		default:
			b.fileOf[id] = file
		}
	}
	for _, f := range b.texts {
		listed := len(flat)
		doc.Walk(f.blocks, func(bl doc.Block) {
			switch n := bl.(type) {
			case *doc.Part:
				target(n.Pos, "part", n.ID, f.name)
				// Level 0: the chapters after it nest under it.
				flat = append(flat, &navEntry{level: 0, label: n.Title, href: "xhtml/" + f.name + "#" + n.ID})
			case *doc.Heading:
				target(n.Pos, "heading", n.ID, f.name)
				// A heading without text cannot be listed; its
				// subheadings then nest under the heading before it.
				// Minor headings (##### and ######) are not listed.
				if t := label(n.Content); t != "" && !n.Minor() {
					flat = append(flat, &navEntry{level: n.Level, label: n.Number + t, href: "xhtml/" + f.name + "#" + n.ID})
				}
			case *doc.Table:
				target(n.Pos, "table", n.ID, f.name)
			case *doc.Figure:
				target(n.Pos, "figure", n.ID, f.name)
				b.figures = append(b.figures, figureEntry{n, f.name})
				if err := b.addImage(n.Pos, n.Image, byData); err != nil {
					errs = append(errs, err)
				}
			}
		})
		// Every file of the text can be reached from the contents, one
		// that no listed heading opens (text before a part) by its title.
		if len(flat) == listed {
			flat = append(flat, &navEntry{level: b.topLevel, label: f.title, href: "xhtml/" + f.name})
		}
	}
	return flat, errs
}

// indexImages names the images the text files' figures do not: those of
// figures in notes, of images in running text, and those links lead to.
func (b *book) indexImages(byData map[[sha256.Size]byte]string) (errs []error) {
	// A figure in a note is written wherever the note is; its image is
	// stored like the others, but it is no link target.
	for _, fn := range b.doc.Footnotes {
		doc.Walk(fn.Blocks, func(bl doc.Block) {
			if f, ok := bl.(*doc.Figure); ok {
				if err := b.addImage(f.Pos, f.Image, byData); err != nil {
					errs = append(errs, err)
				}
			}
		})
	}
	// Images in running text, in the text and in notes, and the images
	// links lead to.
	inlineImage := func(in doc.Inline) {
		var err error
		switch n := in.(type) {
		case *doc.InlineImage:
			err = b.addImage(doc.Pos{}, n.Image, byData)
		case *doc.Link:
			if n.Image != nil {
				err = b.addView(n, byData)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	doc.WalkInlines(b.doc.Blocks, inlineImage)
	for _, fn := range b.doc.Footnotes {
		doc.WalkInlines(fn.Blocks, inlineImage)
	}
	return errs
}

// addImage stores a figure's image under a name of its own, once for
// identical images. The names are made here, not taken from the book,
// so that they are safe in a URL and cannot clash with the cover's.
func (b *book) addImage(p doc.Pos, img *doc.Image, byData map[[sha256.Size]byte]string) error {
	if img != nil && img.Missing != "" {
		return nil // a placeholder: the text shows what stands in for it
	}
	if img == nil || len(img.Data) == 0 {
		return posErrorf(p, "an image has no data")
	}
	ext, ok := imageExt[img.Format]
	if !ok {
		return posErrorf(p, "image %s is %q: use PNG or JPEG", img.Path, img.Format)
	}
	sum := sha256.Sum256(img.Data)
	name, ok := byData[sum]
	if !ok {
		name = fmt.Sprintf("figure-%d%s", len(b.images)+1, ext)
		byData[sum] = name
		b.images = append(b.images, &imageFile{name: name, data: img.Data})
	}
	// go-epub puts images here, relative to the text files.
	b.imageOf[img] = "../images/" + name
	return nil
}

// addView gives the image link l leads to a page of its own, once for
// each image, titled with the link's text or the alt text of the image
// it shows.
func (b *book) addView(l *doc.Link, byData map[[sha256.Size]byte]string) error {
	if b.viewOf[l.Image] != "" {
		return nil
	}
	if err := b.addImage(doc.Pos{}, l.Image, byData); err != nil {
		return err
	}
	title := label(l.Content)
	doc.WalkInlines([]doc.Block{&doc.Paragraph{Content: l.Content}}, func(in doc.Inline) {
		if im, ok := in.(*doc.InlineImage); ok && title == "" {
			title = im.Alt
		}
	})
	if title == "" {
		title = path.Base(l.Image.Path)
	}
	v := &imageView{name: fmt.Sprintf("view%02d.xhtml", len(b.views)+1), title: title}
	var w xw
	w.raw("<figure>")
	w.empty("img", "src", b.imageOf[l.Image], "alt", title)
	w.raw("</figure>\n")
	v.body = w.String()
	b.views = append(b.views, v)
	b.viewOf[l.Image] = v.name
	return nil
}

var imageExt = map[string]string{"png": ".png", "jpeg": ".jpg"}

// hasFigureList reports whether the book gets a list of figures.
func (b *book) hasFigureList() bool { return b.doc.Meta.ListOfFigures && len(b.figures) > 0 }

// renderFigureList writes the list of figures (插图目录), each linked.
func (b *book) renderFigureList() string {
	r := newRenderer(figuresFile, b.fileOf, b.use)
	r.open("nav", "figures")
	r.raw(" epub:type=\"loi\" aria-labelledby=\"loi-title\">\n<h1 id=\"loi-title\">")
	r.inSans(func() { r.text(figuresTitle) })
	r.raw("</h1>\n<ol>\n")
	for _, e := range b.figures {
		r.raw("<li><a")
		r.attr("href", e.file+"#"+e.fig.ID)
		r.raw(">")
		r.plain("图" + strconv.Itoa(e.fig.Number))
		if t := label(e.fig.Caption); t != "" {
			r.plain("\u3000" + t)
		}
		r.raw("</a></li>\n")
	}
	r.raw("</ol>\n</nav>\n")
	return r.out.String()
}

// label is a heading's text on one line.
func label(content []doc.Inline) string {
	return strings.Join(strings.Fields(doc.PlainText(content)), " ")
}

// nest turns headings in reading order into a tree by level; a heading
// that skips a level nests under the nearest higher one.
func nest(flat []*navEntry) []*navEntry {
	var roots, stack []*navEntry
	for _, e := range flat {
		for len(stack) > 0 && stack[len(stack)-1].level >= e.level {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			roots = append(roots, e)
		} else {
			p := stack[len(stack)-1]
			p.children = append(p.children, e)
		}
		stack = append(stack, e)
	}
	return roots
}

func posErrorf(p doc.Pos, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if p.File == "" {
		return fmt.Errorf("epub: line %d: %s", p.Line, msg)
	}
	return fmt.Errorf("%s:%d: %s", p.File, p.Line, msg)
}

// renderTitlePage sets the title, subtitle, authors with their positions
// and the publication the text is reprinted from, as the PDF does.
func (b *book) renderTitlePage() string {
	m := b.doc.Meta
	r := newRenderer(titlePageFile, nil, b.use)
	r.open("section", "titlepage")
	r.raw(" epub:type=\"titlepage\">\n<h1>")
	r.inSans(func() { r.phrases(m.Title) })
	r.raw("</h1>\n")
	if m.Subtitle != "" {
		r.open("p", "subtitle")
		r.raw(">")
		r.text("——" + m.Subtitle)
		r.raw("</p>\n")
	}
	for _, a := range m.Authors {
		r.open("p", "author")
		r.raw(">")
		r.text(a.Name)
		r.raw("</p>\n")
		if a.Position != "" {
			r.open("p", "position")
			r.raw(">")
			r.text(a.Position)
			r.raw("</p>\n")
		}
	}
	if m.Source != "" {
		r.open("p", "source")
		r.raw(">")
		r.text("转载自" + m.Source)
		r.raw("</p>\n")
	}
	r.raw("</section>\n")
	return r.out.String()
}

// planFonts decides which faces to embed and under what names.
// keepLicenses keeps the licences of the faces the book embeds: a licence
// file names a font, and one the book lacks would mislead.
func (b *book) keepLicenses() {
	used := map[string]bool{}
	for _, f := range b.fonts {
		if f != nil {
			used[f.face.LicenseFile()] = true
		}
	}
	b.licenses = slices.DeleteFunc(b.licenses, func(name string) bool { return !used[name] })
}

func (b *book) planFonts() {
	f := b.opt.Fonts
	b.fonts = make([]*embeddedFont, numRoles+len(f.Fallback))
	add := func(role int, face *fonts.Face, e embeddedFont) {
		if face != nil {
			// A CFF face's subset is an OpenType font with CFF outlines.
			if face.IsCFF() {
				e.file = strings.TrimSuffix(e.file, ".ttf") + ".otf"
			}
			e.face, e.runes = face, map[rune]bool{}
			b.fonts[role] = &e
		}
	}
	add(roleSerif, f.Face(style.Serif), embeddedFont{family: "Paiban Serif SC", file: "PaibanSerifSC-Regular.ttf", sets: "正文"})
	add(roleSans, f.Face(style.Sans), embeddedFont{family: "Paiban Sans SC", file: "PaibanSansSC-Bold.ttf", bold: true, sets: "标题、加粗"})
	add(roleLatin, f.Face(style.Latin), embeddedFont{family: "Paiban Latin", file: "PaibanLatin-Regular.ttf", sets: "西文"})
	// A family's only face is matched for upright text too, so the italic
	// goes in only beside the upright Latin face, and only when used.
	if f.Face(style.Latin) != nil && len(b.use.italic) > 0 {
		add(roleItalic, f.Face(style.LatinItalic), embeddedFont{family: "Paiban Latin", file: "PaibanLatin-Italic.ttf", italic: true, sets: "西文着重"})
	}
	// LXGW WenKai reserves the names "LXGW" and "霞鹜": its subset must
	// carry another. Only a book with quotations gets it.
	if len(b.use.kai) > 0 {
		add(roleKai, f.Face(style.Kai), embeddedFont{family: "Paiban Kai SC", file: "PaibanKaiSC-Regular.ttf", sets: "引文"})
	}
	// LXGW WenKai Mono reserves the same names. Only a book with code
	// gets it, so that the colophon names no face the book lacks.
	if len(b.use.mono) > 0 {
		add(roleMono, f.Face(style.Mono), embeddedFont{family: "Paiban Mono SC", file: "PaibanMonoSC-Regular.ttf", sets: "代码"})
	}
	// Fallback faces are renamed too (HanaMinB reserves its names); only
	// those that set a character of the book go in.
	for i, face := range f.Fallback {
		add(numRoles+i, face, embeddedFont{family: fmt.Sprintf("Paiban Fallback %d", i+1),
			file: fmt.Sprintf("PaibanFallback%d-Regular.ttf", i+1), sets: "其他符号与文字"})
	}
	needed := map[*embeddedFont]bool{}
	b.eachFallback(func(_ rune, f *embeddedFont) { needed[f] = true })
	for i := numRoles; i < len(b.fonts); i++ {
		if !needed[b.fonts[i]] {
			b.fonts[i] = nil
		}
	}
}

// assignRunes gives each character the book sets to the face that the
// style sheet's font stacks pick for it, so every subset holds exactly
// what its face draws.
func (b *book) assignRunes() {
	add := func(role int, c rune) bool {
		f := b.fonts[role]
		if f == nil || !f.face.Has(c) {
			return false
		}
		f.runes[c] = true
		return true
	}
	for c := range b.use.sans {
		add(roleSans, c)
	}
	for c := range b.use.body {
		if !(isLatin(c) && add(roleLatin, c)) {
			add(roleSerif, c)
		}
	}
	for c := range b.use.italic {
		if !add(roleItalic, c) && !add(roleLatin, c) {
			add(roleSerif, c)
		}
	}
	for c := range b.use.kai {
		if !(isLatin(c) && add(roleLatin, c)) && !add(roleKai, c) {
			add(roleSerif, c)
		}
	}
	// What the monospace face lacks falls to the reader's monospace font:
	// proportional faces would break the alignment of code.
	for c := range b.use.mono {
		add(roleMono, c)
	}
	b.eachFallback(func(c rune, f *embeddedFont) { f.runes[c] = true })
	// Every Chinese face used also carries the full-width marks of the
	// docs/typesetting.md §2.1, so a reader that changes or adds
	// punctuation (quotes, say) still finds them in the book's face.
	for _, role := range []int{roleSerif, roleSans, roleKai} {
		if f := b.fonts[role]; f != nil && len(f.runes) > 0 {
			for _, c := range chars.Punctuation {
				add(role, c)
			}
		}
	}
	for i, f := range b.fonts {
		if f != nil && len(f.runes) == 0 {
			b.fonts[i] = nil
		}
	}
}

// eachFallback calls fn with each character no face of its font stack
// has and the first fallback face that has it: every stack ends in the
// fallback families (stylesheet).
func (b *book) eachFallback(fn func(c rune, f *embeddedFont)) {
	stacks := []struct {
		use   map[rune]bool
		roles []int
	}{
		{b.use.sans, []int{roleSans}},
		{b.use.body, []int{roleLatin, roleSerif}},
		{b.use.italic, []int{roleItalic, roleLatin, roleSerif}},
		{b.use.kai, []int{roleLatin, roleKai, roleSerif}},
		{b.use.mono, []int{roleMono}},
	}
	for _, s := range stacks {
		for c := range s.use {
			if slices.ContainsFunc(s.roles, func(role int) bool { f := b.fonts[role]; return f != nil && f.face.Has(c) }) {
				continue
			}
			for _, f := range b.fonts[numRoles:] {
				if f != nil && f.face.Has(c) {
					fn(c, f)
					break
				}
			}
		}
	}
}

// renderColophon writes the last page: rights, the generator, and which
// fonts are embedded under which names, with their licences.
func (b *book) renderColophon() string {
	m := b.doc.Meta
	r := newRenderer(colophonFile, nil, b.use)
	r.open("section", "colophon")
	r.raw(` epub:type="colophon" role="doc-colophon">` + "\n<h2>")
	r.inSans(func() { r.text(colophonTitle) })
	r.raw("</h2>\n")
	line := func(s string) {
		r.raw("<p>")
		r.text(s)
		r.raw("</p>\n")
	}
	if len(m.Editors) > 0 {
		line("责任编辑：" + strings.Join(m.Editors, "、"))
	}
	if m.Publisher != "" {
		line("出版：" + m.Publisher)
	}
	if m.ISBN != "" {
		line("ISBN " + m.ISBN)
	}
	if len(m.Keywords) > 0 {
		line("关键词：" + strings.Join(m.Keywords, "；"))
	}
	if m.Rights != "" {
		line(m.Rights)
	}
	if b.opt.Generator != "" {
		t := b.opt.Modified.UTC()
		r.raw("<p>")
		r.text(fmt.Sprintf("本电子书由 %s 生成于 %d年%d月%d日。", b.opt.Generator, t.Year(), t.Month(), t.Day()))
		r.raw("</p>\n")
	}
	var embedded []*embeddedFont
	for _, f := range b.fonts {
		if f != nil {
			embedded = append(embedded, f)
		}
	}
	if len(embedded) > 0 {
		r.raw("<p>")
		r.text("内嵌字体为下列字体的子集，依 SIL Open Font License 1.1 更名：")
		r.raw("</p>\n<ul>\n")
		for _, f := range embedded {
			style := ""
			if f.italic {
				style = " Italic"
			}
			r.raw("<li>")
			r.text(fmt.Sprintf("%s%s（%s）：取自 %s（%s）", f.family, style, f.sets, f.face.Family, f.face.PostScriptName))
			r.raw("</li>\n")
		}
		r.raw("</ul>\n")
	}
	if len(b.licenses) > 0 {
		r.raw("<p>")
		r.text("字体许可证全文见书内 fonts 文件夹：")
		r.raw("</p>\n<ul>\n")
		for _, name := range b.licenses {
			r.raw("<li>")
			r.text(path.Join("fonts", name))
			r.raw("</li>\n")
		}
		r.raw("</ul>\n")
	}
	r.raw("</section>\n")
	return r.out.String()
}
