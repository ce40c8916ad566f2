// Package pdf writes a laid-out book as a PDF file.
//
// gopdf writes the document: the page tree, the images, the link
// annotations and their targets. Some parts of its output are wrong or
// missing and cannot be fixed through its API (the outline tree, /Lang,
// the document information), so Write lets gopdf produce a complete file
// and then adds those objects through pdfobj, which reads gopdf's file as
// numbered objects (see finish). The fonts and the pages' text and rules
// are not made through gopdf: it formats every text run and path with fmt
// on one goroutine, which took half the time of a long book's build, and
// its fonts cost more than they gave (see addFonts). finish draws the
// pages itself, in parallel (appendDrawing), and adds the fonts.
package pdf

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/pdfobj"
	"github.com/signintech/gopdf"
)

// producer is written as the document's /Producer.
const producer = "paiban"

// tolerance is how far (in points) a glyph drawn as part of a batched run may
// land from its layout position. Text positions are written with two
// decimals, so a glyph drawn alone is already up to 0.005 pt off.
const tolerance = 0.005

// Write renders a laid-out book as PDF. Every glyph is drawn at its layout
// position in its face and size; fonts are embedded as subsets. The output
// depends only on b: writing the same book twice gives identical bytes.
//
// A glyph whose face has no glyph for one of its characters is an error, not
// a blank: the layout stage should have chosen another face.
func Write(w io.Writer, b *layout.Book) error {
	if err := validate(b); err != nil {
		return err
	}
	faces, err := collectFaces(b)
	if err != nil {
		return err
	}
	for _, f := range faces {
		f.startProgram()
	}
	d, err := draw(b, faces)
	if err != nil {
		return err
	}
	return finish(w, b, d)
}

// validate rejects books that would make gopdf write a broken file (NaN
// coordinates, missing faces, dangling link and outline targets).
func validate(b *layout.Book) error {
	if b == nil || len(b.Pages) == 0 {
		return errors.New("pdf: book has no pages")
	}
	for i, p := range b.Pages {
		if p == nil {
			return fmt.Errorf("pdf: page %d is nil", i+1)
		}
		if !(p.Width > 0 && p.Height > 0) || !finite(p.Width, p.Height) {
			return fmt.Errorf("pdf: page %d: bad size %gx%g", i+1, p.Width, p.Height)
		}
		for _, g := range p.Glyphs {
			if g.Face == nil {
				return fmt.Errorf("pdf: page %d: glyph %q has no face", i+1, g.Text)
			}
			if !(g.Size > 0) || !finite(g.Size, g.X, g.Y) {
				return fmt.Errorf("pdf: page %d: glyph %q: bad size or position", i+1, g.Text)
			}
		}
		if err := validateImages(p, i+1); err != nil {
			return err
		}
		for _, r := range p.Rules {
			if !finite(r.X, r.Y, r.W, r.H, r.Step) || r.Step > 0 && r.Step < r.H {
				return fmt.Errorf("pdf: page %d: rule with bad geometry", i+1)
			}
			if !(r.Gray >= 0 && r.Gray <= 1) {
				return fmt.Errorf("pdf: page %d: rule with gray %g, not between 0 and 1", i+1, r.Gray)
			}
		}
		for _, l := range p.Links {
			if !finite(l.X, l.Y, l.W, l.H, l.DestY) {
				return fmt.Errorf("pdf: page %d: link with bad geometry", i+1)
			}
			if l.URL == "" && (l.DestPage < 0 || l.DestPage >= len(b.Pages)) {
				return fmt.Errorf("pdf: page %d: link to page index %d, book has %d pages", i+1, l.DestPage, len(b.Pages))
			}
		}
	}
	prev := 0
	for i, e := range b.Outline {
		if e.Level < 1 || e.Level > prev+1 {
			return fmt.Errorf("pdf: outline entry %d (%q): level %d after level %d", i, e.Title, e.Level, prev)
		}
		if e.Page < 0 || e.Page >= len(b.Pages) || !finite(e.Y) {
			return fmt.Errorf("pdf: outline entry %d (%q): bad target (page index %d, y %g)", i, e.Title, e.Page, e.Y)
		}
		prev = e.Level
	}
	return nil
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// face is one font as embedded in the file.
type face struct {
	face *fonts.Face
	// name is the PDF font name: the PostScript name with a subset tag.
	name string
	// runes are the characters drawn in the face, in code point order.
	runes []rune
	// chars are the characters drawn in the face: their widths and
	// glyphs.
	chars *charTable
	// resource is the font's name in the pages' resources ("/F1").
	resource string
	// prog is the font program, made while gopdf writes the document.
	prog *program
}

// char is a character drawn in a face.
type char struct {
	// width is its advance in 1/1000 em, truncated to an integer as
	// written in /W, so that batched runs can be checked against what a
	// viewer will compute.
	width float32
	glyph uint16 // in the subset
	drawn bool   // the entry is set
}

// charTable holds a face's chars by code point, in blocks of 256 made as
// they are used: it is read for every glyph of the book twice over, which
// with a map took a tenth of a long book's PDF.
type charTable [(unicode.MaxRune + 1) >> 8]*[256]char

// get returns r's entry; ok is false when r is not drawn in the face.
func (t *charTable) get(r rune) (c char, ok bool) {
	if r < 0 || r > unicode.MaxRune {
		return char{}, false
	}
	if b := t[r>>8]; b != nil {
		c = b[r&0xff]
	}
	return c, c.drawn
}

// set sets r's entry; r is a valid code point.
func (t *charTable) set(r rune, c char) {
	b := t[r>>8]
	if b == nil {
		b = new([256]char)
		t[r>>8] = b
	}
	c.drawn = true
	b[r&0xff] = c
}

// collectFaces lists the faces in order of first use with the characters
// drawn in each, and checks that every character has a glyph.
func collectFaces(b *layout.Book) ([]*face, error) {
	var list []*face
	byFace := map[*fonts.Face]*face{}
	for pi, p := range b.Pages {
		for _, g := range p.Glyphs {
			if g.Text == "" {
				continue // drawn as nothing; a face used only so is not embedded
			}
			f := byFace[g.Face]
			if f == nil {
				f = &face{face: g.Face, chars: new(charTable)}
				byFace[g.Face] = f
				list = append(list, f)
			}
			for _, r := range g.Text {
				if _, ok := f.chars.get(r); ok {
					continue
				}
				m := g.Face.Metrics(r)
				if m.Glyph == 0 {
					return nil, fmt.Errorf("pdf: page %d: font %s has no glyph for %q (%U)", pi+1, g.Face.PostScriptName, r, r)
				}
				// Advance is an exact fraction units/unitsPerEm; the epsilon
				// only absorbs float error, it cannot cross an integer.
				f.chars.set(r, char{width: float32(math.Floor(m.Advance*1000 + 1e-6))})
				f.runes = append(f.runes, r)
			}
		}
	}
	used := map[string]bool{}
	for i, f := range list {
		f.resource = "/F" + strconv.Itoa(i+1)
		slices.Sort(f.runes)
		// The text is written with the subset's glyph numbers, known
		// before the subset is made (startProgram checks them).
		for k, g := range fonts.NumberGlyphs(f.face, f.runes) {
			c, _ := f.chars.get(f.runes[k])
			c.glyph = g
			f.chars.set(f.runes[k], c)
		}
		ps := pdfName(f.face.PostScriptName)
		for n := 0; ; n++ {
			f.name = subsetTag(ps, f.runes, n) + "+" + ps
			if !used[f.name] {
				break
			}
		}
		used[f.name] = true
	}
	return list, nil
}

// subsetTag derives the six-letter subset tag from the font name and the
// characters it carries, so that it is stable across runs. n > 0
// distinguishes different faces that would otherwise get the same name.
func subsetTag(name string, runes []rune, n int) string {
	h := sha256.New()
	io.WriteString(h, name)
	for _, r := range runes {
		h.Write(utf8.AppendRune(nil, r))
	}
	if n > 0 {
		fmt.Fprintf(h, "\x00%d", n)
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// pdfName escapes what a PDF name cannot hold literally: the font name is
// written verbatim after "/".
func pdfName(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > '~' || strings.IndexByte("#%()/<>[]{}", c) >= 0 {
			fmt.Fprintf(&sb, "#%02X", c)
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// drawn is gopdf's file, which finish completes.
type drawn struct {
	file  *pdfobj.File
	pages []int // object number of each page
	faces []*face
}

// draw has gopdf write the pages, images and links. A panic in gopdf is
// turned into an error here.
func draw(b *layout.Book, faces []*face) (d *drawn, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("pdf: gopdf failed: %v", r)
		}
	}()
	first := b.Pages[0]
	gp := new(gopdf.GoPdf)
	// Link and anchor positions are computed by gopdf from this default
	// page height whatever the page's own size; see addLinks and addAnchors.
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: first.Width, H: first.Height}})
	gp.SetNoCompression() // finish compresses the pages; see streams
	anchors := anchorTargets(b)
	uris := newURIActions()
	images, err := printImages(b)
	if err != nil {
		return nil, err
	}
	for i, p := range b.Pages {
		gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: p.Width, H: p.Height}})
		addAnchors(gp, first.Height, p, i, anchors[i])
		if err := drawImages(gp, p, images); err != nil {
			return nil, fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		addLinks(gp, first.Height, p, uris)
	}
	f, err := pdfobj.Render(gp, rawSize(b))
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if err := uris.share(f); err != nil {
		return nil, err
	}
	d = &drawn{file: f, faces: faces}
	if d.pages, err = f.Pages(); err != nil {
		return nil, errGopdf(err.Error())
	}
	if len(d.pages) != len(b.Pages) {
		return nil, errGopdf(fmt.Sprintf("%d pages in the page tree, not %d", len(d.pages), len(b.Pages)))
	}
	return d, nil
}

// rawSize estimates the size of gopdf's uncompressed file, so that it is
// written into one buffer rather than one doubled a dozen times.
func rawSize(b *layout.Book) int {
	n := 64 << 10
	for _, p := range b.Pages {
		n += 1<<10 + 100*(len(p.Links)+len(p.Images))
	}
	return n
}

// anchorTargets lists, per page, the distinct y positions internal links
// jump to. gopdf resolves an anchor by name only when writing the file, but
// an anchor can only be set while its page is the current one, so all
// targets are known before the first page is drawn.
func anchorTargets(b *layout.Book) [][]float64 {
	t := make([][]float64, len(b.Pages))
	for _, p := range b.Pages {
		for _, l := range p.Links {
			if l.URL == "" && !slices.Contains(t[l.DestPage], l.DestY) {
				t[l.DestPage] = append(t[l.DestPage], l.DestY)
			}
		}
	}
	return t
}

func anchorName(page int, y float64) string {
	return strconv.Itoa(page) + "/" + strconv.FormatFloat(y, 'g', -1, 64)
}

// addAnchors sets the anchors on page i. gopdf stores an anchor at
// defaultH - Y + fontSize (in PDF coordinates), so Y is chosen to land on
// the page's own height and the font size is zeroed.
func addAnchors(gp *gopdf.GoPdf, defaultH float64, p *layout.Page, i int, ys []float64) {
	if len(ys) == 0 {
		return
	}
	gp.SetFontSize(0)
	for _, y := range ys {
		gp.SetY(defaultH - p.Height + y)
		gp.SetAnchor(anchorName(i, y))
	}
}

// addLinks adds the page's link annotations. gopdf turns y into
// defaultH - y and writes the rectangle from there down by h; giving it the
// bottom edge and a negative height yields a normalised rectangle on the
// page's own height.
func addLinks(gp *gopdf.GoPdf, defaultH float64, p *layout.Page, uris *uriActions) {
	for _, l := range p.Links {
		y := defaultH - p.Height + l.Y + l.H
		if l.URL != "" {
			gp.AddExternalLink(uris.placeholder(l.URL), l.X, y, l.W, -l.H)
		} else {
			gp.AddInternalLink(anchorName(l.DestPage, l.DestY), l.X, y, l.W, -l.H)
		}
	}
}

// uriActions are the URI actions of a book's external links. Each link
// annotation refers to the one action object of its URI instead of
// holding the URI: a URL set over thousands of lines is written once, not
// once a line (a URL of 240,000 characters took 4 GB).
type uriActions struct {
	index map[string]int // URI → place in uris
	uris  []string
}

func newURIActions() *uriActions { return &uriActions{index: map[string]int{}} }

// placeholderPrefix starts what gopdf writes as a link's URI, to be
// replaced by share.
const placeholderPrefix = "/A <</S /URI /URI (paiban:"

// placeholder returns what gopdf is to write as url's URI.
func (u *uriActions) placeholder(url string) string {
	k, ok := u.index[url]
	if !ok {
		k = len(u.uris)
		u.index[url] = k
		u.uris = append(u.uris, url)
	}
	return "paiban:" + strconv.Itoa(k)
}

// share adds an action object for each URI and has each link annotation
// refer to its URI's.
func (u *uriActions) share(f *pdfobj.File) error {
	if len(u.uris) == 0 {
		return nil
	}
	actions := make([]int, len(u.uris))
	for i, url := range u.uris {
		actions[i] = f.Add([]byte("<< /S /URI /URI " + textString(uriEscape(url)) + " >>"))
	}
	found := 0
	for n := 1; n < actions[0]; n++ {
		// Only link annotations are searched, not the page contents.
		body := f.Body(n)
		if !bytes.HasPrefix(body, []byte("<</Type /Annot /Subtype /Link ")) {
			continue
		}
		i := bytes.Index(body, []byte(placeholderPrefix))
		if i < 0 {
			continue
		}
		rest := body[i+len(placeholderPrefix):]
		end := bytes.Index(rest, []byte(")>>"))
		k, err := strconv.Atoi(string(rest[:max(end, 0)]))
		if end < 0 || err != nil || k < 0 || k >= len(actions) {
			return errGopdf("a link annotation without its URI placeholder")
		}
		f.Set(n, slices.Concat(body[:i], []byte("/A "+strconv.Itoa(actions[k])+" 0 R"), rest[end+len(")>>"):]))
		found++
	}
	if found == 0 {
		return errGopdf("no link annotation holds a URI placeholder")
	}
	return nil
}

// uriEscape percent-encodes what may not appear in a PDF URI (7-bit ASCII
// only).
func uriEscape(u string) string {
	var sb strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c >= 0x7F {
			fmt.Fprintf(&sb, "%%%02X", c)
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// appendRules appends the page's rules as filled paths, then sets black
// again for the text.
func appendRules(dst []byte, h float64, rules []layout.Rule) []byte {
	gray := 0.0
	for _, r := range rules {
		if r.Gray != gray {
			gray = r.Gray
			dst = appendNums(dst, gray)
			dst = append(dst, " g\n"...)
		}
		if r.Round {
			dst = appendEllipse(dst, h, r)
			continue
		}
		if r.Step > 0 {
			dst = appendDots(dst, h, r)
			continue
		}
		dst = appendNums(dst, r.X, h-r.Y-r.H, r.W, r.H)
		dst = append(dst, " re f\n"...)
	}
	if gray != 0 {
		dst = append(dst, "0 g\n"...)
	}
	return dst
}

// appendDots draws a row of dots as one stroke: a line as thick as a dot,
// dashed with the dot's width on and the rest of the step off, in the
// rule's gray.
func appendDots(dst []byte, h float64, r layout.Rule) []byte {
	dst = append(dst, "q "...)
	dst = appendNums(dst, r.Gray)
	dst = append(dst, " G "...)
	dst = appendNums(dst, r.H)
	dst = append(dst, " w ["...)
	dst = appendNums(dst, r.H, r.Step-r.H)
	dst = append(dst, "] 0 d\n"...)
	y := h - r.Y - r.H/2
	dst = appendNums(dst, r.X, y)
	dst = append(dst, " m "...)
	dst = appendNums(dst, r.X+r.W, y)
	return append(dst, " l S Q\n"...)
}

// kappa places the control points of a cubic Bézier curve that draws a
// quarter of an ellipse (the usual 4(√2−1)/3; off by 0.03% at most).
const kappa = 0.5522847498

// appendEllipse fills the ellipse inscribed in r with four Bézier curves,
// on a page of height h.
func appendEllipse(dst []byte, h float64, r layout.Rule) []byte {
	rx, ry := r.W/2, r.H/2
	cx, cy := r.X+rx, h-r.Y-ry
	kx, ky := kappa*rx, kappa*ry
	dst = appendNums(dst, cx+rx, cy)
	dst = append(dst, " m\n"...)
	for _, c := range [4][6]float64{
		{cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry},
		{cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy},
		{cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry},
		{cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy},
	} {
		dst = appendNums(dst, c[:]...)
		dst = append(dst, " c\n"...)
	}
	return append(dst, "f\n"...)
}

// appendNums appends numbers separated by spaces, each with at most three
// decimals (a thousandth of a point is far below what a printer resolves).
func appendNums(dst []byte, vs ...float64) []byte {
	for i, v := range vs {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = strconv.AppendFloat(dst, round(v, 1000), 'f', -1, 64)
	}
	return dst
}

// run is a sequence of glyphs drawn as one text object: one face, size and
// baseline, each glyph at the previous one's advance plus a constant
// character spacing (Tc). Numbers are written as gopdf wrote them when it
// drew the text: positions with two decimals, sizes and spacing with three.
type run struct {
	f       *face
	size    float64 // as the layout gave it
	tfs     float64 // as written (three decimals)
	x, y    float64 // x as written (two decimals)
	x0      float64 // x as the layout gave it
	tc      float64 // as written (three decimals)
	fixed   bool    // tc has been set by a second glyph
	cluster bool    // holds a multi-character glyph
	hidden  bool    // drawn invisible (text render mode 3)
	widen   float64 // horizontal scale (Tz / 100), 1 when not set
	natural float64 // sum of advances so far, without tc
	n       int     // characters so far
	xText   []byte  // x as written
	glyphs  []uint16
}

// start begins the run at glyph g.
func (r *run) start(f *face, g *layout.Glyph) {
	*r = run{f: f, size: g.Size, tfs: round(g.Size, 1000), x0: g.X, y: g.Y, hidden: g.Hidden, widen: widen(g),
		xText: strconv.AppendFloat(r.xText[:0], g.X, 'f', 2, 64), glyphs: r.glyphs[:0]}
	// Parse back what is written, so predictions start from there.
	r.x, _ = strconv.ParseFloat(string(r.xText), 64)
	r.push(g)
}

// push appends g's characters to the run.
func (r *run) push(g *layout.Glyph) {
	n := 0
	for _, c := range g.Text {
		ch, _ := r.f.chars.get(c)
		r.natural += float64(ch.width) * r.tfs / 1000 * r.widen
		r.glyphs = append(r.glyphs, ch.glyph)
		n++
	}
	r.n += n
	r.cluster = r.cluster || n > 1
}

// add appends g if the run can draw it within tolerance of its position.
// A glyph made of several characters only joins runs without spacing, since
// Tc would also spread the characters inside it.
func (r *run) add(f *face, g *layout.Glyph) bool {
	if f != r.f || g.Size != r.size || g.Y != r.y || g.Hidden != r.hidden || widen(g) != r.widen {
		return false
	}
	multi := utf8.RuneCountInString(g.Text) > 1
	tc := r.tc
	if !r.fixed {
		// Measured from the unrounded start, this is the layout's own
		// spacing, so rounding errors do not add up along the run.
		tc = round((g.X-r.x0-r.natural)/float64(r.n), 1000)
	}
	if tc != 0 && (multi || r.cluster || r.widen != 1) {
		return false
	}
	if math.Abs(r.x+r.natural+float64(r.n)*tc-g.X) > tolerance {
		return false
	}
	r.tc, r.fixed = tc, true
	r.push(g)
	return true
}

// widen is the horizontal scale g is drawn at: Tz is written to three
// decimals of a per cent, and predictions use what is written.
func widen(g *layout.Glyph) float64 {
	if g.Widen == 0 {
		return 1
	}
	return round(g.Widen*100, 1000) / 100
}

// round rounds v to a multiple of 1/unit. Adding zero turns a negative zero
// into zero, which would be written "-0".
func round(v, unit float64) float64 { return math.Round(v*unit)/unit + 0 }

// appendDrawing appends what the page shows besides its images, which
// gopdf draws: its rules, then its text.
func appendDrawing(dst []byte, p *layout.Page, byFace map[*fonts.Face]*face) []byte {
	return appendText(appendRules(dst, p.Height, p.Rules), p, byFace)
}

// appendText appends the page's text to a content stream, in as few text
// objects as positions allow. A text object is what gopdf's Text writes for
// a run, byte for byte, so positions round as they did when gopdf drew them
// (see run).
func appendText(dst []byte, p *layout.Page, byFace map[*fonts.Face]*face) []byte {
	var (
		r    run
		open bool
		f    *face
	)
	for i := range p.Glyphs {
		g := &p.Glyphs[i]
		if g.Text == "" {
			continue
		}
		if f == nil || f.face != g.Face {
			f = byFace[g.Face]
		}
		if open && r.add(f, g) {
			continue
		}
		if open {
			dst = r.appendTo(dst, p.Height)
		}
		r.start(f, g)
		open = true
	}
	if open {
		dst = r.appendTo(dst, p.Height)
	}
	return dst
}

// appendTo appends the run as a text object on a page of height h:
// position, font, size and spacing, then its glyphs as one hex string.
func (r *run) appendTo(dst []byte, h float64) []byte {
	state := r.hidden || r.widen != 1
	if state {
		// The render mode and scale are graphics state: q … Q keeps
		// them to this run.
		dst = append(dst, "q"...)
		if r.hidden {
			dst = append(dst, " 3 Tr"...)
		}
		if r.widen != 1 {
			dst = append(dst, ' ')
			dst = strconv.AppendFloat(dst, round(r.widen*100, 1000), 'f', -1, 64)
			dst = append(dst, " Tz"...)
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, "BT\n"...)
	dst = append(dst, r.xText...)
	dst = append(dst, ' ')
	dst = strconv.AppendFloat(dst, h-r.y, 'f', 2, 64)
	dst = append(dst, " TD\n"...)
	dst = append(dst, r.f.resource...)
	dst = append(dst, ' ')
	dst = strconv.AppendFloat(dst, r.tfs, 'f', -1, 64)
	dst = append(dst, " Tf "...)
	dst = strconv.AppendFloat(dst, r.tc, 'f', -1, 64)
	dst = append(dst, " Tc\n[<"...)
	const hex = "0123456789ABCDEF"
	for _, g := range r.glyphs {
		dst = append(dst, hex[g>>12], hex[g>>8&15], hex[g>>4&15], hex[g&15])
	}
	dst = append(dst, ">] TJ\nET\n"...)
	if state {
		dst = append(dst, "Q\n"...)
	}
	return dst
}
