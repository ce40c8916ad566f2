package build

import (
	"io"
	"os"
	"path/filepath"
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
