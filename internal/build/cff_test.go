package build

import (
	"bytes"
	"encoding/binary"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/style"
	"github.com/paiban/paiban/internal/testbook"
	"github.com/paiban/paiban/internal/validators"
)

// extractFace writes face i of a font collection as a font file of its
// own, its tables copied unchanged: an .otf made by no code of paiban's.
func extractFace(t *testing.T, collection string, i int, out string) {
	t.Helper()
	data, err := os.ReadFile(collection)
	if err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	dir := int(be.Uint32(data[12+4*i:]))
	n := int(be.Uint16(data[dir+4:]))
	head := append([]byte(nil), data[dir:dir+12+16*n]...)
	var body []byte
	for k := range n {
		rec := head[12+16*k:]
		off, length := be.Uint32(rec[8:]), be.Uint32(rec[12:])
		be.PutUint32(rec[8:], uint32(len(head)+len(body)))
		body = append(body, data[off:off+length]...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	if err := os.WriteFile(out, append(head, body...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// cffStyles writes a copy of the styles folder whose styles set the body
// in serif.
func cffStyles(t *testing.T, serif string) string {
	t.Helper()
	dir := t.TempDir()
	names, _ := filepath.Glob(filepath.Join(root, "styles", "*"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		data = regexp.MustCompile(`(?m)^  serif: .*$`).ReplaceAll(data, []byte("  serif: "+serif))
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(n)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestArticleCFFBody sets the article with Noto Serif CJK SC, a CFF face,
// as body face: from Debian's collection, and as an .otf of its own. The
// line breaking finds no more faults than TestArticleTypesetting does
// with the TrueType Noto Serif SC (the same design), the PDF embeds a CFF
// subset that qpdf finds clean and poppler reads every paragraph back
// from, and the EPUB passes EPUBCheck and shows in Chromium with the
// subset.
func TestArticleCFFBody(t *testing.T) {
	ttc := testbook.FetchedFont(t, filepath.Join(root, "fonts"), "NotoSerifCJK-Regular.ttc")
	otf := filepath.Join(t.TempDir(), "NotoSerifCJKsc-Regular.otf")
	extractFace(t, ttc, 2, otf)
	// The licence, found beside the font by the file's name.
	if err := os.WriteFile(filepath.Join(filepath.Dir(otf), "OFL-NotoSerifCJKsc.txt"), []byte("SIL Open Font License 1.1"), 0o644); err != nil {
		t.Fatal(err)
	}
	article := filepath.Join(root, "source", "xinzhi-shengchanli.md")
	d, err := markdown.ParseFile(article)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		entry, formats string
		styles         []string
	}{
		{"NotoSerifCJK-Regular.ttc#Noto Serif CJK SC", "pdf,epub", []string{"a4-handout", "a5-book"}},
		{otf, "pdf", []string{"a4-handout"}},
	} {
		styles := cffStyles(t, c.entry)
		for _, name := range c.styles {
			st, err := style.Load(styles, name)
			if err != nil {
				t.Fatal(err)
			}
			got := articleFaults(t, name+" "+c.entry, st)
			if got[0] < 100 || got != [7]int{got[0]} {
				t.Errorf("%s, body %q: %d body lines, faults %v", name, c.entry, got[0], got[1:])
			}
		}
		out := t.TempDir()
		var stdout, stderr bytes.Buffer
		opt := testOptions(out, &stdout, &stderr)
		opt.Style, opt.StylesDir, opt.Strict, opt.Formats = "a4-handout", styles, true, strings.Split(c.formats, ",")
		if err := Run(article, opt); err != nil {
			t.Fatalf("body %q: %v", c.entry, err)
		}
		pdfPath := filepath.Join(out, "xinzhi-shengchanli.pdf")
		checkParagraphsInOrder(t, "body "+c.entry, bodyText(t, &built{doc: d, pdf: pdfPath}), d)
		fonts := tool(t, "poppler-utils", "pdffonts", pdfPath)
		if !regexp.MustCompile(`(?m)^[A-Z]{6}\+NotoSerifCJKsc-Regular +CID Type 0C +Identity-H +yes yes yes `).MatchString(fonts) {
			t.Errorf("body %q: pdffonts shows no embedded CFF subset with a ToUnicode map:\n%s", c.entry, fonts)
		}
		validators.PDF(t, pdfPath)
		if strings.Contains(c.formats, "epub") {
			checkCFFEPUB(t, filepath.Join(out, "xinzhi-shengchanli.epub"))
		}
	}
}

// checkCFFEPUB checks an EPUB whose body face is a CFF face: EPUBCheck
// finds nothing, and headless Chromium renders the text with
// the OpenType CFF subset, inked, and otherwise than without it (so that
// it did not fall back to a font of its own).
func checkCFFEPUB(t *testing.T, epubPath string) {
	validators.EPUB(t, epubPath)
	if testing.Short() {
		return // Chromium is for the full run
	}
	dir, entries := unpackEPUB(t, epubPath)
	page, size := "", 0 // the longest text file
	for name, body := range entries {
		if strings.HasPrefix(name, "EPUB/xhtml/") && len(body) > size {
			page, size = filepath.Join(dir, filepath.FromSlash(name)), len(body)
		}
	}
	subset := filepath.Join(dir, "EPUB", "fonts", "PaibanSerifSC-Regular.otf")
	if _, err := os.Stat(subset); err != nil || page == "" {
		t.Fatalf("the EPUB has no OpenType CFF subset of the body face, or no chapter (%q)", page)
	}
	with := chromiumShot(t, page, filepath.Join(dir, "with.png"))
	if err := os.Remove(subset); err != nil {
		t.Fatal(err)
	}
	without := chromiumShot(t, page, filepath.Join(dir, "without.png"))
	if share := inkShare(t, filepath.Join(dir, "with.png")); share < 0.003 {
		t.Errorf("only %.2f%% of the screenshot is inked: no text?", 100*share)
	}
	if differ := pixelsDiffer(with, without); differ < 1000 {
		t.Errorf("the chapter looks the same with and without the CFF subset (%d pixels differ): Chromium did not use it", differ)
	}
	if keep := os.Getenv("PAIBAN_SCREENSHOTS"); keep != "" {
		data, _ := os.ReadFile(filepath.Join(dir, "with.png"))
		if err := os.WriteFile(filepath.Join(keep, "cff-chapter.png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// chromiumShot takes a 600×900 screenshot of a page in headless Chromium.
func chromiumShot(t *testing.T, page, shot string) image.Image {
	t.Helper()
	if msg, err := chromium(t, "--window-size=600,900", "--screenshot="+shot, "file://"+page).CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, msg)
	}
	return readPNG(t, shot)
}

// chromium is a headless Chromium command with args after the flags
// every run takes.
func chromium(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium not found: install the Debian package chromium (make test does)")
	}
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + t.TempDir(),
		// Virtual time lets the web fonts load before the shot: text
		// waiting for its font is not drawn.
		"--virtual-time-budget=5000"}
	return exec.Command(path, append(flags, args...)...)
}

func pixelsDiffer(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}
