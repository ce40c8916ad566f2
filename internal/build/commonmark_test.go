package build

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/net/html"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/pdf"
	"github.com/paiban/paiban/internal/style"
	"github.com/paiban/paiban/internal/validators"
)

// specExample is one example of the CommonMark spec (testdata/commonmark).
type specExample struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Example  int    `json:"example"`
	Section  string `json:"section"`
}

// specExceptions are the examples whose text paiban sets otherwise than
// the spec's HTML, and why. Each is checked to still fail, so that the
// list stays true.
var specExceptions = map[int]string{
	// A browser reads <?…?> and <![CDATA[…]]> as a comment that ends at
	// the first >, and shows the rest as text; paiban drops the whole
	// instruction or section, with a warning.
	180: "processing instruction in an HTML block dropped with a warning",
	629: "CDATA section dropped with a warning",
}

// specMarker starts each example's text in the combined book.
func specMarker(n int) string { return "〔例" + strconv.Itoa(n) + "〕" }

// TestCommonMarkSpec reads every example of the CommonMark spec, given a
// title, and checks that it builds and that the EPUB's text (tags
// stripped, white space removed) holds the text of the spec's HTML; then
// that the PDF passes qpdf --check and, outside the HTML sections, gives
// the same words back through pdftotext. The examples are read one by
// one but written as one book, so that the outside tools run once.
func TestCommonMarkSpec(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "commonmark", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []specExample
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatal(err)
	}
	book := &doc.Document{Meta: doc.Metadata{Title: "CommonMark", Language: "en"}}
	failed := map[int]string{}
	dir := t.TempDir()
	for _, ex := range examples {
		d, err := readExample(t, dir, ex)
		if err != nil {
			failed[ex.Example] = "does not build: " + err.Error()
			continue
		}
		addExample(book, d, ex.Example)
	}

	texts := epubTexts(t, book)
	passed := 0
	for _, ex := range examples {
		if _, ok := failed[ex.Example]; !ok {
			want, got := squash(htmlText(ex.HTML)), texts[ex.Example]
			if !strings.Contains(got, want) {
				failed[ex.Example] = fmt.Sprintf("EPUB text %q lacks %q", got, want)
			}
		}
		reason, excepted := specExceptions[ex.Example]
		why, fails := failed[ex.Example]
		switch {
		case fails && !excepted:
			t.Errorf("example %d (%s): %s\n%s", ex.Example, ex.Section, why, ex.Markdown)
		case !fails && excepted:
			t.Errorf("example %d passes now: take it off specExceptions (%s)", ex.Example, reason)
		}
		if !fails {
			passed++
		}
	}
	t.Logf("CommonMark spec: %d of %d examples build and keep their text", passed, len(examples))
	if passed < 640 {
		t.Errorf("%d of %d examples pass, want at least 640", passed, len(examples))
	}
	checkSpecPDF(t, book, examples, failed)
}

// readExample reads one example as a book of its own, in a folder
// holding a small PNG at every place its expected HTML names an image.
func readExample(t *testing.T, root string, ex specExample) (d *doc.Document, err error) {
	dir := filepath.Join(root, strconv.Itoa(ex.Example))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, m := range imgSrc.FindAllStringSubmatch(ex.HTML, -1) {
		src := html.UnescapeString(m[1])
		if u, err := url.Parse(src); err != nil || u.Scheme != "" {
			continue
		}
		if p, err := url.PathUnescape(src); err == nil {
			src = p
		}
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+src)))
		if !strings.HasPrefix(p, dir) {
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, tinyPNG, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("crash: %v", p)
		}
	}()
	return markdown.Parse(filepath.Join(dir, "example.md"), []byte("---\ntitle: 例\n---\n"+ex.Markdown))
}

var imgSrc = regexp.MustCompile(`<img src="([^"]*)"`)

// tinyPNG is a 2×2 grey PNG.
var tinyPNG = func() []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))) // a Buffer does not fail
	return b.Bytes()
}()

// addExample appends an example's blocks to the combined book after its
// marker, its ids made unique with a prefix and its figures and tables
// numbered through the book.
func addExample(book, d *doc.Document, n int) {
	prefix := "x" + strconv.Itoa(n) + "-"
	book.Blocks = append(book.Blocks, &doc.Paragraph{Content: []doc.Inline{doc.Text(specMarker(n))}})
	doc.Walk(d.Blocks, func(b doc.Block) {
		switch b := b.(type) {
		case *doc.Heading:
			b.ID = prefix + b.ID
		case *doc.Figure:
			b.Number = countFigures(book) + 1
			b.ID = "fig-" + strconv.Itoa(b.Number)
		case *doc.Table:
			b.ID = prefix + b.ID
		}
	})
	doc.WalkInlines(d.Blocks, func(in doc.Inline) {
		if l, ok := in.(*doc.Link); ok && strings.HasPrefix(l.URL, "#") {
			l.URL = "#" + prefix + l.URL[1:]
		}
	})
	book.Blocks = append(book.Blocks, d.Blocks...)
	book.Footnotes = append(book.Footnotes, d.Footnotes...)
}

func countFigures(d *doc.Document) int {
	n := 0
	doc.Walk(d.Blocks, func(b doc.Block) {
		if _, ok := b.(*doc.Figure); ok {
			n++
		}
	})
	return n
}

// epubTexts writes the book as an EPUB and returns the squashed text of
// its body by example: list markers and figure captions, which paiban
// adds, left out.
func epubTexts(t *testing.T, book *doc.Document) map[int]string {
	opt := Options{FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles")}
	st, err := style.Load(opt.StylesDir, style.Default)
	if err != nil {
		t.Fatal(err)
	}
	faces, err := loadFonts(opt.FontsDir, st)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeEPUB(&buf, book, st, faces, time.Unix(0, 0).UTC(), opt, nil, &layout.Book{}, st.Name); err != nil {
		t.Fatalf("EPUB of the examples: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "EPUB/xhtml/chapter") || f.Name == "EPUB/xhtml/text.xhtml" {
			rc, _ := f.Open()
			files[f.Name], _ = io.ReadAll(rc)
			rc.Close()
			names = append(names, f.Name)
		}
	}
	// chapter1.xhtml … chapter100.xhtml in reading order.
	slices.SortFunc(names, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	var all strings.Builder
	for _, n := range names {
		all.WriteString(bodyTextOf(files[n]))
	}
	return splitByMarker(squash(all.String()))
}

// bodyTextOf is the text of an XHTML file's body, without list markers
// and figure captions.
func bodyTextOf(x []byte) string {
	var b strings.Builder
	z := html.NewTokenizer(bytes.NewReader(x))
	skip, inBody := 0, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			tok := z.Token()
			if tok.Data == "body" {
				inBody = true
			}
			if skip > 0 || tok.Data == "figcaption" || tok.Data == "span" && hasClass(tok, "marker") {
				skip++
			}
		case html.EndTagToken:
			if skip > 0 {
				skip--
			}
		case html.TextToken:
			if inBody && skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}

func hasClass(tok html.Token, class string) bool {
	for _, a := range tok.Attr {
		if a.Key == "class" && slices.Contains(strings.Fields(a.Val), class) {
			return true
		}
	}
	return false
}

// splitByMarker cuts text at the examples' markers.
func splitByMarker(text string) map[int]string {
	out := map[int]string{}
	parts := specMarkerRE.FindAllStringSubmatchIndex(text, -1)
	for i, m := range parts {
		n, _ := strconv.Atoi(text[m[2]:m[3]])
		end := len(text)
		if i+1 < len(parts) {
			end = parts[i+1][0]
		}
		out[n] = text[m[1]:end]
	}
	return out
}

var specMarkerRE = regexp.MustCompile(`〔例(\d+)〕`)

// htmlText is the text of HTML as a reader sees it: tags stripped,
// character references resolved, no script or style content.
func htmlText(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	raw := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			if n, _ := z.TagName(); string(n) == "script" || string(n) == "style" {
				raw = string(n)
			}
		case html.EndTagToken:
			raw = ""
		case html.TextToken:
			if raw == "" {
				b.Write(z.Text())
			}
		}
	}
}

// checkSpecPDF lays the examples out as one PDF, checks it with qpdf and
// reads its text back with pdftotext: every word of an example outside
// the HTML sections comes back, in order.
func checkSpecPDF(t *testing.T, book *doc.Document, examples []specExample, failed map[int]string) {
	st, err := style.Load(filepath.Join(root, "styles"), style.Default)
	if err != nil {
		t.Fatal(err)
	}
	faces, err := loadFonts(filepath.Join(root, "fonts"), st)
	if err != nil {
		t.Fatal(err)
	}
	res, err := layout.Layout(book, layout.Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatalf("layout of the examples: %v", err)
	}
	file := filepath.Join(t.TempDir(), "spec.pdf")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := pdf.Write(f, res.Book); err != nil {
		t.Fatalf("PDF of the examples: %v", err)
	}
	f.Close()
	validators.PDF(t, file)
	// -raw: the default mode joins a line ending in a hyphen to the next.
	texts := splitByMarker(squash(tool(t, "poppler-utils", "pdftotext", "-raw", "-enc", "UTF-8", file, "-")))
	// Characters no bundled font has are set as 〓 (with a warning).
	missing := map[rune]bool{}
	for _, m := range res.Missing {
		missing[m.Char] = true
	}
	for _, ex := range examples {
		if _, bad := failed[ex.Example]; bad || ex.Section == "HTML blocks" || ex.Section == "Raw HTML" {
			continue
		}
		got := texts[ex.Example]
		for _, w := range strings.FieldsFunc(htmlText(ex.HTML), unicode.IsSpace) {
			if strings.ContainsFunc(w, func(r rune) bool { return missing[r] }) {
				continue
			}
			i := strings.Index(got, w)
			if i < 0 {
				t.Errorf("example %d (%s): the PDF's text %q lacks %q", ex.Example, ex.Section, texts[ex.Example], w)
				break
			}
			got = got[i+len(w):]
		}
	}
}
