package markdown

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// outline lists a book's parts and headings as "level title", parts as
// "part title", and the links of its text as "→ url".
func outline(d *doc.Document) []string {
	var out []string
	var links func([]doc.Inline)
	links = func(xs []doc.Inline) {
		for _, x := range xs {
			switch n := x.(type) {
			case *doc.Link:
				out = append(out, "→ "+n.URL)
				links(n.Content)
			case *doc.Emphasis:
				links(n.Content)
			}
		}
	}
	doc.Walk(d.Blocks, func(b doc.Block) {
		switch n := b.(type) {
		case *doc.Part:
			out = append(out, "part "+n.Title)
		case *doc.Heading:
			out = append(out, fmt.Sprintf("%d %s #%s", n.Level, doc.PlainText(n.Content), n.ID))
		case *doc.Paragraph:
			links(n.Content)
		}
	})
	return out
}

// TestGitBookFolder reads testdata/books/gitbook as it is: SUMMARY.md
// sets the order, the parts and each file's heading level; book.json the
// metadata; links between chapters become links to headings.
func TestGitBookFolder(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "books", "gitbook")
	if !IsBook(dir) {
		t.Fatal("a folder with SUMMARY.md is not a book")
	}
	d, err := ParseBook(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Meta.Title != "容器入门小册" || d.Meta.AuthorNames() != "测试作者" || d.Meta.Language != "zh-hans" {
		t.Errorf("meta %+v", d.Meta)
	}
	want := []string{
		"1 前言 #前言", "→ #第一章-镜像", "→ #第二章-容器", "→ #第三章-网络",
		"part 第一部分　基础",
		"1 第一章 镜像 #第一章-镜像", "→ #sec-11-获取镜像", "→ #sec-12-列出镜像",
		"2 1.1 获取镜像 #sec-11-获取镜像",
		"3 命令格式：拉取 #命令格式拉取",
		"→ #sec-12-列出镜像", "→ #新建并启动", "→ #sec-31-端口映射", "→ #sec-11-获取镜像", "→ #命令格式拉取",
		"2 1.2 列出镜像 #sec-12-列出镜像",
		"3 列出全部镜像 #列出全部镜像", "→ #第一章-镜像",
		"1 第二章 容器 #第二章-容器",
		"2 2.1 启动容器 #sec-21-启动容器",
		"3 新建并启动 #新建并启动", "→ #sec-11-获取镜像",
		"3 启动已终止容器 #启动已终止容器", "→ #前言",
		"part 第二部分　进阶",
		"1 第三章 网络 #第三章-网络",
		"2 本章内容 #本章内容", "→ #sec-31-端口映射", "→ #映射细节",
		"2 3.1 端口映射 #sec-31-端口映射",
		"3 映射细节 #映射细节", "→ #sec-31-端口映射",
		"1 附录 #附录", "→ #列出全部镜像",
	}
	if got := outline(d); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var figures []string
	doc.Walk(d.Blocks, func(b doc.Block) {
		if f, ok := b.(*doc.Figure); ok {
			figures = append(figures, f.Image.Path)
		}
	})
	if want := []string{"01_image/_images/pull.png", "01_image/_images/list.png"}; !reflect.DeepEqual(figures, want) {
		t.Errorf("figures %q, want %q", figures, want)
	}
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
}

// TestMdBookFolder reads testdata/books/mdbook as it is: book.toml and
// src/SUMMARY.md with prefix and suffix chapters, part titles and a draft.
func TestMdBookFolder(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "books", "mdbook")
	if !IsBook(dir) {
		t.Fatal("a folder with book.toml is not a book")
	}
	d, err := ParseBook(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Meta.Title != "阅读器手册" || d.Meta.AuthorNames() != "甲、乙" || d.Meta.Language != "zh-CN" {
		t.Errorf("meta %+v", d.Meta)
	}
	want := []string{
		"1 简介 #简介", "→ #安装", "→ #命令一览",
		"part 用户指南",
		"1 安装 #安装", "2 系统要求 #系统要求", "→ #第-2-步编译",
		"2 第 1 步：取得源码 #第-1-步取得源码",
		"2 第 2 步：编译 #第-2-步编译", "→ #阅读",
		"1 阅读 #阅读", "→ #简介", "→ #mdbookserve-命令",
		"part 参考",
		"1 命令 #命令", "2 命令一览 #命令一览", "2 mdbook-serve 命令 #mdbookserve-命令",
		"1 贡献者 #贡献者", "→ #简介",
	}
	if got := outline(d); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	summary := filepath.Join(dir, "src", "SUMMARY.md")
	if len(d.Warnings) != 1 || d.Warnings[0].String() != summary+`:10: warning: "草稿" is a draft chapter (no file): left out` {
		t.Errorf("warnings %v, want the draft chapter", d.Warnings)
	}
}

// writeTree writes files (slash paths, folders made as needed) into a
// new folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBookConfigs checks the ways a folder names its metadata and its
// chapters: book.yaml's keys win over book.json's, summary: names the
// summary, book.json's root moves the book's files, and a book with no
// title anywhere is titled after its folder.
func TestBookConfigs(t *testing.T) {
	for _, c := range []struct {
		name     string
		files    map[string]string
		title    string
		authors  string
		lang     string
		outline  []string
		warnings []string
	}{
		{"book.yaml over book.json", map[string]string{
			"book.yaml":  "title: 新书名\nsummary: SUMMARY.md\n",
			"book.json":  `{"title": "旧书名", "author": "作者", "language": "zh-tw"}`,
			"SUMMARY.md": "* [一](a.md)\n",
			"a.md":       "# 一\n",
		}, "新书名", "作者", "zh-tw", []string{"1 一 #一"}, nil},
		{"book.yaml without chapters finds SUMMARY.md", map[string]string{
			"book.yaml":  "title: 书\nnumbering: chinese\n",
			"SUMMARY.md": "- [甲](a.md)\n  - [乙](b.md)\n",
			"a.md":       "## 甲\n", "b.md": "# 乙\n\n## 丙\n",
		}, "书", "", "zh-CN", []string{"1 甲 #甲", "2 乙 #乙", "3 丙 #丙"}, nil},
		{"book.json root and title-only entries", map[string]string{
			"book.json":       `{"title": "书", "root": "./docs"}`,
			"docs/SUMMARY.md": "## 第一部分\n\n* 没有文件的标题\n  * [节](x/s.md)\n",
			"docs/x/s.md":     "正文。\n",
		}, "书", "", "zh-CN", []string{"part 第一部分", "1 没有文件的标题 #没有文件的标题", "2 节 #节"}, nil},
		{"no title anywhere", map[string]string{
			"SUMMARY.md": "* [一](a.md)\n* [一](a.md)\n* [外](https://example.com/)\n* [图](a.png)\n\n## 空的部分\n",
			"a.md":       "# 一\n",
		}, "", "", "zh-CN", []string{"1 一 #一"}, []string{
			`SUMMARY.md:1: warning: the book has no title: it is titled %q after its folder (give one in book.yaml)`,
			`SUMMARY.md:2: warning: a.md is listed twice: the second entry is left out`,
			`SUMMARY.md:3: warning: "外" links to "https://example.com/", not to a chapter file: left out`,
			`SUMMARY.md:4: warning: "图" links to "a.png", which is not a Markdown file: left out`,
			`SUMMARY.md:6: warning: part "空的部分" has no chapters: left out`,
		}},
		{"bad language in book.toml", map[string]string{
			"book.toml":      "[book]\ntitle = \"书\"\nlanguage = \"zh_CN\"\n",
			"src/SUMMARY.md": "- [一](a.md)\n",
			"src/a.md":       "# 一\n",
		}, "书", "", "zh-CN", []string{"1 一 #一"}, []string{
			`book.toml:3: warning: language "zh_CN" is not a BCP 47 tag such as zh-CN: the book is taken to be in zh-CN`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, c.files)
			d, err := ParseBook(dir)
			if err != nil {
				t.Fatal(err)
			}
			title := c.title
			if title == "" {
				title = filepath.Base(dir)
			}
			if d.Meta.Title != title || d.Meta.AuthorNames() != c.authors || d.Meta.Language != c.lang {
				t.Errorf("meta %q %q %q, want %q %q %q", d.Meta.Title, d.Meta.AuthorNames(), d.Meta.Language, title, c.authors, c.lang)
			}
			if got := outline(d); !reflect.DeepEqual(got, c.outline) {
				t.Errorf("outline %q, want %q", got, c.outline)
			}
			var got []string
			for _, w := range d.Warnings {
				got = append(got, strings.TrimPrefix(w.String(), dir+string(filepath.Separator)))
			}
			var want []string
			for _, w := range c.warnings {
				if strings.Contains(w, "%q") {
					w = fmt.Sprintf(w, filepath.Base(dir))
				}
				want = append(want, w)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestBookFolderErrors checks what stops a book folder from building,
// each named with its file and line.
func TestBookFolderErrors(t *testing.T) {
	for _, c := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"SUMMARY.md": "# Summary\n\n* [缺](missing.md)\n"}, "SUMMARY.md:3: chapter missing.md: no such file"},
		{map[string]string{"SUMMARY.md": "* [外](../x.md)\n"}, `SUMMARY.md:1: chapter "../x.md" must be a file inside the book's folder`},
		{map[string]string{"SUMMARY.md": "# Summary\n"}, "SUMMARY.md:1: the summary lists no chapters"},
		{map[string]string{"SUMMARY.md": strings.Repeat("* ", 40) + "[a](a.md)\n"}, "SUMMARY.md:1: block quotes and lists nested 40 deep"},
		{map[string]string{"book.yaml": "title: 书\nsummary: ../S.md\n"}, `book.yaml:2: summary "../S.md" must be a file inside`},
		{map[string]string{"book.yaml": "title: 书\nsummary: S.md\n"}, "book.yaml:2: summary S.md: no such file"},
		{map[string]string{"book.yaml": "title: 书\nsummary: S.md\nchapters: [a.md]\n"}, "book.yaml:1: book.yaml names both chapters and a summary"},
		{map[string]string{"book.json": "{\n\"title\": 书\n}", "SUMMARY.md": "* [a](a.md)\n"}, "book.json:2: book.json is not valid JSON"},
		{map[string]string{"book.toml": "[book]\ntitle = = 1\n", "src/SUMMARY.md": "- [a](a.md)\n"}, "book.toml:2: book.toml is not valid TOML"},
		{map[string]string{"book.toml": "[book]\nsrc = \"..\"\n"}, `book.toml:2: src ".." must be a folder inside the book's folder`},
	} {
		dir := writeTree(t, c.files)
		_, err := ParseBook(dir)
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, c.want)) && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.files, err, c.want)
		}
	}
}

// TestChapterLinks checks the forms a link to another chapter or a
// heading takes in books written for GitHub, GitBook and mdBook.
func TestChapterLinks(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"book.json":  `{"title": "书"}`,
		"SUMMARY.md": "* [一](README.md)\n* [二](dir/b.md)\n",
		"README.md": "# 总 论\n\n## 1.1 概述：范围\n\n## 1.1 概述：范围\n\n" +
			"[a](#11-概述范围) [b](#11-概述范围-1) [c](#11-概述：范围) [d](#%E6%80%BB-%E8%AE%BA) [e](dir/b.html#Docker-Compose-入门) [g](/dir/b.md)\n",
		"dir/b.md": "# Docker-Compose 入门\n\n[h](../README.md) [i](../#总-论) [j](../index.html) [k](../README.md#无此节) [l](notes.txt)\n",
	})
	d, err := ParseBook(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1 总 论 #总-论", "2 1.1 概述：范围 #sec-11-概述范围", "2 1.1 概述：范围 #sec-11-概述范围-2",
		"→ #sec-11-概述范围", "→ #sec-11-概述范围-2", "→ #sec-11-概述范围", "→ #总-论", "→ #dockercompose-入门", "→ #dockercompose-入门",
		"1 Docker-Compose 入门 #dockercompose-入门", "→ #总-论", "→ #总-论", "→ #总-论", "→ ", "→ ",
	}
	if got := outline(d); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A missing anchor, and a file that is no chapter, keep their text.
	b := filepath.Join(dir, "dir", "b.md")
	wantWarnings := []string{
		b + `:3:51: warning: link to "../README.md#无此节": no heading, figure or table has the id "无此节"; the text is kept without the link`,
		b + `:3:73: warning: link to "notes.txt": not a chapter of the book (link to a chapter, to #id or to an absolute URL); the text is kept without the link`,
	}
	var got []string
	for _, w := range d.Warnings {
		got = append(got, w.String())
	}
	if !reflect.DeepEqual(got, wantWarnings) {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantWarnings, "\n"))
	}
}
