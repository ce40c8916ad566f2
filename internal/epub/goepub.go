package epub

// This file is the adapter to go-epub: the book's files go in through
// its public API (assemble), and what it wrote is read back by the names
// of the ZIP's entries (container), the placeholders filled and its
// content documents finished. TestGoEPUB pins what this relies on.

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"sync"

	goepub "github.com/go-shiori/go-epub"
)

// Paths in the container go-epub writes.
const (
	contentDir  = "EPUB/"
	packagePath = contentDir + "package.opf"
	navPath     = contentDir + "nav.xhtml"
	ncxPath     = contentDir + "toc.ncx"
	xhtmlDir    = contentDir + "xhtml/"
	mimetype    = "application/epub+zip"
)

// goepubPackage is what Write keeps of go-epub's package document.
type goepubPackage struct {
	Items []manifestItem `xml:"manifest>item"`
	Spine goepubSpine    `xml:"spine"`
}

// goepubSpine is go-epub's spine: the sections in the order they were
// added, and the direction pages turn in.
type goepubSpine struct {
	Direction string `xml:"page-progression-direction,attr"`
	Items     []struct {
		IDRef string `xml:"idref,attr"`
	} `xml:"itemref"`
}

type manifestItem struct {
	ID         string `xml:"id,attr"`
	Href       string `xml:"href,attr"`
	MediaType  string `xml:"media-type,attr"`
	Properties string `xml:"properties,attr"`
}

// container is the files go-epub wrote, by their names in its ZIP, and
// its package document's manifest.
type container struct {
	files map[string][]byte
	items []manifestItem
	spine goepubSpine
}

// readContainer reads the ZIP go-epub wrote.
func readContainer(zipped []byte) (*container, error) {
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		return nil, fmt.Errorf("epub: reading what go-epub wrote: %w", err)
	}
	c := &container{files: map[string][]byte{}}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("epub: reading what go-epub wrote: %w", err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("epub: reading what go-epub wrote: %w", err)
		}
		c.files[f.Name] = data
	}
	if string(c.files["mimetype"]) != mimetype {
		return nil, errors.New("epub: go-epub wrote no mimetype file")
	}
	var pkg goepubPackage
	if err := xml.Unmarshal(c.files[packagePath], &pkg); err != nil {
		return nil, fmt.Errorf("epub: go-epub wrote no readable package document: %w", err)
	}
	c.items, c.spine = pkg.Items, pkg.Spine
	return c, nil
}

// check checks that the container holds the files named, each in the
// manifest, and that the manifest lists no file it lacks.
func (c *container) check(names []string) error {
	items := map[string]manifestItem{}
	for _, it := range c.items {
		items[it.Href] = it
	}
	for _, name := range names {
		href := strings.TrimPrefix(name, contentDir)
		if c.files[name] == nil {
			return fmt.Errorf("epub: go-epub did not write %s", href)
		}
		if _, ok := items[href]; !ok {
			return fmt.Errorf("epub: go-epub left %s out of the manifest", href)
		}
	}
	for href := range items {
		if c.files[contentDir+href] == nil {
			return fmt.Errorf("epub: go-epub listed %s but did not write it", href)
		}
	}
	return nil
}

// fill puts the fonts and images in place of their placeholders, and the
// content documents in place of go-epub's, each of which holds the
// placeholder it was given once.
func (c *container) fill(binaries, documents map[string][]byte) error {
	for name, data := range binaries {
		if !bytes.Equal(c.files[name], placeholder(path.Base(name))) {
			return fmt.Errorf("epub: go-epub did not write %s as given", name)
		}
		c.files[name] = data
	}
	for name, doc := range documents {
		if bytes.Count(c.files[name], placeholder(path.Base(name))) != 1 {
			return fmt.Errorf("epub: go-epub did not write %s as given", strings.TrimPrefix(name, contentDir))
		}
		c.files[name] = doc
	}
	return nil
}

// goepubMu serialises go-epub's writing: it keeps its file system in a
// package variable, and the in-memory one is a plain map.
var goepubMu sync.Mutex

// noNetwork is the HTTP transport given to go-epub: every resource is
// passed in as a data URL, and a book build must never reach the network.
type noNetwork struct{}

func (noNetwork) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("epub: no network access while writing a book")
}

// placeholder stands in for a font, an image or a chapter's body while
// go-epub builds the container: compressing megabytes of fonts and text
// there, only to read them back and compress them again in pack, took
// half the time of writing a book. pack puts the real bytes (binaries,
// bodies) in their place.
func placeholder(name string) []byte { return []byte("paiban placeholder for " + name) }

// binaries are the fonts and images of the book by their path in the
// container, which pack puts in place of their placeholders.
func (b *book) binaries() map[string][]byte {
	out := map[string][]byte{contentDir + "images/" + b.cover.file: b.cover.data}
	for _, f := range b.fonts {
		if f != nil {
			out[contentDir+"fonts/"+f.file] = f.data
		}
	}
	for _, f := range b.images {
		out[contentDir+"images/"+f.name] = f.data
	}
	return out
}

// contentDoc is one content document: its file, title, style sheet (its
// path from the document, as go-epub placed it) and body.
type contentDoc struct {
	file, title, css, body string
}

// documents are the book's content documents, written whole by document
// in place of go-epub's, by their path in the container.
func (b *book) documents() map[string][]byte {
	out := make(map[string][]byte, len(b.contents))
	for _, d := range b.contents {
		out[xhtmlDir+d.file] = b.document(d)
	}
	return out
}

// assemble has go-epub build the container from the rendered files and
// returns the ZIP it wrote.
func (b *book) assemble() ([]byte, error) {
	m := b.doc.Meta
	e, err := goepub.NewEpub(m.Title)
	if err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	e.Client = &http.Client{Transport: noNetwork{}}
	if b.opt.Vertical {
		// Vertical lines run right to left, and so do the pages.
		e.SetPpd("rtl")
	}
	// The metadata is left to pack, which writes the package document.

	css, err := e.AddCSS(dataURL([]byte(b.css)), "paiban.css")
	if err != nil {
		return nil, goepubError("paiban.css", err)
	}
	coverStyle, err := e.AddCSS(dataURL([]byte(coverCSS)), "cover.css")
	if err != nil {
		return nil, goepubError("cover.css", err)
	}
	if err := b.addFonts(e); err != nil {
		return nil, err
	}
	img, err := b.addImages(e)
	if err != nil {
		return nil, err
	}

	b.contents = []contentDoc{
		{coverFile, m.Title, coverStyle, b.coverBody(img)},
		{titlePageFile, m.Title, css, b.titlePage},
	}
	if b.figureList != "" {
		b.contents = append(b.contents, contentDoc{figuresFile, figuresTitle, css, b.figureList})
	}
	for _, f := range b.texts {
		b.contents = append(b.contents, contentDoc{f.name, f.title, css, f.body})
	}
	b.contents = append(b.contents, contentDoc{colophonFile, colophonTitle, css, b.colophon})
	for _, v := range b.views {
		b.contents = append(b.contents, contentDoc{v.name, v.title, css, v.body})
	}
	// go-epub lists each document in the manifest, spine and nav; pack
	// writes the documents themselves.
	for _, d := range b.contents {
		if _, err := e.AddSection(string(placeholder(d.file)), d.title, d.file, d.css); err != nil {
			return nil, goepubError(d.file, err)
		}
	}

	goepubMu.Lock()
	defer goepubMu.Unlock()
	// In memory, so that nothing touches the disk and no file system error
	// can occur that go-epub would only log.
	if err := goepub.Use(goepub.MemoryFS); err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	var buf bytes.Buffer
	if _, err := e.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("epub: %w", err)
	}
	return buf.Bytes(), nil
}

// addFonts gives go-epub the fonts, as placeholders, and their licences,
// which go beside the fonts they cover.
func (b *book) addFonts(e *goepub.Epub) error {
	for _, f := range b.fonts {
		if f == nil {
			continue
		}
		if _, err := e.AddFont(dataURL(placeholder(f.file)), f.file); err != nil {
			return goepubError(f.file, err)
		}
	}
	for _, name := range b.licenses {
		if _, err := e.AddFont(dataURL(b.opt.Licenses[name]), name); err != nil {
			return goepubError(name, err)
		}
	}
	return nil
}

// addImages gives go-epub the cover and the book's images, as
// placeholders; cover is the cover's path from a content document.
func (b *book) addImages(e *goepub.Epub) (cover string, err error) {
	cover, err = e.AddImage(dataURL(placeholder(b.cover.file)), b.cover.file)
	if err != nil {
		return "", goepubError(b.cover.file, err)
	}
	for _, f := range b.images {
		got, err := e.AddImage(dataURL(placeholder(f.name)), f.name)
		if err != nil {
			return "", goepubError(f.name, err)
		}
		// The text was written with the path go-epub is expected to give.
		if want := "../images/" + f.name; got != want {
			return "", fmt.Errorf("epub: go-epub put %s at %s, not %s", f.name, got, want)
		}
	}
	return cover, nil
}

// dataURL passes data to go-epub, which takes files as a path, a URL or a
// data URL. The media type is left generic: go-epub's data URL parser
// rejects font/ttf, and pack sets every media type anyway.
func dataURL(data []byte) string {
	return "data:application/octet-stream;base64," + base64.StdEncoding.EncodeToString(data)
}

// goepubError keeps go-epub's errors short: a FileRetrievalError quotes
// the whole data URL it could not read.
func goepubError(name string, err error) error {
	var fe *goepub.FileRetrievalError
	if errors.As(err, &fe) {
		return fmt.Errorf("epub: go-epub could not take %s: %w", name, fe.Err)
	}
	return fmt.Errorf("epub: %s: %w", name, err)
}

// coverBody is the cover page: the image in an SVG box that scales it to
// the page whatever the reader's screen, the way calibre does it.
func (b *book) coverBody(img string) string {
	var w xw
	w.raw("<div class=\"cover\" epub:type=\"cover\">\n")
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" preserveAspectRatio="xMidYMid meet"`)
	w.attr("viewBox", fmt.Sprintf("0 0 %d %d", b.cover.width, b.cover.height))
	w.raw(` role="img"`)
	w.attr("aria-label", b.doc.Meta.Title)
	w.raw(">\n<title>")
	w.text(b.doc.Meta.Title)
	w.raw("</title>\n<image")
	w.attr("width", fmt.Sprint(b.cover.width))
	w.attr("height", fmt.Sprint(b.cover.height))
	w.attr("xlink:href", img)
	w.raw("/>\n</svg>\n</div>")
	return w.String()
}

// document writes a content document: go-epub's page, with the language
// on the html element, which go-epub leaves without one, and in a
// vertical book the class vertical on a text file's.
func (b *book) document(d contentDoc) []byte {
	var w xw
	w.raw(xml.Header + "<!DOCTYPE html>\n<html")
	w.attr("lang", b.lang)
	w.attr("xml:lang", b.lang)
	if b.opt.Vertical && d.file != coverFile {
		w.attr("class", verticalClass)
	}
	w.raw(` xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">` + "\n  <head>\n    <title dir=\"auto\">")
	w.text(d.title)
	w.raw("</title>\n    <link")
	w.attr("rel", "stylesheet")
	w.attr("type", "text/css")
	w.attr("href", d.css)
	w.raw("></link>\n  </head>\n  <body dir=\"auto\">\n")
	w.raw(d.body)
	w.raw("\n</body>\n</html>\n")
	return []byte(w.String())
}
