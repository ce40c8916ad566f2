package epub

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
	"github.com/paiban/paiban/internal/validators"
)

// The tests' EPUBs are checked by one EPUBCheck run (package validators).
func TestMain(m *testing.M) { validators.Main(m) }

var modified = time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)

// Special characters that must survive escaping in text, titles and notes.
const (
	trickyTitle   = `测试<书名>&"'`
	trickyHeading = `第二节 <发展> & “前景”`
	trickyText    = ` 特殊字符 <&>"' 。`
	trickyNote    = `注释 <b>&amp; "引号" 'x'`
)

var (
	bundledOnce  sync.Once
	bundledFonts Fonts
	bundledLic   map[string][]byte
	bundledErr   error
)

// bundled loads the fonts and licences in the repository's fonts folder.
func bundled(tb testing.TB) (Fonts, map[string][]byte) {
	tb.Helper()
	bundledOnce.Do(func() {
		dir := filepath.Join("..", "..", "fonts")
		load := func(name string) *fonts.Face {
			f, err := fonts.Load(filepath.Join(dir, name))
			if err != nil && bundledErr == nil {
				bundledErr = err
			}
			return f
		}
		bundledFonts = Fonts{Faces: map[style.Role]*fonts.Face{
			style.Serif:       load("NotoSerifSC-Regular.ttf"),
			style.Sans:        load("NotoSansSC-Bold.ttf"),
			style.Latin:       load("SourceSerif4-Regular.ttf"),
			style.LatinItalic: load("SourceSerif4-Italic.ttf"),
			style.Kai:         load("LXGWWenKai-Regular.ttf"),
			style.Mono:        load("LXGWWenKaiMono-Regular.ttf"),
		}}
		bundledLic = map[string][]byte{}
		paths, _ := filepath.Glob(filepath.Join(dir, "OFL-*.txt"))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil && bundledErr == nil {
				bundledErr = err
			}
			bundledLic[filepath.Base(p)] = b
		}
		if len(bundledLic) == 0 && bundledErr == nil {
			bundledErr = fmt.Errorf("no OFL-*.txt in %s", dir)
		}
	})
	if bundledErr != nil {
		tb.Fatal(bundledErr)
	}
	return bundledFonts, bundledLic
}

func options(tb testing.TB) Options {
	f, lic := bundled(tb)
	return Options{Fonts: f, Licenses: lic, Modified: modified, Generator: "paiban", Stylesheet: testSheet(tb)}
}

func text(s string) doc.Inline { return doc.Text(s) }

func para(line int, xs ...doc.Inline) *doc.Paragraph {
	return &doc.Paragraph{Pos: doc.Pos{File: "book.md", Line: line}, Content: xs}
}

func heading(line, level int, id, s string) *doc.Heading {
	return &doc.Heading{Pos: doc.Pos{File: "book.md", Line: line}, Level: level, ID: id, Content: []doc.Inline{text(s)}}
}

// sampleBook has two chapters with sections, emphasis, strong, links,
// footnotes in both chapters (one referenced twice) and special
// characters everywhere.
func sampleBook() *doc.Document {
	n1 := &doc.Footnote{Number: 1, Label: "1", Blocks: []doc.Block{para(90, text("第一条注释。"))}}
	n2 := &doc.Footnote{Number: 2, Label: "2", Blocks: []doc.Block{para(91, text("第二条注释，两段。")), para(92, text("第二段。"))}}
	n3 := &doc.Footnote{Number: 3, Label: "3", Blocks: []doc.Block{para(93, text(trickyNote), &doc.Emphasis{Content: []doc.Inline{text("着重")}})}}
	return &doc.Document{
		Meta: doc.Metadata{
			Title:    trickyTitle,
			Subtitle: "副标题",
			Authors: []doc.Author{
				{Name: "张三", Position: "某研究院研究员"},
				{Name: "Li Si"},
			},
			Language:    "zh-CN",
			Source:      "《某刊》2024年第1期",
			Date:        "2024-04-30",
			Description: "一本用来测试的书。",
			Rights:      "版权所有 © 2024 张三",
		},
		Footnotes: []*doc.Footnote{n1, n2, n3},
		Blocks: []doc.Block{
			heading(1, 1, "ch-1", "第一章 总论"),
			para(3,
				text("新质生产力（new quality productive forces）是"),
				&doc.Emphasis{Content: []doc.Inline{text("创新驱动 GDP")}},
				text("的"),
				&doc.Emphasis{Strong: true, Content: []doc.Inline{text("关键")}},
				text("。见"),
				&doc.Link{URL: "#sec-2-1", Content: []doc.Inline{text("路径一节")}},
				text("与"),
				&doc.Link{URL: "https://example.com/a?b=1&c=2", Content: []doc.Inline{text("外部链接"), &doc.FootnoteRef{Note: n1}}},
				text(trickyText),
			),
			heading(5, 2, "sec-1-1", "第一节 起源"),
			para(7, text("起源于实践。"), &doc.FootnoteRef{Note: n2}, text("再引一次"), &doc.FootnoteRef{Note: n1}, doc.LineBreak{}, text("换行后"), doc.Code("x := 1")),
			heading(9, 3, "sec-1-1-1", "一、背景"),
			&doc.BlockQuote{Blocks: []doc.Block{para(11, text("引文一段。"))}},
			heading(13, 2, "sec-1-2", trickyHeading),
			&doc.List{Ordered: true, Start: 3, Items: [][]doc.Block{{para(15, text("第三项"))}, {para(16, text("第四项"))}}},
			&doc.List{Items: [][]doc.Block{{para(17, text("无序项"))}}},
			heading(19, 1, "ch-2", "第二章 方法"),
			heading(21, 2, "sec-2-1", "第一节 路径"),
			para(23, text("路径依赖创新。"), &doc.FootnoteRef{Note: n3}, text("回到"), &doc.Link{URL: "#ch-1", Content: []doc.Inline{text("第一章")}}),
			&doc.CodeBlock{Text: "if a < b && c > d {\n\treturn\n}"},
			&doc.ThematicBreak{},
			para(29, text("结尾。")),
		},
	}
}

// epubFiles reads an EPUB's entries.
func epubFiles(t *testing.T, data []byte) (map[string][]byte, []*zip.File) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files, zr.File
}

func write(t *testing.T, d *doc.Document, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWrite(t *testing.T) {
	opt := options(t)
	data := write(t, sampleBook(), opt)
	files, entries := epubFiles(t, data)

	t.Run("reproducible", func(t *testing.T) {
		if again := write(t, sampleBook(), opt); !bytes.Equal(data, again) {
			t.Error("two writes of the same book differ")
		}
	})
	t.Run("epubcheck", func(t *testing.T) { epubcheck(t, data) })
	t.Run("container", func(t *testing.T) { checkContainer(t, data, entries, files) })
	t.Run("language", func(t *testing.T) { checkLanguage(t, files) })
	t.Run("package", func(t *testing.T) { checkPackage(t, files) })
	t.Run("navigation", func(t *testing.T) { checkNavigation(t, files) })
	t.Run("footnotes", func(t *testing.T) { checkFootnotes(t, files) })
	t.Run("escaping", func(t *testing.T) { checkEscaping(t, files) })
	t.Run("fonts", func(t *testing.T) { checkFonts(t, files, opt.Licenses) })
	t.Run("cover", func(t *testing.T) { checkCover(t, files) })
}

// epubcheck queues the EPUB for EPUBCheck (see package validators), which
// fails the run on any error or warning, and on any usage note except
// those no EPUB with embedded fonts, an NCX, an SVG cover and a page list
// can avoid, and those the caller allows.
func epubcheck(t *testing.T, data []byte, allowed ...string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.epub")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	validators.EPUB(t, path, allowed...)
}

func checkContainer(t *testing.T, data []byte, entries []*zip.File, files map[string][]byte) {
	first := entries[0]
	if first.Name != "mimetype" || first.Method != zip.Store {
		t.Fatalf("first entry is %s (method %d), want mimetype stored", first.Name, first.Method)
	}
	// OCF: the bytes at 30 and 38 of the file are "mimetype" and the media
	// type, which needs an empty extra field.
	if binary.LittleEndian.Uint16(data[28:]) != 0 {
		t.Error("mimetype has an extra field")
	}
	if got := string(data[30:58]); got != "mimetypeapplication/epub+zip" {
		t.Errorf("archive starts %q", got)
	}
	names := []string{}
	for _, e := range entries[1:] {
		names = append(names, e.Name)
		if !e.Modified.Equal(modified) {
			t.Errorf("%s dated %v, want %v", e.Name, e.Modified, modified)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %v", names)
	}
	// Apple Books sets the book in its embedded fonts only when told so.
	var options struct {
		Platforms []struct {
			Name    string `xml:"name,attr"`
			Options []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:",chardata"`
			} `xml:"option"`
		} `xml:"platform"`
	}
	apple := files["META-INF/com.apple.ibooks.display-options.xml"]
	err := xml.Unmarshal(apple, &options)
	if err != nil || len(options.Platforms) != 1 || options.Platforms[0].Name != "*" || len(options.Platforms[0].Options) != 1 ||
		options.Platforms[0].Options[0].Name != "specified-fonts" || options.Platforms[0].Options[0].Value != "true" {
		t.Errorf("Apple Books display options %q (%v): want specified-fonts true for every platform", apple, err)
	}
}

func checkLanguage(t *testing.T, files map[string][]byte) {
	n := 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".xhtml") {
			continue
		}
		n++
		root := rootElement(t, name, data)
		var lang, xmlLang string
		for _, a := range root.Attr {
			switch {
			case a.Name.Local == "lang" && a.Name.Space == "":
				lang = a.Value
			case a.Name.Local == "lang" && a.Name.Space == "http://www.w3.org/XML/1998/namespace":
				xmlLang = a.Value
			}
		}
		if lang != "zh-CN" || xmlLang != "zh-CN" {
			t.Errorf("%s: <html lang=%q xml:lang=%q>, want zh-CN", name, lang, xmlLang)
		}
	}
	if n != 6 { // nav, cover, title page, two chapters, colophon
		t.Errorf("%d XHTML files, want 6", n)
	}
}

// rootElement parses a whole document, so that it also checks that the
// document is well-formed, and returns its root element.
func rootElement(t *testing.T, name string, data []byte) xml.StartElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root *xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == nil {
			se = se.Copy()
			root = &se
		}
	}
	if root == nil {
		t.Fatalf("%s: no root element", name)
	}
	return *root
}

type opfDoc struct {
	Lang     string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Metadata struct {
		Identifier  string   `xml:"http://purl.org/dc/elements/1.1/ identifier"`
		Titles      []string `xml:"http://purl.org/dc/elements/1.1/ title"`
		Creators    []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		Language    string   `xml:"http://purl.org/dc/elements/1.1/ language"`
		Source      string   `xml:"http://purl.org/dc/elements/1.1/ source"`
		Date        string   `xml:"http://purl.org/dc/elements/1.1/ date"`
		Description string   `xml:"http://purl.org/dc/elements/1.1/ description"`
		Rights      string   `xml:"http://purl.org/dc/elements/1.1/ rights"`
		Meta        []struct {
			Property string `xml:"property,attr"`
			Name     string `xml:"name,attr"`
			Content  string `xml:"content,attr"`
			Value    string `xml:",chardata"`
		} `xml:"meta"`
	} `xml:"metadata"`
	Items []manifestItem `xml:"manifest>item"`
	Spine []struct {
		IDRef string `xml:"idref,attr"`
	} `xml:"spine>itemref"`
}

func readOPF(t *testing.T, files map[string][]byte) opfDoc {
	t.Helper()
	var p opfDoc
	if err := xml.Unmarshal(files["EPUB/package.opf"], &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// meta returns the value of the meta element with the property or name.
func (p opfDoc) meta(key string) string {
	for _, m := range p.Metadata.Meta {
		switch key {
		case m.Property:
			return m.Value
		case m.Name:
			return m.Content
		}
	}
	return ""
}

func checkPackage(t *testing.T, files map[string][]byte) {
	p := readOPF(t, files)
	m := p.Metadata
	if p.Lang != "zh-CN" || m.Language != "zh-CN" {
		t.Errorf("package xml:lang %q, dc:language %q, want zh-CN", p.Lang, m.Language)
	}
	if got, want := p.meta("dcterms:modified"), "2024-05-01T08:30:00Z"; got != want {
		t.Errorf("dcterms:modified %q, want %q", got, want)
	}
	if !strings.HasPrefix(m.Identifier, "urn:uuid:") {
		t.Errorf("identifier %q, want a urn:uuid", m.Identifier)
	}
	want := []string{trickyTitle, "副标题"}
	if !slices.Equal(m.Titles, want) {
		t.Errorf("titles %q, want %q", m.Titles, want)
	}
	if !slices.Equal(m.Creators, []string{"张三", "Li Si"}) {
		t.Errorf("creators %q", m.Creators)
	}
	if m.Source != "《某刊》2024年第1期" || m.Date != "2024-04-30" || m.Description != "一本用来测试的书。" || m.Rights != "版权所有 © 2024 张三" {
		t.Errorf("source %q, date %q, description %q, rights %q", m.Source, m.Date, m.Description, m.Rights)
	}
	if g := p.meta("generator"); g != "paiban" {
		t.Errorf("generator %q", g)
	}
	// The string Ace and EPUBCheck know for the claim.
	if c, by := p.meta("dcterms:conformsTo"), p.meta("a11y:certifiedBy"); c != "EPUB Accessibility 1.1 - WCAG 2.1 Level AA" || by != "paiban" {
		t.Errorf("dcterms:conformsTo %q, a11y:certifiedBy %q", c, by)
	}
	var hrefs []string
	ids := map[string]manifestItem{}
	for _, it := range p.Items {
		hrefs = append(hrefs, it.Href)
		ids[it.ID] = it
		if files["EPUB/"+it.Href] == nil {
			t.Errorf("manifest lists %s, not in the archive", it.Href)
		}
		if strings.HasSuffix(it.Href, ".ttf") && it.MediaType != "font/ttf" {
			t.Errorf("%s has media type %s", it.Href, it.MediaType)
		}
	}
	if !slices.IsSorted(hrefs) {
		t.Errorf("manifest not sorted: %v", hrefs)
	}
	var spine []string
	for _, r := range p.Spine {
		spine = append(spine, ids[r.IDRef].Href)
	}
	wantSpine := []string{"xhtml/cover.xhtml", "xhtml/titlepage.xhtml", "xhtml/chapter01.xhtml", "xhtml/chapter02.xhtml", "xhtml/colophon.xhtml"}
	if !slices.Equal(spine, wantSpine) {
		t.Errorf("spine %v, want %v", spine, wantSpine)
	}
}

// navItem is a table of contents entry, from nav.xhtml or toc.ncx.
type navItem struct {
	label, href string
	children    []navItem
}

func (n navItem) String() string {
	var b strings.Builder
	var walk func([]navItem, string)
	walk = func(items []navItem, indent string) {
		for _, it := range items {
			fmt.Fprintf(&b, "%s%s %s\n", indent, it.label, it.href)
			walk(it.children, indent+"  ")
		}
	}
	walk(n.children, "")
	return b.String()
}

type navLI struct {
	A struct {
		Href string `xml:"href,attr"`
		Text string `xml:",chardata"`
	} `xml:"a"`
	Items []navLI `xml:"ol>li"`
}

func (li navLI) item() navItem {
	it := navItem{label: li.A.Text, href: li.A.Href}
	for _, c := range li.Items {
		it.children = append(it.children, c.item())
	}
	return it
}

type ncxPoint struct {
	Label   string `xml:"navLabel>text"`
	Content struct {
		Src string `xml:"src,attr"`
	} `xml:"content"`
	Points []ncxPoint `xml:"navPoint"`
}

func (p ncxPoint) item() navItem {
	it := navItem{label: p.Label, href: p.Content.Src}
	for _, c := range p.Points {
		it.children = append(it.children, c.item())
	}
	return it
}

func checkNavigation(t *testing.T, files map[string][]byte) {
	want := `封面 xhtml/cover.xhtml
测试<书名>&"' xhtml/titlepage.xhtml
第一章 总论 xhtml/chapter01.xhtml#ch-1
  第一节 起源 xhtml/chapter01.xhtml#sec-1-1
    一、背景 xhtml/chapter01.xhtml#sec-1-1-1
  第二节 <发展> & “前景” xhtml/chapter01.xhtml#sec-1-2
第二章 方法 xhtml/chapter02.xhtml#ch-2
  第一节 路径 xhtml/chapter02.xhtml#sec-2-1
版本信息 xhtml/colophon.xhtml
`
	var nav struct {
		Navs []struct {
			Type  string  `xml:"http://www.idpf.org/2007/ops type,attr"`
			Items []navLI `xml:"ol>li"`
		} `xml:"body>nav"`
	}
	if err := xml.Unmarshal(files["EPUB/nav.xhtml"], &nav); err != nil {
		t.Fatal(err)
	}
	var toc navItem
	for _, n := range nav.Navs {
		if n.Type == "toc" {
			for _, li := range n.Items {
				toc.children = append(toc.children, li.item())
			}
		}
	}
	if got := toc.String(); got != want {
		t.Errorf("nav.xhtml contents:\n%s\nwant:\n%s", got, want)
	}
	checkTargets(t, files, toc)

	var ncx struct {
		UID    string     `xml:"head>meta"`
		Points []ncxPoint `xml:"navMap>navPoint"`
	}
	if err := xml.Unmarshal(files["EPUB/toc.ncx"], &ncx); err != nil {
		t.Fatal(err)
	}
	var ncxTOC navItem
	for _, p := range ncx.Points {
		ncxTOC.children = append(ncxTOC.children, p.item())
	}
	if got := ncxTOC.String(); got != want {
		t.Errorf("toc.ncx contents:\n%s\nwant:\n%s", got, want)
	}
}

// checkTargets checks that every entry points at a file, and at an element
// in it.
func checkTargets(t *testing.T, files map[string][]byte, toc navItem) {
	for _, it := range toc.children {
		file, id, _ := strings.Cut(it.href, "#")
		data := files["EPUB/"+file]
		if data == nil {
			t.Errorf("%s: no file %s", it.label, file)
		}
		if id != "" && !bytes.Contains(data, []byte(` id="`+id+`"`)) {
			t.Errorf("%s: %s has no id %s", it.label, file, id)
		}
		checkTargets(t, files, it)
	}
}

func checkFootnotes(t *testing.T, files map[string][]byte) {
	ch1, ch2 := string(files["EPUB/xhtml/chapter01.xhtml"]), string(files["EPUB/xhtml/chapter02.xhtml"])
	for _, want := range []string{
		// Latin words in emphasis are italic, without dots; the
		// author's space before them is left to the reader's own gap.
		`<em>创新驱动<span class="latn">GDP</span></em>`,
		// n1 is referenced inside a link: the mark follows the link.
		// A word joiner (U+2060) glues each mark to what it follows.
		"外部链接</a>\u2060<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"nr1\" href=\"#fn1\">①</a>",
		"\u2060<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"nr2\" href=\"#fn2\">②</a>",
		"\u2060<a epub:type=\"noteref\" role=\"doc-noteref\" id=\"nr1-2\" href=\"#fn1\">①</a>",
		`<aside epub:type="footnote" role="doc-footnote" id="fn1"><p><a href="#nr1" role="doc-backlink">①</a> 第一条注释。</p></aside>`,
		`<aside epub:type="footnote" role="doc-footnote" id="fn2"><p><a href="#nr2" role="doc-backlink">②</a> 第二条注释，两段。</p><p>第二段。</p>`,
	} {
		if !strings.Contains(ch1, want) {
			t.Errorf("chapter01.xhtml lacks %s", want)
		}
	}
	if strings.Index(ch1, "<aside") < strings.Index(ch1, "第二节") {
		t.Error("chapter01.xhtml: notes come before the end of the text")
	}
	// Numbers start again in each file.
	for _, want := range []string{
		`<a epub:type="noteref" role="doc-noteref" id="nr1" href="#fn1">①</a>`,
		`<aside epub:type="footnote" role="doc-footnote" id="fn1"><p><a href="#nr1" role="doc-backlink">①</a> 注释 &#60;b&#62;&#38;amp; &#34;引号&#34; &#39;x&#39;<em>着重</em></p></aside>`,
	} {
		if !strings.Contains(ch2, want) {
			t.Errorf("chapter02.xhtml lacks %s", want)
		}
	}
	if strings.Contains(ch2, `id="fn2"`) {
		t.Error("chapter02.xhtml has notes of chapter 1")
	}
}

func TestNoteMark(t *testing.T) {
	for k, want := range map[int]string{1: "①", 20: "⑳", 21: "㉑", 35: "㉟", 36: "㊱", 50: "㊿", 51: "[51]", 120: "[120]"} {
		if got := noteMark(k); got != want {
			t.Errorf("noteMark(%d) = %q, want %q", k, got, want)
		}
	}
}

func checkEscaping(t *testing.T, files map[string][]byte) {
	type h struct {
		Text string `xml:",chardata"`
	}
	var page struct {
		Title string `xml:"head>title"`
		H1    string `xml:"body>section>h1"`
	}
	if err := xml.Unmarshal(files["EPUB/xhtml/titlepage.xhtml"], &page); err != nil {
		t.Fatal(err)
	}
	if page.Title != trickyTitle || page.H1 != trickyTitle {
		t.Errorf("title page title %q, heading %q, want %q", page.Title, page.H1, trickyTitle)
	}
	var ch struct {
		Section struct {
			H2 []string `xml:"h2"`
			P  []struct {
				Text string `xml:",chardata"`
				A    []struct {
					Href string `xml:"href,attr"`
				} `xml:"a"`
			} `xml:"p"`
		} `xml:"body>section"`
	}
	if err := xml.Unmarshal(files["EPUB/xhtml/chapter01.xhtml"], &ch); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ch.Section.H2, trickyHeading) {
		t.Errorf("chapter 1 headings %q lack %q", ch.Section.H2, trickyHeading)
	}
	p := ch.Section.P[0]
	if !strings.HasSuffix(p.Text, trickyText) {
		t.Errorf("paragraph text %q does not end in %q", p.Text, trickyText)
	}
	var hrefs []string
	for _, a := range p.A {
		hrefs = append(hrefs, a.Href)
	}
	// #sec-2-1 is in the other chapter's file.
	want := []string{"chapter02.xhtml#sec-2-1", "https://example.com/a?b=1&c=2", "#fn1"}
	if !slices.Equal(hrefs, want) {
		t.Errorf("links %q, want %q", hrefs, want)
	}
}

func checkFonts(t *testing.T, files map[string][]byte, licenses map[string][]byte) {
	for _, c := range []struct {
		file, family string
		has, lacks   string
	}{
		// Body text: Han and punctuation, not Latin letters; 总 is only
		// in a heading.
		// The marks of docs/typesetting.md §2.1 are always there (“ is not in
		// the body text).
		{"PaibanSerifSC-Regular.ttf", "Paiban Serif SC", "新质生产力（）。①②“”‘’《》——……", "总nG"},
		// Headings, the title and strong.
		{"PaibanSansSC-Bold.ttf", "Paiban Sans SC", "第一章总论关键测试书名<>&", "新"},
		// Latin in body text; GDP is only in emphasis, and D is in
		// none of the font and licence names the colophon lists.
		{"PaibanLatin-Regular.ttf", "Paiban Latin", "newqualityproductiveforces20", "D新（"},
		{"PaibanLatin-Italic.ttf", "Paiban Latin", "GDP", "n新"},
		// Block quotations in 楷体, renamed: LXGW and 霞鹜 are reserved.
		{"PaibanKaiSC-Regular.ttf", "Paiban Kai SC", "引文一段。“”《》", "新总"},
	} {
		data := files["EPUB/fonts/"+c.file]
		if data == nil {
			t.Errorf("no fonts/%s", c.file)
			continue
		}
		if len(data) > 100_000 {
			t.Errorf("%s is %d bytes: not a subset?", c.file, len(data))
		}
		f, err := fonts.Parse(data)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		if f.Family != c.family {
			t.Errorf("%s: family %q, want %q", c.file, f.Family, c.family)
		}
		if strings.Contains(f.PostScriptName, "LXGW") || !strings.HasPrefix(f.PostScriptName, "Paiban") {
			t.Errorf("%s: PostScript name %q keeps the original name", c.file, f.PostScriptName)
		}
		for _, r := range c.has {
			if !f.Has(r) {
				t.Errorf("%s lacks %q", c.file, r)
			}
		}
		for _, r := range c.lacks {
			if f.Has(r) {
				t.Errorf("%s has %q, which the book does not set in it", c.file, r)
			}
		}
	}
	// The licences of the faces of the roles travel with them; the
	// fallback faces' licences in the folder are not the EPUB's.
	f, _ := bundled(t)
	used := map[string]bool{}
	for _, r := range EmbeddedRoles {
		used[f.Face(r).LicenseFile()] = true
	}
	for name, text := range licenses {
		if !used[name] {
			continue
		}
		if !bytes.Equal(files["EPUB/fonts/"+name], text) {
			t.Errorf("licence fonts/%s missing or changed", name)
		}
	}
	css := string(files["EPUB/css/paiban.css"])
	for _, want := range []string{
		`"Paiban Latin", "Paiban Serif SC", "Songti SC", "SimSun", "Noto Serif CJK SC", serif`,
		`"Paiban Sans SC", "PingFang SC", "Heiti SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`,
		`"Paiban Latin", "Paiban Kai SC", "Kaiti SC", "STKaiti", "KaiTi", "楷体", "AR PL UKai CN", serif`,
		"text-indent: 2em", "text-align: justify", "line-break: strict", "text-emphasis-style: filled dot",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("style sheet lacks %s", want)
		}
	}
}

func checkCover(t *testing.T, files map[string][]byte) {
	p := readOPF(t, files)
	var cover manifestItem
	for _, it := range p.Items {
		if it.Properties == "cover-image" {
			cover = it
		}
	}
	if cover.Href != "images/cover.png" || p.meta("cover") != cover.ID {
		t.Fatalf("cover image %+v, meta cover %q", cover, p.meta("cover"))
	}
	img, err := png.Decode(bytes.NewReader(files["EPUB/images/cover.png"]))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != coverWidth || b.Dy() != coverHeight {
		t.Errorf("cover is %v", b)
	}
	if !bytes.Contains(files["EPUB/xhtml/cover.xhtml"], []byte(`xlink:href="../images/cover.png"`)) {
		t.Error("cover page does not show the cover")
	}
}

// TestArticle checks a text without level-1 headings: it is split at its
// top level, ##, and the text before the first heading opens the first
// section's file.
func TestArticle(t *testing.T) {
	n := &doc.Footnote{Number: 1, Blocks: []doc.Block{para(9, text("注。"))}}
	d := &doc.Document{
		Meta: doc.Metadata{Title: "文章", Authors: []doc.Author{{Name: "作者"}}},
		Blocks: []doc.Block{
			para(1, text("导语。"), &doc.FootnoteRef{Note: n}),
			heading(3, 2, "sec-1", "一、第一部分"),
			para(5, text("正文。")),
			heading(7, 2, "sec-2", "二、第二部分"),
		},
		Footnotes: []*doc.Footnote{n},
	}
	files, _ := epubFiles(t, write(t, d, options(t)))
	var names []string
	for name := range files {
		if strings.HasPrefix(name, "EPUB/xhtml/") {
			names = append(names, strings.TrimPrefix(name, "EPUB/xhtml/"))
		}
	}
	slices.Sort(names)
	if want := []string{"chapter01.xhtml", "chapter02.xhtml", "colophon.xhtml", "cover.xhtml", "titlepage.xhtml"}; !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	body := string(files["EPUB/xhtml/chapter01.xhtml"])
	if !strings.Contains(body, "导语。\u2060<a epub:type=\"noteref\"") || !strings.Contains(body, `id="fn1"`) || !strings.Contains(body, "正文") || strings.Contains(body, "sec-2") {
		t.Error("chapter01.xhtml does not hold the opening paragraph, its note and the first section")
	}
	if !strings.Contains(string(files["EPUB/xhtml/chapter02.xhtml"]), `<section epub:type="chapter" role="doc-chapter">`) {
		t.Error("a ## section of the article is not a chapter")
	}
	if !strings.Contains(string(files["EPUB/nav.xhtml"]), `<li><a href="xhtml/chapter02.xhtml#sec-2">二、第二部分</a></li>`) {
		t.Error("nav.xhtml lacks the second section")
	}
	if got := readOPF(t, files).Metadata.Language; got != "zh-CN" {
		t.Errorf("default language %q, want zh-CN", got)
	}
}

func TestIdentifier(t *testing.T) {
	d := sampleBook()
	opt := options(t)
	id := func() string {
		files, _ := epubFiles(t, write(t, d, opt))
		return readOPF(t, files).Metadata.Identifier
	}
	first := id()
	opt.Modified = modified.Add(24 * time.Hour)
	if again := id(); again != first {
		t.Errorf("identifier changed with the date: %s, then %s", first, again)
	}
	d.Meta.Authors = d.Meta.Authors[:1]
	if other := id(); other == first {
		t.Error("identifier does not depend on the authors")
	}
	d.Meta.Identifier = "isbn:9787000000000"
	if got := id(); got != "isbn:9787000000000" {
		t.Errorf("identifier %q, want the book's own", got)
	}
}

func TestUserCover(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 30, 40))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	var pngData, jpegData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegData, img, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		data      []byte
		file, svg string
	}{
		{pngData.Bytes(), "images/cover.png", `viewBox="0 0 30 40"`},
		{jpegData.Bytes(), "images/cover.jpg", `viewBox="0 0 30 40"`},
	} {
		opt := options(t)
		opt.Cover = c.data
		files, _ := epubFiles(t, write(t, sampleBook(), opt))
		if !bytes.Equal(files["EPUB/"+c.file], c.data) {
			t.Errorf("%s is not the given cover", c.file)
		}
		if !bytes.Contains(files["EPUB/xhtml/cover.xhtml"], []byte(c.svg)) {
			t.Errorf("cover page for %s lacks %s", c.file, c.svg)
		}
	}
	opt := options(t)
	opt.Cover = []byte("GIF89a not really")
	if err := Write(io.Discard, sampleBook(), opt); err == nil {
		t.Error("a cover that is no PNG or JPEG was taken")
	}
}

// TestNoFonts writes a book without embedded fonts: the text falls back to
// the reader's own.
func TestNoFonts(t *testing.T) {
	var cover bytes.Buffer
	if err := png.Encode(&cover, image.NewGray(image.Rect(0, 0, 3, 4))); err != nil {
		t.Fatal(err)
	}
	files, _ := epubFiles(t, write(t, sampleBook(), Options{Modified: modified, Cover: cover.Bytes(), Stylesheet: testSheet(t)}))
	for name := range files {
		if strings.HasPrefix(name, "EPUB/fonts/") {
			t.Errorf("%s in a book without fonts", name)
		}
	}
	css := string(files["EPUB/css/paiban.css"])
	if strings.Contains(css, "@font-face") || !strings.Contains(css, "font-family: "+serifStack+";") {
		t.Errorf("style sheet without fonts:\n%s", css)
	}
}

func TestErrors(t *testing.T) {
	opt := options(t)
	for _, c := range []struct {
		name string
		edit func(*doc.Document, *Options)
		want string
	}{
		{"no date", func(_ *doc.Document, o *Options) { o.Modified = time.Time{} }, "Modified"},
		{"no title", func(d *doc.Document, _ *Options) { d.Meta.Title = " " }, "no title"},
		{"bad language", func(d *doc.Document, _ *Options) { d.Meta.Language = "zh CN!" }, "BCP 47"},
		{"duplicate id", func(d *doc.Document, _ *Options) { d.Blocks[2].(*doc.Heading).ID = "ch-1" }, `book.md:5: heading id "ch-1" is used twice`},
		{"reserved id", func(d *doc.Document, _ *Options) { d.Blocks[2].(*doc.Heading).ID = "fn1" }, "book.md:5: heading id \"fn1\" is reserved"},
		{"link to no heading", func(d *doc.Document, _ *Options) {
			d.Blocks[1].(*doc.Paragraph).Content[5].(*doc.Link).URL = "#nowhere"
		}, `"#nowhere"`},
		{"relative link", func(d *doc.Document, _ *Options) {
			d.Blocks[1].(*doc.Paragraph).Content[7].(*doc.Link).URL = "other.md"
		}, `"other.md"`},
		{"bad licence name", func(_ *doc.Document, o *Options) { o.Licenses = map[string][]byte{"../OFL.txt": nil} }, "licence file name"},
		{"no fonts for the cover", func(_ *doc.Document, o *Options) { o.Fonts = Fonts{} }, "no Chinese font"},
		{"no style sheet", func(_ *doc.Document, o *Options) { o.Stylesheet = "" }, "Stylesheet is empty"},
	} {
		d, o := sampleBook(), opt
		c.edit(d, &o)
		err := Write(io.Discard, d, o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
	if err := Write(io.Discard, nil, opt); err == nil {
		t.Error("no error for a nil document")
	}
}

// TestConcurrent writes books at the same time, as a build of several
// books does; go-epub's shared state must not be raced on, and nothing
// may be logged.
func TestConcurrent(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	opt := options(t)
	want := write(t, sampleBook(), opt)
	outs := make([][]byte, 4)
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			errs[i] = Write(&buf, sampleBook(), opt)
			outs[i] = buf.Bytes()
		}()
	}
	wg.Wait()
	for i, out := range outs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(out, want) {
			t.Errorf("concurrent write %d differs", i)
		}
	}
	if logged.Len() > 0 {
		t.Errorf("writing logged:\n%s", logged.String())
	}
}

func BenchmarkWrite(b *testing.B) {
	opt := options(b)
	d := sampleBook()
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, d, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDrawCover(b *testing.B) {
	f, _ := bundled(b)
	m := sampleBook().Meta
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DrawCover(m, f); err != nil {
			b.Fatal(err)
		}
	}
}

// testSheet is the style sheet the build passes: styles/epub.css.
func testSheet(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "styles", "epub.css"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestVertical checks what --epub-writing vertical changes: the class
// that turns the style sheet's vertical rules on, on the text files and
// not the cover, pages turned right to left, and those rules only in a
// vertical book.
func TestVertical(t *testing.T) {
	for _, vertical := range []bool{false, true} {
		opt := options(t)
		opt.Vertical = vertical
		data := write(t, sampleBook(), opt)
		files, _ := epubFiles(t, data)
		for name, body := range files {
			if !strings.HasPrefix(name, "EPUB/xhtml/") {
				continue
			}
			want := vertical && name != "EPUB/xhtml/cover.xhtml"
			if got := rootElement(t, name, body).Attr; slices.ContainsFunc(got, func(a xml.Attr) bool { return a.Name.Local == "class" && a.Value == "vertical" }) != want {
				t.Errorf("vertical %v: %s has html attributes %v", vertical, name, got)
			}
		}
		if got := strings.Contains(string(files["EPUB/package.opf"]), `<spine toc="ncx" page-progression-direction="rtl">`); got != vertical {
			t.Errorf("vertical %v: pages turn right to left: %v", vertical, got)
		}
		if got := strings.Contains(string(files["EPUB/css/paiban.css"]), "writing-mode: vertical-rl"); got != vertical {
			t.Errorf("vertical %v: the style sheet sets vertical-rl: %v", vertical, got)
		}
		if vertical {
			epubcheck(t, data)
		}
	}
}
