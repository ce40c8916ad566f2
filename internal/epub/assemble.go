package epub

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"sync"

	goepub "github.com/go-shiori/go-epub"
)

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

// bodies are the chapters' bodies by their path in the container, which
// pack puts in place of their placeholders.
func (b *book) bodies() map[string][]byte {
	out := make(map[string][]byte, len(b.texts))
	for _, f := range b.texts {
		out[xhtmlDir+f.name] = []byte(f.body)
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
	// The metadata is left to pack, which writes the package document.

	css, err := e.AddCSS(dataURL([]byte(b.css)), "paiban.css")
	if err != nil {
		return nil, goepubError("paiban.css", err)
	}
	coverStyle, err := e.AddCSS(dataURL([]byte(coverCSS)), "cover.css")
	if err != nil {
		return nil, goepubError("cover.css", err)
	}
	for _, f := range b.fonts {
		if f == nil {
			continue
		}
		if _, err := e.AddFont(dataURL(placeholder(f.file)), f.file); err != nil {
			return nil, goepubError(f.file, err)
		}
	}
	// The licences go beside the fonts they cover.
	for _, name := range b.licenses {
		if _, err := e.AddFont(dataURL(b.opt.Licenses[name]), name); err != nil {
			return nil, goepubError(name, err)
		}
	}
	img, err := e.AddImage(dataURL(placeholder(b.cover.file)), b.cover.file)
	if err != nil {
		return nil, goepubError(b.cover.file, err)
	}
	for _, f := range b.images {
		got, err := e.AddImage(dataURL(placeholder(f.name)), f.name)
		if err != nil {
			return nil, goepubError(f.name, err)
		}
		// The text was written with the path go-epub is expected to give.
		if want := "../images/" + f.name; got != want {
			return nil, fmt.Errorf("epub: go-epub put %s at %s, not %s", f.name, got, want)
		}
	}

	type section struct{ body, title, file, css string }
	sections := []section{
		{b.coverBody(img), m.Title, coverFile, coverStyle},
		{b.titlePage, m.Title, titlePageFile, css},
	}
	if b.figureList != "" {
		sections = append(sections, section{b.figureList, figuresTitle, figuresFile, css})
	}
	for _, f := range b.texts {
		sections = append(sections, section{string(placeholder(f.name)), f.title, f.name, css})
	}
	sections = append(sections, section{b.colophon, colophonTitle, colophonFile, css})
	for _, v := range b.views {
		sections = append(sections, section{v.body, v.title, v.name, css})
	}
	for _, s := range sections {
		if _, err := e.AddSection(s.body, s.title, s.file, s.css); err != nil {
			return nil, goepubError(s.file, err)
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
