package build

import (
	"bytes"
	"flag"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/style"
)

var update = flag.Bool("update", false, "rewrite golden files from the current output")

// The marks no line may start or end with (docs/typesetting.md §1.2, §1.3),
// stated here independently of the engine's own tables.
const (
	noLineStart = "，。、；：？！）》”’〕］｝〉」』】〗·…%％‰℃"
	noLineEnd   = "（《“‘〔［｛〈「『【〖￥$"
)

func layoutArticle(t *testing.T, styleName string) *layout.Book {
	t.Helper()
	return layoutBook(t, filepath.Join(root, "source", "xinzhi-shengchanli.md"), styleName).Book
}

// layoutBook lays out the book at path (a file or a folder) in a style.
func layoutBook(t *testing.T, path, styleName string) *layout.Result {
	t.Helper()
	st, err := style.Load(filepath.Join(root, "styles"), styleName)
	if err != nil {
		t.Fatal(err)
	}
	return layoutBookStyle(t, path, st)
}

// layoutBookStyle lays out the book at path in st.
func layoutBookStyle(t *testing.T, path string, st *style.Style) *layout.Result {
	t.Helper()
	faces, err := loadFonts(filepath.Join(root, "fonts"), st)
	if err != nil {
		t.Fatal(err)
	}
	d, err := parseBook(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := layout.Layout(d, layout.Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestArticleTypesetting counts, over the article in both page styles,
// the faults a Chinese reader sees first: forbidden line starts and ends,
// 孤字, lines alone at the top or bottom of a page, ragged lines. All must
// be zero.
func TestArticleTypesetting(t *testing.T) {
	for _, name := range []string{"a4-handout", "a5-book"} {
		st, err := style.Load(filepath.Join(root, "styles"), name)
		if err != nil {
			t.Fatal(err)
		}
		articleFaults(t, name, st)
	}
}

// articleFaults lays the article out in st and reports its faults (see
// TestArticleTypesetting); it returns the number of body lines and of
// each fault.
func articleFaults(t *testing.T, name string, st *style.Style) [7]int {
	t.Helper()
	b := layoutBookStyle(t, filepath.Join(root, "source", "xinzhi-shengchanli.md"), st).Book
	measure := 0.0
	for _, p := range b.Pages {
		for _, l := range p.Lines {
			if l.Block >= 0 && l.Index < l.Count-1 && l.Index > 0 {
				measure = max(measure, l.X1-l.X0)
			}
		}
	}
	var lines, starts, ends, runts, widows, orphans, ragged int
	for pi, p := range b.Pages {
		var body []layout.Line
		for _, l := range p.Lines {
			if l.Block >= 0 && p.Glyphs[l.Cells[0].Glyph].Size == st.BodySize {
				body = append(body, l)
			}
		}
		lines += len(body)
		for _, l := range body {
			first := []rune(p.Glyphs[l.Cells[0].Glyph].Text)[0]
			last := []rune(p.Glyphs[l.Cells[len(l.Cells)-1].Glyph].Text)[0]
			if l.Index > 0 && strings.ContainsRune(noLineStart, first) {
				starts++
				t.Errorf("%s p%d: line starts with %c", name, pi+1, first)
			}
			if l.Index < l.Count-1 && strings.ContainsRune(noLineEnd, last) {
				ends++
				t.Errorf("%s p%d: line ends with %c", name, pi+1, last)
			}
			if l.Index == l.Count-1 && l.Count > 1 && hanCount(p, l) < 2 {
				runts++
				t.Errorf("%s p%d: 孤字 line", name, pi+1)
			}
			// Justified: every line but a paragraph's last ends at the
			// measure (±0.01 em).
			if l.Index < l.Count-1 && l.Index > 0 && l.X1-l.X0 < measure-0.01*st.BodySize {
				ragged++
				t.Errorf("%s p%d: ragged line %.2f pt short", name, pi+1, measure-(l.X1-l.X0))
			}
		}
		if n := len(body); n > 0 && pi > 0 {
			if f := body[0]; f.Count > 1 && f.Index == f.Count-1 {
				widows++
				t.Errorf("%s p%d: a paragraph's last line is alone at the top", name, pi+1)
			}
			if l := body[n-1]; l.Count > 1 && l.Index == 0 {
				orphans++
				t.Errorf("%s p%d: a paragraph's first line is alone at the bottom", name, pi+1)
			}
		}
	}
	if lines < 100 {
		t.Errorf("%s: only %d body lines checked", name, lines)
	}
	t.Logf("%s: %d pages, %d body lines; forbidden starts %d, ends %d, 孤字 %d, widows %d, orphans %d, ragged %d",
		name, len(b.Pages), lines, starts, ends, runts, widows, orphans, ragged)
	return [7]int{lines, starts, ends, runts, widows, orphans, ragged}
}

func hanCount(p *layout.Page, l layout.Line) int {
	n := 0
	for _, c := range l.Cells {
		for _, r := range p.Glyphs[c.Glyph].Text {
			if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
			}
		}
	}
	return n
}

// TestArticleLayoutGolden compares the article's A4 layout with a summary
// a person has read through; regenerate with go test -update on purpose.
func TestArticleLayoutGolden(t *testing.T) {
	got := layoutArticle(t, "a4-handout").Summary()
	path := filepath.Join("testdata", "xinzhi-shengchanli.a4.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once and review the file)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("layout differs from %s at line %d:\n got: %s\nwant: %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("layout differs from %s: %d lines, want %d", path, len(gl), len(wl))
	}
}

// TestPDFGlyphPositions checks that the PDF carries the layout: every
// character mutool finds in the article's PDF is at the origin the layout
// gave it (±0.1 pt): every glyph of the layout is found there.
func TestPDFGlyphPositions(t *testing.T) {
	b := buildAll(t)["xinzhi-shengchanli"]
	book := layoutArticle(t, "a4-handout")
	out := tool(t, "mupdf-tools", "mutool", "draw", "-F", "stext", "-o", "-", b.pdf)
	charRe := regexp.MustCompile(`<char [^>]*x="([-0-9.]+)" y="([-0-9.]+)"[^>]*c="([^"]*)"`)
	pages := strings.Split(out, "<page ")[1:]
	if len(pages) != len(book.Pages) {
		t.Fatalf("PDF has %d pages, layout %d", len(pages), len(book.Pages))
	}
	for pi, pg := range pages {
		type key struct{ x, y int64 }
		at := map[key]string{}
		for _, m := range charRe.FindAllStringSubmatch(pg, -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[2], 64)
			at[key{int64(math.Round(x * 20)), int64(math.Round(y * 20))}] = html.UnescapeString(m[3])
		}
		for _, g := range book.Pages[pi].Glyphs {
			k := key{int64(math.Round(g.X * 20)), int64(math.Round(g.Y * 20))}
			found := false
			for dx := int64(-1); dx <= 1 && !found; dx++ {
				for dy := int64(-1); dy <= 1 && !found; dy++ {
					c, ok := at[key{k.x + dx, k.y + dy}]
					found = ok && strings.HasPrefix(g.Text, c)
				}
			}
			if !found {
				t.Errorf("page %d: %q at (%.2f, %.2f) not found in the PDF", pi+1, g.Text, g.X, g.Y)
			}
		}
	}
}

// TestDashIsContinuous is cases T10 and T29 of docs/typesetting.md: —— is
// printed as one unbroken stroke about two ems long, although the font's
// U+2014 is 0.89 em, with the height and weight of the face's own
// full-width dash (the glyph it has for U+2015), not the heavier, lower
// Latin em dash (issue 18, item 14); the text still reads ——. The PDF
// page is rasterised at 600 dpi and the stroke's row scanned, then the
// stroke's column at 2400 dpi.
func TestDashIsContinuous(t *testing.T) {
	res, st, faces, pgm := rasterOneParagraph(t, "这是——破折号的测试。")
	var dashes []layout.Glyph
	for _, g := range res.Book.Pages[0].Glyphs {
		if g.Text == "—" {
			dashes = append(dashes, g)
		}
	}
	if len(dashes) != 2 {
		t.Fatalf("%d dash glyphs, want 2", len(dashes))
	}
	// The run's cells: the line's cell holding the first dash glyph.
	var cell layout.Cell
	for _, l := range res.Book.Pages[0].Lines {
		for _, c := range l.Cells {
			if res.Book.Pages[0].Glyphs[c.Glyph].Text == "—" {
				cell = c
			}
		}
	}
	size := dashes[0].Size
	if math.Abs(cell.Width-2*size) > 0.01 {
		t.Errorf("the dash takes %.2f pt, want two ems (%.2f)", cell.Width, 2*size)
	}
	w, pix := readPGM(t, pgm)
	scale := 600.0 / 72
	own := faces[st.Fonts.Face(style.Serif)].Metrics('―')
	y := int((dashes[0].Y - (own.InkY0+own.InkY1)/2*size) * scale)
	// Scan the stroke's row outwards from the middle of the pair.
	mid := int((cell.Start + size) * scale)
	x0, x1 := mid, mid
	for x0 > 0 && pix[y*w+x0-1] < 128 {
		x0--
	}
	for x1 < w-1 && pix[y*w+x1+1] < 128 {
		x1++
	}
	if got := float64(x1-x0+1) / scale / size; got < 1.85 || got > 2.0 {
		t.Errorf("the dash is one stroke %.2f em long, want 1.85–2.0", got)
	}

	// Its column, finely: where the stroke starts and ends vertically.
	const fine = 2400.0
	s := fine / 72
	top := int((dashes[0].Y - size) * s)
	pdf := filepath.Join(filepath.Dir(pgm), "out", "one.pdf")
	crop := filepath.Join(filepath.Dir(pgm), "column")
	tool(t, "poppler-utils", "pdftoppm", "-r", "2400", "-gray", "-f", "1", "-l", "1", "-singlefile",
		"-x", strconv.Itoa(int((cell.Start+size)*s)), "-y", strconv.Itoa(top), "-W", "1", "-H", strconv.Itoa(int(size*s)), pdf, crop)
	_, col := readPGM(t, crop+".pgm")
	ink0, ink1 := -1, -1
	for i, v := range col {
		if v < 128 {
			if ink0 < 0 {
				ink0 = i
			}
			ink1 = i
		}
	}
	if ink0 < 0 {
		t.Fatal("no stroke in the middle of the dash")
	}
	thick := float64(ink1-ink0+1) / s / size
	centre := dashes[0].Y/size - (float64(top)+float64(ink0+ink1+1)/2)/s/size
	if want := own.InkY1 - own.InkY0; math.Abs(thick-want) > 0.006 {
		t.Errorf("the stroke is %.3f em thick, want the face's full-width dash, %.3f em", thick, want)
	}
	if want := (own.InkY0 + own.InkY1) / 2; math.Abs(centre-want) > 0.01 {
		t.Errorf("the stroke's middle is %.3f em above the baseline, want %.3f em", centre, want)
	}
	text := tool(t, "poppler-utils", "pdftotext", pdf, "-")
	if !strings.Contains(text, "这是——破折号") {
		t.Errorf("the PDF's text is %q, want it to read 这是——破折号", text)
	}
}

// rasterOneParagraph builds a book of one paragraph as a PDF in the
// default style, rasterises its first page at 600 dpi and returns the
// layout the PDF was made from, the style and fonts, and the grey map.
func rasterOneParagraph(t *testing.T, text string) (*layout.Result, *style.Style, map[string]*fonts.Face, string) {
	t.Helper()
	dir := t.TempDir()
	book := filepath.Join(dir, "one.md")
	if err := os.WriteFile(book, []byte("---\ntitle: 测试\n---\n\n"+text+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), &stdout, &stderr)
	opt.Formats, opt.Style = []string{"pdf"}, style.Default
	if err := Run(book, opt); err != nil {
		t.Fatal(err)
	}
	st, err := style.Load(filepath.Join(root, "styles"), style.Default)
	if err != nil {
		t.Fatal(err)
	}
	faces, err := loadFonts(filepath.Join(root, "fonts"), st)
	if err != nil {
		t.Fatal(err)
	}
	d, err := markdown.ParseFile(book)
	if err != nil {
		t.Fatal(err)
	}
	res, err := layout.Layout(d, layout.Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	tool(t, "poppler-utils", "pdftoppm", "-r", "600", "-gray", "-f", "1", "-l", "1", filepath.Join(dir, "out", "one.pdf"), filepath.Join(dir, "page"))
	pgm, err := filepath.Glob(filepath.Join(dir, "page*.pgm"))
	if err != nil || len(pgm) != 1 {
		t.Fatalf("rasterised page not found: %v", pgm)
	}
	return res, st, faces, pgm[0]
}

// readPGM reads a binary (P5) grey map.
func readPGM(t *testing.T, path string) (int, []byte) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxv int
	var magic string
	n, err := fmt.Sscan(string(data[:min(len(data), 64)]), &magic, &w, &h, &maxv)
	if err != nil || n != 4 || magic != "P5" {
		t.Fatalf("%s is not a P5 grey map", path)
	}
	// The header ends after the fourth token and one whitespace byte.
	fields, i := 0, 0
	for fields < 4 {
		for data[i] == ' ' || data[i] == '\n' {
			i++
		}
		for data[i] != ' ' && data[i] != '\n' {
			i++
		}
		fields++
	}
	return w, data[i+1 : i+1+w*h]
}
