package pdfobj

import (
	"bufio"
	"bytes"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/validators"
	"github.com/signintech/gopdf"
)

// These tests pin what internal/pdf and internal/impose rely on in the
// files gopdf writes. When one fails after a gopdf upgrade, the message
// says what gopdf no longer does; the adapter (this package) or its users
// must then be brought in line before the upgrade lands.

// gopdfVersion is the gopdf version go.mod requires.
func gopdfVersion(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fs := strings.Fields(s.Text()); len(fs) >= 2 && fs[0] == "github.com/signintech/gopdf" {
			return fs[1]
		}
	}
	t.Fatal("go.mod does not require github.com/signintech/gopdf")
	return ""
}

// pin fails the test unless ok, saying what gopdf no longer does.
func pin(t *testing.T, ok bool, what string, args ...any) {
	t.Helper()
	if !ok {
		t.Errorf("gopdf %s no longer "+what+"; internal/pdfobj and its users (internal/pdf, internal/impose) must be updated",
			append([]any{gopdfVersion(t)}, args...)...)
	}
}

// pngBytes is a small grey PNG.
func pngBytes(t *testing.T) []byte {
	img := image.NewGray(image.Rect(0, 0, 4, 2))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// drawLikePaiban has gopdf write a document the way internal/pdf has it
// write a book: no compression, pages of two sizes, an image on the
// first, links and an anchor, nothing drawn on the second.
func drawLikePaiban(t *testing.T) *File {
	gp := new(gopdf.GoPdf)
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: 420, H: 595}})
	gp.SetNoCompression()
	gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: 420, H: 595}})
	gp.SetAnchor("top")
	h, err := gopdf.ImageHolderByBytes(pngBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := gp.ImageByHolder(h, 10, 10, &gopdf.Rect{W: 40, H: 20}); err != nil {
		t.Fatal(err)
	}
	gp.AddExternalLink("https://example.com/(1)", 10, 100, 50, -12)
	gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: 595, H: 420}})
	gp.AddInternalLink("top", 10, 100, 50, -12)
	f, err := Render(gp, 0)
	pin(t, err == nil, "writes a file whose objects are found through one classic cross-reference table: %v", err)
	if err != nil {
		t.FailNow()
	}
	return f
}

func TestGopdfDocument(t *testing.T) {
	f := drawLikePaiban(t)
	cat, err := f.Dict(f.Root())
	typ, _ := cat.Get("/Type")
	pin(t, err == nil && string(typ) == "/Catalog", "names the catalog as the trailer's /Root (%v)", err)

	pages, err := f.Pages()
	pin(t, err == nil && len(pages) == 2, "lists its pages in the catalog's page tree (%d pages, %v)", len(pages), err)
	if len(pages) != 2 {
		t.FailNow()
	}
	var resources []int
	for i, pg := range pages {
		page, _ := f.Dict(pg)
		res, ok := page.Ref("/Resources")
		pin(t, ok, "gives page %d a /Resources object", i+1)
		resources = append(resources, res)
	}
	pin(t, resources[0] == resources[1], "shares one /Resources object among the pages (pdf.addFonts fills in one)")
	res, _ := f.Dict(resources[0])
	fonts, _ := res.Get("/Font")
	d, err := ParseDict(fonts)
	pin(t, err == nil && d.Len() == 0, "writes an empty /Font dictionary in the resources when told of no fonts (%q)", fonts)

	// The first page drew an image: one content stream, uncompressed.
	first, _ := f.Dict(pages[0])
	n, ok := first.Ref("/Contents")
	pin(t, ok, "writes a page's drawing as one content stream (/Contents n 0 R)")
	if ok {
		dict, data, err := f.Stream(n)
		_, filtered := dict.Get("/Filter")
		pin(t, err == nil && !filtered, "writes content streams uncompressed after SetNoCompression (%v)", err)
		pin(t, bytes.Contains(data, []byte(" Do")), "draws an image in the page's content stream: %q", data)
	}
	// The second page drew nothing.
	second, _ := f.Dict(pages[1])
	_, ok = second.Get("/Contents")
	pin(t, !ok, "leaves out /Contents on a page with nothing drawn (pdf.streams adds one)")
}

// TestGopdfRoundTrip checks that a file written again with Write holds the
// same objects and passes qpdf --check.
func TestGopdfRoundTrip(t *testing.T) {
	f := drawLikePaiban(t)
	var buf bytes.Buffer
	if err := f.Write(&buf, 0); err != nil {
		t.Fatal(err)
	}
	g, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatalf("Write wrote a file Parse cannot read: %v", err)
	}
	if g.Len() != f.Len() || g.Root() != f.Root() {
		t.Fatalf("%d objects with root %d, want %d with root %d", g.Len(), g.Root(), f.Len(), f.Root())
	}
	for n := 1; n < f.Len(); n++ {
		if !bytes.Equal(f.Body(n), g.Body(n)) {
			t.Errorf("object %d differs after a round trip", n)
		}
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	validators.PDF(t, path)
}

// TestGopdfImportedPage pins what impose.CropMarks relies on: a page
// drawn from an imported one, with a TrimBox, reads back.
func TestGopdfImportedPage(t *testing.T) {
	var src bytes.Buffer
	if err := drawLikePaiban(t).Write(&src, 0); err != nil {
		t.Fatal(err)
	}
	gp := new(gopdf.GoPdf)
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: 500, H: 700}})
	rs := io.ReadSeeker(bytes.NewReader(src.Bytes()))
	gp.AddPageWithOption(gopdf.PageOption{PageSize: &gopdf.Rect{W: 500, H: 700},
		TrimBox: &gopdf.Box{Left: 40, Top: 50, Right: 460, Bottom: 645}})
	tpl := gp.ImportPageStream(&rs, 1, "/MediaBox")
	gp.UseImportedTemplate(tpl, 40, 50, 420, 595)
	f, err := Render(gp, 0)
	pin(t, err == nil, "writes imported pages' objects so that they are found through the cross-reference table: %v", err)
	if err != nil {
		return
	}
	pages, err := f.Pages()
	pin(t, err == nil && len(pages) == 1, "lists the page in the page tree (%v)", err)
	if len(pages) != 1 {
		return
	}
	page, _ := f.Dict(pages[0])
	box, ok := page.Get("/TrimBox")
	fs := strings.Fields(string(box))
	pin(t, ok && len(fs) == 6 && fs[1] == "40.00", "writes the TrimBox as given (%q)", box)
	_, ok = page.Get("/BleedBox")
	pin(t, !ok, "leaves BleedBox to impose.CropMarks")
}
