package markdown

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// htmlCase parses body (after front matter) in a folder holding i.png
// and returns the document's blocks as text and the warnings without the
// file name.
func htmlCase(t *testing.T, body string) ([]string, []string) {
	t.Helper()
	dir := writeFiles(t, map[string]string{"i.png": string(pngBytes(t, 4, 4))})
	name := filepath.Join(dir, "b.md")
	d, err := Parse(name, []byte(fm+body))
	if err != nil {
		t.Fatalf("%q: %v", body, err)
	}
	var ws []string
	for _, w := range d.Warnings {
		ws = append(ws, strings.TrimPrefix(w.String(), name+":"))
	}
	return blockLines(d.Blocks), ws
}

// dumpBlocks writes blocks one a line: kind and content in markup.
func blockLines(blocks []doc.Block) []string {
	var out []string
	for _, b := range blocks {
		switch n := b.(type) {
		case *doc.Paragraph:
			out = append(out, "p "+markup(n.Content))
		case *doc.Heading:
			out = append(out, "h"+string(rune('0'+n.Level))+" "+markup(n.Content))
		case *doc.BlockQuote:
			out = append(out, "quote{"+strings.Join(blockLines(n.Blocks), "|")+"}")
		case *doc.CodeBlock:
			out = append(out, "code "+n.Text)
		case *doc.ThematicBreak:
			out = append(out, "hr")
		case *doc.Figure:
			out = append(out, "figure "+n.Image.Path+" "+markup(n.Caption))
		case *doc.List:
			var items []string
			for _, it := range n.Items {
				items = append(items, strings.Join(blockLines(it), "|"))
			}
			kind := "ul"
			if n.Ordered {
				kind = "ol"
			}
			out = append(out, kind+"["+strings.Join(items, "; ")+"]")
		case *doc.DefinitionList:
			var items []string
			for _, it := range n.Items {
				var defs []string
				for _, d := range it.Definitions {
					defs = append(defs, strings.Join(blockLines(d), "|"))
				}
				items = append(items, markup(it.Term)+": "+strings.Join(defs, ", "))
			}
			out = append(out, "dl["+strings.Join(items, "; ")+"]")
		case *doc.Table:
			var rows []string
			for _, r := range append([][][]doc.Inline{n.Header}, n.Rows...) {
				var cells []string
				for _, c := range r {
					cells = append(cells, markup(c))
				}
				rows = append(rows, strings.Join(cells, ","))
			}
			out = append(out, "table["+strings.Join(rows, "; ")+"]")
		default:
			out = append(out, "?")
		}
	}
	return out
}

// TestHTMLPolicy checks each row of the README's HTML table.
func TestHTMLPolicy(t *testing.T) {
	for _, c := range []struct {
		name, body string
		blocks     []string
		warnings   []string
	}{
		{"comments dropped quietly", "甲<!-- 待核对 -->乙\n\n<!--\n整块注释\n-->\n", []string{"p 甲乙"}, nil},
		{"inline elements", "H<sub>2</sub>O与E=mc<sup>2</sup>，<u>下</u><ins>增</ins><del>删</del><s>划</s><strike>去</strike><mark>亮</mark><small>小</small><big>大</big>\n",
			[]string{"p H<sub>2</sub>O与E=mc<sup>2</sup>，<u>下</u><ins>增</ins><del>删</del><del>划</del><del>去</del><mark>亮</mark><small>小</small>大"}, nil},
		{"phrase elements", "<kbd>Ctrl</kbd><abbr title=\"世界卫生组织\">WHO</abbr><q>引</q><cite>书</cite><dfn>词</dfn><var>x</var><samp>输出</samp><code>c</code><em>e</em><i>i</i><strong>s</strong><b>b</b><span lang=\"en\">English</span><span>平</span>\n",
			[]string{"p <kbd>Ctrl</kbd><abbr 世界卫生组织>WHO</abbr>“引”<i>书</i><i>词</i><i>x</i>`输出``c`<i>e</i><i>i</i><b>s</b><b>b</b><span en>English</span>平"}, nil},
		{"ruby", "<ruby>饕<rp>(</rp><rt>tāo</rt><rp>)</rp>餮<rt>tiè</rt></ruby>\n", []string{"p <ruby 饕餮|tāo tiè>"}, nil},
		{"rt outside ruby is text", "甲<rt>注</rt>乙\n\n<p>丙<rt>注</rt></p>\n", []string{"p 甲注乙", "p 丙注"}, nil},
		{"br and img", "一<br>二<br/>三![](i.png)<img src=\"i.png\" alt=\"图\" width=\"9\">\n", []string{"p 一<br>二<br>三<img i.png ><img i.png 图>"}, nil},
		{"links keep href only", "<a href=\"https://example.com\" onclick=\"x()\" style=\"color:red\">网</a><a name=\"x\">锚</a>\n", []string{"p <a https://example.com>网</a>锚"}, nil},
		{"link schemes as in Markdown", "<a href=\"javascript:alert(1)\">点</a>\n", []string{"p <a >点</a>"},
			[]string{`4:1: warning: link to "javascript:alert(1)": javascript: links are not allowed (use http, https or mailto); the text is kept without the link`}},
		{"event handlers dropped", "文<b onclick=\"x()\">字</b>\n", []string{"p 文<b>字</b>"}, nil},
		{"block elements", "<div align=\"center\">\n块\n</div>\n\n<center>中</center>\n\n<section><p>段一</p><p>段二</p></section>\n\n<blockquote>引文</blockquote>\n\n<h2>二级</h2>\n\n<h5>五级</h5>\n\n<hr>\n\n<pre>\n代码  行\n</pre>\n",
			[]string{"p 块", "p 中", "p 段一", "p 段二", "quote{p 引文}", "h2 二级", "h5 五级", "hr", "code 代码  行"}, nil},
		{"details and Markdown inside", "<details>\n<summary>展开</summary>\n\n**内容**\n\n</details>\n", []string{"p <b>展开</b>", "p <b>内容</b>"}, nil},
		{"lists", "<ol start=\"3\"><li>甲</li><li>乙<ul><li>丙</li></ul></li></ol>\n", []string{"ol[p 甲; p 乙|ul[p 丙]]"}, nil},
		{"definition lists", "<dl><dt>术语</dt><dd>定义一</dd><dd>定义二</dd></dl>\n", []string{"dl[术语: p 定义一, p 定义二]"}, nil},
		{"tables", "<table><thead><tr><th>名</th><th>值</th></tr></thead><tbody><tr><td>甲</td><td><b>1</b></td></tr><tr><td>乙</td></tr></tbody></table>\n",
			[]string{"table[名,值; 甲,<b>1</b>; 乙,]"}, nil},
		{"table spans", "<table><tr><td colspan=\"2\">合</td></tr><tr><td>甲</td><td>乙</td></tr></table>\n", []string{"table[; 合,; 甲,乙]"},
			[]string{"4: warning: HTML table cell colspan=2: cells spanning rows or columns are set one per place"}},
		{"figure", "<p align=\"center\"><img src=\"i.png\" alt=\"标志\"></p>\n\n<figure><img src=\"i.png\" alt=\"图\"><figcaption>图题</figcaption></figure>\n",
			[]string{"figure i.png 标志", "figure i.png 图", "p 图题"}, nil},
		{"dangerous blocks", "<script>\nalert(1)\n</script>\n\n<style>p{}</style>\n\n<iframe src=\"https://x\"></iframe>\n\n<form><input><button>按</button></form>\n\n正文\n",
			[]string{"p 正文"}, []string{
				"4: warning: HTML element <script> is dropped with its content",
				"8: warning: HTML element <style> is dropped with its content",
				"10: warning: HTML element <iframe> is dropped with its content",
				"12: warning: HTML element <form> is dropped with its content"}},
		{"dangerous inline", "甲<script>alert(1)</script>乙<object data=\"x\">物</object>丙<embed src=\"x\">丁<link href=\"x\"><meta charset=\"x\"><base href=\"x\">\n",
			[]string{"p 甲乙丙丁"}, []string{
				"4:2: warning: HTML element <script> is dropped with its content",
				"4:28: warning: HTML element <object> is dropped with its content",
				"4:56: warning: HTML element <embed> is dropped with its content",
				"4:72: warning: HTML element <link> is dropped with its content",
				"4:87: warning: HTML element <meta> is dropped with its content",
				"4:105: warning: HTML element <base> is dropped with its content"}},
		{"unknown elements keep their text", "甲<blink>闪</blink>乙\n\n<marquee>滚动</marquee>\n",
			[]string{"p 甲闪乙", "p 滚动"}, []string{
				"4:2: warning: HTML element <blink> is not supported: its text is kept without it",
				"6:1: warning: HTML element <marquee> is not supported: its text is kept without it"}},
		{"declarations", "甲<?php echo 1; ?>乙\n\n<!DOCTYPE html>\n", []string{"p 甲乙"}, []string{
			"4:2: warning: HTML processing instruction <?…?> is dropped",
			"6: warning: HTML declaration <!…> is dropped"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			blocks, ws := htmlCase(t, c.body)
			if !reflect.DeepEqual(blocks, c.blocks) {
				t.Errorf("blocks\n got %q\nwant %q", blocks, c.blocks)
			}
			if !reflect.DeepEqual(sorted(ws), sorted(c.warnings)) {
				t.Errorf("warnings\n got %q\nwant %q", ws, c.warnings)
			}
		})
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
