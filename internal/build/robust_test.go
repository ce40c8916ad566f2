package build

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/validators"
)

// TestPanicBecomesError checks that a panic in a stage, here the writers'
// report on a nil writer, comes back as an error naming the book.
func TestPanicBecomesError(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), nil, &stderr)
	opt.Stdout = nil
	err := Run(book, opt)
	if err == nil || !strings.HasPrefix(err.Error(), book+": internal error") {
		t.Errorf("error %v, want %s: internal error …", err, book)
	}
}

// TestStrictMissingGlyph checks that --strict turns every missing
// character into an error at its line, and writes nothing.
func TestStrictMissingGlyph(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "rare.md")
	src := strings.Replace(goodBook, "正文第一段", "正文\U00030000第一段\U00031350", 1)
	if err := os.WriteFile(book, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), &stdout, &stderr)
	opt.Strict = true
	err := Run(book, opt)
	for _, want := range []string{book + ":8: no bundled font has '\U00030000' (U+30000)", book + ":8: no bundled font has '\U00031350' (U+31350)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %s", err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("a strict build with missing characters wrote outputs")
	}
}

// hostileBook puts markup, PDF string delimiters and script into every
// piece of text that reaches the metadata of the editions, and into a
// link's URL.
const (
	hostileTitle = `</dc:title><script>alert(1)</script>&amp; ) \ (evil]]>`
	hostileURL   = `https://example.com/a?b="c"&d='e'<f>\)g`
	hostileBook  = `---
title: '` + hostileTitle + `'
author: '<img src=x onerror=alert(1)>'
description: '"><meta http-equiv="refresh" content="0">'
rights: '&lt; ]]> <![CDATA[ x'
source: '《刊》</p><script>alert(2)</script>'
---

## 标题 \<script\>alert(3)\</script\>

正文[链接](` + hostileURL + `)。
`
)

// TestHostileTextIsEscaped checks that text from the book cannot become
// markup: every XML file of the EPUB parses, holds no script, event
// handler or javascript: URL, and gives the title back as text; the PDF's
// title and link URL read back as written; EPUBCheck takes the EPUB.
func TestHostileTextIsEscaped(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "evil.md")
	if err := os.WriteFile(book, []byte(hostileBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := Run(book, testOptions(filepath.Join(dir, "out"), &stdout, &stderr)); err != nil {
		t.Fatal(err)
	}
	validators.EPUB(t, filepath.Join(dir, "out", "evil.epub"))
	titles, links := 0, 0
	for name, data := range epubEntries(t, filepath.Join(dir, "out", "evil.epub")) {
		if !strings.HasSuffix(name, ".xhtml") && !strings.HasSuffix(name, ".opf") && !strings.HasSuffix(name, ".ncx") {
			continue
		}
		dec := xml.NewDecoder(strings.NewReader(data))
		inTitle := false
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if tok.Name.Local == "script" || tok.Name.Local == "meta" && tok.Name.Space == "http://www.w3.org/1999/xhtml" {
					t.Errorf("%s holds a <%s> element", name, tok.Name.Local)
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Value)), "javascript:") {
						t.Errorf("%s: <%s %s=%q>", name, tok.Name.Local, a.Name.Local, a.Value)
					}
					if a.Name.Local == "href" && strings.HasPrefix(a.Value, "https://example.com/") {
						links++
						// Percent-encoded: EPUBCheck rejects " < > in a URI.
						if want := "https://example.com/a?b=%22c%22&d='e'%3Cf%3E)g"; a.Value != want {
							t.Errorf("%s: link to %q, want %q", name, a.Value, want)
						}
					}
				}
				inTitle = tok.Name.Local == "title" && tok.Name.Space == "http://purl.org/dc/elements/1.1/"
			case xml.CharData:
				if inTitle {
					if string(tok) != hostileTitle {
						t.Errorf("%s: dc:title %q, want %q", name, tok, hostileTitle)
					}
					titles++
				}
			case xml.EndElement:
				inTitle = false
			}
		}
	}
	if titles == 0 || links == 0 {
		t.Errorf("the EPUB holds %d dc:title and %d links to example.com, want them", titles, links)
	}

	pdfPath := filepath.Join(dir, "out", "evil.pdf")
	info := tool(t, "poppler-utils", "pdfinfo", pdfPath)
	if m := regexp.MustCompile(`(?m)^Title:\s+(.*)$`).FindStringSubmatch(info); m == nil || m[1] != hostileTitle {
		t.Errorf("pdfinfo does not give the title back:\n%s", info)
	}
	validators.PDF(t, pdfPath)
	qdf := filepath.Join(dir, "evil.qdf")
	tool(t, "qpdf", "qpdf", "--qdf", "--object-streams=disable", pdfPath, qdf)
	raw, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/URI \(((?:[^()\\]|\\.)*)\)`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("no link URI in the PDF")
	}
	if got := regexp.MustCompile(`\\(.)`).ReplaceAllString(string(m[1]), "$1"); got != strings.ReplaceAll(hostileURL, `\`, "") {
		t.Errorf("PDF link URI %q, want %q", got, hostileURL)
	}
}

// TestFailingEditionKeepsBoth checks that when one edition cannot be
// made (here the EPUB, its style sheet unreadable: a folder) the other
// is not replaced either: out/ keeps a matching pair.
func TestFailingEditionKeepsBoth(t *testing.T) {
	dir := t.TempDir()
	styles := filepath.Join(dir, "styles")
	if err := os.MkdirAll(filepath.Join(styles, "epub.css"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a4-handout.yaml", "a5-book.yaml"} {
		data, err := os.ReadFile(filepath.Join(root, "styles", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(styles, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	book := filepath.Join(dir, "book.md")
	out := filepath.Join(dir, "out")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"book.pdf", "book.epub"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("earlier"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(out, &stdout, &stderr)
	opt.StylesDir = styles
	if err := Run(book, opt); err == nil || !strings.Contains(err.Error(), "epub edition") {
		t.Fatalf("error %v, want the EPUB edition's", err)
	}
	for _, f := range []string{"book.pdf", "book.epub"} {
		if b, err := os.ReadFile(filepath.Join(out, f)); err != nil || string(b) != "earlier" {
			t.Errorf("%s was replaced although the build failed", f)
		}
	}
}
