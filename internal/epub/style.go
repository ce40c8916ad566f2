package epub

import (
	"fmt"
	"strings"
)

// Font stacks end in the fonts readers ship for Chinese, so that a reader
// that ignores embedded fonts (or a character no subset has) still gets
// 宋体 for the text and 黑体 for headings.
const (
	serifStack = `"Songti SC", "SimSun", "Noto Serif CJK SC", serif`
	sansStack  = `"PingFang SC", "Heiti SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`
	kaiStack   = `"Kaiti SC", "STKaiti", "KaiTi", "楷体", "AR PL UKai CN", serif`
)

// stylesheet returns the CSS for the text, title page and colophon, with
// only the rules for the classes the markup uses.
func stylesheet(embedded [numRoles]*embeddedFont, classes map[string]bool) string {
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
	serif, sans, kai := serifStack, sansStack, kaiStack
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
	stacks := strings.NewReplacer("SERIF", serif, "SANS", sans, "KAI", kai)
	for i, r := range cssRules {
		if r.class == "" || classes[r.class] {
			if i > 0 {
				b.WriteString("\n")
			}
			stacks.WriteString(&b, r.css)
		}
	}
	return b.String()
}

// cssRules set Chinese text: 2-em indents, justified lines, strict line
// breaking (no small kana or iteration marks at a line start), 黑体
// headings and strong, emphasis dots instead of slanted Han, pop-up note
// marks as superscripts. The -epub- and -webkit- forms are for Apple Books
// and older Readium-based readers. A rule with a class is written only
// when the markup uses the class. SERIF and SANS stand for font stacks.
var cssRules = []struct{ class, css string }{
	{"", `body {
  font-family: SERIF;
  line-height: 1.75;
  text-align: justify;
  -epub-line-break: strict;
  -webkit-line-break: strict;
  line-break: strict;
  text-spacing-trim: trim-start;
  text-autospace: normal;
  hanging-punctuation: none;
  widows: 2;
  orphans: 2;
}
`},
	{"", `p {
  margin: 0;
  text-indent: 2em;
}
`},
	{"", `h1, h2, h3, h4, h5, h6, strong {
  font-family: SANS;
  font-weight: bold;
}
`},
	{"", `h1, h2, h3, h4, h5, h6 {
  line-height: 1.5;
  text-align: left;
  text-indent: 0;
  page-break-after: avoid;
  break-after: avoid;
}
`},
	{"", `h1 {
  font-size: 1.5em;
  margin: 1.5em 0;
  text-align: center;
}
`},
	{"", `h2 {
  font-size: 1.25em;
  margin: 1.5em 0 1em;
}
`},
	{"", `h3 {
  font-size: 1.1em;
  margin: 1.25em 0 0.75em;
}
`},
	{"", `h4, h5, h6 {
  font-size: 1em;
  margin: 1em 0 0.5em;
}
`},
	{"", `em {
  font-style: normal;
  -epub-text-emphasis-style: filled dot;
  -webkit-text-emphasis-style: filled dot;
  text-emphasis-style: filled dot;
  -epub-text-emphasis-position: under;
  -webkit-text-emphasis-position: under;
  text-emphasis-position: under right;
}
`},
	{"latn", `em .latn {
  font-style: italic;
  -epub-text-emphasis-style: none;
  -webkit-text-emphasis-style: none;
  text-emphasis-style: none;
}
`},
	{"", `a {
  color: inherit;
}
`},
	{"", `a[role="doc-noteref"] {
  font-size: 0.6em;
  line-height: 0;
  vertical-align: super;
  text-decoration: none;
}
`},
	{"", `blockquote {
  margin: 1em 0 1em 2em;
  font-family: KAI;
}
`},
	{"", `ul, ol {
  margin: 0.5em 0;
  padding-left: 2em;
}
`},
	{"", `li p {
  text-indent: 0;
}
`},
	{"", `pre {
  margin: 1em 0;
  font-size: 0.85em;
  line-height: 1.5;
  text-align: left;
  white-space: pre-wrap;
}
`},
	{"", `code {
  font-family: monospace;
}
`},
	{"", `hr {
  width: 30%;
  margin: 1.5em auto;
  border: 0;
  border-top: thin solid;
}
`},
	{"footnotes", `section.footnotes {
  margin-top: 2em;
  padding-top: 0.5em;
  border-top: thin solid;
}
`},
	{"", `aside[role="doc-footnote"] {
  margin: 0.5em 0;
  font-size: 0.85em;
  line-height: 1.6;
}
`},
	{"", `aside[role="doc-footnote"] p {
  padding-left: 1.5em;
  text-indent: 0;
}
`},
	{"", `aside[role="doc-footnote"] p:first-child {
  text-indent: -1.5em;
}
`},
	{"", `a[role="doc-backlink"] {
  text-decoration: none;
}
`},
	{"titlepage", `.titlepage {
  margin-top: 25%;
  text-align: center;
}
`},
	{"titlepage", `.titlepage h1 {
  font-size: 1.75em;
  margin: 0 0 0.75em;
}
`},
	{"titlepage", `.titlepage p {
  text-align: center;
  text-indent: 0;
}
`},
	{"subtitle", `.subtitle {
  font-size: 1.1em;
  margin-bottom: 2.5em;
}
`},
	{"author", `.author {
  margin-top: 1.5em;
  font-size: 1.15em;
}
`},
	{"position", `.position {
  font-size: 0.85em;
}
`},
	{"source", `.source {
  margin-top: 4em;
  font-size: 0.9em;
}
`},
	{"colophon", `.colophon h2 {
  font-size: 1.1em;
}
`},
	{"colophon", `.colophon p, .colophon li {
  font-size: 0.85em;
  text-align: left;
  text-indent: 0;
}
`},
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
