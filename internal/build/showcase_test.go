package build

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/style"
	"github.com/paiban/paiban/internal/validators"
)

// TestShowcaseBook builds source/showcase, the book that uses every
// feature, in both print styles and reads the editions back with the
// tools a print shop and a reader would use.
func TestShowcaseBook(t *testing.T) {
	book := filepath.Join(root, "source", "showcase")
	for _, st := range []string{style.Default, "a5-book"} {
		t.Run(st, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			opt := testOptions(out, &stdout, &stderr)
			opt.Style = st
			if err := Run(book, opt); err != nil {
				t.Fatal(err)
			}
			if stderr.Len() > 0 {
				t.Errorf("warnings:\n%s", stderr.String())
			}
			pdfPath, epubPath := filepath.Join(out, "showcase.pdf"), filepath.Join(out, "showcase.epub")
			validators.PDF(t, pdfPath)
			// HTM-022: EPUBCheck's span-density heuristic; the showcase
			// packs every inline construct into a few paragraphs.
			validators.EPUB(t, epubPath, "HTM-022")
			if st == style.Default { // the print style changes only the page list
				validators.Ace(t, epubPath)
			}
			checkShowcasePDF(t, pdfPath)
		})
	}
}

func checkShowcasePDF(t *testing.T, pdfPath string) {
	pages := pdfPages(t, pdfPath)
	all := squash(strings.Join(pages, ""))
	for _, want := range []string{
		"插图目录", "图1示例数据", "图2灰度山景", "表1示例指标",
		"一、文字", "（一）强调与加粗", "二、图与表", "三、代码",
		"饕餮纹", "→", // ruby base text in order; a wrapped code line's mark
		"ISBN：978-7-000-00000-1", "示例出版社", "王编辑、李校对",
	} {
		if !strings.Contains(all, squash(want)) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// Cross-references print the page their target is really on.
	pageOf := func(s string) int {
		for i := len(pages) - 1; i >= 0; i-- { // the body, not the contents
			if strings.Contains(squash(pages[i]), squash(s)) {
				return i + 1
			}
		}
		return 0
	}
	ref := regexp.MustCompile(`见第二章（第(\d+)页）`)
	m := ref.FindStringSubmatch(all)
	if m == nil {
		t.Fatal("no page reference 见第二章（第N页）")
	}
	// The number printed is the folio at the foot of the target's page
	// (front matter may be numbered apart).
	got := pageOf("二、图与表（一）插图")
	if got == 0 {
		t.Fatal("chapter 二、图与表 not found")
	}
	lines := strings.Fields(pages[got-1])
	if folio := lines[len(lines)-1]; folio != m[1] {
		t.Errorf("见第二章 says page %s; the chapter is on the page with folio %s", m[1], folio)
	}
	// Both images, grey (the print edition has no colour).
	imgs := tool(t, "poppler-utils", "pdfimages", "-list", pdfPath)
	rows := strings.Split(strings.TrimSpace(imgs), "\n")
	if len(rows) != 4 {
		t.Fatalf("pdfimages lists %d images, want 2:\n%s", len(rows)-2, imgs)
	}
	for _, l := range rows[2:] {
		if f := strings.Fields(l); len(f) < 6 || f[5] != "gray" {
			t.Errorf("image not grey: %s", l)
		}
	}
	// The colophon is on the last page.
	if last := squash(pages[len(pages)-1]); !strings.Contains(last, "ISBN") && !strings.Contains(squash(strings.Join(pages[:min(3, len(pages))], "")), "ISBN") {
		t.Errorf("no colophon on the last page or the front matter")
	}
}
