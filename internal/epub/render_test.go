package epub

import (
	"encoding/xml"
	"strings"
	"testing"
)

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

// TestEscapePlain checks that text escape writes unchanged is exactly the
// text encoding/xml (with numeric references) would leave unchanged.
func TestEscapePlain(t *testing.T) {
	for _, s := range []string{
		"", "新质生产力", "GDP 增长 5.2%", "a&b", "<p>", "x > y", `"引"`, "it's",
		"tab\there", "line\nend", "cr\rlf", "\x00nul", "\x1f", "bad \xff utf-8",
		"\uFFFD", "\uFFFE", "\uFFFF", "\U0001F600", "〓…——", "\u00a0nbsp",
	} {
		var e strings.Builder
		_ = xml.EscapeText(&e, []byte(s))
		want := numericEntities.Replace(e.String())
		var got strings.Builder
		escape(&got, s)
		if got.String() != want {
			t.Errorf("escape(%q) = %q, want %q", s, got.String(), want)
		}
		if plainXML(s) && want != s {
			t.Errorf("plainXML(%q) is true, but escaping gives %q", s, want)
		}
	}
}
