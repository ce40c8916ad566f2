package build

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/validators"
)

// The tests' EPUBs are checked by one EPUBCheck run (package validators).
func TestMain(m *testing.M) { validators.Main(m) }

// The end-to-end tests build every book in source/ and read the outputs
// back with the tools a reader or a print shop would use.

const root = "../.."

type built struct {
	doc       *doc.Document
	pdf, epub string
}

var (
	buildOnce sync.Once
	books     map[string]*built
	buildErr  error
)

func buildAll(t *testing.T) map[string]*built {
	t.Helper()
	buildOnce.Do(func() {
		out, err := os.MkdirTemp("", "paiban-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		srcs, _ := filepath.Glob(filepath.Join(root, "source", "*.md"))
		if len(srcs) == 0 {
			buildErr = fmt.Errorf("no books in source/")
			return
		}
		books = map[string]*built{}
		for _, src := range srcs {
			var stdout, stderr bytes.Buffer
			opt := Options{OutDir: out, Formats: Formats, Style: "a4-handout",
				FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles"),
				Stdout: &stdout, Stderr: &stderr}
			if err := Run(src, opt); err != nil {
				buildErr = fmt.Errorf("%s: %v", src, err)
				return
			}
			if stderr.Len() > 0 {
				buildErr = fmt.Errorf("%s: unexpected warnings:\n%s", src, stderr.String())
				return
			}
			d, err := markdown.ParseFile(src)
			if err != nil {
				buildErr = err
				return
			}
			name := strings.TrimSuffix(filepath.Base(src), ".md")
			books[name] = &built{doc: d, pdf: filepath.Join(out, name+".pdf"), epub: filepath.Join(out, name+".epub")}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return books
}

// tool runs a command and fails the test, naming the Debian package to
// install, when the command is missing.
func tool(t *testing.T, pkg, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install the Debian package %s (make test does)", name, pkg)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// circledMarks matches footnote marks ①…⑳ ㉑…㊿.
var circledMarks = regexp.MustCompile(`[\x{2460}-\x{2473}\x{3251}-\x{325F}\x{32B1}-\x{32BF}]`)

func paragraphs(d *doc.Document) []string {
	var out []string
	doc.Walk(d.Blocks, func(b doc.Block) {
		if p, ok := b.(*doc.Paragraph); ok {
			out = append(out, doc.PlainText(p.Content))
		}
	})
	return out
}

func headings(d *doc.Document) []*doc.Heading {
	var out []*doc.Heading
	doc.Walk(d.Blocks, func(b doc.Block) {
		if h, ok := b.(*doc.Heading); ok {
			out = append(out, h)
		}
	})
	return out
}

// pdfPages returns the text of each page.
func pdfPages(t *testing.T, path string) []string {
	text := tool(t, "poppler-utils", "pdftotext", "-enc", "UTF-8", path, "-")
	pages := strings.Split(text, "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// bodyText is the PDF's text with what is not body text taken out: the
// running head, folios, footnote marks and the notes themselves.
func bodyText(t *testing.T, b *built) string {
	var all strings.Builder
	for i, p := range pdfPages(t, b.pdf) {
		s := squash(p)
		s = strings.Replace(s, squash(b.doc.Meta.Title), "", boolToInt(i > 0))
		s = strings.TrimSuffix(s, strconv.Itoa(i+1))
		all.WriteString(s)
	}
	s := all.String()
	for _, n := range b.doc.Footnotes {
		for _, bl := range n.Blocks {
			if p, ok := bl.(*doc.Paragraph); ok {
				s = strings.Replace(s, squash(doc.PlainText(p.Content)), "", 1)
			}
		}
	}
	return circledMarks.ReplaceAllString(s, "")
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestPDFTextRoundTrip(t *testing.T) {
	for name, b := range buildAll(t) {
		checkParagraphsInOrder(t, name+" (PDF)", bodyText(t, b), b.doc)
	}
}

// checkParagraphsInOrder checks that text, stripped of white space, holds
// every paragraph of d whole and in order.
func checkParagraphsInOrder(t *testing.T, what, text string, d *doc.Document) {
	t.Helper()
	pos := 0
	for i, p := range paragraphs(d) {
		want := squash(p)
		k := strings.Index(text[pos:], want)
		if k < 0 {
			t.Errorf("%s: paragraph %d not found (in order):\n%s", what, i+1, p)
			continue
		}
		pos += k + len(want)
	}
}

func TestPDFFontsEmbeddedSubsets(t *testing.T) {
	tagged := regexp.MustCompile(`^[A-Z]{6}\+[A-Za-z0-9-]+$`)
	for name, b := range buildAll(t) {
		out := tool(t, "poppler-utils", "pdffonts", b.pdf)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 3 {
			t.Fatalf("%s: pdffonts lists no fonts:\n%s", name, out)
		}
		for _, l := range lines[2:] {
			f := strings.Fields(l)
			// name type... emb sub uni object ID
			n := len(f)
			if n < 7 || f[n-5] != "yes" || f[n-4] != "yes" || !tagged.MatchString(f[0]) {
				t.Errorf("%s: font not an embedded, tagged subset: %s", name, l)
			}
		}
	}
}

func TestPDFStructureClean(t *testing.T) {
	for _, b := range buildAll(t) {
		validators.PDF(t, b.pdf)
	}
}

// TestPDFOutlineAndTOC checks that bookmarks and the printed table of
// contents name every heading with the page it really is on.
func TestPDFOutlineAndTOC(t *testing.T) {
	for name, b := range buildAll(t) {
		pages := pdfPages(t, b.pdf)
		out := tool(t, "mupdf-tools", "mutool", "show", b.pdf, "outline")
		if strings.Contains(strings.ToLower(out), "warning") || strings.Contains(strings.ToLower(out), "error") {
			t.Errorf("%s: mutool show outline:\n%s", name, out)
		}
		var entries []string
		for _, l := range strings.Split(out, "\n") {
			if strings.TrimSpace(l) != "" {
				entries = append(entries, l)
			}
		}
		hs := headings(b.doc)
		if len(entries) != len(hs) {
			t.Fatalf("%s: outline has %d entries, want %d headings:\n%s", name, len(entries), len(hs), out)
		}
		// mutool prints: [+-|]<tab>"Title"<tab>#page=N&...
		entryRe := regexp.MustCompile(`"(.*)"\s+#page=(\d+)`)
		toc := squash(pages[0])
		for i, h := range hs {
			m := entryRe.FindStringSubmatch(entries[i])
			title := doc.PlainText(h.Content)
			if m == nil || m[1] != title {
				t.Errorf("%s: outline entry %d = %q, want title %q", name, i+1, entries[i], title)
				continue
			}
			page, _ := strconv.Atoi(m[2])
			if page < 1 || page > len(pages) || !strings.Contains(squash(pages[page-1]), squash(title)) {
				t.Errorf("%s: heading %q is not on page %d its bookmark points to", name, title, page)
			}
			// The printed contents line: the title followed by its page.
			if !strings.Contains(toc, squash(title)+strconv.Itoa(page)) {
				t.Errorf("%s: the table of contents does not give page %d for %q", name, page, title)
			}
		}
	}
}

// TestPDFFootnotes checks that every note is printed once, on the page of
// its mark, and that marks count ①②③ afresh on each page.
func TestPDFFootnotes(t *testing.T) {
	for name, b := range buildAll(t) {
		pages := pdfPages(t, b.pdf)
		total := 0
		for i, p := range pages {
			marks := circledMarks.FindAllString(p, -1)
			// Each mark appears twice on a page: in the text and before
			// its note.
			if len(marks)%2 != 0 {
				t.Errorf("%s: page %d has an odd number of note marks: %v", name, i+1, marks)
				continue
			}
			n := len(marks) / 2
			for k := 0; k < n; k++ {
				want := string(rune(0x2460 + k))
				if marks[k] != want || marks[n+k] != want {
					t.Errorf("%s: page %d marks %v, want ①… restarting on the page", name, i+1, marks)
					break
				}
			}
			total += n
		}
		if total != len(b.doc.Footnotes) {
			t.Errorf("%s: %d note marks in the PDF, want %d", name, total, len(b.doc.Footnotes))
		}
	}
}

func TestEPUBNavListsEveryHeading(t *testing.T) {
	for name, b := range buildAll(t) {
		zr, err := zip.OpenReader(b.epub)
		if err != nil {
			t.Fatal(err)
		}
		var nav string
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, "nav.xhtml") {
				rc, _ := f.Open()
				data, _ := io.ReadAll(rc)
				rc.Close()
				nav = string(data)
			}
		}
		zr.Close()
		if nav == "" {
			t.Fatalf("%s: no nav.xhtml", name)
		}
		for _, h := range headings(b.doc) {
			want := "#" + h.ID + `"`
			if !strings.Contains(nav, want) || !strings.Contains(nav, doc.PlainText(h.Content)) {
				t.Errorf("%s: nav has no entry %s for %q", name, want, doc.PlainText(h.Content))
			}
		}
	}
}
