package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/paiban/paiban/internal/layout"
)

// pageLabels returns the catalog's /PageLabels value, so that a viewer's
// page box shows the printed folio (ii, 3) rather than the page's index.
// Pages whose folios count on in one style (1, 2, 3 or i, ii, iii) share a
// range; an unnumbered page gets an empty label. Nothing is written when
// the folios are simply 1, 2, 3… from the first page, the viewer's default.
func pageLabels(pages []*layout.Page) string {
	type style struct {
		s      string // D, r, R, or "" for a literal prefix or none
		prefix string
		n      int
	}
	parse := func(folio string) style {
		if n, err := strconv.Atoi(folio); err == nil && n > 0 && strconv.Itoa(n) == folio {
			return style{s: "D", n: n}
		}
		if n := roman(strings.ToLower(folio)); n > 0 {
			if folio == strings.ToLower(folio) {
				return style{s: "r", n: n}
			}
			return style{s: "R", n: n}
		}
		return style{prefix: folio}
	}
	var b bytes.Buffer
	var prev style
	plain := true
	for i, p := range pages {
		st := parse(p.Folio)
		if st.s != "D" || st.n != i+1 {
			plain = false
		}
		if i > 0 && st.s != "" && st.s == prev.s && st.n == prev.n+1 {
			prev = st
			continue
		}
		prev = st
		fmt.Fprintf(&b, " %d <<", i)
		if st.s != "" {
			fmt.Fprintf(&b, " /S /%s", st.s)
			if st.n != 1 {
				fmt.Fprintf(&b, " /St %d", st.n)
			}
		} else if st.prefix != "" {
			fmt.Fprintf(&b, " /P %s", textString(st.prefix))
		}
		b.WriteString(" >>")
	}
	if plain || len(pages) == 0 {
		return ""
	}
	return "<< /Nums [" + b.String() + " ] >>"
}

// roman returns the value of a lower-case Roman numeral written in the
// usual subtractive form, or 0.
func roman(s string) int {
	if s == "" {
		return 0
	}
	val := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100, 'd': 500, 'm': 1000}
	n := 0
	for i := 0; i < len(s); i++ {
		v, ok := val[s[i]]
		if !ok {
			return 0
		}
		if i+1 < len(s) && val[s[i+1]] > v {
			n -= v
		} else {
			n += v
		}
	}
	if n <= 0 || n >= 4000 || toRoman(n) != s {
		return 0
	}
	return n
}

func toRoman(n int) string {
	var b strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}} {
		for n >= r.v {
			b.WriteString(r.s)
			n -= r.v
		}
	}
	return b.String()
}
