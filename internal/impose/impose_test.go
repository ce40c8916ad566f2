package impose

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/validators"
	"github.com/signintech/gopdf"
)

func TestOrder(t *testing.T) {
	const B = Blank
	for _, c := range []struct {
		m    Mode
		n    int
		want []int
	}{
		{Booklet, 1, []int{B, 0, B, B}},
		{Booklet, 3, []int{B, 0, 1, 2}},
		{Booklet, 4, []int{3, 0, 1, 2}},
		{Booklet, 5, []int{B, 0, 1, B, B, 2, 3, 4}},
		{Booklet, 8, []int{7, 0, 1, 6, 5, 2, 3, 4}},
		{TwoUp, 1, []int{0, B}},
		{TwoUp, 4, []int{0, 1, 2, 3}},
		{TwoUp, 5, []int{0, 1, 2, 3, 4, B}},
	} {
		if got := Order(c.m, c.n); !slices.Equal(got, c.want) {
			t.Errorf("Order(%s, %d) = %v, want %v", c.m, c.n, got, c.want)
		}
	}
}

// TestBookletFolds checks the property a booklet exists for: folding the
// stack of duplex-printed sheets gives every page once, in reading order.
func TestBookletFolds(t *testing.T) {
	for n := 1; n <= 40; n++ {
		o := Order(Booklet, n)
		if len(o)%4 != 0 {
			t.Fatalf("%d pages: %d slots, not whole sheets", n, len(o))
		}
		sheets := len(o) / 4
		// Reading a folded booklet: the left halves of the fronts…
		// no — the right halves of fronts and left halves of backs, sheet
		// by sheet, then back out through the other halves.
		var read []int
		for s := 0; s < sheets; s++ {
			read = append(read, o[4*s+1], o[4*s+2])
		}
		for s := sheets - 1; s >= 0; s-- {
			read = append(read, o[4*s+3], o[4*s])
		}
		want := make([]int, len(o))
		for i := range want {
			want[i] = i
			if i >= n {
				want[i] = Blank
			}
		}
		if !slices.Equal(read, want) {
			t.Fatalf("%d pages fold into %v", n, read)
		}
	}
}

// numbered writes an n-page A5 PDF whose page i shows "pI".
func numbered(t *testing.T, n int) []byte {
	t.Helper()
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: 419.53, H: 595.28}})
	if err := gp.AddTTFFont("serif", filepath.Join("..", "..", "fonts", "SourceSerif4-Regular.ttf")); err != nil {
		t.Fatal(err)
	}
	if err := gp.SetFont("serif", "", 40); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		gp.AddPage()
		gp.SetXY(150, 300)
		if err := gp.Text(fmt.Sprintf("p%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := gp.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func need(t *testing.T, tool, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Fatalf("%s is missing: install the Debian package %s (scripts/install-tools.sh)", tool, pkg)
	}
}

var (
	pageSize = regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`)
	pagesRe  = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)
	wordRe   = regexp.MustCompile(`<word xMin="([\d.]+)"[^>]*>p(\d+)</word>`)
)

// sheets reads an imposed PDF back: its sheet size and, per sheet side,
// the page numbers shown left to right with their x position.
func readBack(t *testing.T, file string) (w, h float64, sides [][2]int) {
	t.Helper()
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := pageSize.FindSubmatch(out)
	np := pagesRe.FindSubmatch(out)
	if m == nil || np == nil {
		t.Fatalf("pdfinfo output without page size:\n%s", out)
	}
	w, _ = strconv.ParseFloat(string(m[1]), 64)
	h, _ = strconv.ParseFloat(string(m[2]), 64)
	n, _ := strconv.Atoi(string(np[1]))
	html, err := exec.Command("pdftotext", "-bbox", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := bytes.Split(html, []byte("<page "))[1:]
	if len(pages) != n {
		t.Fatalf("pdftotext reads %d pages, pdfinfo %d", len(pages), n)
	}
	for k, page := range pages {
		side := [2]int{Blank, Blank}
		for _, wm := range wordRe.FindAllSubmatch(page, -1) {
			x, _ := strconv.ParseFloat(string(wm[1]), 64)
			p, _ := strconv.Atoi(string(wm[2]))
			half := 0
			if x >= w/2 {
				half = 1
			}
			if side[half] != Blank {
				t.Fatalf("sheet side %d: two pages in one half", k+1)
			}
			side[half] = p - 1
		}
		sides = append(sides, side)
	}
	return w, h, sides
}

func TestImposeReadBack(t *testing.T) {
	need(t, "pdfinfo", "poppler-utils")
	need(t, "pdftotext", "poppler-utils")
	dir := t.TempDir()
	for _, m := range Modes {
		for _, n := range []int{1, 3, 4, 5, 17} {
			var out bytes.Buffer
			if err := Impose(&out, numbered(t, n), m); err != nil {
				t.Fatalf("%s %d: %v", m, n, err)
			}
			file := filepath.Join(dir, fmt.Sprintf("%s-%d.pdf", m, n))
			if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			w, h, sides := readBack(t, file)
			if w < 841 || w > 842 || h < 595 || h > 596 {
				t.Errorf("%s %d: sheet %.2f × %.2f pt, want A4 landscape", m, n, w, h)
			}
			var got []int
			for _, s := range sides {
				got = append(got, s[0], s[1])
			}
			if want := Order(m, n); !slices.Equal(got, want) {
				t.Errorf("%s %d pages: sheets show %v, want %v", m, n, got, want)
			}
			if m == Booklet && len(sides)%2 != 0 {
				t.Errorf("booklet of %d pages: %d sheet sides, not whole sheets", n, len(sides))
			}
		}
	}
}

func TestImposeBadInput(t *testing.T) {
	var out bytes.Buffer
	err := Impose(&out, []byte("%PDF-1.4\nnot really"), Booklet)
	if err == nil || !strings.Contains(err.Error(), "impose") {
		t.Fatalf("got %v, want an impose error", err)
	}
	if _, err := ParseMode("3up"); err == nil {
		t.Fatal("3up accepted")
	}
	if _, err := ParseModes("booklet,3up"); err == nil {
		t.Fatal("booklet,3up accepted")
	}
	if m, err := ParseModes("booklet,2up"); err != nil || len(m) != 2 || m[0] != Booklet || m[1] != TwoUp {
		t.Fatalf("booklet,2up: %v, %v", m, err)
	}
}

// TestImposeSharesResources: every page becomes one form that uses the
// source's font object, so the sheets cost a few hundred bytes a page, and
// a page with crop marks is taken at its trim box, the marks left off.
func TestImposeSharesResources(t *testing.T) {
	need(t, "pdfinfo", "poppler-utils")
	need(t, "pdftotext", "poppler-utils")
	src := numbered(t, 40)
	var cropped bytes.Buffer
	if err := CropMarks(&cropped, src, DefaultBleed); err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{src, cropped.Bytes()} {
		var out bytes.Buffer
		if err := Impose(&out, in, Booklet); err != nil {
			t.Fatal(err)
		}
		file := sharedAndValid(t, "booklet.pdf", out.Bytes(), src)
		w, h, sides := readBack(t, file)
		if w < 841 || w > 842 || h < 595 || h > 596 {
			t.Errorf("sheet %.2f × %.2f pt, want A4 landscape", w, h)
		}
		var got []int
		for _, s := range sides {
			got = append(got, s[0], s[1])
		}
		if want := Order(Booklet, 40); !slices.Equal(got, want) {
			t.Errorf("sheets show %v, want %v", got, want)
		}
	}
}

// sharedAndValid checks that pdf, made from src of 40 pages, is at most
// 300 bytes a page larger (its fonts are not copied for each page) and
// valid, and returns the file it wrote it to.
func sharedAndValid(t *testing.T, name string, pdf, src []byte) string {
	t.Helper()
	if extra := len(pdf) - len(src); extra > 40*300 {
		t.Errorf("%s is %d bytes larger than its source of 40 pages", name, extra)
	}
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	validators.PDF(t, file)
	return file
}
