package testbook

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/markdown"
)

func TestDeterministic(t *testing.T) {
	opt := Options{Chars: 20000, Chapters: 4, Seed: 7}
	a, err := Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(opt)
	if !bytes.Equal(a, b) {
		t.Error("the same options gave different books")
	}
	opt.Seed++
	c, _ := Generate(opt)
	if bytes.Equal(a, c) {
		t.Error("another seed gave the same book")
	}
}

func TestShape(t *testing.T) {
	const chars, chapters = 200000, 10
	md, err := Generate(Options{Chars: chars, Chapters: chapters, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := markdown.Parse("gen.md", md)
	if err != nil {
		t.Fatal(err)
	}
	var h2, paras, notes int
	for _, blk := range d.Blocks {
		switch blk := blk.(type) {
		case *doc.Heading:
			if blk.Level == 2 {
				h2++
			}
		case *doc.Paragraph:
			paras++
		}
	}
	notes = len(d.Footnotes)
	if h2 != chapters {
		t.Errorf("%d chapters, want %d", h2, chapters)
	}
	if want := paras / 5; notes < want-1 || notes > want+1 {
		t.Errorf("%d footnotes for %d paragraphs, want one every five", notes, paras)
	}
	han := map[rune]bool{}
	n := 0
	for _, r := range string(md) {
		if unicode.Is(unicode.Han, r) {
			han[r] = true
			n++
		}
	}
	if n < chars*3/4 || n > chars*11/10 {
		t.Errorf("%d Han characters for %d body characters", n, chars)
	}
	if len(han) < 3500 {
		t.Errorf("%d distinct Han characters, want at least 3,500", len(han))
	}
	if !strings.HasPrefix(string(md), "---\ntitle: ") {
		t.Error("no front matter")
	}
}

func TestBadOptions(t *testing.T) {
	for _, opt := range []Options{{}, {Chars: 10}, {Chapters: 1}, {Chars: 10, Chapters: 1, NoteEvery: -1}} {
		if _, err := Generate(opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
}
