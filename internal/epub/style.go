package epub

import (
	"fmt"
	"regexp"
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
	for _, rule := range cssRulesOf(sheet) {
		if usesOnly(rule, classes) {
			b.WriteString("\n")
			stacks.WriteString(&b, rule)
		}
	}
	return b.String()
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

// usesOnly reports whether every class the rule's selectors name is used.
func usesOnly(rule string, classes map[string]bool) bool {
	selectors, _, _ := strings.Cut(rule, "{")
	for _, m := range cssClass.FindAllStringSubmatch(selectors, -1) {
		if !classes[m[1]] {
			return false
		}
	}
	return true
}
