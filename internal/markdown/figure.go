package markdown

import (
	"bytes"
	"context"
	_ "image/gif" // formats a figure may have; all but PNG and JPEG are converted to PNG
	_ "image/jpeg"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/parallel"
)

// readFormats lists the formats paiban reads, for messages.
const readFormats = "PNG, JPEG, GIF, WebP, BMP or TIFF"

// image reads the image dest names: a file relative to the file being
// read (dir, a slash path inside the book's folder; from / it is taken
// from the book's folder, as web hosts take it from a repository's), or
// an http(s) URL, fetched once the whole book is read. Problems are
// reported at at. The same file or URL named twice is read once.
//
// An image that cannot be had or read (not fetched, SVG, not an image)
// is a placeholder (Missing set) with a warning. nil means it cannot be
// placed at all: a missing, unsafe or too large file is an error; a URL
// of another scheme warns, and the caller sets the alt text instead.
func (c *converter) image(dest string, at place) *doc.Image {
	if u, err := url.Parse(dest); err == nil && u.Scheme != "" {
		if s := strings.ToLower(u.Scheme); s == "http" || s == "https" {
			return c.book.remoteImage(dest, c.errs, at)
		}
		c.errs.warnIn(at, "image %q: paiban takes images from the book's folder or from http(s) URLs; its alt text is set instead", dest)
		return nil
	}
	rel, ok := c.imagePath(dest)
	if !ok {
		c.errs.addIn(at, "image %q must be a path inside the book's folder, such as images/a.png", dest)
		return nil
	}
	if img, ok := c.book.images[rel]; ok {
		return img
	}
	img, problem, tooLarge, err := c.book.readImage(rel)
	if err != nil {
		c.errs.addIn(at, "image %q: %v", dest, err)
		return nil
	}
	if tooLarge {
		c.errs.addIn(at, "image %q %s", dest, problem)
		return nil
	} else if problem != "" {
		c.errs.warnIn(at, "image %q %s; its alt text stands in for it", dest, problem)
	}
	c.book.images[rel] = img
	return img
}

// imagePath is the slash path inside the book's folder of the image file
// dest names, relative to the file being read, or from / relative to the
// book's folder as web hosts take it from a repository's. A destination
// is a URL path: editors write images/photo%201.png.
func (c *converter) imagePath(dest string) (rel string, ok bool) {
	file := dest
	if u, err := url.PathUnescape(dest); err == nil {
		file = u
	}
	if strings.HasPrefix(file, `\`) {
		return "", false
	}
	if strings.HasPrefix(file, "/") {
		return strings.TrimPrefix(path.Clean(file), "/"), true
	}
	return path.Join(c.dir, file), true
}

// imageFileExts are the file name endings of the images a link may lead
// to (readFormats).
var imageFileExts = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"}

// linkedImage is the image a link leads to when dest names an image file
// of the book that paiban can show ([![图](small.jpg)](big.jpg)), else
// nil: the link is then checked like any other, and a file that is
// missing, outside the book or unreadable is a warning there.
func (c *converter) linkedImage(dest string) *doc.Image {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Fragment != "" || u.RawQuery != "" ||
		!slices.Contains(imageFileExts, strings.ToLower(path.Ext(u.Path))) {
		return nil
	}
	rel, ok := c.imagePath(u.EscapedPath())
	if !ok {
		return nil
	}
	img, ok := c.book.images[rel]
	if !ok {
		var problem string
		if img, problem, _, _ = c.book.readImage(rel); img == nil || problem != "" {
			return nil
		}
		c.book.images[rel] = img
	}
	if img.Missing != "" {
		return nil
	}
	return img
}

// readImage reads the image file rel of the book and decodes it (see
// decodeImage); err is a file that cannot be read.
func (s *bookState) readImage(rel string) (img *doc.Image, problem string, tooLarge bool, err error) {
	data, err := s.readFile(rel)
	if err != nil {
		return nil, "", false, err
	}
	img = &doc.Image{Path: rel}
	problem, tooLarge = s.decodeImage(img, data)
	return img, problem, tooLarge, nil
}

// decodeImage checks data and fills in img from it (see checkImage),
// naming it within the book when it can be shown.
func (s *bookState) decodeImage(img *doc.Image, data []byte) (problem string, tooLarge bool) {
	if problem, tooLarge = checkImage(img, data); problem == "" {
		img.Name = s.imageName(img.Path, img.Format)
	}
	return problem, tooLarge
}

// looksLikeSVG reports whether data is an SVG file, for a better message.
func looksLikeSVG(data []byte) bool {
	head := bytes.TrimSpace(data[:min(len(data), 512)])
	return bytes.HasPrefix(head, []byte("<svg")) || (bytes.HasPrefix(head, []byte("<?xml")) && bytes.Contains(head, []byte("<svg")))
}

// remoteUse is a figure whose image is named by URL, fetched once the
// whole book is read.
type remoteUse struct {
	img  *doc.Image
	errs *errorsFor
	at   place
}

// remoteImage returns the image at an http(s) URL, to be fetched by
// fetchRemote; the same URL named twice is one image.
func (s *bookState) remoteImage(u string, errs *errorsFor, at place) *doc.Image {
	img, ok := s.images[u]
	if !ok {
		img = &doc.Image{Path: u}
		s.images[u] = img
	}
	s.remote = append(s.remote, remoteUse{img, errs, at})
	return img
}

// maxFetches is how many images are fetched at once.
const maxFetches = 8

// fetchRemote fetches the images named by URL, several at a time, through
// the book's fetcher and its cache. An image that cannot be had (no
// network, --offline, an error, too large, not an image) becomes a
// placeholder with a warning at each figure showing it: the book builds.
func (s *bookState) fetchRemote() {
	var imgs []*doc.Image
	seen := map[*doc.Image]bool{}
	for _, r := range s.remote {
		if !seen[r.img] {
			seen[r.img] = true
			imgs = append(imgs, r.img)
		}
	}
	problems := make([]string, len(imgs))
	// A panic while fetching or decoding is raised again here, in the
	// caller's goroutine, where the build turns it into an error naming
	// the book (it is a bug, not a missing image).
	err := parallel.For(len(imgs), maxFetches, "fetching images", func(i int) error {
		img := imgs[i]
		if s.fetcher == nil {
			problems[i] = "was not fetched (no fetching in this build)"
			img.Missing = problems[i]
			return nil
		}
		data, _, err := s.fetcher.Get(context.Background(), img.Path)
		if err != nil {
			problems[i] = "could not be fetched: " + err.Error()
			img.Missing = problems[i]
			return nil
		}
		problems[i], _ = s.decodeRemote(img, data)
		return nil
	})
	if err != nil {
		panic(err)
	}
	problem := map[*doc.Image]string{}
	for i, img := range imgs {
		problem[img] = problems[i]
	}
	for _, r := range s.remote {
		if p := problem[r.img]; p != "" {
			r.errs.warnIn(r.at, "image %q %s; its alt text stands in for it", r.img.Path, p)
		}
	}
	s.remote = nil
}

// decodeRemote is decodeImage for a fetched image, whose name comes from
// its URL; it is safe to call from several goroutines.
func (s *bookState) decodeRemote(img *doc.Image, data []byte) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.decodeImage(img, data)
}

// imageName gives the image at rel (a path, or a URL) a file name unique
// within the book, images/NAME.EXT, from its own name: letters and
// digits kept, anything else (spaces, which EPUB checkers warn about) as
// '-'; a second image of the same name gets -2.
func (s *bookState) imageName(rel, format string) string {
	ext := ".png"
	if format == "jpeg" {
		ext = ".jpg"
	}
	if u, err := url.Parse(rel); err == nil && u.Scheme != "" {
		rel = u.Path
	}
	stem := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	stem = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, stem)
	if stem == "" || stem == "-" {
		stem = "image"
	}
	name := "images/" + stem + ext
	for k := 2; s.names[name]; k++ {
		name = "images/" + stem + "-" + strconv.Itoa(k) + ext
	}
	s.names[name] = true
	return name
}
