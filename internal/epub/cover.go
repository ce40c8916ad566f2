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

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
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
		data, err := drawCover(b.doc.Meta, b.opt.Fonts)
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
)

var (
	coverPaper = color.RGBA{0xf7, 0xf3, 0xea, 0xff}
	coverInk   = color.RGBA{0x1e, 0x1e, 0x1e, 0xff}
	coverGrey  = color.RGBA{0x5a, 0x57, 0x52, 0xff}
	coverRule  = color.RGBA{0xa3, 0x2d, 0x22, 0xff}
)

// drawCover draws the cover as a PNG.
func drawCover(m doc.Metadata, f Fonts) (data []byte, err error) {
	defer func() {
		// x/image's rasteriser is not hardened against malformed fonts;
		// a bad font must give an error, not bring the program down.
		if p := recover(); p != nil {
			err = fmt.Errorf("epub: drawing the cover: %v", p)
		}
	}()
	titleFace, textFace := f.Sans, f.Serif
	if titleFace == nil {
		titleFace = textFace
	}
	if textFace == nil {
		textFace = titleFace
	}
	if titleFace == nil {
		return nil, errors.New("epub: no Chinese font to draw the cover with; give a cover image or the serif and sans fonts")
	}
	title, err := parseFace(titleFace)
	if err != nil {
		return nil, err
	}
	text := title
	if textFace != titleFace {
		if text, err = parseFace(textFace); err != nil {
			return nil, err
		}
	}

	img := image.NewRGBA(image.Rect(0, 0, coverWidth, coverHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(coverPaper), image.Point{}, draw.Src)
	width := fixed.I(coverWidth - 2*coverMargin)

	// The title shrinks until it fits in four lines.
	size := 100.0
	var lines []string
	for {
		lines = wrap(newFace(title, size), m.Title, width)
		if len(lines) <= 4 || size < 50 {
			break
		}
		size *= 0.85
	}
	y := 480.0
	face := newFace(title, size)
	for _, l := range lines {
		y += size * 1.3
		drawCentred(img, face, l, y, coverInk)
	}
	if m.Subtitle != "" {
		y += 30
		face := newFace(text, 46)
		for _, l := range wrap(face, "——"+m.Subtitle, width) {
			y += 46 * 1.5
			drawCentred(img, face, l, y, coverGrey)
		}
	}
	y += 90
	draw.Draw(img, image.Rect(coverWidth/2-110, int(y), coverWidth/2+110, int(y)+3), image.NewUniform(coverRule), image.Point{}, draw.Src)
	y += 40
	if names := m.AuthorNames(); names != "" {
		face := newFace(text, 54)
		for _, l := range wrap(face, names, width) {
			y += 54 * 1.5
			drawCentred(img, face, l, y, coverInk)
		}
	}
	if m.Source != "" {
		drawCentred(img, newFace(text, 38), m.Source, coverHeight-170, coverGrey)
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("epub: encoding the cover: %w", err)
	}
	return buf.Bytes(), nil
}

// parseFace reads a face for drawing; opentype parses lazily, so even a
// 15 MB CJK face is quick.
func parseFace(f *fonts.Face) (*opentype.Font, error) {
	ot, err := opentype.Parse(f.Data)
	if err != nil {
		return nil, fmt.Errorf("epub: drawing the cover with %s: %w", f.PostScriptName, err)
	}
	return ot, nil
}

func newFace(f *opentype.Font, size float64) font.Face {
	// NewFace fails only for options out of range, which these are not.
	face, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	return face
}

// drawCentred draws s centred on the page with its baseline at y.
func drawCentred(img *image.RGBA, face font.Face, s string, y float64, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face}
	d.Dot = fixed.Point26_6{X: (fixed.I(coverWidth) - d.MeasureString(s)) / 2, Y: fixed.Int26_6(y * 64)}
	d.DrawString(s)
}

// noLineStart are the characters that must not begin a line (避头).
const noLineStart = "，。、；：？！）》」』”’…—·〕】〉,.;:?!)"

// wrap breaks s into lines no wider than width: at spaces first (a space
// in a Chinese title separates phrases), then between characters, never
// putting closing punctuation at the start of a line.
func wrap(face font.Face, s string, width fixed.Int26_6) []string {
	var lines []string
	line := ""
	fits := func(t string) bool { return font.MeasureString(face, t) <= width }
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case fits(line + " " + word):
			line += " " + word
			continue
		default:
			lines = append(lines, line)
			line = word
		}
		// line is one word that may itself be too wide.
		for !fits(line) {
			cut := 0
			for i, c := range line {
				if i > 0 && !fits(line[:i]) {
					break
				}
				if i > 0 && !strings.ContainsRune(noLineStart, c) {
					cut = i
				}
			}
			if cut == 0 {
				break
			}
			lines = append(lines, line[:cut])
			line = line[cut:]
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
