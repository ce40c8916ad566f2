// Package testbook generates Chinese books of any length for benchmarks:
// chapters of paragraphs with punctuation, quotations, a little Latin text
// and digits, emphasis and a footnote every few paragraphs. The text is
// meaningless but its statistics are those of real prose that matter to
// the pipeline: characters drawn from the 6,763 characters of GB 2312 with a
// Zipf distribution, so a long book uses several thousand distinct ones.
//
// The output depends only on the options: the same seed gives the same
// book on every machine and Go version (math/rand/v2's PCG is specified).
package testbook

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Options shape a generated book.
type Options struct {
	// Chars is the number of body characters (Han characters, punctuation,
	// digits and letters, not counting Markdown syntax); the book ends with
	// the paragraph that reaches it.
	Chars int
	// Chapters is the number of level-2 headings the text is divided into.
	Chapters int
	// NoteEvery puts a footnote on every NoteEvery-th paragraph; 0 means 5.
	NoteEvery int
	// Seed selects the text.
	Seed uint64
}

// CharsPerA4Page is about how many body characters an A4 handout page
// holds (measured on generated books in the a4-handout style: footnotes,
// headings and short last lines take their share), for choosing Chars from
// a page count.
const CharsPerA4Page = 1040

// hanzi lists the GB 2312 characters, the 3,755 of level 1 (by frequency
// of use) then the 3,008 of level 2, decoded once.
var hanzi = sync.OnceValue(func() []rune {
	var gb []byte
	for hi := 0xB0; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			if hi == 0xD7 && lo > 0xF9 {
				continue // the five unassigned cells that end level 1
			}
			gb = append(gb, byte(hi), byte(lo))
		}
	}
	utf, err := simplifiedchinese.GBK.NewDecoder().Bytes(gb)
	if err != nil {
		panic(err) // a fixed table: cannot fail
	}
	return []rune(string(utf))
})

var latinWords = []string{"GDP", "AI", "5G", "R&D", "CPU", "Internet", "Python", "ISO 9001", "PDF", "OECD"}

// Generate returns the Markdown source of a book.
func Generate(opt Options) ([]byte, error) {
	if opt.Chars <= 0 || opt.Chapters <= 0 {
		return nil, errors.New("testbook: Chars and Chapters must be positive")
	}
	if opt.NoteEvery == 0 {
		opt.NoteEvery = 5
	}
	if opt.NoteEvery < 0 {
		return nil, errors.New("testbook: NoteEvery must not be negative")
	}
	g := &gen{r: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9E3779B97F4A7C15)), pool: hanzi()}
	g.zipf = rand.NewZipf(g.r, 1.05, 4, uint64(len(g.pool)-1))
	var out bytes.Buffer
	out.Grow(opt.Chars * 4)
	fmt.Fprintf(&out, "---\ntitle: 生成的测试书（%d字，种子%d）\nauthor: 佚名\nlang: zh-CN\ndate: 2024-01-01\n---\n\n", opt.Chars, opt.Seed)
	perChapter := opt.Chars / opt.Chapters
	para, note := 0, 0
	for ch := 1; ch <= opt.Chapters; ch++ {
		fmt.Fprintf(&out, "## 第%d章　%s\n\n", ch, g.words(2, 6))
		target := perChapter * ch
		if ch == opt.Chapters {
			target = opt.Chars
		}
		for sec := 0; g.n < target; para++ {
			if para%12 == 11 && g.n < target-perChapter/8 {
				sec++
				fmt.Fprintf(&out, "### %d.%d　%s\n\n", ch, sec, g.words(3, 8))
			}
			g.paragraph(&out)
			if para%opt.NoteEvery == opt.NoteEvery-1 {
				note++
				fmt.Fprintf(&out, "[^%d]\n\n[^%d]: ", note, note)
				g.sentence(&out, 12, 60)
				out.WriteString("\n\n")
			} else {
				out.WriteString("\n\n")
			}
		}
	}
	return out.Bytes(), nil
}

type gen struct {
	r    *rand.Rand
	zipf *rand.Zipf
	pool []rune
	n    int // body characters written
}

// char draws one Han character.
func (g *gen) char() rune { return g.pool[g.zipf.Uint64()] }

// words returns between lo and hi Han characters.
func (g *gen) words(lo, hi int) string {
	rs := make([]rune, lo+g.r.IntN(hi-lo+1))
	for i := range rs {
		rs[i] = g.char()
	}
	g.n += len(rs)
	return string(rs)
}

// paragraph writes 80 to 400 characters of sentences, without the final
// line break.
func (g *gen) paragraph(out *bytes.Buffer) {
	end := g.n + 80 + g.r.IntN(321)
	for g.n < end {
		g.sentence(out, 10, 60)
	}
}

// sentence writes clauses separated by commas and ended by a full stop,
// with occasional quotations, book titles, numbers, Latin words and
// emphasis.
func (g *gen) sentence(out *bytes.Buffer, lo, hi int) {
	end := g.n + lo + g.r.IntN(hi-lo+1)
	for {
		switch k := g.r.IntN(40); {
		case k == 0:
			out.WriteString("“" + g.words(4, 20) + "”")
			g.n += 2
		case k == 1:
			out.WriteString("《" + g.words(2, 8) + "》")
			g.n += 2
		case k == 2:
			s := strconv.Itoa(1900+g.r.IntN(130)) + "年"
			out.WriteString(s)
			g.n += len(s) - 2
		case k == 3:
			w := latinWords[g.r.IntN(len(latinWords))]
			out.WriteString(w)
			g.n += len(w)
		case k == 4:
			out.WriteString("*" + g.words(2, 6) + "*")
		case k == 5:
			out.WriteString("**" + g.words(2, 6) + "**")
		case k == 6:
			out.WriteString("（" + g.words(3, 12) + "）")
			g.n += 2
		default:
			out.WriteString(g.words(2, 12))
		}
		if g.n >= end {
			break
		}
		if g.r.IntN(4) == 0 {
			out.WriteString(g.words(2, 10))
		}
		p := "，"
		if g.r.IntN(8) == 0 {
			p = "、"
		} else if g.r.IntN(12) == 0 {
			p = "；"
		}
		out.WriteString(p)
		g.n++
	}
	stops := []string{"。", "。", "。", "。", "！", "？", "……"}
	out.WriteString(stops[g.r.IntN(len(stops))])
	g.n++
}
