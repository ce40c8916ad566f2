package build

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/pdf"
	"github.com/paiban/paiban/internal/style"
)

// FuzzBuild runs every stage on arbitrary Markdown: whatever the reader
// accepts must lay out and be written as a PDF and an EPUB without an
// error or a panic. The seeds are the books in source/ and testdata.
func FuzzBuild(f *testing.F) {
	for _, pattern := range []string{"../../source/*.md", "../markdown/testdata/*.md", "../../cmd/paiban/testdata/bad/*.md", "testdata/constructs/*.md"} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	opt := Options{FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles")}
	st, err := style.Load(opt.StylesDir, style.Default)
	if err != nil {
		f.Fatal(err)
	}
	faces, err := loadFonts(opt.FontsDir, st)
	if err != nil {
		f.Fatal(err)
	}
	date := time.Unix(1714521600, 0).UTC()
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := markdown.Parse("fuzz.md", src)
		if err != nil {
			return // FuzzParse checks the errors
		}
		res, err := layout.Layout(d, layout.Options{Style: st, Faces: faces, Creator: Generator, Date: date})
		if err != nil {
			t.Fatalf("layout: %v", err)
		}
		if err := pdf.Write(io.Discard, res.Book); err != nil {
			t.Fatalf("PDF: %v", err)
		}
		if err := writeEPUB(io.Discard, d, st, faces, date, opt, nil, res.Book, st.Name); err != nil {
			t.Fatalf("EPUB: %v", err)
		}
	})
}

// maxXHTMLDepth is the deepest an EPUB's markup may nest: Calibre's XML
// parser (lxml) stops at 256 levels and drops the chapter; block quotes
// and lists nested markdown.MaxNesting deep stay well under this.
const maxXHTMLDepth = 128

// FuzzEPUBXML writes the EPUB of arbitrary Markdown and parses every
// XHTML file of it with a strict XML parser: each must be well-formed and
// nest no deeper than maxXHTMLDepth.
func FuzzEPUBXML(f *testing.F) {
	for _, pattern := range []string{"../../source/*.md", "../markdown/testdata/*.md"} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte("---\ntitle: T\n---\n\n" + strings.Repeat("*甲 **", 150) + "乙\n"))
	opt := Options{FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles")}
	st, err := style.Load(opt.StylesDir, style.Default)
	if err != nil {
		f.Fatal(err)
	}
	faces, err := loadFonts(opt.FontsDir, st)
	if err != nil {
		f.Fatal(err)
	}
	// A small cover, so that each run does not draw one.
	var cover bytes.Buffer
	if err := png.Encode(&cover, image.NewGray(image.Rect(0, 0, 3, 4))); err != nil {
		f.Fatal(err)
	}
	date := time.Unix(1714521600, 0).UTC()
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := markdown.Parse("fuzz.md", src)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := writeEPUB(&buf, d, st, faces, date, opt, cover.Bytes(), &layout.Book{}, st.Name); err != nil {
			t.Fatalf("EPUB: %v", err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			if !strings.HasSuffix(zf.Name, ".xhtml") {
				continue
			}
			r, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			if err := checkXHTML(r); err != nil {
				t.Errorf("%s: %v", zf.Name, err)
			}
			r.Close()
		}
	})
}

// checkXHTML parses r strictly and reports the first error, or markup
// nested deeper than maxXHTMLDepth.
func checkXHTML(r io.Reader) error {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if depth != 0 {
				return fmt.Errorf("%d elements left open", depth)
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXHTMLDepth {
				return fmt.Errorf("elements nested more than %d deep", maxXHTMLDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}
