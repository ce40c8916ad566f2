package epub

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Font stacks end in the fonts readers ship for Chinese, so that a reader
// that ignores embedded fonts (or a character no subset has) still gets
// 宋体 for the text and 黑体 for headings.
const (
	serifStack = `"Songti SC", "SimSun", "Noto Serif CJK SC", serif`
	sansStack  = `"PingFang SC", "Heiti SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`
	kaiStack   = `"Kaiti SC", "STKaiti", "KaiTi", "楷体", "AR PL UKai CN", serif`
	monoStack  = `"Sarasa Mono SC", "Noto Sans Mono CJK SC", "Menlo", "Consolas", monospace`
)

// stylesheet returns the CSS for the text, title page and colophon: the
// @font-face rules of the embedded subsets, then the rules of sheet (the
// style's epub.css) whose classes the markup uses, with the font stacks
// filled in.
func stylesheet(sheet string, embedded []*embeddedFont, classes map[string]bool) string {
	var b strings.Builder
	for _, f := range embedded {
		if f == nil {
			continue
		}
		style, weight := "normal", "normal"
		if f.italic {
			style = "italic"
		}
		if f.bold {
			// Headings and strong ask for bold; declaring the face bold
			// keeps readers from thickening it a second time.
			weight = "bold"
		}
		fmt.Fprintf(&b, "@font-face {\n  font-family: %q;\n  font-style: %s;\n  font-weight: %s;\n  src: url(../fonts/%s);\n}\n\n", f.family, style, weight, f.file)
	}
	// The fallback faces come after the book's own faces in every stack
	// and before the reader's fonts, which may lack what they set.
	var fallback strings.Builder
	for _, f := range embedded[numRoles:] {
		if f != nil {
			fmt.Fprintf(&fallback, "%q, ", f.family)
		}
	}
	fb := fallback.String()
	serif, sans, kai, mono := fb+serifStack, fb+sansStack, fb+kaiStack, fb+monoStack
	if f := embedded[roleSerif]; f != nil {
		serif = fmt.Sprintf("%q, %s", f.family, serif)
	}
	// The Latin subset holds only Latin letters, digits and ASCII, so
	// everything else falls through to the Chinese face behind it.
	if f := embedded[roleLatin]; f != nil {
		serif = fmt.Sprintf("%q, %s", f.family, serif)
	}
	if f := embedded[roleSans]; f != nil {
		sans = fmt.Sprintf("%q, %s", f.family, sans)
	}
	if f := embedded[roleKai]; f != nil {
		kai = fmt.Sprintf("%q, %s", f.family, kai)
	}
	if f := embedded[roleLatin]; f != nil {
		kai = fmt.Sprintf("%q, %s", f.family, kai)
	}
	if f := embedded[roleMono]; f != nil {
		mono = fmt.Sprintf("%q, %s", f.family, mono)
	}
	stacks := strings.NewReplacer("SERIF", serif, "SANS", sans, "KAI", kai, "MONO", mono)
	for _, rule := range append(cssRulesOf(sheet), hangRules(classes)...) {
		if rule, ok := pruned(rule, classes); ok {
			b.WriteString("\n")
			stacks.WriteString(&b, rule)
		}
	}
	return b.String()
}

// hangRules are the rules of the wider hanging indents markerHang gives
// numbered lists, for the widths the book uses: the item's indent and its
// marker's box, across the line or, in vertical writing, down the column
// (where the marker's width is the line's again, as the sheet's
// .vertical ol.numbered rule has it).
func hangRules(classes map[string]bool) []string {
	var hangs []string
	for c := range classes {
		if strings.HasPrefix(c, "hang") {
			hangs = append(hangs, c)
		}
	}
	slices.Sort(hangs)
	var rules []string
	for _, c := range hangs {
		ol := "ol.numbered." + c
		w := strings.Replace(strings.TrimPrefix(c, "hang"), "-", ".", 1) + "em" // hang3-5: 3.5em
		rules = append(rules,
			fmt.Sprintf("%s > li {\n  padding-left: %s;\n}\n", ol, w),
			fmt.Sprintf("%[1]s > li > p > .marker, %[1]s > li > .marker {\n  width: %[2]s;\n  margin-left: -%[2]s;\n}\n", ol, w),
			fmt.Sprintf(".vertical %s > li {\n  padding: %s 0 0 0;\n}\n", ol, w),
			fmt.Sprintf(".vertical %[1]s > li > p > .marker, .vertical %[1]s > li > .marker {\n  width: auto;\n  height: %[2]s;\n  margin: -%[2]s 0 0 0;\n}\n", ol, w))
	}
	return rules
}

// coverCSS lets the cover image fill the page with no margins.
const coverCSS = `@page {
  margin: 0;
}

html, body, div.cover {
  height: 100%;
  margin: 0;
  padding: 0;
}

body {
  text-align: center;
}

svg {
  display: block;
  width: 100%;
  height: 100%;
}
`

// cssRulesOf splits a style sheet into its rules: blocks separated by
// blank lines, comments dropped.
func cssRulesOf(sheet string) []string {
	sheet = cssComment.ReplaceAllString(sheet, "")
	var rules []string
	for _, block := range strings.Split(strings.ReplaceAll(sheet, "\r\n", "\n"), "\n\n") {
		if block = strings.TrimSpace(block); block != "" {
			rules = append(rules, block+"\n")
		}
	}
	return rules
}

var (
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssClass   = regexp.MustCompile(`\.([A-Za-z][A-Za-z0-9_-]*)`)
)

// pruned is the rule with only the selectors that name classes the book
// uses, false when none does: a rule for list markers of both kinds is
// kept, for one kind, in a book with one. A rule whose selectors all
// apply is kept as written.
func pruned(rule string, classes map[string]bool) (string, bool) {
	selectors, body, _ := strings.Cut(rule, "{")
	all := strings.Split(selectors, ",")
	var kept []string
	for _, sel := range all {
		if usesOnly(sel, classes) {
			kept = append(kept, strings.TrimSpace(sel))
		}
	}
	switch len(kept) {
	case 0:
		return "", false
	case len(all):
		return rule, true
	}
	return strings.Join(kept, ", ") + " {" + body, true
}

// usesOnly reports whether every class the selector names is used.
func usesOnly(sel string, classes map[string]bool) bool {
	for _, m := range cssClass.FindAllStringSubmatch(sel, -1) {
		if !classes[m[1]] {
			return false
		}
	}
	return true
}
