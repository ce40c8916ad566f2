package markdown

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	_ "image/jpeg" // formats a figure may have
	"image/png"
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
// line; a path starting with / is taken from the book's folder, as web
// hosts take it from a repository's. The same file named twice is read
// once. A GIF is converted to PNG. nil means the image cannot be placed:
// a missing, unsafe or unreadable file is an error; a URL (paiban fetches
// nothing) or an SVG file warns, and the caller sets the alt text instead.
func (c *converter) image(dest string, line int) *doc.Image {
	if u, err := url.Parse(dest); err == nil && u.Scheme != "" {
		c.errs.warn(line, "image %q: paiban does not fetch images from the web; its alt text is set instead (save it in the book's folder)", dest)
		return nil
	}
	// A destination is a URL path: editors write images/photo%201.png.
	file := dest
	if u, err := url.PathUnescape(dest); err == nil {
		file = u
	}
	if strings.EqualFold(path.Ext(file), ".svg") {
		c.errs.warn(line, "image %q: SVG is not supported, its alt text is set instead (convert it to PNG or JPEG)", dest)
		return nil
	}
	if strings.HasPrefix(file, `\`) {
		c.errs.add(line, "image %q must be a path inside the book's folder, such as images/a.png", dest)
		return nil
	}
	rel := path.Join(c.dir, file)
	if strings.HasPrefix(file, "/") {
		rel = strings.TrimPrefix(path.Clean(file), "/")
	}
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
	case err == nil && format == "gif":
		data, format, err = gifToPNG(data)
		if err != nil {
			c.errs.add(line, "image %q: %v", dest, err)
			return nil
		}
	case err == nil && format != "png" && format != "jpeg", err != nil:
		if looksLikeSVG(data) {
			c.errs.warn(line, "image %q is SVG, which is not supported; its alt text is set instead (convert it to PNG or JPEG)", dest)
			return nil
		}
		c.errs.add(line, "image %q is not a PNG, JPEG or GIF image", dest)
		return nil
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		c.errs.add(line, "image %q is %d×%d pixels: paiban takes images of at most %d million pixels", dest, cfg.Width, cfg.Height, maxImagePixels/1_000_000)
		return nil
	}
	img := &doc.Image{Path: rel, Name: c.book.imageName(rel, format), Format: format,
		Width: cfg.Width, Height: cfg.Height, Data: data}
	c.book.images[rel] = img
	return img
}

// gifToPNG converts the first frame of a GIF to PNG: neither edition
// takes GIF (a PDF cannot hold it, and EPUB readers may not animate it).
func gifToPNG(data []byte) ([]byte, string, error) {
	img, err := gif.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("a GIF that cannot be read: %v", err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, "", err
	}
	return b.Bytes(), "png", nil
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
