package layout

import (
	"strconv"
)

// circled returns the footnote mark for the n-th note of a page: ①…㊿,
// then [51] … (docs/typesetting.md §5.5).
func circled(n int) string {
	switch {
	case n >= 1 && n <= 20:
		return string(rune(0x2460 + n - 1))
	case n >= 21 && n <= 35:
		return string(rune(0x3251 + n - 21))
	case n >= 36 && n <= 50:
		return string(rune(0x32B1 + n - 36))
	}
	return "[" + strconv.Itoa(n) + "]"
}
