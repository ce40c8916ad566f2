package markdown

import (
	"strings"
	"testing"
	"time"
)

// TestBracketsInLinearTime parses paragraphs of many brackets, which took
// time quadratic in their number (in goldmark's scan for a destination,
// and in joining the pieces of text one at a time), at n and 4n copies:
// either is read, or refused at its line, and 4n takes at most ten times
// as long as n (with a second to spare for a busy machine).
func TestBracketsInLinearTime(t *testing.T) {
	const refused = "4: too many links with no end"
	cases := []struct{ unit, want string }{
		{"[a](", refused},
		{"![a](", refused},
		{"[a](b", refused},
		{"[a](<", refused},
		{"[a](b'", refused},
		{"[a](\n", "4: paragraph of"},
		{"[a](b \"", ""},
		{"[a][", ""},
		{"[a]", ""},
		{"*a", ""},
		{"[链接](https://example.com/a_(b))中文", ""}, // real links, no blanks between
	}
	for _, c := range cases {
		var took [2]time.Duration
		for i, n := range []int{10_000, 40_000} {
			src := fm + strings.Repeat(c.unit, n) + "\n"
			start := time.Now()
			_, err := Parse("b.md", []byte(src))
			took[i] = time.Since(start)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%q × %d: %v", c.unit, n, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), "b.md:"+c.want)):
				t.Errorf("%q × %d: error %v, want b.md:%s", c.unit, n, err, c.want)
			}
		}
		if took[1] > 10*took[0]+time.Second {
			t.Errorf("%q: 10,000 took %v, 40,000 %v", c.unit, took[0], took[1])
		}
	}
}
