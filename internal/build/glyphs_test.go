package build

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/style"
)

// TestNoMissingGlyphs is case T33 of docs/typesetting.md over the article and
// the showcase book, in both print styles: every glyph laid out is one its
// face has (no glyph 0, .notdef), no 〓 stands in for a missing character, and
// the PDF's text has no U+FFFD.
func TestNoMissingGlyphs(t *testing.T) {
	books := map[string]string{
		"article":  filepath.Join(root, "source", "xinzhi-shengchanli.md"),
		"showcase": filepath.Join(root, "source", "showcase"),
	}
	for name, path := range books {
		for _, styleName := range []string{style.Default, "a5-book"} {
			res := layoutBook(t, path, styleName)
			if len(res.Missing) > 0 {
				t.Errorf("%s, %s: characters no font has: %v", name, styleName, res.Missing)
			}
			glyphs := 0
			for pi, p := range res.Book.Pages {
				for _, g := range p.Glyphs {
					r, _ := utf8.DecodeRuneInString(g.Text)
					if g.Face.Metrics(r).Glyph == 0 || r == '〓' {
						t.Errorf("%s, %s, page %d: %q has no glyph in %s", name, styleName, pi+1, g.Text, g.Face.PostScriptName)
					}
					glyphs++
				}
			}
			if glyphs == 0 {
				t.Errorf("%s, %s: no glyphs laid out", name, styleName)
			}
		}
		out := t.TempDir()
		var stdout, stderr bytes.Buffer
		opt := testOptions(out, &stdout, &stderr)
		opt.Formats = []string{"pdf"}
		if err := Run(path, opt); err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(path), ".md")
		if text := strings.Join(pdfPages(t, filepath.Join(out, base+".pdf")), ""); strings.ContainsRune(text, '\uFFFD') {
			t.Errorf("%s: the PDF's text has U+FFFD", name)
		}
	}
}
