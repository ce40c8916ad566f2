package epub

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // user covers may be JPEG
	"image/png"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
)

// coverImage is the cover as stored in the EPUB.
type coverImage struct {
	data          []byte
	file          string // in the images folder
	width, height int
}

// makeCover returns the user's cover, checked, or draws one.
func (b *book) makeCover() (*coverImage, error) {
	if b.opt.Cover == nil {
		data, err := DrawCover(b.doc.Meta, b.opt.Fonts)
		if err != nil {
			return nil, err
		}
		return &coverImage{data: data, file: "cover.png", width: coverWidth, height: coverHeight}, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b.opt.Cover))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errors.New("epub: the cover image is not a readable PNG or JPEG file")
	}
	c := &coverImage{data: b.opt.Cover, width: cfg.Width, height: cfg.Height}
	switch format {
	case "png":
		c.file = "cover.png"
	case "jpeg":
		c.file = "cover.jpg"
	default:
		return nil, fmt.Errorf("epub: the cover image is %s; use PNG or JPEG", format)
	}
	return c, nil
}

// The drawn cover: a 3:4 page, warm off-white, the title in 黑体, a thin
// vermilion rule, the authors and the source in 宋体.
const (
	coverWidth  = 1200
	coverHeight = 1600
	coverMargin = 150
	// coverSourceRoom is kept free at the foot for the source line.
	coverSourceRoom = 230
)

// The cover's paper and its inks: near-black, grey, and vermilion for
// the rule.
var (
	coverPaper = color.RGBA{0xf7, 0xf3, 0xea, 0xff}
	coverInks  = [...]color.RGBA{
		inkBlack:     {0x1e, 0x1e, 0x1e, 0xff},
		inkGrey:      {0x5a, 0x57, 0x52, 0xff},
		inkVermilion: {0xa3, 0x2d, 0x22, 0xff},
	}
)

const (
	inkBlack = iota
	inkGrey
	inkVermilion
)

// DrawCover draws the cover Write draws when Options.Cover is nil, as a
// PNG: it needs only the metadata and the fonts, so a caller can draw it
// while other work (laying out the print edition) goes on, and pass it
// as Options.Cover.
func DrawCover(m doc.Metadata, f Fonts) (data []byte, err error) {
	defer func() {
		// x/image's rasteriser is not hardened against malformed fonts;
		// a bad font must give an error, not bring the program down.
		if p := recover(); p != nil {
			err = fmt.Errorf("epub: drawing the cover: %v", p)
		}
	}()
	title, text, err := coverFaces(f)
	if err != nil {
		return nil, err
	}
	c := newCanvas()
	width := fixed.I(coverWidth - 2*coverMargin)

	// The title shrinks until it fits in four lines; the smallest size
	// shows six.
	size := 100.0
	var lines []string
	for {
		lines = wrap(newFace(title, size), m.Title, width, 6)
		if len(lines) <= 4 || size < 50 {
			break
		}
		size *= 0.85
	}
	y := 480.0
	face := newFace(title, size)
	for _, l := range lines {
		y += size * 1.3
		c.centred(face, l, y, inkBlack)
	}
	if m.Subtitle != "" {
		y += 30
		face := newFace(text, 46)
		for _, l := range wrap(face, "——"+m.Subtitle, width, 3) {
			y += 46 * 1.5
			c.centred(face, l, y, inkGrey)
		}
	}
	y += 90
	c.rule(image.Rect(coverWidth/2-110, int(y), coverWidth/2+110, int(y)+3), inkVermilion)
	y += 40
	if names := m.AuthorNames(); names != "" {
		face := newFace(text, 54)
		// The authors fill the page down to the source line.
		fit := max(1, int((coverHeight-coverSourceRoom-y)/(54*1.5)))
		for _, l := range wrap(face, names, width, fit) {
			y += 54 * 1.5
			c.centred(face, l, y, inkBlack)
		}
	}
	if m.Source != "" {
		face := newFace(text, 38)
		for _, l := range wrap(face, m.Source, width, 1) {
			c.centred(face, l, coverHeight-170, inkGrey)
		}
	}

	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.page); err != nil {
		return nil, fmt.Errorf("epub: encoding the cover: %w", err)
	}
	return buf.Bytes(), nil
}

// coverFaces returns the faces of the cover's title (sans) and of its
// other text (serif), either standing in for the other.
func coverFaces(f Fonts) (title, text *opentype.Font, err error) {
	titleFace, textFace := f.Face(style.Sans), f.Face(style.Serif)
	if titleFace == nil {
		titleFace = textFace
	}
	if textFace == nil {
		textFace = titleFace
	}
	if titleFace == nil {
		return nil, nil, errors.New("epub: no Chinese font to draw the cover with; give a cover image or the serif and sans fonts")
	}
	if title, err = parseFace(titleFace); err != nil {
		return nil, nil, err
	}
	text = title
	if textFace != titleFace {
		if text, err = parseFace(textFace); err != nil {
			return nil, nil, err
		}
	}
	return title, text, nil
}

// canvas is the cover being drawn, straight into an 8-bit image of the
// paper, the inks and 85 blends of each with the paper: a quarter of the
// bytes of RGBA to clear, filter and compress, which made the cover the
// slowest part of writing a short book's EPUB. Each line of text is drawn
// on a transparent strip whose alpha is the ink's coverage, then copied
// into the page through the ink's blends.
type canvas struct {
	page  *image.Paletted
	strip *image.RGBA
	// index[ink][alpha] is the palette entry for that coverage of ink.
	index [len(coverInks)][256]uint8
}

// coverLevels is how many steps of coverage each ink's blends with the
// paper get: 3 inks × 85 + the paper fill the 256 colours of a palette.
const coverLevels = 85

// stripHeight bounds a line of cover text (the title is at most 100 px).
const stripHeight = 256

func newCanvas() *canvas {
	pal := color.Palette{coverPaper}
	for _, ink := range coverInks {
		for l := 1; l <= coverLevels; l++ {
			pal = append(pal, blend(coverPaper, ink, float64(l)/coverLevels))
		}
	}
	c := &canvas{
		page:  image.NewPaletted(image.Rect(0, 0, coverWidth, coverHeight), pal),
		strip: image.NewRGBA(image.Rect(0, 0, coverWidth, stripHeight)),
	}
	for ink := range coverInks {
		for a := 1; a < 256; a++ {
			if l := (a*coverLevels + 127) / 255; l > 0 {
				c.index[ink][a] = uint8(1 + ink*coverLevels + l - 1)
			}
		}
	}
	return c
}

// centred draws s centred on the page with its baseline at y.
func (c *canvas) centred(face font.Face, s string, y float64, ink int) {
	m := face.Metrics()
	top := int(y) - m.Ascent.Ceil()
	h := min(m.Ascent.Ceil()+m.Descent.Ceil()+1, stripHeight)
	clear(c.strip.Pix[:h*c.strip.Stride])
	d := &font.Drawer{Dst: c.strip, Src: image.NewUniform(coverInks[ink]), Face: face}
	d.Dot = fixed.Point26_6{X: (fixed.I(coverWidth) - d.MeasureString(s)) / 2, Y: fixed.Int26_6((y - float64(top)) * 64)}
	d.DrawString(s)
	at := &c.index[ink]
	for row := range h {
		py := top + row
		if py < 0 || py >= coverHeight {
			continue
		}
		src := c.strip.Pix[row*c.strip.Stride:]
		dst := c.page.Pix[py*c.page.Stride:]
		for x := range coverWidth {
			if a := src[4*x+3]; a != 0 {
				dst[x] = at[a]
			}
		}
	}
}

// rule fills r with an ink.
func (c *canvas) rule(r image.Rectangle, ink int) {
	r = r.Intersect(c.page.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := c.page.Pix[y*c.page.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			row[x] = c.index[ink][255]
		}
	}
}

// blend mixes ink into paper at coverage a (0…1).
func blend(paper, ink color.RGBA, a float64) color.RGBA {
	mix := func(p, i uint8) uint8 { return uint8(float64(p) + (float64(i)-float64(p))*a + 0.5) }
	return color.RGBA{mix(paper.R, ink.R), mix(paper.G, ink.G), mix(paper.B, ink.B), 0xff}
}

// parseFace returns the face's parsed font for drawing.
func parseFace(f *fonts.Face) (*opentype.Font, error) {
	ot := f.SFNT()
	if ot == nil {
		return nil, fmt.Errorf("epub: drawing the cover with %s: the face has no outlines", f.PostScriptName)
	}
	return ot, nil
}

func newFace(f *opentype.Font, size float64) font.Face {
	// NewFace fails only for options out of range, which these are not.
	face, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	return face
}

// noLineStart reports whether r may not begin a line of the cover's
// title: the rule of the print edition (避头, docs/typesetting.md §1.2)
// under the strict profile, as the title is cut between any two
// characters and a dash run must not be split.
func noLineStart(r rune) bool {
	c := chars.Of(r)
	return chars.NeverStarts(c, r) || c == chars.Dash
}

// wrap breaks s into at most maxLines lines no wider than width: at
// spaces first (a space in a Chinese title separates phrases), then
// between characters, never putting closing punctuation at the start of a
// line. When s needs more lines, the last one shown ends in an ellipsis;
// the time taken is in proportion to what is shown, however long s is.
func wrap(face font.Face, s string, width fixed.Int26_6, maxLines int) []string {
	s = strings.Join(strings.Fields(s), " ")
	var lines []string
	for s != "" && len(lines) < maxLines {
		end, next := lineEnd(face, s, width)
		lines = append(lines, s[:end])
		s = s[next:]
	}
	if s != "" && len(lines) > 0 {
		last := &lines[len(lines)-1]
		end, _ := lineEnd(face, *last+"……", width-font.MeasureString(face, "……"))
		*last = strings.TrimRight((*last)[:min(end, len(*last))], " ") + "……"
	}
	return lines
}

// lineEnd returns where the first line of s ends and where the next one
// begins, measuring s only as far as the line reaches. A word with no
// place to cut stays whole.
func lineEnd(face font.Face, s string, width fixed.Int26_6) (end, next int) {
	var w fixed.Int26_6
	prev := rune(-1)
	space, cut := -1, 0
	for i, r := range s {
		switch {
		case r == ' ':
			space = i
		case i > 0 && !noLineStart(r):
			cut = i
		}
		if prev >= 0 {
			w += face.Kern(prev, r)
		}
		adv, _ := face.GlyphAdvance(r)
		w += adv
		prev = r
		if w <= width {
			continue
		}
		switch {
		case space > 0:
			return space, space + 1
		case cut > 0:
			return cut, cut
		}
		if j := strings.IndexByte(s[i:], ' '); j >= 0 {
			return i + j, i + j + 1
		}
		return len(s), len(s)
	}
	return len(s), len(s)
}
