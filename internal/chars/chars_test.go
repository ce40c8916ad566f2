package chars

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// docTable returns the rows of the table under the heading of
// docs/typesetting.md that starts with heading: the first column and the
// characters quoted in `…` in the second.
func docTable(t *testing.T, heading string) map[string][]rune {
	t.Helper()
	src, err := os.ReadFile("../../docs/typesetting.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(src), "\n"+heading)
	if !ok {
		t.Fatalf("docs/typesetting.md has no section %q", heading)
	}
	sec, _, _ = strings.Cut(sec, "\n#")
	quoted, profile := regexp.MustCompile("`([^`]*)`"), regexp.MustCompile("^[a-z]+$")
	rows := map[string][]rune{}
	for _, l := range strings.Split(sec, "\n") {
		cols := strings.Split(l, "|")
		if len(cols) < 4 || strings.HasPrefix(strings.TrimSpace(cols[1]), "---") || strings.TrimSpace(cols[1]) == "kind" {
			continue
		}
		var rs []rune
		for _, m := range quoted.FindAllStringSubmatch(cols[2], -1) {
			if profile.MatchString(m[1]) {
				continue // a profile's name
			}
			for _, r := range m[1] {
				if !unicode.IsSpace(r) {
					rs = append(rs, r)
				}
			}
		}
		rows[strings.TrimSpace(cols[1])] = rs
	}
	if len(rows) == 0 {
		t.Fatalf("no table under %q", heading)
	}
	return rows
}

// TestNeverStartsAsDocumented checks every character the rule book says
// may not start a line (§1.2) against NeverStarts. The rows about marks
// rather than characters (a single dash, the strict profile's ——, the
// footnote mark) are the layout's and are tested there.
func TestNeverStartsAsDocumented(t *testing.T) {
	n := 0
	for kind, rs := range docTable(t, "### 1.2 ") {
		if strings.Contains(kind, "strict") || strings.Contains(kind, "footnote") {
			continue
		}
		for _, r := range rs {
			if r == '—' { // only a single one: a run is one unit
				continue
			}
			n++
			if !NeverStarts(Of(r), r) {
				t.Errorf("%s: %q (U+%04X) may start a line", kind, r, r)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d characters read from §1.2", n)
	}
	if !NeverStarts(NoteRef, '①') {
		t.Error("a footnote mark may start a line")
	}
	for _, r := range "中“（《a1$—" {
		if NeverStarts(Of(r), r) {
			t.Errorf("%q may not start a line", r)
		}
	}
}

// TestNeverEndsAsDocumented checks every character the rule book says may
// not end a line (§1.3) against NeverEnds.
func TestNeverEndsAsDocumented(t *testing.T) {
	n := 0
	for kind, rs := range docTable(t, "### 1.3 ") {
		for _, r := range rs {
			n++
			if !NeverEnds(Of(r), r) {
				t.Errorf("%s: %q (U+%04X) may end a line", kind, r, r)
			}
		}
	}
	if n < 25 {
		t.Errorf("only %d characters read from §1.3", n)
	}
	for _, r := range "中”）》，。a1%" {
		if NeverEnds(Of(r), r) {
			t.Errorf("%q may not end a line", r)
		}
	}
}

// TestMarksAreClassed checks that the marks whose widths the layout
// adjusts are marks to the line breaker, set from the CJK face, and that
// the pairs lint checks open and close.
func TestMarksAreClassed(t *testing.T) {
	for _, r := range Punctuation {
		if c := Of(r); c == Han || c == Latin || !CJK(r) {
			t.Errorf("%q: class %d, CJK face %v", r, c, CJK(r))
		}
	}
	for o, c := range Pairs {
		if Of(o) != Open || Of(c) != Close {
			t.Errorf("pair %c%c: classes %d, %d", o, c, Of(o), Of(c))
		}
	}
}

// TestChineseAndCJK checks the answers §4.6 gives for characters where
// the questions differ.
func TestChineseAndCJK(t *testing.T) {
	cases := []struct {
		r                 rune
		cjk, han, chinese bool
	}{
		{'中', true, true, true},
		{'“', true, false, true},
		{'，', true, false, true},
		{'·', true, false, true},
		{'あ', true, false, false},
		{'①', true, false, false},
		{'ｱ', true, false, false}, // half-width katakana
		{'한', false, false, false},
		{'a', false, false, false},
		{'😀', false, false, false},
	}
	for _, c := range cases {
		got := [3]bool{CJK(c.r), IsHan(c.r), Chinese(c.r)}
		want := [3]bool{c.cjk, c.han, c.chinese}
		if got != want {
			t.Errorf("%q: CJK, IsHan, Chinese = %v, want %v", c.r, got, want)
		}
	}
}

func TestUnshaped(t *testing.T) {
	for r, want := range map[rune]string{
		'ئ': "Arabic (Uyghur)", 'ᠮ': "Mongolian", 'ཀ': "Tibetan", 'க': "Tamil", 'א': "Hebrew",
		'汉': "", 'a': "", 'Ж': "", 'α': "", '，': "", 'あ': "", '한': "",
	} {
		if got := Unshaped(r); got != want {
			t.Errorf("Unshaped(%q) = %q, want %q", r, got, want)
		}
	}
}

// TestUnshapedBlocks checks that the block table passes over no
// character of the scripts it stands for.
func TestUnshapedBlocks(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := ""
		for _, s := range unshapedScripts {
			if unicode.Is(s.table, r) {
				want = s.name
				break
			}
		}
		if r < 0x0590 && want != "" {
			t.Fatalf("%U of %s is below Hebrew", r, want)
		}
		if r >= 0x0590 && Unshaped(r) != want {
			t.Fatalf("Unshaped(%U) = %q, want %q", r, Unshaped(r), want)
		}
	}
}
