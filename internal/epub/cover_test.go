package epub

import (
	"github.com/paiban/paiban/internal/style"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/image/font"
)

// TestWrapShowsWhatFits checks the cover's line breaking: breaks at
// spaces, then between characters but never before closing punctuation,
// and, for text longer than the lines allowed, the lines that fit with
// an ellipsis at the end of the last.
func TestWrapShowsWhatFits(t *testing.T) {
	f, _ := bundled(t)
	ot, err := parseFace(f.Face(style.Serif))
	if err != nil {
		t.Fatal(err)
	}
	face := newFace(ot, 50)
	em := font.MeasureString(face, "汉")
	width := 10 * em
	check := func(got []string, want ...string) {
		t.Helper()
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("lines %q, want %q", got, want)
		}
		for _, l := range got {
			if w := font.MeasureString(face, l); w > width {
				t.Errorf("line %q is %v wide, more than %v", l, w, width)
			}
		}
	}
	check(wrap(face, "一二三 四五六七八九十甲", width, 4), "一二三", "四五六七八九十甲")
	check(wrap(face, "一二三四五六七八九十，甲", width, 4), "一二三四五六七八九", "十，甲")
	// The print edition's rules (docs/typesetting.md §1.2): no ～, ％ or
	// 〗 at a line start either, and a dash run stays whole.
	check(wrap(face, "一二三四五六七八九十～甲", width, 4), "一二三四五六七八九", "十～甲")
	check(wrap(face, "一二三四五六七八九十％", width, 4), "一二三四五六七八九", "十％")
	check(wrap(face, "一二三四五六七八九十〗甲", width, 4), "一二三四五六七八九", "十〗甲")
	check(wrap(face, "一二三四五六七八九——甲", width, 4), "一二三四五六七八", "九——甲")
	check(wrap(face, "  一二  三  ", width, 4), "一二 三")
	long := wrap(face, strings.Repeat("汉", 1_000_000), width, 2)
	if len(long) != 2 || !strings.HasSuffix(long[1], "汉……") {
		t.Fatalf("a million characters in two lines: %q", long)
	}
	check(long, strings.Repeat("汉", 10), long[1])
	if got := wrap(face, "", width, 3); len(got) != 0 {
		t.Errorf("empty text gives lines %q", got)
	}
}

// TestURISafe checks that an href holds only what a URI may, and decodes
// back to the link as written.
func TestURISafe(t *testing.T) {
	cases := []struct{ in, want string }{
		{`https://example.com/a?b="c"&d='e'<f>)g`, `https://example.com/a?b=%22c%22&d='e'%3Cf%3E)g`},
		{"https://example.com/a b\tc{|}^`\\", "https://example.com/a%20b%09c%7B%7C%7D%5E%60%5C"},
		{"https://example.com/100%/%41#x#y", "https://example.com/100%25/%41#x%23y"},
		{"https://例子.中国/路径?查=询", "https://例子.中国/路径?查=询"},
		{"mailto:a@b.c", "mailto:a@b.c"},
	}
	for _, c := range cases {
		got := uriSafe(c.in)
		if got != c.want {
			t.Errorf("uriSafe(%q) = %q, want %q", c.in, got, c.want)
		}
		if _, err := url.Parse(got); err != nil {
			t.Errorf("%q does not parse: %v", got, err)
		}
	}
}
