package build

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/pdf"
	"github.com/paiban/paiban/internal/style"
	"github.com/paiban/paiban/internal/testbook"
)

// The stage benchmarks run each stage of a build on its own, on the
// article, on a generated book of 300,000 characters (about 290 A4
// pages) and on one of 20,000 headings and nothing else (1,876 pages, a
// third of them contents), so that a profile of one stage is not
// drowned by the others:
//
//	go test ./internal/build -run '^$' -bench 'Stage/Layout/book' -cpuprofile cpu.prof

// benchBook is a book the benchmarks build: its Markdown file.
type benchBook struct{ name, path string }

func benchBooks(b *testing.B) []benchBook {
	b.Helper()
	md, err := testbook.Generate(testbook.Options{Chars: 300000, Chapters: 50, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	gen := filepath.Join(b.TempDir(), "book300k.md")
	if err := os.WriteFile(gen, md, 0o644); err != nil {
		b.Fatal(err)
	}
	// Headings alone: the contents and the outline as long as the text.
	var heads strings.Builder
	heads.WriteString("---\ntitle: 标题\n---\n\n")
	for i := range 20000 {
		fmt.Fprintf(&heads, "# 第%d章\n\n", i)
	}
	headsPath := filepath.Join(b.TempDir(), "heads20k.md")
	if err := os.WriteFile(headsPath, []byte(heads.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return []benchBook{{"article", "../../source/xinzhi-shengchanli.md"}, {"book300k", gen}, {"heads20k", headsPath}}
}

func BenchmarkStage(b *testing.B) {
	st, err := style.Load("../../styles", style.Default)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("FontLoad", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loadFonts("../../fonts", st); err != nil {
				b.Fatal(err)
			}
		}
	})
	faces, err := loadFonts("../../fonts", st)
	if err != nil {
		b.Fatal(err)
	}
	date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, bk := range benchBooks(b) {
		// Later stages start from the earlier ones' output, made once, so
		// that any stage can be benchmarked alone (-bench Stage/PDF/).
		var d *doc.Document
		var res *layout.Result
		parse := func(b *testing.B) *doc.Document {
			var err error
			if d, err = markdown.ParseFile(bk.path); err != nil {
				b.Fatal(err)
			}
			return d
		}
		lay := func(b *testing.B) *layout.Result {
			if d == nil {
				parse(b)
			}
			var err error
			res, err = layout.Layout(d, layout.Options{Style: st, Faces: faces, Creator: Generator, Date: date})
			if err != nil {
				b.Fatal(err)
			}
			return res
		}
		laidOut := func(b *testing.B) *layout.Book {
			if res == nil {
				lay(b)
			}
			return res.Book
		}
		b.Run("Parse/"+bk.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				parse(b)
			}
		})
		b.Run("Layout/"+bk.name, func(b *testing.B) {
			if d == nil {
				parse(b)
			}
			b.ReportAllocs()
			for b.Loop() {
				lay(b)
			}
			b.ReportMetric(float64(len(res.Book.Pages)), "pages")
		})
		b.Run("Subset/"+bk.name, func(b *testing.B) {
			runes := usedRunes(laidOut(b), faces[st.Fonts.Face(style.Serif)])
			b.ReportAllocs()
			for b.Loop() {
				if _, err := fonts.Subset(faces[st.Fonts.Face(style.Serif)], runes, fonts.SubsetOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(runes)), "chars")
		})
		var buf bytes.Buffer
		b.Run("PDF/"+bk.name, func(b *testing.B) {
			book := laidOut(b)
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := pdf.Write(&buf, book); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/file")
		})
		b.Run("EPUB/"+bk.name, func(b *testing.B) {
			book := laidOut(b)
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := writeEPUB(&buf, d, st, faces, date, Options{FontsDir: "../../fonts", StylesDir: "../../styles"}, nil, book, st.Name); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/file")
		})
		b.Run("Build/"+bk.name, func(b *testing.B) {
			opt := Options{OutDir: b.TempDir(), Formats: Formats, Style: style.Default, FontsDir: "../../fonts",
				StylesDir: "../../styles", Stdout: io.Discard, Stderr: io.Discard}
			b.ReportAllocs()
			for b.Loop() {
				if err := Run(bk.path, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// usedRunes lists the distinct characters drawn in face f.
func usedRunes(b *layout.Book, f *fonts.Face) []rune {
	seen := map[rune]bool{}
	var rs []rune
	for _, p := range b.Pages {
		for _, g := range p.Glyphs {
			if g.Face != f {
				continue
			}
			for _, r := range g.Text {
				if !seen[r] {
					seen[r] = true
					rs = append(rs, r)
				}
			}
		}
	}
	return rs
}
