package build

import (
	"archive/zip"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// epubEntries reads the entries of a built EPUB.
func epubEntries(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(data)
	}
	return files
}

var (
	markupTag = regexp.MustCompile(`<[^>]*>`)
	// footnoteSection is where a file's notes begin: page markers are
	// only ever in the text before it.
	footnoteSection = `<section epub:type="footnotes"`
)

// TestEPUBPrintPages checks the EPUB's print-page markers against the PDF
// in the default style: every page has a marker, listed in the page list,
// and the text after the marker is the text pdftotext shows at the top of
// that page.
func TestEPUBPrintPages(t *testing.T) {
	const sample = 12 // characters compared at each page start
	for name, b := range buildAll(t) {
		files := epubEntries(t, b.epub)
		nav := files["EPUB/nav.xhtml"]
		for i, page := range pdfPages(t, b.pdf) {
			label := strconv.Itoa(i + 1)
			id := "page-" + label
			href := `#` + id + `">` + label + `</a>`
			if !strings.Contains(nav, href) {
				t.Errorf("%s: the page list has no page %s", name, label)
			}
			var after string
			for fname, data := range files {
				if !strings.HasPrefix(fname, "EPUB/xhtml/") {
					continue
				}
				text, _, _ := strings.Cut(data, footnoteSection)
				marker := `<span role="doc-pagebreak" id="` + id + `" aria-label="` + label + `"/>`
				if k := strings.Index(text, marker); k >= 0 {
					after = text[k+len(marker):]
					if !strings.Contains(nav, `href="xhtml/`+strings.TrimPrefix(fname, "EPUB/xhtml/")+href) {
						t.Errorf("%s: the page list does not point page %s at %s", name, label, fname)
					}
				}
			}
			if after == "" {
				t.Errorf("%s: no marker for page %s", name, label)
				continue
			}
			got := []rune(circledMarks.ReplaceAllString(squash(html.UnescapeString(markupTag.ReplaceAllString(after, ""))), ""))
			got = got[:min(sample, len(got))]
			top := squash(page)
			if i > 0 { // the running head
				top = strings.TrimPrefix(top, squash(b.doc.Meta.Title))
			}
			top = circledMarks.ReplaceAllString(top, "")
			if i == 0 {
				// The first page opens with the title and contents; the
				// text begins after them.
				if !strings.Contains(top, string(got)) {
					t.Errorf("%s: page 1 marker is followed by %q, not on page 1", name, string(got))
				}
				continue
			}
			if !strings.HasPrefix(top, string(got)) {
				t.Errorf("%s: page %s marker is followed by %q; the page begins %q", name, label, string(got), string([]rune(top)[:sample]))
			}
		}
	}
}
