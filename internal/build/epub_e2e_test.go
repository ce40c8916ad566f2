package build

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/language"

	"github.com/paiban/paiban/internal/testbook"
	"github.com/paiban/paiban/internal/validators"
)

// chaptersBook is a small book of two chapters (level-1 headings, so two
// files in the EPUB) with the constructs readers handle differently:
// notes, a quotation, emphasis, a list, code and mixed Latin.
const chaptersBook = `---
title: 两章小书
author: 编者
date: 2024-05-01
---

# 第一章 开篇

这是第一章的正文，用来检查电子书在阅读器里的样子。“引号”与《书名》都在这里，还有 *着重* 和 **加粗**，以及 Go 语言与 2024 年。[^a]

> 引文用楷体排，左边缩进两个字。

1. 第一项
2. 第二项

# 第二章 续篇

第二章也有注释。[^b]另有一段代码：

` + "```" + `
fmt.Println("你好")
` + "```" + `

[^a]: 第一章的注释。
[^b]: 第二章的注释。
`

var (
	testBooksOnce sync.Once
	testBooks     map[string]*built
	testBooksErr  error
)

// buildTestBooks builds the two-chapter book, a generated long book and
// the GitBook and mdBook folders in testdata/books besides the books in
// source/.
func buildTestBooks(t *testing.T) map[string]*built {
	t.Helper()
	all := buildAll(t)
	testBooksOnce.Do(func() {
		dir, err := os.MkdirTemp("", "paiban-books-")
		if err != nil {
			testBooksErr = err
			return
		}
		long, err := testbook.Generate(testbook.Options{Chars: 30000, Chapters: 8, Seed: 1})
		if err != nil {
			testBooksErr = err
			return
		}
		testBooks = map[string]*built{}
		// add builds the book at path (a file or a folder) as name.
		add := func(name, path string) error {
			var stdout, stderr bytes.Buffer
			opt := Options{OutDir: filepath.Join(dir, "out"), Formats: Formats, Style: "a4-handout",
				FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles"), Stdout: &stdout, Stderr: &stderr}
			if err := Run(path, opt); err != nil {
				return err
			}
			d, err := parseBook(path)
			if err != nil {
				return err
			}
			testBooks[name] = &built{doc: d, pdf: filepath.Join(dir, "out", name+".pdf"), epub: filepath.Join(dir, "out", name+".epub")}
			return nil
		}
		for name, src := range map[string][]byte{"chapters": []byte(chaptersBook), "generated": long} {
			path := filepath.Join(dir, name+".md")
			if testBooksErr = os.WriteFile(path, src, 0o644); testBooksErr != nil {
				return
			}
			if testBooksErr = add(name, path); testBooksErr != nil {
				return
			}
		}
		for _, name := range []string{"gitbook", "mdbook"} {
			if testBooksErr = add(name, filepath.Join(root, "testdata", "books", name)); testBooksErr != nil {
				return
			}
		}
		for name, b := range all {
			testBooks[name] = b
		}
	})
	if testBooksErr != nil {
		t.Fatal(testBooksErr)
	}
	return testBooks
}

// TestEPUBValid checks the EPUB of every book in source/ and of the test
// books with EPUBCheck, and the article's with Ace by DAISY too (the
// showcase's is checked where it is built).
func TestEPUBValid(t *testing.T) {
	for name, b := range buildTestBooks(t) {
		validators.EPUB(t, b.epub)
		if name == "xinzhi-shengchanli" {
			validators.Ace(t, b.epub)
		}
	}
}

// TestEPUBStructure unzips every book and checks what readers depend on:
// language on every document, each note reference paired with its note
// (back-link first) in the same file, page-list targets that exist, and
// nothing executable.
func TestEPUBStructure(t *testing.T) {
	noteref := regexp.MustCompile(`<a epub:type="noteref" role="doc-noteref" id="([^"]+)" href="#([^"]+)">[^<]+</a>`)
	pageLink := regexp.MustCompile(`<a href="([^"#]+)#([^"]+)">`)
	for name, b := range buildTestBooks(t) {
		files := epubEntries(t, b.epub)
		notes := 0
		for fname, body := range files {
			if !strings.HasSuffix(fname, ".xhtml") {
				continue
			}
			lang := "zh-CN"
			if tag, err := language.Parse(b.doc.Meta.Language); err == nil {
				lang = tag.String()
			}
			if !strings.Contains(body, `lang="`+lang+`"`) || !strings.Contains(body, `xml:lang="`+lang+`"`) {
				t.Errorf("%s: %s lacks lang and xml:lang", name, fname)
			}
			low := strings.ToLower(body)
			for _, bad := range []string{"<script", "javascript:", " onload=", " onclick=", " onerror="} {
				if strings.Contains(low, bad) {
					t.Errorf("%s: %s contains %s", name, fname, bad)
				}
			}
			for _, m := range noteref.FindAllStringSubmatch(body, -1) {
				notes++
				aside := regexp.MustCompile(`<aside epub:type="footnote" role="doc-footnote" id="` + regexp.QuoteMeta(m[2]) + `">\s*<p><a href="#` + regexp.QuoteMeta(m[1]) + `" role="doc-backlink">`)
				if !aside.MatchString(body) {
					t.Errorf("%s: %s: note %s has no aside beginning with a back-link to %s", name, fname, m[2], m[1])
				}
			}
		}
		if notes != len(b.doc.Footnotes) {
			t.Errorf("%s: %d note references, want %d", name, notes, len(b.doc.Footnotes))
		}
		nav := files["EPUB/nav.xhtml"]
		_, pageList, found := strings.Cut(nav, `epub:type="page-list"`)
		if !found {
			t.Errorf("%s: nav has no page-list", name)
			continue
		}
		pageList, _, _ = strings.Cut(pageList, "</nav>")
		targets := pageLink.FindAllStringSubmatch(pageList, -1)
		if len(targets) == 0 {
			t.Errorf("%s: the page-list is empty", name)
		}
		for _, m := range targets {
			if !strings.Contains(files["EPUB/"+m[1]], `id="`+m[2]+`"`) {
				t.Errorf("%s: page-list target %s#%s does not exist", name, m[1], m[2])
			}
		}
	}
}

// TestEPUBReadingOrder converts each EPUB to text with Calibre, a reading
// system, and checks that every paragraph of the source comes out whole
// and in order.
func TestEPUBReadingOrder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Calibre")
	}
	if _, err := exec.LookPath("ebook-convert"); err != nil {
		t.Fatal("ebook-convert not found: install the Debian package calibre (make test does)")
	}
	books := buildTestBooks(t)
	for _, name := range []string{"xinzhi-shengchanli", "chapters"} {
		b := books[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel() // Calibre starts slowly: both books at once
			out := filepath.Join(t.TempDir(), name+".txt")
			if msg, err := exec.Command("ebook-convert", b.epub, out).CombinedOutput(); err != nil {
				t.Fatalf("ebook-convert: %v\n%s", err, msg)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			// The note marks go, and so do the word joiners that glue
			// them to the text: invisible, they are no part of it.
			text := strings.ReplaceAll(circledMarks.ReplaceAllString(squash(string(data)), ""), "\u2060", "")
			checkParagraphsInOrder(t, name+" (Calibre's text of the EPUB)", text, b.doc)
		})
	}
}

// TestEPUBScreenshots renders both chapters of the two-chapter book in
// headless Chromium with the book's own style sheet and fonts, and checks
// that text was drawn. The PNGs are kept in PAIBAN_SCREENSHOTS when set,
// for a person to look at.
func TestEPUBScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	b := buildTestBooks(t)["chapters"]
	dir, _ := unpackEPUB(t, b.epub)
	keep := os.Getenv("PAIBAN_SCREENSHOTS")
	for _, ch := range []string{"chapter01", "chapter02"} {
		t.Run(ch, func(t *testing.T) {
			t.Parallel() // one browser each, side by side
			page := filepath.Join(dir, "EPUB", "xhtml", ch+".xhtml")
			if _, err := os.Stat(page); err != nil {
				t.Fatalf("%s is not in the EPUB", ch)
			}
			shot := filepath.Join(dir, ch+".png")
			chromiumShot(t, page, shot)
			// A few lines of Chinese text ink about half a per cent of
			// the screen; the note rule alone inks 0.1 per cent.
			if share := inkShare(t, shot); share < 0.003 {
				t.Errorf("only %.2f%% of the screenshot is inked: no text?", 100*share)
			}
			if keep != "" {
				data, _ := os.ReadFile(shot)
				if err := os.WriteFile(filepath.Join(keep, filepath.Base(shot)), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// unpackEPUB writes the EPUB's entries into a new folder, for a browser to
// open its chapters with their style sheet and fonts, and returns the
// folder and the entries.
func unpackEPUB(t *testing.T, epubPath string) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	entries := epubEntries(t, epubPath)
	for name, body := range entries {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, entries
}

// inkShare is the share of dark pixels in the PNG at path.
func inkShare(t *testing.T, path string) float64 {
	img := readPNG(t, path)
	dark := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				dark++
			}
		}
	}
	return float64(dark) / float64(bounds.Dx()*bounds.Dy())
}

// TestEPUBNotesPerChapter checks the notes of every test book: each
// chapter file numbers its notes from ① in the order they are first
// referenced, in circled numbers.
func TestEPUBNotesPerChapter(t *testing.T) {
	ref := regexp.MustCompile(`<a epub:type="noteref" role="doc-noteref" id="[^"]+" href="#fn(\d+)">([^<]+)</a>`)
	restarts := 0
	for name, b := range buildTestBooks(t) {
		withNotes := 0
		for file, body := range epubEntries(t, b.epub) {
			if !strings.HasPrefix(file, "EPUB/xhtml/") {
				continue
			}
			seen := map[string]bool{}
			var marks []string
			for _, m := range ref.FindAllStringSubmatch(body, -1) {
				if !seen[m[1]] {
					seen[m[1]] = true
					marks = append(marks, m[2])
				}
			}
			if len(marks) > 0 {
				withNotes++
			}
			for i, mark := range marks {
				if want := circled(i + 1); mark != want {
					t.Errorf("%s %s: note %d is marked %s, want %s", name, file, i+1, mark, want)
					break
				}
			}
		}
		if withNotes > 1 {
			restarts++
		}
	}
	if restarts == 0 {
		t.Error("no test book has notes in more than one file")
	}
}

// circled is the k-th circled number, ① to ㊿.
func circled(k int) string {
	switch {
	case k <= 20:
		return string(rune(0x2460 + k - 1))
	case k <= 35:
		return string(rune(0x3251 + k - 21))
	}
	return string(rune(0x32B1 + k - 36))
}
