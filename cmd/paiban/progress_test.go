package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rivo/uniseg"

	"github.com/paiban/paiban/internal/build"
	"github.com/paiban/paiban/internal/layout"
)

func TestProgressText(t *testing.T) {
	cases := []struct {
		p    build.Progress
		want string
	}{
		{build.Progress{Book: "a.md", Stage: "reading"}, "a.md: reading"},
		{build.Progress{Book: "a.md", Stage: "laying out", Layout: layout.Progress{Paragraphs: 32, OfParagraphs: 100, Chapter: "第一章"}},
			"a.md: laying out, paragraph 32 of 100 (第一章)"},
		{build.Progress{Book: "a.md", Stage: "laying out", Layout: layout.Progress{Pages: 7, Chapter: "第二章"}},
			"a.md: laying out, page 7 (第二章)"},
	}
	for _, c := range cases {
		if got := progressText(c.p); got != c.want {
			t.Errorf("progressText(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
	long := progressText(build.Progress{Book: "book.md", Stage: "laying out", Layout: layout.Progress{Pages: 3, Chapter: strings.Repeat("新质生产力", 20)}})
	if w := uniseg.StringWidth(long); w > progressWidth || !strings.HasSuffix(long, "…") {
		t.Errorf("a long chapter title gives a line %d columns wide: %q", w, long)
	}
}

func TestProgressLine(t *testing.T) {
	var term bytes.Buffer
	l := newProgressLine(&term)
	l.update(build.Progress{Book: "a.md", Stage: "reading"})
	if term.Len() != 0 {
		t.Fatalf("a young build drew a progress line: %q", term.String())
	}
	l.start = time.Now().Add(-time.Second)
	l.update(build.Progress{Book: "a.md", Stage: "laying out", Layout: layout.Progress{Pages: 1}})
	l.update(build.Progress{Book: "a.md", Stage: "laying out", Layout: layout.Progress{Pages: 2}})
	if got := term.String(); got != "\r\x1b[Ka.md: laying out, page 1" {
		t.Fatalf("progress drawn as %q; want one redraw (the second comes too soon)", got)
	}
	l.update(build.Progress{Book: "a.md", Stage: "writing"})
	if !strings.HasSuffix(term.String(), "a.md: writing") {
		t.Errorf("a new stage is drawn at once: %q", term.String())
	}
	term.Reset()
	var stdout bytes.Buffer
	l.through(&term).Write([]byte("warning\n"))
	l.through(&stdout).Write([]byte("wrote a.pdf\n"))
	if term.String() != "\r\x1b[Kwarning\n" || stdout.String() != "wrote a.pdf\n" {
		t.Errorf("messages do not clear the line first: stderr %q, stdout %q", term.String(), stdout.String())
	}
	l.done()
	if term.String() != "\r\x1b[Kwarning\n" {
		t.Errorf("done cleared a line that was not drawn: %q", term.String())
	}
}

// TestBuildOutputs checks what build prints besides the files: nothing of
// the progress line when stderr is not a terminal, nothing at all with -q,
// and the layout dump on request.
func TestBuildOutputs(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "layout.jsonl")
	book := "../../source/xinzhi-shengchanli.md"
	common := []string{"build", "-o", dir, "--fonts", "../../fonts", "--styles", "../../styles"}
	var out, errb bytes.Buffer
	if st := run(append(common, "--dump-layout", dump, book), &out, &errb); st != 0 {
		t.Fatalf("build: %d %s", st, errb.String())
	}
	if errb.Len() != 0 || !strings.Contains(out.String(), "wrote") {
		t.Errorf("build to a pipe: stdout %q, stderr %q; want the files written and no progress", out.String(), errb.String())
	}
	f, err := os.Open(dump)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines, glyphs, pages int
	var text strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l layout.DumpLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("dump line %d: %v", lines+1, err)
		}
		lines++
		pages = max(pages, l.Page)
		for _, g := range l.Glyphs {
			glyphs++
			text.WriteString(g.Char)
			if g.Font == "" || g.Size <= 0 || g.CellWidth < 0 {
				t.Fatalf("dump line %d: glyph %+v lacks font, size or cell", lines, g)
			}
		}
	}
	if pages != 7 || lines < 150 || !strings.Contains(text.String(), "发展新质生产力是推动高质量发展的内在要求和重要着力点") {
		t.Errorf("dump: %d pages, %d lines, %d glyphs; want the article's 7 pages and its text", pages, lines, glyphs)
	}

	out.Reset()
	if st := run(append(common, "-q", book), &out, &errb); st != 0 || out.Len() != 0 || errb.Len() != 0 {
		t.Errorf("build -q: status %d, stdout %q, stderr %q; want silence", st, out.String(), errb.String())
	}
	if st := run(append(common, "--dump-layout", dump, book, book), &out, &errb); st != 2 || !strings.Contains(errb.String(), "--dump-layout takes one book") {
		t.Errorf("--dump-layout with two books: %d %s", st, errb.String())
	}
}
