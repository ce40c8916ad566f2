package lint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// found formats problems as file:line:col rule, the part tests compare.
func found(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s:%d:%d %s", p.File, p.Line, p.Col, p.Rule))
	}
	return out
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string // file:line:col rule
		fix  string   // what Fix makes of src
	}{
		// half-width punctuation in Chinese sentences
		{"中文,句子.\n", []string{"a.md:1:3 half-width-punct", "a.md:1:6 half-width-punct"}, "中文，句子。\n"},
		{"第二行\n他说: 好; 对吗? 对!\n", []string{"a.md:2:3 half-width-punct", "a.md:2:6 half-width-punct", "a.md:2:10 half-width-punct", "a.md:2:13 half-width-punct"}, "第二行\n他说：好；对吗？对！\n"},
		{"发展 (注意) 之后\n", []string{"a.md:1:4 half-width-punct", "a.md:1:7 half-width-punct"}, "发展（注意）之后\n"},
		{"版本 3.5 和 12:30, ok.\n", []string{"a.md:1:3 han-latin-space", "a.md:1:7 han-latin-space", "a.md:1:9 han-latin-space"}, "版本3.5和12:30, ok.\n"},
		// straight quotes
		{`他说"好"。` + "\n", []string{"a.md:1:3 straight-quote", "a.md:1:5 straight-quote"}, "他说“好”。\n"},
		{`所谓'新质'生产力` + "\n", []string{"a.md:1:3 straight-quote", "a.md:1:6 straight-quote"}, "所谓‘新质’生产力\n"},
		{`他说"好"和"` + "\n", []string{"a.md:1:3 straight-quote", "a.md:1:5 straight-quote", "a.md:1:7 straight-quote"}, `他说"好"和"` + "\n"},
		{`He said "don't".` + "\n", nil, `He said "don't".` + "\n"},
		// ellipsis
		{"等等...\n然后。。。\n还有…\n", []string{"a.md:1:3 ellipsis", "a.md:2:3 ellipsis", "a.md:3:3 ellipsis"}, "等等……\n然后……\n还有……\n"},
		{"and so on...\n", nil, "and so on...\n"},
		// dashes
		{"新质--生产力—发展\n", []string{"a.md:1:3 dash", "a.md:1:8 dash"}, "新质——生产力——发展\n"},
		{"a -- b\n\n---\n", nil, "a -- b\n\n---\n"},
		// full-width digits and letters
		{"２０２４年ＡＩ\n", []string{"a.md:1:1 full-width-alnum", "a.md:1:6 full-width-alnum"}, "2024年AI\n"},
		// spaces between Han and Latin
		{"使用 Go 语言\n", []string{"a.md:1:3 han-latin-space", "a.md:1:6 han-latin-space"}, "使用Go语言\n"},
		// unmatched paired marks, within a paragraph
		{"“引文\n继续。\n\n《书名\n（注\n", []string{"a.md:1:1 unmatched-pair", "a.md:4:1 unmatched-pair", "a.md:5:1 unmatched-pair"}, "“引文\n继续。\n\n《书名\n（注\n"},
		{"多余”和》\n", []string{"a.md:1:3 unmatched-pair", "a.md:1:5 unmatched-pair"}, "多余”和》\n"},
		{"“跨\n行”it’s\n", nil, "“跨\n行”it’s\n"},
		// what is not prose is left alone
		{"---\ntitle: \"中文\"\n---\n\n```\n中文,代码\n```\n用 `a,b` 和[链接](http://x.cn/a,b)中文[^1]。\n", nil,
			"---\ntitle: \"中文\"\n---\n\n```\n中文,代码\n```\n用 `a,b` 和[链接](http://x.cn/a,b)中文[^1]。\n"},
		// emphasis markers do not hide the context
		{"**重点**,然后\n", []string{"a.md:1:7 half-width-punct"}, "**重点**，然后\n"},
	} {
		got := found(Check("a.md", []byte(c.src)))
		if !slices.Equal(got, c.want) {
			t.Errorf("Check(%q) = %q, want %q", c.src, got, c.want)
		}
		fixed := Fix([]byte(c.src))
		if string(fixed) != c.fix {
			t.Errorf("Fix(%q) = %q, want %q", c.src, fixed, c.fix)
		}
		// What Fix leaves is only what it cannot fix, and fixing again
		// changes nothing.
		for _, p := range Check("a.md", fixed) {
			if p.Fixable() {
				t.Errorf("Fix(%q) left a fixable %s", c.src, p)
			}
		}
		if again := Fix(fixed); !bytes.Equal(again, fixed) {
			t.Errorf("Fix is not idempotent on %q: %q", fixed, again)
		}
	}
}

func TestMessage(t *testing.T) {
	ps := Check("book.md", []byte("中文,句子\n"))
	if len(ps) != 1 || ps[0].String() != `book.md:1:3: half-width ',' in a Chinese sentence: use ， (half-width-punct)` {
		t.Fatalf("got %v", ps)
	}
}

// TestFixLeavesCorrectTextAlone checks the promise that matters most to
// editors: a correct manuscript comes back byte for byte.
func TestFixLeavesCorrectTextAlone(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "source", "*.md"))
	chapters, _ := filepath.Glob(filepath.Join("..", "..", "source", "*", "*.md"))
	if err != nil || len(paths) == 0 || len(chapters) == 0 {
		t.Fatalf("no books or no folder books in source/: %v", err)
	}
	for _, p := range append(paths, chapters...) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if ps := Check(p, src); len(ps) > 0 {
			t.Errorf("%s is not lint-clean: %v", p, ps)
		}
		if fixed := Fix(src); !bytes.Equal(fixed, src) {
			t.Errorf("Fix changed the correct book %s", p)
		}
	}
	crlf := []byte("中文，句子。\r\n“引文”……——\r\n")
	if fixed := Fix(crlf); !bytes.Equal(fixed, crlf) {
		t.Errorf("Fix changed %q into %q", crlf, fixed)
	}
}

// TestBookSyntaxIsClean checks that the Markdown paiban reads for
// definitions, table captions, ruby, heading ids and page references is
// not taken for half-width punctuation or straight quotes.
func TestBookSyntaxIsClean(t *testing.T) {
	src := "新质生产力\n: 创新起主导作用的先进生产力质态。\n\n| 指标 | 数值 |\n|:---|---:|\n| 增长 | 5 |\n\n: 主要指标\n\n" +
		"读作{汉字|hàn zì}，{新质|xīn zhì}生产力。\n\n## 第二部分 {#part-2}\n\n见[第二部分](#part-2 \"page\")与[图](#fig-1 \"页码\")。\n\n" +
		"![增长趋势图](images/a.png \"近五年增长\")\n"
	if ps := Check("a.md", []byte(src)); len(ps) > 0 {
		t.Errorf("problems in clean syntax: %v", found(ps))
	}
}
