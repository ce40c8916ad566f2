package markdown

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// fm is a minimal front matter; the body after it starts on line 4.
const fm = "---\ntitle: T\n---\n"

// dump renders blocks and notes one per line as "kind @line: content", so
// that a test states the whole expected document, line numbers included.
func dump(d *doc.Document) string {
	var b strings.Builder
	dumpBlocks(&b, d.Blocks, "")
	for _, n := range d.Footnotes {
		fmt.Fprintf(&b, "note %d [^%s] @%d\n", n.Number, n.Label, n.Line)
		dumpBlocks(&b, n.Blocks, "  ")
	}
	return b.String()
}

func dumpBlocks(b *strings.Builder, blocks []doc.Block, indent string) {
	for _, bl := range blocks {
		switch n := bl.(type) {
		case *doc.Heading:
			fmt.Fprintf(b, "%sh%d %s @%d: %s%s\n", indent, n.Level, n.ID, n.Line, n.Number, dumpInlines(n.Content))
		case *doc.Paragraph:
			fmt.Fprintf(b, "%sp @%d: %s\n", indent, n.Line, dumpInlines(n.Content))
		case *doc.BlockQuote:
			fmt.Fprintf(b, "%squote @%d\n", indent, n.Line)
			dumpBlocks(b, n.Blocks, indent+"  ")
		case *doc.List:
			fmt.Fprintf(b, "%slist ordered=%v start=%d @%d\n", indent, n.Ordered, n.Start, n.Line)
			for _, item := range n.Items {
				fmt.Fprintf(b, "%s  item\n", indent)
				dumpBlocks(b, item, indent+"    ")
			}
		case *doc.CodeBlock:
			fmt.Fprintf(b, "%scode %q @%d: %q\n", indent, n.Language, n.Line, n.Text)
		case *doc.ThematicBreak:
			fmt.Fprintf(b, "%shr @%d\n", indent, n.Line)
		case *doc.Figure:
			fmt.Fprintf(b, "%sfigure %d %s @%d: %s [%s %s %dx%d] alt=%s\n", indent, n.Number, n.ID, n.Line,
				dumpInlines(n.Caption), n.Image.Name, n.Image.Format, n.Image.Width, n.Image.Height, n.Alt)
		case *doc.Table:
			fmt.Fprintf(b, "%stable %d %s @%d: %s %v\n", indent, n.Number, n.ID, n.Line, dumpInlines(n.Caption), n.Align)
			for _, row := range append([][][]doc.Inline{n.Header}, n.Rows...) {
				var cells []string
				for _, c := range row {
					cells = append(cells, dumpInlines(c))
				}
				fmt.Fprintf(b, "%s  | %s |\n", indent, strings.Join(cells, " | "))
			}
		case *doc.DefinitionList:
			fmt.Fprintf(b, "%sdl @%d\n", indent, n.Line)
			for _, item := range n.Items {
				fmt.Fprintf(b, "%s  term %s\n", indent, dumpInlines(item.Term))
				for _, def := range item.Definitions {
					dumpBlocks(b, def, indent+"    ")
				}
			}
		default:
			fmt.Fprintf(b, "%s%T\n", indent, bl)
		}
	}
}

func dumpInlines(xs []doc.Inline) string {
	var b strings.Builder
	for _, x := range xs {
		switch n := x.(type) {
		case doc.Text:
			b.WriteString(string(n))
		case doc.Code:
			b.WriteString("`" + string(n) + "`")
		case doc.LineBreak:
			b.WriteString("⏎")
		case *doc.Emphasis:
			mark := "*"
			if n.Strong {
				mark = "**"
			}
			b.WriteString(mark + dumpInlines(n.Content) + mark)
		case *doc.Link:
			page := ""
			if n.ShowPage {
				page = " page"
			}
			b.WriteString("[" + dumpInlines(n.Content) + "](" + n.URL + page + ")")
		case *doc.Ruby:
			b.WriteString("{" + n.Base + "|" + n.Annotation + "}")
		case *doc.FootnoteRef:
			fmt.Fprintf(&b, "^%d", n.Note.Number)
		default:
			fmt.Fprintf(&b, "<%T>", x)
		}
	}
	return b.String()
}

func TestMapping(t *testing.T) {
	tests := []struct {
		name string
		body string // after fm
		want string
	}{
		{"heading ids from the text",
			"# 第一章\n\n## 第一节\n\n## 第二节 {#two}\n\n# 第二章\n\n### 深一层\n",
			"h1 第一章 @4: 第一章\nh2 第一节 @6: 第一节\nh2 two @8: 第二节\nh1 第二章 @10: 第二章\nh3 深一层 @12: 深一层\n"},
		{"heading ids drop punctuation",
			"## 一、甲\n\n### 子\n\n## 二、乙\n",
			"h2 一甲 @4: 一、甲\nh3 子 @6: 子\nh2 二乙 @8: 二、乙\n"},
		{"an explicit id wins over one made from the text",
			"## 甲\n\n## 乙 {#甲}\n",
			"h2 甲-2 @4: 甲\nh2 甲 @6: 乙\n"},
		{"setext heading",
			"标题\n===\n\n正文\n",
			"h1 标题 @4: 标题\np @7: 正文\n"},
		{"soft break between Han characters disappears",
			"第一行\n第二行\n",
			"p @4: 第一行第二行\n"},
		{"soft break between Latin words is a space",
			"one\ntwo\n",
			"p @4: one two\n"},
		{"soft break after fullwidth punctuation disappears",
			"逗号，\nnext\n",
			"p @4: 逗号，next\n"},
		{"soft break before a quotation mark after Han disappears",
			"明确指出\n“发展”\n",
			"p @4: 明确指出“发展”\n"},
		{"soft break between Han and Latin disappears",
			"使用\nGo\n语言\n",
			"p @4: 使用Go语言\n"},
		{"soft break inside emphasis",
			"*着重\n文字* and\n*more*\n",
			"p @4: *着重文字* and *more*\n"},
		{"manual indentation is stripped",
			"\u3000\u3000首行缩进\n\n\u3000 \u3000**重点**在后\n",
			"p @4: 首行缩进\np @6: **重点**在后\n"},
		{"indentation inside a paragraph stays",
			"甲\u3000乙\n",
			"p @4: 甲\u3000乙\n"},
		{"emphasis, strong, code",
			"*着重*与**黑体**和`x := 1`\n",
			"p @4: *着重*与**黑体**和`x := 1`\n"},
		{"links",
			"# 甲\n\n见[上文](#甲)与[网站](https://example.org/a)，<https://example.org>、<a@example.org>\n",
			"h1 甲 @4: 甲\np @6: 见[上文](#甲)与[网站](https://example.org/a)，[https://example.org](https://example.org)、[a@example.org](mailto:a@example.org)\n"},
		{"escapes and entities",
			"\\*不是强调\\* &amp; &#x4E2D; \\&amp;\n",
			"p @4: *不是强调* & 中 &amp;\n"},
		{"hard breaks",
			"一行  \n二行\\\n三行\n",
			"p @4: 一行⏎二行⏎三行\n"},
		{"block quote",
			"> 引文\n> 续写\n>\n> 二段\n",
			"quote @4\n  p @4: 引文续写\n  p @7: 二段\n"},
		{"lists",
			"1. 甲\n2. 乙\n\n---\n\n3. 丙\n\n- a\n  - b\n",
			"list ordered=true start=1 @4\n  item\n    p @4: 甲\n  item\n    p @5: 乙\nhr @7\nlist ordered=true start=3 @9\n  item\n    p @9: 丙\nlist ordered=false start=0 @11\n  item\n    p @11: a\n    list ordered=false start=0 @12\n      item\n        p @12: b\n"},
		{"code blocks",
			"```go\nfmt.Println(\"好\")\n```\n\n    indented\n    code\n",
			"code \"go\" @4: \"fmt.Println(\\\"好\\\")\"\ncode \"\" @8: \"indented\\ncode\"\n"},
		{"thematic break",
			"甲\n\n* * *\n\n乙\n",
			"p @4: 甲\nhr @6\np @8: 乙\n"},
		{"footnotes numbered by first reference",
			"甲[^a]乙[^b]。\n\n丙[^a]\n\n[^b]: 注B\n[^a]: 注A\n  续行\n",
			"p @4: 甲^1乙^2。\np @6: 丙^1\nnote 1 [^a] @9\n  p @9: 注A续行\nnote 2 [^b] @8\n  p @8: 注B\n"},
		{"footnote referenced from a footnote",
			"甲[^a]\n\n[^b]: 内\n\n[^a]: 注[^b]\n",
			"p @4: 甲^1\nnote 1 [^a] @8\n  p @8: 注^2\nnote 2 [^b] @6\n  p @6: 内\n"},
		{"footnote reference in code is text",
			"`[^x]`\n",
			"p @4: `[^x]`\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("book.md", []byte(fm+tt.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := dump(d); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestFootnoteRefPointsAtNote(t *testing.T) {
	d, err := Parse("book.md", []byte(fm+"甲[^n]\n\n[^n]: 注\n"))
	if err != nil {
		t.Fatal(err)
	}
	ref := d.Blocks[0].(*doc.Paragraph).Content[1].(*doc.FootnoteRef)
	if len(d.Footnotes) != 1 || ref.Note != d.Footnotes[0] {
		t.Fatalf("reference points at %p, footnotes %v", ref.Note, d.Footnotes)
	}
	if got := (doc.Pos{File: "book.md", Line: 6}); ref.Note.Pos != got {
		t.Errorf("note at %v, want %v", ref.Note.Pos, got)
	}
}

func TestLineEndingsAndBOM(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"CRLF", "---\r\ntitle: T\r\n---\r\n\r\n第一行\r\n第二行\r\n", "p @5: 第一行第二行\n"},
		{"BOM", "\uFEFF---\ntitle: T\n---\n正文\n", "p @4: 正文\n"},
		{"long front matter", "---\ntitle: T\nauthor:\n  - name: 甲\n    position: 乙\nlang: zh-CN\n---\n\n\n正文\n", "p @10: 正文\n"},
		{"no final newline", fm + "正文", "p @4: 正文\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("book.md", []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := dump(d); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestMetadata(t *testing.T) {
	tests := []struct {
		name, front string
		want        doc.Metadata
	}{
		{"title only, default language", "title: 书名\n",
			doc.Metadata{Title: "书名", Language: "zh-CN"}},
		{"author as a string", "title: 书名\nauthor: 张三\n",
			doc.Metadata{Title: "书名", Language: "zh-CN", Authors: []doc.Author{{Name: "张三"}}}},
		{"author as a list of names", "title: 书名\nauthor: [甲, 乙]\n",
			doc.Metadata{Title: "书名", Language: "zh-CN", Authors: []doc.Author{{Name: "甲"}, {Name: "乙"}}}},
		{"author as a list of name/position", "title: 书名\nauthor:\n  - name: 张来明\n    position: 国务院发展研究中心党组成员、副主任\n  - 李四\n",
			doc.Metadata{Title: "书名", Language: "zh-CN", Authors: []doc.Author{
				{Name: "张来明", Position: "国务院发展研究中心党组成员、副主任"}, {Name: "李四"}}}},
		{"every key", "title: 书名\nsubtitle: 副题\nlang: en-GB\nsource: 《求是》2024年第9期\ndate: 2024-05-01\nidentifier: urn:isbn:9787000000000\ndescription: |\n  两行\n  文字\nrights: CC BY 4.0\n",
			doc.Metadata{Title: "书名", Subtitle: "副题", Language: "en-GB", Source: "《求是》2024年第9期", Date: "2024-05-01",
				Identifier: "urn:isbn:9787000000000", Description: "两行\n文字", Rights: "CC BY 4.0"}},
		{"title with a space between phrases", "title: 聚焦推动高质量发展 加快发展新质生产力\n",
			doc.Metadata{Title: "聚焦推动高质量发展 加快发展新质生产力", Language: "zh-CN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("book.md", []byte("---\n"+tt.front+"---\n正文\n"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(d.Meta, tt.want) {
				t.Errorf("got  %+v\nwant %+v", d.Meta, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"front matter without title", "---\nlang: zh-CN\n---\n正文\n",
			[]string{"book.md:1: missing title: the front matter has no title"}},
		{"empty front matter", "---\n---\n正文\n",
			[]string{"book.md:1: missing title: the front matter has no title"}},
		{"empty title", "---\ntitle: \"\"\n---\n正文\n",
			[]string{"book.md:2:1: missing title: title is empty"}},
		{"title not text", "---\ntitle: [a, b]\n---\n正文\n",
			[]string{"book.md:2:8: title must be text, not a list or mapping"}},
		{"unknown key", "---\ntitle: T\nauther: 张三\n---\n正文\n",
			[]string{`book.md:3:1: unknown front matter key "auther" (did you mean "author"?)`}},
		{"repeated key", "---\ntitle: T\ntitle: U\n---\n正文\n",
			[]string{`book.md:3:1: front matter key "title" is repeated (first given at line 2)`}},
		{"broken YAML", "---\ntitle: T\nsubtitle: a: b\n---\n正文\n",
			[]string{"book.md:3: front matter: mapping values are not allowed in this context"}},
		{"YAML parser error", "---\ntitle: T\nauthor: [a\n---\n正文\n",
			[]string{"book.md:3: front matter: did not find expected ',' or ']'"}},
		{"YAML parser error further down", "---\ntitle: T\nauthor:\n  - name: 甲\n - bad\n---\n正文\n",
			[]string{"book.md:5: front matter: did not find expected key"}},
		{"YAML error on its first line", "---\n\ttitle: T\n---\n正文\n",
			[]string{"book.md:2: front matter: found character that cannot start any token"}},
		{"YAML string not closed", "---\ntitle: \"abc\n---\n正文\n",
			[]string{"book.md:3: front matter: found unexpected end of stream"}},
		{"front matter not a mapping", "---\n- title\n---\n正文\n",
			[]string{"book.md:2:1: front matter must be a list of key: value lines"}},
		{"front matter not closed", "---\ntitle: T\n\n正文\n",
			[]string{"book.md:1: front matter is not closed: add a line --- after it"}},
		{"bad lang and date", "---\ntitle: T\nlang: zh_CN\ndate: 2024-5-1\n---\n正文\n",
			[]string{`book.md:3:7: lang "zh_CN" is not a BCP 47 language tag such as zh-CN`,
				`book.md:4:7: date "2024-5-1" must be written YYYY-MM-DD`}},
		{"author problems", "---\ntitle: T\nauthor:\n  - name: 甲\n    postion: 乙\n  - position: 丙\n---\n正文\n",
			[]string{`book.md:5:5: unknown author key "postion" (did you mean "position"?)`,
				"book.md:6:5: author has no name"}},
		{"invalid UTF-8", fm + "好\n\n坏\xff\n",
			[]string{"book.md:6:2: invalid UTF-8 (byte 0xff): save the file as UTF-8"}},
		{"footnote without definition", fm + "甲\n乙[^x]\n",
			[]string{"book.md:5:2: footnote reference [^x] has no definition"}},
		{"footnote without definition among others", fm + "甲[^a]乙[^x]\n\n[^a]: 注\n",
			[]string{"book.md:4:7: footnote reference [^x] has no definition"}},
		{"footnote never referenced", fm + "甲\n\n[^a]: 注\n",
			[]string{"book.md:6: footnote [^a] is never referenced"}},
		{"footnote defined inside another's definition", fm + "甲[^b]\n\n[^a]:[^b]: 注\n",
			[]string{`book.md:4:2: footnote [^b]: its definition was lost (a definition that starts with another, as in "[^a]: [^b]: …", cannot be read): give each definition a line of its own`}},
		{"footnote defined twice", fm + "甲[^a]\n\n[^a]: 注\n\n[^a]: 又\n",
			[]string{"book.md:8: footnote [^a] is defined twice (first at line 6)"}},
		{"duplicate heading id", fm + "## 甲 {#a}\n\n## 乙 {#a}\n",
			[]string{`book.md:6: heading id "a" is already used by the heading at line 4`}},
		{"heading class", fm + "## 甲 {.big}\n",
			[]string{`book.md:4: heading attribute "class" is not supported (only {#id} is)`}},
		{"every problem at once", "---\ntitle: T\nauther: X\n---\n文![图](a.png)\n\n\n甲[^x]\n\n[^y]: 注\n",
			[]string{`book.md:3:1: unknown front matter key "auther" (did you mean "author"?)`,
				`book.md:5:2: image "a.png": no such file`,
				"book.md:8:2: footnote reference [^x] has no definition",
				"book.md:10: footnote [^y] is never referenced"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("book.md", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; document:\n%s", dump(d))
			}
			if d != nil {
				t.Errorf("document returned with an error")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want ErrorList", err)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestErrorFields(t *testing.T) {
	_, err := Parse("a/book.md", []byte(fm+"甲[^x]\n"))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%v, *Error) failed", err)
	}
	want := Error{File: "a/book.md", Line: 4, Col: 2, Msg: "footnote reference [^x] has no definition"}
	if *e != want {
		t.Errorf("got %+v, want %+v", *e, want)
	}
}

func TestParseFile(t *testing.T) {
	d, err := ParseFile(filepath.Join("testdata", "book.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := "h2 第一部分 @7: 第一部分\np @9: 正文段落，一段一行。引文之后加注释。^1\nnote 1 [^1] @11\n  p @11: 注释文字。\n"
	if got := dump(d); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if d.Blocks[0].(*doc.Heading).File != filepath.Join("testdata", "book.md") {
		t.Errorf("block file %q", d.Blocks[0].(*doc.Heading).File)
	}

	d, err = ParseFile(filepath.Join("testdata", "features.md"))
	if err != nil {
		t.Fatal(err)
	}
	want = `h1 overview @11: 一、概述
p @13: **“新质生产力”**是*创新*起主导作用的先进生产力，读作{新质|xīn zhì}。
h2 指标 @15: （一）指标
table 1 tab-1 @17: 主要指标 [1 3]
  | 指标 | 数值 |
  | 增长 | 5.2% |
figure 1 fig-1 @23: 增长趋势 [images/chart.png png 8x6] alt=近五年增长
p @25: 见[表](#tab-1 page)与[图](#fig-1 page)，及[概述](#overview)。
dl @27
  term 新质生产力
    p @28: 创新起主导作用的先进生产力质态。
list ordered=true start=1 @30
  item
    p @30: 甲
    list ordered=true start=1 @31
      item
        p @31: 子
`
	if got := dump(d); got != want {
		t.Errorf("features.md:\n%s\nwant:\n%s", got, want)
	}
	if m := d.Meta; m.Numbering != "chinese" || !m.ListOfFigures || len(m.Keywords) != 2 || m.ISBN == "" || len(m.Editors) != 2 {
		t.Errorf("features.md meta %+v", m)
	}

	path := filepath.Join("testdata", "broken.md")
	_, err = ParseFile(path)
	if want := path + `:5:1: image "a.png": no such file`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}

	if _, err := ParseFile(filepath.Join("testdata", "absent.md")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v, want a not-exist error", err)
	}
}

// TestLiteral checks the fast path for text without escapes against the
// full resolution of escapes and entities.
func TestLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"新质生产力":              "新质生产力",
		`a \* b`:             "a * b",
		"&amp; &lt;&#x4e2d;": "& <中",
		"<b> \"q\" 'a'":      "<b> \"q\" 'a'",
		"":                   "",
	} {
		if got := literal([]byte(in)); got != want {
			t.Errorf("literal(%q) = %q, want %q", in, got, want)
		}
	}
}
