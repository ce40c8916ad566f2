// Package lint finds what Chinese editors correct by hand in a Markdown
// manuscript: half-width punctuation and straight quotes in Chinese
// sentences, wrong ellipses and dashes, full-width digits and letters,
// typed spaces between Han and Latin, and unmatched paired marks.
//
// It is narrower than huacnlee/autocorrect and zhlint on purpose. Both
// insert a space between Han and Latin; paiban's typesetter puts its own
// gap there (clreq, see the typesetting notes) and replaces typed spaces,
// so here a typed space is reported instead. Neither reports unmatched
// paired marks across a paragraph, which editors check by hand.
package lint

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/chars"
)

// Problem is one finding. Col counts characters, not bytes, from 1.
type Problem struct {
	File      string
	Line, Col int
	Rule      string
	Msg       string
	// fix replaces bytes [start, end) of the line, which may take in
	// spaces around the mark at byte at; fixable is false when the right
	// correction needs an editor's judgement.
	at, start, end int
	fix            string
	fixable        bool
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s (%s)", p.File, p.Line, p.Col, p.Msg, p.Rule)
}

// Fixable says whether Fix corrects this problem.
func (p Problem) Fixable() bool { return p.fixable }

// Rules names each check, as shown after each message.
var Rules = []string{"half-width-punct", "straight-quote", "ellipsis", "dash", "full-width-alnum", "han-latin-space", "unmatched-pair"}

// Check lints the Markdown text src; name is the file name in the results.
// Front matter, code and link targets are skipped.
func Check(name string, src []byte) []Problem {
	var out []Problem
	lines := bytes.SplitAfter(src, []byte("\n"))
	skip := skippedLines(lines)
	var para []lineRef
	flush := func() {
		out = append(out, unmatched(name, para)...)
		para = para[:0]
	}
	for i, raw := range lines {
		line := strings.TrimRight(string(raw), "\r\n")
		if skip[i] || strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		masked := mask(line)
		para = append(para, lineRef{i + 1, line, masked})
		for _, p := range checkLine(masked) {
			p.File, p.Line = name, i+1
			p.Col = utf8.RuneCountInString(line[:p.at]) + 1
			out = append(out, p)
		}
	}
	flush()
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Col < out[j].Col
	})
	return out
}

// CheckFile reads the file at name and reports its problems; with fix it
// first rewrites the file with the unambiguous corrections (Fix), keeping
// its permissions, and fixed says whether it changed.
func CheckFile(name string, fix bool) (probs []Problem, fixed bool, err error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, false, err
	}
	if fix {
		if f := Fix(src); !bytes.Equal(f, src) {
			fi, err := os.Stat(name)
			if err != nil {
				return nil, false, err
			}
			if err := os.WriteFile(name, f, fi.Mode().Perm()); err != nil {
				return nil, false, err
			}
			src, fixed = f, true
		}
	}
	return Check(name, src), fixed, nil
}

// Fix applies the corrections that are unambiguous and returns the new
// text; text without such problems comes back byte-identical.
func Fix(src []byte) []byte {
	probs := Check("", src)
	lines := bytes.SplitAfter(src, []byte("\n"))
	byLine := map[int][]Problem{}
	for _, p := range probs {
		if p.fixable {
			byLine[p.Line] = append(byLine[p.Line], p)
		}
	}
	var out bytes.Buffer
	for i, raw := range lines {
		ps := byLine[i+1]
		if len(ps) == 0 {
			out.Write(raw)
			continue
		}
		sort.SliceStable(ps, func(a, b int) bool { return ps[a].start < ps[b].start })
		at := 0
		for _, p := range ps {
			if p.start < at { // overlapping finding: the earlier one wins
				continue
			}
			out.Write(raw[at:p.start])
			out.WriteString(p.fix)
			at = p.end
		}
		out.Write(raw[at:])
	}
	return out.Bytes()
}

type lineRef struct {
	n            int
	line, masked string
}

var fence = regexp.MustCompile("^ {0,3}(```|~~~)")

// skippedLines marks front matter and fenced code blocks.
func skippedLines(lines [][]byte) []bool {
	skip := make([]bool, len(lines))
	i := 0
	trim := func(k int) string { return strings.TrimRight(string(lines[k]), "\r\n") }
	if len(lines) > 0 && strings.TrimPrefix(trim(0), "\uFEFF") == "---" {
		for j := 1; j < len(lines); j++ {
			if t := trim(j); t == "---" || t == "..." {
				for k := 0; k <= j; k++ {
					skip[k] = true
				}
				i = j + 1
				break
			}
		}
	}
	open := ""
	for ; i < len(lines); i++ {
		t := trim(i)
		if m := fence.FindStringSubmatch(t); m != nil {
			switch {
			case open == "":
				open = m[1]
				skip[i] = true
				continue
			case m[1] == open:
				open = ""
				skip[i] = true
				continue
			}
		}
		skip[i] = open != ""
	}
	return skip
}

// notText matches what is not prose: code spans, link targets, autolinks,
// bare URLs, HTML tags and footnote labels.
var notText = regexp.MustCompile("`+[^`]*`+|\\]\\([^)]*\\)|\\]\\[[^\\]]*\\]|<[a-zA-Z/!][^>]*>|https?://[!-~]+|\\[\\^[^\\]]*\\]|^\\s*\\[[^\\]]+\\]:\\s*\\S+")

// mask replaces what is not prose by NUL bytes of the same length, so
// byte offsets stay valid.
func mask(line string) string {
	b := []byte(line)
	for _, m := range notText.FindAllStringIndex(line, -1) {
		start := m[0]
		// Keep the ] and the ( … ) of a link, only its target is masked.
		if strings.HasPrefix(line[start:], "](") || strings.HasPrefix(line[start:], "][") {
			start++
		}
		for k := start; k < m[1]; k++ {
			b[k] = 0
		}
	}
	return string(b)
}

func isLatin(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// neighbours returns the runes before i and after j in s, looking past
// Markdown emphasis markers; 0 at the line ends.
func neighbours(s string, i, j int) (before, after rune) {
	for k := i; k > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:k])
		if r != '*' && r != '_' {
			before = r
			break
		}
		k -= n
	}
	for k := j; k < len(s); {
		r, n := utf8.DecodeRuneInString(s[k:])
		if r != '*' && r != '_' {
			after = r
			break
		}
		k += n
	}
	return
}

var fullWidthPunct = map[byte]string{',': "，", '.': "。", ':': "：", ';': "；", '?': "？", '!': "！", '(': "（", ')': "）"}

var (
	ellipsisRe = regexp.MustCompile(`\.{3,}|。{2,}|…+`)
	dashRe     = regexp.MustCompile(`-{2,3}|—+`)
	alnumRe    = regexp.MustCompile(`[０-９Ａ-Ｚａ-ｚ]+`)
	spaceRe    = regexp.MustCompile(`[ \t]+`)
)

// checkLine finds the problems of one line of text, m, rule by rule.
func checkLine(m string) []Problem {
	out, dots := ellipses(m)
	out = append(out, dashes(m)...)
	out = append(out, halfWidthPunct(m, dots)...)
	out = append(out, quotes(m, '"', "“", "”")...)
	out = append(out, quotes(m, '\'', "‘", "’")...)
	out = append(out, fullWidthAlnum(m)...)
	return append(out, hanLatinSpaces(m)...)
}

// problem is a Problem found at m[start:end], to be replaced by fix.
func problem(start, end int, rule, msg, fix string, fixable bool) Problem {
	return Problem{Rule: rule, Msg: msg, at: start, start: start, end: end, fix: fix, fixable: fixable}
}

// ellipses finds the ellipses not written ……; dots are the bytes of m
// that are theirs. They are looked for first: their dots must not be read
// as full stops.
func ellipses(m string) (out []Problem, dots map[int]bool) {
	dots = map[int]bool{}
	for _, loc := range ellipsisRe.FindAllStringIndex(m, -1) {
		s := m[loc[0]:loc[1]]
		b, a := neighbours(m, loc[0], loc[1])
		if s == "……" || (s[0] == '.' && !chars.Chinese(b) && !chars.Chinese(a)) {
			continue
		}
		for k := loc[0]; k < loc[1]; k++ {
			dots[k] = true
		}
		out = append(out, problem(loc[0], loc[1], "ellipsis", fmt.Sprintf("write the ellipsis as …… (two U+2026), not %s", s), "……", true))
	}
	return out, dots
}

// dashes finds the dashes of a Chinese sentence not written ——.
func dashes(m string) []Problem {
	var out []Problem
	for _, loc := range dashRe.FindAllStringIndex(m, -1) {
		s := m[loc[0]:loc[1]]
		if s == "——" {
			continue
		}
		b, a := neighbours(m, loc[0], loc[1])
		if s[0] == '-' && !chars.Chinese(b) && !chars.Chinese(a) {
			continue
		}
		out = append(out, problem(loc[0], loc[1], "dash", fmt.Sprintf("write the dash as —— (two U+2014), not %s", s), "——", s != "———"))
	}
	return out
}

// halfWidthPunct finds half-width punctuation in Chinese sentences,
// except the dots of the ellipses already found.
func halfWidthPunct(m string, dots map[int]bool) []Problem {
	var out []Problem
	for i := 0; i < len(m); i++ {
		c := m[i]
		fw, ok := fullWidthPunct[c]
		if !ok || dots[i] {
			continue
		}
		b, a := neighbours(m, i, i+1)
		chinese := chars.Chinese(b) || chars.Chinese(a)
		if c == '(' {
			chinese = chars.Chinese(b) || chars.IsHan(a)
		}
		if c == ')' {
			chinese = chars.IsHan(b) || chars.Chinese(a)
		}
		// 3.5 and 12:30 are numbers whatever surrounds them.
		if !chinese || (unicode.IsDigit(b) && unicode.IsDigit(a)) || (c == '.' && isLatin(a)) {
			continue
		}
		start, end := i, i+1
		switch c {
		case '(': // 中文 (注) → 中文（注）: the full-width mark brings its own space
			for start > 0 && m[start-1] == ' ' {
				start--
			}
		default:
			for end < len(m) && m[end] == ' ' {
				end++
			}
			if end == len(m) {
				end = i + 1 // trailing spaces may be a hard line break
			}
		}
		p := problem(start, end, "half-width-punct", fmt.Sprintf("half-width %q in a Chinese sentence: use %s", c, fw), fw, true)
		p.at = i
		out = append(out, p)
	}
	return out
}

// fullWidthAlnum finds full-width digits and Latin letters.
func fullWidthAlnum(m string) []Problem {
	var out []Problem
	for _, loc := range alnumRe.FindAllStringIndex(m, -1) {
		s := m[loc[0]:loc[1]]
		half := strings.Map(func(r rune) rune { return r - 0xFEE0 }, s)
		out = append(out, problem(loc[0], loc[1], "full-width-alnum", fmt.Sprintf("full-width %s: use half-width %s", s, half), half, true))
	}
	return out
}

// hanLatinSpaces finds spaces typed between Han and Latin.
func hanLatinSpaces(m string) []Problem {
	var out []Problem
	for _, loc := range spaceRe.FindAllStringIndex(m, -1) {
		if loc[0] == 0 {
			continue
		}
		b, _ := utf8.DecodeLastRuneInString(m[:loc[0]])
		a, _ := utf8.DecodeRuneInString(m[loc[1]:])
		if (chars.IsHan(b) && isLatin(a)) || (isLatin(b) && chars.IsHan(a)) {
			out = append(out, problem(loc[0], loc[1], "han-latin-space", "space between Han and Latin: the typesetter puts its own gap there", "", true))
		}
	}
	return out
}

// quotes reports straight quotes q in Chinese text. Quotes pair up in
// order along the line; a pair is Chinese when it holds Han or touches
// CJK outside. With an odd number of quotes on the line the pairing is a
// guess, so nothing is fixed.
func quotes(m string, q byte, open, close string) []Problem {
	var at []int
	for i := 0; i < len(m); i++ {
		if m[i] != q {
			continue
		}
		b, a := neighbours(m, i, i+1)
		if q == '\'' && isLatin(b) && isLatin(a) { // an apostrophe: don't
			continue
		}
		at = append(at, i)
	}
	var out []Problem
	even := len(at)%2 == 0
	for k := 0; k < len(at); k++ {
		i := at[k]
		chinese := false
		if even {
			o, c := at[k-k%2], at[k-k%2+1]
			b, _ := neighbours(m, o, o+1)
			_, a := neighbours(m, c, c+1)
			chinese = chars.Chinese(b) || chars.Chinese(a) || strings.IndexFunc(m[o+1:c], chars.IsHan) >= 0
		} else {
			b, a := neighbours(m, i, i+1)
			chinese = chars.Chinese(b) || chars.Chinese(a)
		}
		if !chinese {
			continue
		}
		fix := open
		if k%2 == 1 {
			fix = close
		}
		msg := fmt.Sprintf("straight quote %c in Chinese text: use %s", q, open+" "+close)
		out = append(out, Problem{Rule: "straight-quote", Msg: msg, at: i, start: i, end: i + 1, fix: fix, fixable: even})
	}
	return out
}

// unmatched reports paired marks left open or closed without an opening
// within one paragraph.
func unmatched(name string, para []lineRef) []Problem {
	closers := map[rune]rune{}
	for o, c := range chars.Pairs {
		closers[c] = o
	}
	type mark struct {
		r         rune
		line, col int
	}
	stacks := map[rune][]mark{}
	var out []Problem
	report := func(mk mark, msg string) {
		out = append(out, Problem{File: name, Line: mk.line, Col: mk.col, Rule: "unmatched-pair", Msg: msg})
	}
	for _, l := range para {
		col := 0
		for i, r := range l.masked {
			col++
			if _, ok := chars.Pairs[r]; ok {
				stacks[r] = append(stacks[r], mark{r, l.n, col})
				continue
			}
			o, ok := closers[r]
			if !ok {
				continue
			}
			if r == '’' { // also an apostrophe: it’s
				b, a := neighbours(l.masked, i, i+len("’"))
				if isLatin(b) && isLatin(a) {
					continue
				}
			}
			if s := stacks[o]; len(s) > 0 {
				stacks[o] = s[:len(s)-1]
			} else {
				report(mark{r, l.n, col}, fmt.Sprintf("%c without %c before it in the paragraph", r, o))
			}
		}
	}
	for o, s := range stacks {
		for _, mk := range s {
			report(mk, fmt.Sprintf("%c without %c after it in the paragraph", o, chars.Pairs[o]))
		}
	}
	return out
}
