package pdf

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/validators"
)

var loadFaces = sync.OnceValues(func() (map[string]*fonts.Face, error) {
	return fonts.LoadDir("../../fonts", []string{
		"NotoSerifSC-Regular.ttf", "NotoSansSC-Bold.ttf",
		"SourceSerif4-Regular.ttf", "SourceSerif4-Italic.ttf",
	})
})

func faces(t testing.TB) (serif, sans, latin, italic *fonts.Face) {
	t.Helper()
	fs, err := loadFaces()
	if err != nil {
		t.Fatal(err)
	}
	return fs["NotoSerifSC-Regular.ttf"], fs["NotoSansSC-Bold.ttf"],
		fs["SourceSerif4-Regular.ttf"], fs["SourceSerif4-Italic.ttf"]
}

// line sets text as one glyph per cluster on baseline y from x, each at the
// previous one's advance plus gap(i). Clusters are separated by "|" when
// they hold more than one character.
func line(p *layout.Page, f *fonts.Face, size, x, y float64, text string, gap func(i int) float64) {
	var clusters []string
	if strings.Contains(text, "|") {
		clusters = strings.Split(text, "|")
	} else {
		for _, r := range text {
			clusters = append(clusters, string(r))
		}
	}
	for i, c := range clusters {
		p.Glyphs = append(p.Glyphs, layout.Glyph{Text: c, Face: f, Size: size, X: x, Y: y})
		for _, r := range c {
			x += f.Advance(r) * size
		}
		if gap != nil {
			x += gap(i)
		}
	}
}

// extB is a CJK Extension B character the bundled serif face has: outside
// the BMP, so it needs a surrogate pair in ToUnicode and in outline titles.
const extB = "\U00020CD0" // 𠳐

// testBook is a four-page book exercising everything the writer does. Its
// text, page by page and line by line, is wantText.
func testBook(t testing.TB) *layout.Book {
	serif, sans, latin, italic := faces(t)
	p1 := &layout.Page{Width: 420, Height: 595}
	line(p1, sans, 18, 60, 80, "目录", nil)
	line(p1, serif, 10.5, 60, 120, "第一章开始", nil)
	line(p1, latin, 11, 60, 150, "Hello, world.", nil)
	p1.Rules = []layout.Rule{{X: 60, Y: 160, W: 100, H: 0.5, Gray: 0.5}, {X: 60, Y: 170, W: 4, H: 4}}
	p1.Links = []layout.Link{
		{X: 60, Y: 108, W: 63, H: 14, DestPage: 2, DestY: 60},
		{X: 60, Y: 140, W: 60, H: 13, URL: "https://example.com/排版?q=(1)"},
	}

	p2 := &layout.Page{Width: 420, Height: 595, Folio: "1"}
	// Justified: constant extra spacing, drawn as one run with Tc.
	// Positions off the 0.01 pt grid gopdf writes are drawn within 0.005 pt.
	line(p2, serif, 10.5, 60.1234, 80.4321, "天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。", func(int) float64 { return 0.3737 })
	// Irregular spacing, drawn in runs of two glyphs.
	line(p2, serif, 10.5, 60, 100, "寒来暑往秋收冬藏"+extB, func(i int) float64 { return float64(i%3) * 0.21 })
	line(p2, italic, 12, 60, 130, "Caf|e\u0301| |au| |lait", nil)
	line(p2, latin, 9, 200, 570, "1", nil)

	p3 := &layout.Page{Width: 595, Height: 420, Folio: "2"}
	line(p3, sans, 16, 60, 60, "第一章", nil)
	line(p3, serif, 10.5, 60, 100, "闰余成岁，律吕调阳。", nil)
	line(p3, latin, 10.5, 60, 120, "Back to contents", nil)
	p3.Links = []layout.Link{{X: 60, Y: 110, W: 80, H: 12, DestPage: 0, DestY: 0}}

	return &layout.Book{
		Info: layout.Info{
			Title: "千字文 " + extB, Author: "周兴嗣", Subject: "Test (book)", Keywords: "排版, PDF",
			Language: "zh-CN", Creator: "paiban test",
		},
		// A blank page has no content stream at all.
		Pages: []*layout.Page{p1, p2, p3, {Width: 595, Height: 420}},
		Outline: []layout.OutlineEntry{
			{Title: "目录", Level: 1, Page: 0, Y: 60},
			{Title: "第一章　开始", Level: 1, Page: 2, Y: 40},
			{Title: "第一节 " + extB, Level: 2, Page: 2, Y: 80},
			{Title: "Section (2)", Level: 2, Page: 2, Y: 110},
			{Title: "Appendix", Level: 1, Page: 1, Y: 0},
		},
	}
}

var wantText = [][]string{
	{"目录", "第一章开始", "Hello, world."},
	// Poppler keeps the combining accent as it is.
	{"天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。", "寒来暑往秋收冬藏" + extB, "Cafe\u0301 au lait", "1"},
	{"第一章", "闰余成岁，律吕调阳。", "Back to contents"},
	nil,
}

// writeBook writes b to a file in a temporary directory.
func writeBook(t *testing.T, b *layout.Book) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "book.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tool runs one of the PDF tools. A missing tool fails the test: these checks
// are the point of the tests, so they must not silently not happen.
func tool(t *testing.T, pkg, name string, args ...string) (stdout, stderr string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install the Debian package %s (apt-get install %s)", name, pkg, pkg)
	}
	var o, e bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, o.String(), e.String())
	}
	return o.String(), e.String()
}

func TestText(t *testing.T) {
	path := writeBook(t, testBook(t))
	out, _ := tool(t, "poppler-utils", "pdftotext", path, "-")
	pages := strings.Split(strings.TrimSuffix(out, "\f"), "\f")
	var got [][]string
	for _, p := range pages {
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if l != "" {
				lines = append(lines, l)
			}
		}
		got = append(got, lines)
	}
	if fmt.Sprint(got) != fmt.Sprint(wantText) {
		t.Errorf("pdftotext:\n got %q\nwant %q", got, wantText)
	}
}

// TestRuns checks that glyphs are batched into as few text objects as their
// positions allow (see the comments in testBook).
func TestRuns(t *testing.T) {
	path := writeBook(t, testBook(t))
	// mutool numbers array elements from 1.
	out, _ := tool(t, "mupdf-tools", "mutool", "show", "-b", path, "trailer/Root/Pages/Kids/2/Contents")
	if n := strings.Count(out, "BT\n"); n != 1+5+1+1 {
		t.Errorf("page 2 has %d text objects, want 8:\n%s", n, out)
	}
}

func TestFonts(t *testing.T) {
	path := writeBook(t, testBook(t))
	out, _ := tool(t, "poppler-utils", "pdffonts", path)
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if len(rows) < 3 {
		t.Fatalf("pdffonts:\n%s", out)
	}
	var names []string
	tagged := regexp.MustCompile(`^[A-Z]{6}\+(.+)$`)
	for _, row := range rows[2:] {
		f := strings.Fields(row)
		m := tagged.FindStringSubmatch(f[0])
		if m == nil || f[len(f)-5] != "yes" || f[len(f)-4] != "yes" || f[len(f)-3] != "yes" {
			t.Errorf("font not an embedded, tagged subset with ToUnicode: %s", row)
			continue
		}
		names = append(names, m[1])
	}
	slices.Sort(names)
	want := []string{"NotoSansSC-Bold", "NotoSerifSC-Regular", "SourceSerif4-Italic", "SourceSerif4-Regular"}
	if !slices.Equal(names, want) {
		t.Errorf("fonts %q, want %q", names, want)
	}
}

func TestQPDFCheck(t *testing.T) {
	validators.PDF(t, writeBook(t, testBook(t)))
}

func TestOutline(t *testing.T) {
	path := writeBook(t, testBook(t))
	out, errOut := tool(t, "mupdf-tools", "mutool", "show", path, "outline")
	if errOut != "" {
		t.Errorf("mutool show outline warns:\n%s", errOut)
	}
	// mutool shows one entry a line: "-" for an open entry with children,
	// "|" for one without, a tab per level, the 1-based page and y from
	// the top ("zoom=nan" is the null zoom: keep the current one).
	want := []string{
		"|\t\"目录\"\t#page=1&zoom=nan,0,60",
		"-\t\"第一章　开始\"\t#page=3&zoom=nan,0,40",
		"|\t\t\"第一节 " + extB + "\"\t#page=3&zoom=nan,0,80",
		"|\t\t\"Section (2)\"\t#page=3&zoom=nan,0,110",
		"|\t\"Appendix\"\t#page=2&zoom=nan,0,0",
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	if !slices.Equal(got, want) {
		t.Errorf("outline:\n got %q\nwant %q", got, want)
	}
}

type stextChar struct {
	page int
	c    string
	x, y float64
}

// stext returns every character mutool finds, with its origin.
func stext(t *testing.T, path string) []stextChar {
	out, _ := tool(t, "mupdf-tools", "mutool", "draw", "-F", "stext", "-o", "-", path)
	dec := xml.NewDecoder(strings.NewReader(out))
	var chars []stextChar
	page := -1
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("stext: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "page":
			page++
		case "char":
			c := stextChar{page: page}
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "c":
					c.c = a.Value
				case "x":
					c.x, _ = strconv.ParseFloat(a.Value, 64)
				case "y":
					c.y, _ = strconv.ParseFloat(a.Value, 64)
				}
			}
			chars = append(chars, c)
		}
	}
	return chars
}

// TestPositions checks every character's origin against the layout: a
// glyph's first character at (X, Y), further characters of a cluster at
// their natural advance.
func TestPositions(t *testing.T) {
	b := testBook(t)
	got := stext(t, writeBook(t, b))
	var want []stextChar
	for pi, p := range b.Pages {
		for _, g := range p.Glyphs {
			x := g.X
			for _, r := range g.Text {
				want = append(want, stextChar{pi, string(r), x, g.Y})
				x += g.Face.Advance(r) * g.Size
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("mutool finds %d characters, want %d", len(got), len(want))
	}
	used := make([]bool, len(got))
	worst := 0.0
	for _, w := range want {
		found := false
		for i, g := range got {
			d := math.Max(math.Abs(g.x-w.x), math.Abs(g.y-w.y))
			if !used[i] && g.page == w.page && g.c == w.c && d <= 0.01 {
				used[i], found = true, true
				worst = math.Max(worst, d)
				break
			}
		}
		if !found {
			t.Errorf("page %d: no %q at (%.3f, %.3f)", w.page+1, w.c, w.x, w.y)
		}
	}
	t.Logf("%d characters, largest deviation %.4f pt", len(want), worst)
}

// qpdfJSON is the part of qpdf's JSON output the tests look at.
type qpdfJSON struct {
	Pages []struct {
		Object string `json:"object"`
	} `json:"pages"`
	// QPDF holds a header, then the objects.
	QPDF []json.RawMessage `json:"qpdf"`
}

// objects returns the file's objects as decoded by qpdf, keyed "N 0 R".
func objects(t *testing.T, path string) (pages []string, objs map[string]map[string]any) {
	out, _ := tool(t, "qpdf", "qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf", path)
	var j qpdfJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.QPDF) < 2 {
		t.Fatalf("qpdf --json: %v", err)
	}
	for _, p := range j.Pages {
		pages = append(pages, p.Object)
	}
	var all map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(j.QPDF[1], &all); err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	objs = map[string]map[string]any{}
	for k, v := range all {
		var d map[string]any
		if json.Unmarshal(v.Value, &d) == nil {
			objs[strings.TrimPrefix(k, "obj:")] = d
		}
	}
	return pages, objs
}

func TestLinksAndPages(t *testing.T) {
	b := testBook(t)
	pages, objs := objects(t, writeBook(t, b))
	if len(pages) != len(b.Pages) {
		t.Fatalf("%d pages, want %d", len(pages), len(b.Pages))
	}
	for i, p := range b.Pages {
		po := objs[pages[i]]
		if fmt.Sprint(po["/MediaBox"]) != fmt.Sprint([]any{0.0, 0.0, p.Width, p.Height}) {
			t.Errorf("page %d: MediaBox %v, want %gx%g", i+1, po["/MediaBox"], p.Width, p.Height)
		}
		annots, _ := po["/Annots"].([]any)
		if len(annots) != len(p.Links) {
			t.Errorf("page %d: %d annotations, want %d", i+1, len(annots), len(p.Links))
			continue
		}
		for k, l := range p.Links {
			a := objs[annots[k].(string)]
			wantRect := fmt.Sprint([]any{l.X, p.Height - l.Y - l.H, l.X + l.W, p.Height - l.Y})
			if fmt.Sprint(a["/Rect"]) != wantRect {
				t.Errorf("page %d link %d: Rect %v, want %v", i+1, k, a["/Rect"], wantRect)
			}
			if l.URL != "" {
				// The action is an object of its own, one for each URI.
				ref, _ := a["/A"].(string)
				action := objs[ref]
				if u := fmt.Sprint(action["/URI"]); u != "u:https://example.com/%E6%8E%92%E7%89%88?q=(1)" {
					t.Errorf("page %d link %d: URI %s", i+1, k, u)
				}
				continue
			}
			want := fmt.Sprint([]any{pages[l.DestPage], "/XYZ", 0.0, b.Pages[l.DestPage].Height - l.DestY, nil})
			if d := fmt.Sprint(a["/Dest"]); d != want {
				t.Errorf("page %d link %d: Dest %s, want %s", i+1, k, d, want)
			}
		}
	}
}

func TestInfo(t *testing.T) {
	b := testBook(t)
	path := writeBook(t, b)
	out, _ := tool(t, "poppler-utils", "pdfinfo", path)
	for _, want := range []string{
		"Title:           千字文 " + extB, "Subject:         Test (book)", "Keywords:        排版, PDF",
		"Author:          周兴嗣", "Creator:         paiban test", "Producer:        paiban",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("pdfinfo lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "CreationDate") || strings.Contains(out, "ModDate") {
		t.Errorf("dates written for a book without one:\n%s", out)
	}
	lang, _ := tool(t, "mupdf-tools", "mutool", "show", path, "trailer/Root/Lang")
	if strings.TrimSpace(lang) != "(zh-CN)" {
		t.Errorf("Lang %q", lang)
	}

	b.Info.Date = time.Date(2024, 3, 5, 14, 30, 0, 0, time.FixedZone("CST", 8*3600))
	_, objs := objects(t, writeBook(t, b))
	found := false
	for _, o := range objs {
		if o["/CreationDate"] != nil {
			found = true
			if o["/CreationDate"] != "u:D:20240305143000+08'00'" || o["/ModDate"] != o["/CreationDate"] {
				t.Errorf("dates %v, %v", o["/CreationDate"], o["/ModDate"])
			}
		}
	}
	if !found {
		t.Error("no CreationDate")
	}
}

func TestReproducible(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(&a, testBook(t)); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, testBook(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same book differ")
	}
}

func TestMissingGlyph(t *testing.T) {
	b := testBook(t)
	_, _, latin, _ := faces(t)
	b.Pages[1].Glyphs = append(b.Pages[1].Glyphs, layout.Glyph{Text: "中", Face: latin, Size: 10, X: 10, Y: 10})
	err := Write(io.Discard, b)
	if err == nil || !strings.Contains(err.Error(), "U+4E2D") || !strings.Contains(err.Error(), "page 2") {
		t.Errorf("err = %v, want one naming U+4E2D on page 2", err)
	}
}

func TestInvalid(t *testing.T) {
	for name, change := range map[string]func(b *layout.Book){
		"no pages":      func(b *layout.Book) { b.Pages = nil },
		"no face":       func(b *layout.Book) { b.Pages[0].Glyphs[0].Face = nil },
		"NaN position":  func(b *layout.Book) { b.Pages[0].Glyphs[0].X = math.NaN() },
		"bad link":      func(b *layout.Book) { b.Pages[0].Links[0].DestPage = len(b.Pages) },
		"skipped level": func(b *layout.Book) { b.Outline[0].Level = 2 },
		"bad page size": func(b *layout.Book) { b.Pages[2].Width = 0 },
	} {
		b := testBook(t)
		change(b)
		if err := Write(io.Discard, b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestWriteError(t *testing.T) {
	want := errors.New("disk full")
	if err := Write(failWriter{want}, testBook(t)); !errors.Is(err, want) {
		t.Errorf("err = %v, want %v", err, want)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

var benchPages = 50

// BenchmarkWrite writes 50 pages of 1,500 glyphs: justified Chinese lines
// (one run each) with some Latin and irregularly spaced glyphs.
func BenchmarkWrite(b *testing.B) {
	serif, _, latin, _ := faces(b)
	const text = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳推位让国有虞陶唐吊民伐罪周发殷汤坐朝问道垂拱平章爱育黎首臣伏戎羌遐迩一体率宾归王鸣凤在竹白驹食场化被草木赖及万方盖此身发四大五常恭惟鞠养岂敢毁伤"
	chars := []rune(text)
	book := &layout.Book{}
	k := 0
	for range benchPages {
		p := &layout.Page{Width: 420, Height: 595}
		for l := range 38 {
			var s []rune
			for range 38 {
				s = append(s, chars[k%len(chars)])
				k++
			}
			gap := float64(l%5) * 0.13
			line(p, serif, 10, 50, 60+float64(l)*13, string(s), func(int) float64 { return gap })
		}
		line(p, latin, 9, 50, 570, "Chapter One, page 12", func(i int) float64 { return float64(i%2) * 0.1 })
		book.Pages = append(book.Pages, p)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, book); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/file")
}
