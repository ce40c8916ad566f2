package epub

import (
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
	ot, err := parseFace(f.Serif)
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
