package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/doc"
)

// TestBracketsInLinearTime parses paragraphs of many brackets, which took
// time quadratic in their number (in goldmark's scan for a destination,
// and in joining the pieces of text one at a time), at n and 4n copies:
// either is read, or refused at its line, and 4n takes at most ten times
// as long as n (with two seconds to spare for a busy machine).
func TestBracketsInLinearTime(t *testing.T) {
	const refused = "4: too many links with no end"
	// from is the least count refused (want set, from 0: all are).
	cases := []struct {
		unit, want string
		from       int
	}{
		{"[a](", refused, 0},
		{"![a](", refused, 0},
		{"[a](b", refused, 0},
		{"[a](<", refused, 0},
		{"[a](b'", refused, 0},
		{"[a](\n", "4: paragraph of", 40_000}, // 10,000 lines take 0.1 s
		{"[a](b \"", "", 0},
		{"[a][", "", 0},
		{"[a]", "", 0},
		{"*a", "", 0},
		{"[链接](https://example.com/a_(b))中文", "", 0}, // real links, no blanks between
	}
	for _, c := range cases {
		var took [2]time.Duration
		for i, n := range []int{10_000, 40_000} {
			src := fm + strings.Repeat(c.unit, n) + "\n"
			// The faster of two runs, to smooth out a busy machine.
			var err error
			took[i] = time.Hour
			for range 2 {
				start := time.Now()
				_, err = Parse("b.md", []byte(src))
				took[i] = min(took[i], time.Since(start))
			}
			switch refuse := c.want != "" && n >= c.from; {
			case !refuse && err != nil:
				t.Errorf("%q × %d: %v", c.unit, n, err)
			case refuse && (err == nil || !strings.Contains(err.Error(), "b.md:"+c.want)):
				t.Errorf("%q × %d: error %v, want b.md:%s", c.unit, n, err, c.want)
			}
		}
		if took[1] > 10*took[0]+2*time.Second {
			t.Errorf("%q: 10,000 took %v, 40,000 %v", c.unit, took[0], took[1])
		}
	}
}

// TestDeepEmphasis checks that emphasis nested 150 deep, in Markdown or
// in HTML tags, is kept to maxInlineNesting levels, with a warning at its
// line, and that every character is still there.
func TestDeepEmphasis(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("*甲 **", 150) + "乙" + strings.Repeat("** 丙*", 150),
		strings.Repeat("<b>甲<i>", 150) + "乙" + strings.Repeat("</i>丙</b>", 150),
	} {
		d, err := Parse("b.md", []byte(fm+src+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Warnings) != 1 || d.Warnings[0].Line != 4 || !strings.Contains(d.Warnings[0].Msg, "emphasis nested more than 8 deep") {
			t.Errorf("%.20s…: warnings %v, want one at line 4", src, d.Warnings)
		}
		var depth func([]doc.Inline) int
		depth = func(xs []doc.Inline) int {
			deepest := 0
			for _, x := range xs {
				switch x := x.(type) {
				case *doc.Emphasis:
					deepest = max(deepest, 1+depth(x.Content))
				case *doc.Span:
					deepest = max(deepest, 1+depth(x.Content))
				}
			}
			return deepest
		}
		p := d.Blocks[0].(*doc.Paragraph)
		if got := depth(p.Content); got != maxInlineNesting {
			t.Errorf("%.20s…: nested %d deep, want %d", src, got, maxInlineNesting)
		}
		text := doc.PlainText(p.Content)
		if strings.Count(text, "甲") != 150 || strings.Count(text, "丙") != 150 || !strings.Contains(text, "乙") {
			t.Errorf("text lost: %q", text)
		}
	}
}
