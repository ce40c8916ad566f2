package build

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/testbook"
	"github.com/paiban/paiban/internal/validators"
)

// coverageBook has one character, or a few, of each class real Chinese
// books quote and the first bundled faces lack (issue: a technical book
// set 29 characters as 〓). Each class is a paragraph of its own.
var coverageClasses = []struct{ name, text string }{
	{"arrows", "⇑⇓⇕⇖"},
	{"dingbats", "✖✔❤"},
	{"miscellaneous symbols", "☂♞⚠"},
	{"mathematical digits and letters", "𝟏𝟐𝟑𝐱𝔸"},
	{"mathematical operators", "∑∫≤∞⊕"},
	{"emoji", "😀🚀"},
	{"Extension B", "𠮷𠀀"},
	{"Extension C", "𪜀"},
	{"Extension D", "𫝀"},
	{"Extension E", "𫠠"},
	{"Extension F", "𬺰"},
	{"Greek", "αβγΩ"},
	{"phonetic letters and subscripts", "ɕʂŋᴀxᵢ"},
	{"Cyrillic", "ЖжЯ"},
	{"kana", "あア"},
	{"Hangul", "한국어"},
	{"Tibetan", "ཀཁ"},
	{"Arabic (Uyghur)", "بئ"},
	{"Mongolian", "ᠮᠣ"},
	{"Tamil", "கத"},
}

// TestCoverage builds a document with a character of every class: no
// character is missing, the PDF rendered at 200 dpi has ink in every
// glyph's cell, pdftotext gives back every character, and the EPUB
// embeds a face for each.
func TestCoverage(t *testing.T) {
	testbook.FetchedFont(t, filepath.Join(root, "fonts"), "NotoSerifCJK-Regular.ttc")
	testbook.FetchedFont(t, filepath.Join(root, "fonts"), "HanaMinB.ttf")
	var src strings.Builder
	src.WriteString("---\ntitle: 字符\n---\n\n# 各类字符\n\n")
	for _, c := range coverageClasses {
		src.WriteString(c.name + "：" + c.text + "\n\n")
	}
	dir := t.TempDir()
	book := filepath.Join(dir, "coverage.md")
	if err := os.WriteFile(book, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(dir, &stdout, &stderr)
	opt.DumpLayout = filepath.Join(dir, "layout.jsonl")
	if err := Run(book, opt); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	// Every character has a face; the scripts the PDF sets without
	// shaping say so, each once.
	var unshaped []string
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		_, msg, _ := strings.Cut(line, ": warning: ")
		script, _, found := strings.Cut(msg, " text is set in the PDF letter by letter")
		if !found {
			t.Errorf("unexpected warning: %s", line)
		}
		unshaped = append(unshaped, script)
	}
	if want := []string{"Tibetan", "Arabic (Uyghur)", "Mongolian", "Tamil"}; !slices.Equal(unshaped, want) {
		t.Errorf("warnings of text set without shaping: %q, want %q", unshaped, want)
	}
	pdfPath := filepath.Join(dir, "coverage.pdf")
	text := squash(strings.Join(pdfPages(t, pdfPath), ""))
	for _, c := range coverageClasses {
		for _, r := range c.text {
			if !strings.ContainsRune(text, r) {
				t.Errorf("%s: pdftotext lost %q (U+%04X)", c.name, r, r)
			}
		}
	}
	tool(t, "poppler-utils", "pdftoppm", "-r", "200", "-gray", "-png", pdfPath, filepath.Join(dir, "page"))
	pages := map[int]image.Image{}
	checked := 0
	for _, l := range readDump(t, opt.DumpLayout) {
		img := pages[l.Page]
		if img == nil {
			img = readPNG(t, filepath.Join(dir, "page-"+strconv.Itoa(l.Page)+".png"))
			pages[l.Page] = img
		}
		for _, g := range l.Glyphs {
			if g.Char == "〓" {
				t.Errorf("page %d: 〓 set", l.Page)
			}
			if !strings.ContainsAny(g.Char, allCoverage()) {
				continue
			}
			checked++
			if n := inkIn(img, g); n == 0 {
				t.Errorf("%q (U+%04X, %s): its cell on page %d has no ink", g.Char, []rune(g.Char)[0], g.Font, l.Page)
			}
		}
	}
	if want := len([]rune(allCoverage())); checked < want {
		t.Errorf("checked %d glyph cells, want %d", checked, want)
	}

	// The EPUB embeds a subset of a fallback face for each character the
	// roles' faces lack, so that a reader without such fonts shows it.
	epubPath := filepath.Join(dir, "coverage.epub")
	validators.EPUB(t, epubPath)
	var subsets []*fonts.Face
	for name, body := range epubEntries(t, epubPath) {
		if strings.HasPrefix(name, "EPUB/fonts/Paiban") {
			f, err := fonts.Parse([]byte(body))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			subsets = append(subsets, f)
		}
	}
	for _, r := range allCoverage() {
		if !slices.ContainsFunc(subsets, func(f *fonts.Face) bool { return f.Has(r) }) {
			t.Errorf("no font the EPUB embeds has %q (U+%04X)", r, r)
		}
	}
}

func allCoverage() string {
	var s strings.Builder
	for _, c := range coverageClasses {
		s.WriteString(c.text)
	}
	return s.String()
}

func readDump(t *testing.T, path string) []layout.DumpLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []layout.DumpLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var l layout.DumpLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	return lines
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// inkIn counts the dark pixels in a glyph's cell at 200 dpi: the cell's
// width, from 0.9 em above the baseline to 0.3 em below it (Tibetan and
// Arabic reach further below than Han).
func inkIn(img image.Image, g layout.DumpGlyph) int {
	const scale = 200.0 / 72
	x0, x1 := int(g.CellStart*scale), int((g.CellStart+g.CellWidth)*scale)
	y0, y1 := int((g.OriginY-0.9*g.Size)*scale), int((g.OriginY+0.3*g.Size)*scale)
	n := 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				n++
			}
		}
	}
	return n
}
