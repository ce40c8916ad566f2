package markdown

import (
	"bytes"
	"image"
	_ "image/jpeg" // formats a figure may have
	_ "image/png"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/paiban/paiban/internal/doc"
)

// maxImagePixels bounds the size of a figure: the PDF writer decodes
// images in full, and a small file can declare a huge image.
const maxImagePixels = 50_000_000

// image reads the image file dest names, relative to the file being read
// (dir, a slash path inside the book's folder), reporting problems at
// line. The same file named twice is read once.
func (c *converter) image(dest string, line int) *doc.Image {
	if u, err := url.Parse(dest); err == nil && u.Scheme != "" {
		c.errs.add(line, "image %q: a figure must be a file inside the book's folder, not a URL", dest)
		return nil
	}
	// A destination is a URL path: editors write images/photo%201.png.
	file := dest
	if u, err := url.PathUnescape(dest); err == nil {
		file = u
	}
	if strings.EqualFold(path.Ext(file), ".svg") {
		c.errs.add(line, "image %q: SVG is not supported: convert it to PNG or JPEG", dest)
		return nil
	}
	if strings.HasPrefix(file, "/") || strings.HasPrefix(file, `\`) {
		c.errs.add(line, "image %q must be a path inside the book's folder, such as images/a.png", dest)
		return nil
	}
	rel := path.Join(c.dir, file)
	if img, ok := c.book.images[rel]; ok {
		return img
	}
	data, err := openInside(c.book.root, rel)
	if err != nil {
		c.errs.add(line, "image %q: %v", dest, err)
		return nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err == nil && format != "png" && format != "jpeg", err != nil:
		what := "is not a PNG or JPEG image"
		if looksLikeSVG(data) {
			what = "is SVG, which is not supported: convert it to PNG or JPEG"
		}
		c.errs.add(line, "image %q %s", dest, what)
		return nil
	case cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels:
		c.errs.add(line, "image %q is %d×%d pixels: paiban takes images of at most %d million pixels", dest, cfg.Width, cfg.Height, maxImagePixels/1_000_000)
		return nil
	}
	img := &doc.Image{Path: rel, Name: c.book.imageName(rel, format), Format: format,
		Width: cfg.Width, Height: cfg.Height, Data: data}
	c.book.images[rel] = img
	return img
}

func looksLikeSVG(data []byte) bool {
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	return bytes.HasPrefix(head, []byte("<svg")) || (bytes.HasPrefix(head, []byte("<?xml")) && bytes.Contains(head, []byte("<svg")))
}

// imageName gives the image at rel a file name unique within the book,
// images/NAME.EXT, from its own name: letters and digits kept, anything
// else (spaces, which EPUB checkers warn about) as '-'; a second image
// of the same name gets -2.
func (s *bookState) imageName(rel, format string) string {
	ext := ".png"
	if format == "jpeg" {
		ext = ".jpg"
	}
	stem := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	stem = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, stem)
	if stem == "" {
		stem = "image"
	}
	name := "images/" + stem + ext
	for k := 2; s.names[name]; k++ {
		name = "images/" + stem + "-" + strconv.Itoa(k) + ext
	}
	s.names[name] = true
	return name
}
