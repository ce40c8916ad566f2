package epub

import "testing"

func TestDropHanLatinSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"使用 Go 语言":        "使用Go语言",
		"2024 年  9 月":     "2024年9月",
		"new quality 生产力": "new quality生产力",
		"，  Go":           "，  Go", // next to punctuation the mark's blank half is the gap
		"甲 乙":             "甲 乙",
		" Go ":            " Go ",
	} {
		if got := dropHanLatinSpaces(in); got != want {
			t.Errorf("dropHanLatinSpaces(%q) = %q, want %q", in, got, want)
		}
	}
}
