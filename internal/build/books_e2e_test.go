package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/validators"
)

// The contents of the books in testdata/books, as "depth title" lines:
// parts at the top, each chapter at the depth of its place in the summary
// and its headings below it.
var bookContents = map[string][]string{
	"gitbook": {
		"0 前言",
		"0 第一部分　基础",
		"1 第一章 镜像", "2 1.1 获取镜像", "3 命令格式：拉取", "2 1.2 列出镜像", "3 列出全部镜像",
		"1 第二章 容器", "2 2.1 启动容器", "3 新建并启动", "3 启动已终止容器",
		"0 第二部分　进阶",
		"1 第三章 网络", "2 本章内容", "2 3.1 端口映射", "3 映射细节",
		"1 附录",
	},
	"mdbook": {
		"0 简介",
		"0 用户指南",
		"1 安装", "2 系统要求", "2 第 1 步：取得源码", "2 第 2 步：编译",
		"1 阅读",
		"0 参考",
		"1 命令", "2 命令一览", "2 mdbook-serve 命令",
		"1 贡献者",
	},
}

// qpdfJSON is what the tests read of qpdf --json: the pages, the outline
// and the objects.
type qpdfJSON struct {
	Pages []struct {
		Object string `json:"object"`
	} `json:"pages"`
	Outlines []outlineItem                `json:"outlines"`
	QPDF     []map[string]json.RawMessage `json:"qpdf"`
}

type outlineItem struct {
	Title string        `json:"title"`
	Dest  []any         `json:"dest"`
	Kids  []outlineItem `json:"kids"`
}

// pdfDest is a destination: the page's position from 1 and the y of the
// view's top.
type pdfDest struct {
	page int
	y    float64
}

// TestBookFoldersPDF reads the PDFs of the GitBook and mdBook folders
// back with qpdf: the outline nests parts, chapters and sections as the
// summary does, and every link between chapters is an annotation that
// jumps where the outline entry of its heading jumps.
func TestBookFoldersPDF(t *testing.T) {
	books := buildTestBooks(t)
	for name, want := range bookContents {
		b := books[name]
		var q qpdfJSON
		if err := json.Unmarshal([]byte(tool(t, "qpdf", "qpdf", "--json", b.pdf)), &q); err != nil {
			t.Fatal(err)
		}
		pageOf := map[string]int{}
		for i, p := range q.Pages {
			pageOf[p.Object] = i + 1
		}
		dest := func(d []any) pdfDest {
			if len(d) < 4 {
				return pdfDest{}
			}
			ref, _ := d[0].(string)
			y, _ := d[3].(float64)
			return pdfDest{pageOf[ref], y}
		}
		var got []string
		at := map[string]pdfDest{} // title → where its outline entry goes
		var walk func([]outlineItem, int)
		walk = func(items []outlineItem, depth int) {
			for _, it := range items {
				got = append(got, fmt.Sprintf("%d %s", depth, it.Title))
				at[it.Title] = dest(it.Dest)
				walk(it.Kids, depth+1)
			}
		}
		walk(q.Outlines, 0)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: outline\n%s\nwant\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// Annotations by destination.
		objects := map[string]struct {
			Value map[string]any `json:"value"`
		}{}
		for k, v := range q.QPDF[1] {
			var o struct {
				Value map[string]any `json:"value"`
			}
			if json.Unmarshal(v, &o) == nil {
				objects[k] = o
			}
		}
		links := map[pdfDest]int{}
		for _, o := range objects {
			if o.Value["/Subtype"] == "/Link" {
				if d, ok := o.Value["/Dest"].([]any); ok {
					links[dest(d)]++
				}
			}
		}
		// Each heading's destination is linked from its contents entry
		// and from every link to it in the text (a link broken across
		// lines has an annotation on each).
		titles := headingTitles(b.doc)
		wantLinks := map[string]int{}
		ids := internalLinks(b.doc)
		for _, id := range ids {
			wantLinks[titles[id]]++
		}
		// Every link of these books goes to another chapter or section.
		if n := map[string]int{"gitbook": 17, "mdbook": 7}[name]; len(ids) != n {
			t.Errorf("%s: %d links to headings, want %d", name, len(ids), n)
		}
		for title := range at {
			if got, want := links[at[title]], 1+wantLinks[title]; got < want {
				t.Errorf("%s: %d links jump to %q, want at least %d (the contents and %d in the text)", name, got, title, want, want-1)
			}
		}
		for title := range wantLinks {
			if _, ok := at[title]; !ok {
				t.Errorf("%s: a link goes to %q, which is not in the outline", name, title)
			}
		}
	}
}

// headingTitles maps the ids of a book's parts and headings to their
// titles as the outline gives them.
func headingTitles(d *doc.Document) map[string]string {
	out := map[string]string{}
	doc.Walk(d.Blocks, func(b doc.Block) {
		switch n := b.(type) {
		case *doc.Part:
			out[n.ID] = n.Title
		case *doc.Heading:
			out[n.ID] = n.Number + doc.PlainText(n.Content)
		}
	})
	return out
}

// internalLinks lists the ids the links of a book's text go to; a link
// that is not to #id is listed as it is.
func internalLinks(d *doc.Document) []string {
	var out []string
	var inlines func([]doc.Inline)
	inlines = func(xs []doc.Inline) {
		for _, x := range xs {
			switch n := x.(type) {
			case *doc.Link:
				out = append(out, strings.TrimPrefix(n.URL, "#"))
				inlines(n.Content)
			case *doc.Emphasis:
				inlines(n.Content)
			}
		}
	}
	doc.Walk(d.Blocks, func(b doc.Block) {
		switch n := b.(type) {
		case *doc.Paragraph:
			inlines(n.Content)
		case *doc.Heading:
			inlines(n.Content)
		}
	})
	return out
}

// TestBookFoldersEPUB reads the EPUBs of the GitBook and mdBook folders:
// the nav nests parts, chapters and sections as the summary does, every
// href inside the book names a file and an id that exist, and each link
// of the text goes to the file holding its heading.
func TestBookFoldersEPUB(t *testing.T) {
	books := buildTestBooks(t)
	href := regexp.MustCompile(`<a [^>]*href="([^"]+)"`)
	navItem := regexp.MustCompile(`<ol>|</ol>|<li><a href="[^"]+">([^<]*)</a>`)
	for name, want := range bookContents {
		b := books[name]
		files := epubEntries(t, b.epub)
		fileOf := map[string]string{} // id → file
		idAttr := regexp.MustCompile(`\sid="([^"]+)"`)
		for fname, body := range files {
			for _, m := range idAttr.FindAllStringSubmatch(body, -1) {
				fileOf[m[1]] = fname
			}
		}
		for fname, body := range files {
			if !strings.HasSuffix(fname, ".xhtml") {
				continue
			}
			for _, m := range href.FindAllStringSubmatch(body, -1) {
				h := m[1]
				if strings.Contains(h, ":") {
					continue // http:, mailto:
				}
				file, id, _ := strings.Cut(h, "#")
				target := fname
				if file != "" {
					target = path.Join(path.Dir(fname), file)
				}
				if _, ok := files[target]; !ok {
					t.Errorf("%s: %s links to %s: no such file", name, fname, h)
				} else if id != "" && fileOf[id] != target {
					t.Errorf("%s: %s links to %s: %s has no id %q", name, fname, h, target, id)
				}
			}
		}
		// Every print page is in the page list, the pages of part
		// titles too.
		nav, pageList, _ := strings.Cut(files["EPUB/nav.xhtml"], `epub:type="page-list"`)
		for i := range pdfPages(t, b.pdf) {
			if label := strconv.Itoa(i + 1); !strings.Contains(pageList, `#page-`+label+`">`+label+`</a>`) {
				t.Errorf("%s: the page list has no page %s", name, label)
			}
		}
		// The nav, cover, title page and colophon aside.
		var got []string
		depth := -1
		for _, m := range navItem.FindAllStringSubmatch(nav, -1) {
			switch {
			case m[0] == "<ol>":
				depth++
			case m[0] == "</ol>":
				depth--
			case strings.Contains(m[0], `href="xhtml/chapter`):
				got = append(got, fmt.Sprintf("%d %s", depth, m[1]))
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: nav\n%s\nwant\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestPlaceholders builds, offline, a book whose figures cannot be had (a
// URL never fetched, an SVG): it builds with a warning for each, both
// editions show the alt text and the source in a frame, and the EPUB
// passes EPUBCheck.
func TestPlaceholders(t *testing.T) {
	dir := t.TempDir()
	url := "https://images.example.com/2024/containers-vs-vms.webp"
	src := "---\ntitle: 占位\n---\n\n正文。\n\n![容器与虚拟机](" + url + ")\n\n![矢量图](a.svg)\n"
	if err := os.WriteFile(filepath.Join(dir, "book.md"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.svg"), []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	out := filepath.Join(dir, "out")
	opt := Options{OutDir: out, Formats: Formats, Style: "a4-handout", Offline: true, CacheDir: t.TempDir(),
		FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles"), Stdout: &stdout, Stderr: &stderr}
	if err := Run(filepath.Join(dir, "book.md"), opt); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(stderr.String(), "warning: image"); n != 2 {
		t.Errorf("%d image warnings, want 2:\n%s", n, stderr.String())
	}
	text := squash(tool(t, "poppler-utils", "pdftotext", filepath.Join(out, "book.pdf"), "-"))
	for _, want := range []string{"容器与虚拟机", squash(url), "矢量图a.svg"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	body := epubEntries(t, filepath.Join(out, "book.epub"))["EPUB/xhtml/text.xhtml"]
	if strings.Count(body, `<div class="placeholder" role="img"`) != 2 || !strings.Contains(body, url) || strings.Contains(body, "<img") {
		t.Errorf("the EPUB's placeholders:\n%s", body)
	}
	validators.EPUB(t, filepath.Join(out, "book.epub"))
}
