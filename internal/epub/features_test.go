package epub

import (
	"bytes"
	"encoding/xml"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
)

// node is an element of a parsed XHTML document.
type node struct {
	name     string
	attr     map[string]string
	children []any // *node or string
}

// parseXHTML parses a whole document into a tree, failing on markup that
// is not well-formed.
func parseXHTML(t *testing.T, name string, data []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := &node{name: "#document"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		top := stack[len(stack)-1]
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local, attr: map[string]string{}}
			for _, a := range tk.Attr {
				key := a.Name.Local
				if a.Name.Space == "http://www.idpf.org/2007/ops" {
					key = "epub:" + key
				}
				n.attr[key] = a.Value
			}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.children = append(top.children, string(tk))
		}
	}
	return root
}

// all returns the elements named name under n, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if e, ok := c.(*node); ok {
			if e.name == name {
				out = append(out, e)
			}
			out = append(out, e.all(name)...)
		}
	}
	return out
}

// byID returns the element with the id, or nil.
func (n *node) byID(id string) *node {
	for _, c := range n.children {
		if e, ok := c.(*node); ok {
			if e.attr["id"] == id {
				return e
			}
			if f := e.byID(id); f != nil {
				return f
			}
		}
	}
	return nil
}

// text is the text content of n.
func (n *node) text() string {
	var b strings.Builder
	for _, c := range n.children {
		switch c := c.(type) {
		case string:
			b.WriteString(c)
		case *node:
			b.WriteString(c.text())
		}
	}
	return b.String()
}

// elements are n's child elements.
func (n *node) elements() []*node {
	var out []*node
	for _, c := range n.children {
		if e, ok := c.(*node); ok {
			out = append(out, e)
		}
	}
	return out
}

// testImage encodes a w×h grey image as PNG or JPEG.
func testImage(t *testing.T, format string, w, h int, shade uint8) *doc.Image {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(0, 0, color.Gray{Y: 0})
	var buf bytes.Buffer
	var err error
	name := "images/chart." + format
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
		name = "images/photo.jpg"
	}
	if err != nil {
		t.Fatal(err)
	}
	return &doc.Image{Path: name, Name: name[len("images/"):], Format: format, Width: w, Height: h, Data: buf.Bytes()}
}

func em(xs ...doc.Inline) *doc.Emphasis     { return &doc.Emphasis{Content: xs} }
func strong(xs ...doc.Inline) *doc.Emphasis { return &doc.Emphasis{Strong: true, Content: xs} }

func numbered(line, level int, id, number, s string) *doc.Heading {
	h := heading(line, level, id, s)
	h.Number = number
	return h
}

// Body text as a chapter has it, around the features; without it the
// features alone make a page EPUBCheck finds too dense in spans.
const (
	bodyText1 = "新质生产力这一概念，凸显了生产力历史性跃升的决定性作用。工业革命后，以机器大工业为基础的资本主义现代生产代替了以手工劳动为基础的传统生产，使生产力发展获得巨大飞跃。对此，马克思、恩格斯在《共产党宣言》中写道：“资产阶级在它的不到一百年的阶级统治中所创造的生产力，比过去一切世代创造的全部生产力还要多，还要大……过去哪一个世纪料想到在社会劳动里蕴藏有这样的生产力呢？”这段话精辟而生动地诠释了生产力的历史性跃升具有巨大作用。后来，同样是由新的科技革命推动两轮产业变革，形成了新的生产力：一轮肇始于19世纪70年代，以电力和内燃机为标志；一轮肇始于20世纪70年代，以计算机和通信技术为标志。当前，新一轮科技革命和产业变革蓬勃兴起，正如习近平总书记指出：“进入21世纪以来，全球科技创新进入空前密集活跃的时期，新一轮科技革命和产业变革正在重构全球创新版图、重塑全球经济结构。”我们迎来了世界新一轮科技革命和产业变革同我国转变发展方式的历史性交汇期，既面临着千载难逢的历史机遇，又面临着差距拉大的严峻挑战。新质生产力就是在这样的历史背景下形成和发展起来的全新的生产力质态，对生产力实现新的历史性跃升的决定性作用日益凸显。"
	bodyText2 = "发展新质生产力要培育新产业。由技术革命性突破催生的新产业，能够摆脱传统经济增长方式、生产力发展路径，是新质生产力的基本载体。当前，互联网、大数据、云计算、人工智能、区块链等技术加速创新，新一代信息技术、生物技术、新能源、新材料、高端装备、新能源汽车、绿色环保以及航空航天、海洋装备等战略性新兴产业正在快速发展壮大，类脑智能、量子信息、基因技术、未来网络、深海空天开发、氢能与储能等未来产业也在孕育发展。我国已进入创新型国家行列，一些前沿领域开始进入并跑、领跑阶段，科技实力正在从量的积累迈向质的飞跃，从点的突破迈向系统能力提升，完全有能力抓住新产业培育的重大历史机遇。当然，发展新质生产力不是忽视、放弃传统产业。新兴产业的发展壮大需要传统产业更新升级带来的市场空间扩大以及提供的原材料、零部件等支撑，传统产业借助前沿科技创新成果进行改造提升，也能不断提高发展质量和效益，拓展新的发展空间。"
)

// longCode is a line of code too long for any phone screen.
const longCode = `	result := transform(input, "一条很长很长的参数说明文字", options.WithTimeout(30), options.WithRetries(5)) // 中文注释`

// featureBook uses every feature of the document model: numbered headings
// to level 4 with Chinese ids, emphasis on Han, Latin and mixed text,
// strong with Chinese quotes, ruby per character and spanning, figures
// (one image used twice) with a list of figures, a table with alignment
// and a caption, inline and block code, a definition list, nested lists,
// cross-references with and without a page number, and the colophon
// metadata.
func featureBook(t *testing.T) *doc.Document {
	chart := testImage(t, "png", 40, 30, 0xc0)
	photo := testImage(t, "jpeg", 30, 40, 0x80)
	cell := func(s string) []doc.Inline { return []doc.Inline{text(s)} }
	return &doc.Document{
		Meta: doc.Metadata{
			Title:         "样书",
			Authors:       []doc.Author{{Name: "张三"}},
			Editors:       []string{"李四", "王五"},
			Publisher:     "某某出版社",
			ISBN:          "978-7-111-11111-1",
			Keywords:      []string{"新质生产力", "高质量发展"},
			Description:   "展示各项功能的样书。",
			ListOfFigures: true,
		},
		Blocks: []doc.Block{
			numbered(1, 1, "新质生产力", "一、", "新质生产力"),
			para(3,
				text("这是"), em(text("着重")), text("，这是"), em(text("emphasis")), text("，这是"),
				em(text("混合 mixed 文字")), text("，这是"), strong(text("“新质生产力”")), text("是。"),
			),
			para(4, text(bodyText1)),
			numbered(5, 2, "内涵", "（一）", "内涵与特征"),
			para(7, text("注音："), &doc.Ruby{Base: "汉字", Annotation: "hàn zì"}, text("与"),
				&doc.Ruby{Base: "東京", Annotation: "とうきょう"}, text("。见"),
				&doc.Link{URL: "#特征", Content: []doc.Inline{text("特征一节")}, ShowPage: true},
				text("、"), &doc.Link{URL: "#fig-1", Content: []doc.Inline{text("图1")}},
				text("和"), &doc.Link{URL: "#tab-1", Content: []doc.Inline{text("表1")}}, text("。")),
			&doc.Figure{Pos: doc.Pos{File: "book.md", Line: 9}, Image: chart, Alt: "柱状图", Caption: []doc.Inline{text("增长情况")}, Number: 1, ID: "fig-1"},
			numbered(11, 3, "特征", "1.", "特征"),
			para(13, text("运行"), doc.Code("go test ./..."), text("即可。")),
			&doc.CodeBlock{Language: "go", Text: "// 计算总和\nfunc sum(a, b int) int {\n" + longCode + "\n\treturn a + b\n}\n"},
			numbered(15, 4, "分项", "（1）", "分项"),
			&doc.Table{
				Pos:     doc.Pos{File: "book.md", Line: 17},
				Align:   []doc.Align{doc.AlignLeft, doc.AlignCenter, doc.AlignRight},
				Header:  [][]doc.Inline{cell("指标"), cell("单位"), cell("数值")},
				Rows:    [][][]doc.Inline{{cell("研发投入强度，即研发经费与国内生产总值之比"), cell("%"), cell("2.65")}, {cell("数字经济核心产业增加值"), cell("万亿元"), cell("12.7")}},
				Caption: []doc.Inline{text("主要指标")},
				Number:  1,
				ID:      "tab-1",
			},
			&doc.DefinitionList{Pos: doc.Pos{File: "book.md", Line: 21}, Items: []doc.Definition{
				{Term: cell("新质生产力"), Definitions: [][]doc.Block{{para(22, text("创新起主导作用的先进生产力质态。"))}}},
				{Term: cell("全要素生产率"), Definitions: [][]doc.Block{{para(24, text("第一种说法。"))}, {para(25, text("第二种说法。"))}}},
			}},
			&doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{
				{para(27, text("第一项")), &doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{
					{para(28, text("子项甲")), &doc.List{Ordered: true, Start: 1, Items: [][]doc.Block{{para(29, text("细项一"))}, {para(30, text("细项二"))}}}},
					{para(31, text("子项乙"))},
				}}},
				{para(32, text("第二项"))},
			}},
			&doc.List{Items: [][]doc.Block{
				{para(34, text("要点")), &doc.List{Items: [][]doc.Block{{para(35, text("次要点"))}}}},
			}},
			&doc.Figure{Pos: doc.Pos{File: "book.md", Line: 37}, Image: photo, Alt: "照片", Number: 2, ID: "fig-2"},
			&doc.Figure{Pos: doc.Pos{File: "book.md", Line: 39}, Image: chart, Alt: "同一张图", Caption: []doc.Inline{text("再次使用")}, Number: 3, ID: "fig-3"},
			para(41, text(bodyText2)),
		},
	}
}

func TestFeatures(t *testing.T) {
	d := featureBook(t)
	opt := options(t)
	blocks := plainBlocks(d)
	// Page breaks at the start of a numbered heading, inside ruby, in a
	// definition and in a nested list item.
	opt.PageSource = "《样书》A4 讲义版 PDF"
	at := func(_, within string) int {
		t.Helper()
		i := slices.IndexFunc(blocks, func(b string) bool { return strings.HasPrefix(b, within) })
		if i < 0 {
			t.Fatalf("no block starts with %q", within)
		}
		return i
	}
	opt.PageBreaks = []PageBreak{
		breakBefore(t, blocks, at("内涵", "内涵与特征"), "内涵", "2"),
		breakBefore(t, blocks, at("字", "注音"), "字", "3"),
		breakBefore(t, blocks, at("第二种", "第二种说法"), "第二种", "4"),
		breakBefore(t, blocks, at("细项二", "细项二"), "细项二", "5"),
		// After figures, a table and definition terms, which are not
		// counted.
		breakBefore(t, blocks, at("", bodyText2[:9]), "类脑智能", "6"),
	}
	data := write(t, d, opt)
	files, _ := epubFiles(t, data)
	ch := string(files["EPUB/xhtml/text.xhtml"])
	body := parseXHTML(t, "text.xhtml", files["EPUB/xhtml/text.xhtml"])
	css := string(files["EPUB/css/paiban.css"])

	t.Run("epubcheck", func(t *testing.T) { epubcheck(t, data) })
	t.Run("reproducible", func(t *testing.T) {
		if !bytes.Equal(data, write(t, featureBook(t), opt)) {
			t.Error("two writes of the same book differ")
		}
	})

	t.Run("headings", func(t *testing.T) {
		for _, c := range []struct{ tag, id, num, text string }{
			{"h1", "新质生产力", "一、", "新质生产力"},
			{"h2", "内涵", "（一）", "内涵与特征"},
			{"h3", "特征", "1.", "特征"},
			{"h4", "分项", "（1）", "分项"},
		} {
			h := body.byID(c.id)
			if h == nil || h.name != c.tag {
				t.Errorf("no %s with id %q", c.tag, c.id)
				continue
			}
			spans := h.all("span")
			if i := slices.IndexFunc(spans, func(s *node) bool { return s.attr["class"] == "num" }); i < 0 || spans[i].text() != c.num || !strings.HasPrefix(h.text(), c.num) {
				t.Errorf("%s: number %q not in a span.num first", c.id, c.num)
			}
			if got := h.text(); got != c.num+c.text {
				t.Errorf("%s reads %q, want %q", c.id, got, c.num+c.text)
			}
		}
		// The page starting at the heading's text is marked before the
		// heading, so that it is not read aloud as part of it.
		if !strings.Contains(ch, `<span role="doc-pagebreak" id="page-2" aria-label="2"/><h2 id="内涵"><span class="num">（一）</span>内涵与特征</h2>`) {
			t.Error("page 2 marker is not right before the heading")
		}
		nav := string(files["EPUB/nav.xhtml"])
		ncx := string(files["EPUB/toc.ncx"])
		for _, want := range []string{"一、新质生产力", "（一）内涵与特征", "1.特征", "（1）分项"} {
			if !strings.Contains(nav, ">"+want+"</a>") {
				t.Errorf("nav.xhtml lacks %s", want)
			}
			if !strings.Contains(ncx, "<text>"+want+"</text>") {
				t.Errorf("toc.ncx lacks %s", want)
			}
		}
	})

	t.Run("emphasis", func(t *testing.T) {
		for _, want := range []string{
			`<em>着重</em>`,
			`<em><span class="latn">emphasis</span></em>`,
			`<em>混合<span class="latn">mixed</span>文字</em>`,
			`<strong>“新质生产力”</strong>是`,
		} {
			if !strings.Contains(ch, want) {
				t.Errorf("text lacks %s", want)
			}
		}
		rule := cssRule(t, css, "em {")
		for _, want := range []string{"font-style: normal", "text-emphasis-style: filled dot", "-webkit-text-emphasis-style: filled dot", "-epub-text-emphasis-style: filled dot", "text-emphasis-position: under right"} {
			if !strings.Contains(rule, want) {
				t.Errorf("em rule lacks %s:\n%s", want, rule)
			}
		}
		if rule := cssRule(t, css, "em .latn {"); !strings.Contains(rule, "font-style: italic") || !strings.Contains(rule, "text-emphasis-style: none") {
			t.Errorf("Latin in emphasis is not italic without dots:\n%s", rule)
		}
		// The italic comes from the Latin face's italic, embedded.
		if f := subset(t, files, "PaibanLatin-Italic.ttf"); f == nil || !f.Has('x') || f.Has('着') {
			t.Error("the italic Latin subset does not hold the emphasised Latin letters")
		}
	})

	t.Run("ruby", func(t *testing.T) {
		for _, want := range []string{
			`<ruby>汉<rp>(</rp><rt>hàn</rt><rp>)</rp><span role="doc-pagebreak" id="page-3" aria-label="3"/>字<rp>(</rp><rt>zì</rt><rp>)</rp></ruby>`,
			`<ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>`,
		} {
			if !strings.Contains(ch, want) {
				t.Errorf("text lacks %s", want)
			}
		}
		// A group is not broken across lines.
		if rule := cssRule(t, css, "ruby {"); !strings.Contains(rule, "white-space: nowrap") {
			t.Errorf("ruby groups may break:\n%s", rule)
		}
	})

	t.Run("figures", func(t *testing.T) {
		p := readOPF(t, files)
		types := map[string]string{}
		for _, it := range p.Items {
			if strings.HasPrefix(it.Href, "images/") {
				types[it.Href] = it.MediaType
			}
		}
		// The chart is stored once although two figures show it.
		want := map[string]string{"images/cover.png": "image/png", "images/figure-1.png": "image/png", "images/figure-2.jpg": "image/jpeg"}
		if len(types) != len(want) {
			t.Errorf("images %v, want %v", types, want)
		}
		for href, mt := range want {
			if types[href] != mt {
				t.Errorf("%s has media type %q, want %q", href, types[href], mt)
			}
		}
		for _, c := range []struct{ id, src, alt, caption string }{
			{"fig-1", "../images/figure-1.png", "柱状图", "图1　增长情况"},
			{"fig-2", "../images/figure-2.jpg", "照片", "图2"},
			{"fig-3", "../images/figure-1.png", "同一张图", "图3　再次使用"},
		} {
			f := body.byID(c.id)
			if f == nil || f.name != "figure" {
				t.Errorf("no figure %s", c.id)
				continue
			}
			kids := f.elements()
			if len(kids) != 2 || kids[0].name != "img" || kids[1].name != "figcaption" {
				t.Errorf("%s: figure holds %v, want img and figcaption", c.id, kids)
				continue
			}
			img := kids[0]
			if img.attr["src"] != c.src || img.attr["alt"] != c.alt {
				t.Errorf("%s: img src %q alt %q, want %q %q", c.id, img.attr["src"], img.attr["alt"], c.src, c.alt)
			}
			if got := kids[1].text(); got != c.caption {
				t.Errorf("%s: caption %q, want %q", c.id, got, c.caption)
			}
			stored := files["EPUB/"+strings.TrimPrefix(c.src, "../")]
			cfg, _, err := image.DecodeConfig(bytes.NewReader(stored))
			if err != nil || img.attr["width"] != "40" && img.attr["width"] != "30" || cfg.Width != atoi(img.attr["width"]) || cfg.Height != atoi(img.attr["height"]) {
				t.Errorf("%s: stored image %v (%v) does not match width %s height %s", c.id, cfg, err, img.attr["width"], img.attr["height"])
			}
		}
		if !bytes.Equal(files["EPUB/images/figure-2.jpg"], d.Blocks[14].(*doc.Figure).Image.Data) {
			t.Error("the JPEG figure is not stored as given")
		}
		if rule := cssRule(t, css, "figure img {"); !strings.Contains(rule, "max-width: 100%") {
			t.Errorf("figure images are not limited to the screen width:\n%s", rule)
		}
		// The list of figures comes after the title page and links to
		// each figure.
		lof := parseXHTML(t, "figures.xhtml", files["EPUB/xhtml/figures.xhtml"])
		var got []string
		for _, a := range lof.all("a") {
			got = append(got, a.attr["href"]+" "+a.text())
		}
		wantList := []string{"text.xhtml#fig-1 图1　增长情况", "text.xhtml#fig-2 图2", "text.xhtml#fig-3 图3　再次使用"}
		if !slices.Equal(got, wantList) {
			t.Errorf("list of figures %q, want %q", got, wantList)
		}
		var spine []string
		ids := map[string]string{}
		for _, it := range p.Items {
			ids[it.ID] = it.Href
		}
		for _, r := range p.Spine {
			spine = append(spine, ids[r.IDRef])
		}
		if len(spine) < 3 || spine[2] != "xhtml/figures.xhtml" {
			t.Errorf("spine %v: the list of figures is not after the title page", spine)
		}
		if !strings.Contains(string(files["EPUB/nav.xhtml"]), `<a href="xhtml/figures.xhtml">插图目录</a>`) {
			t.Error("the contents do not list the list of figures")
		}
	})

	t.Run("tables", func(t *testing.T) {
		tab := body.byID("tab-1")
		if tab == nil || tab.name != "table" {
			t.Fatal("no table tab-1")
		}
		var wrapper *node
		for _, div := range body.all("div") {
			if slices.Contains(div.elements(), tab) {
				wrapper = div
			}
		}
		if wrapper == nil || wrapper.attr["class"] != "table" {
			t.Error("the table is not in a div.table")
		}
		if rule := cssRule(t, css, "div.table {"); !strings.Contains(rule, "overflow-x: auto") {
			t.Errorf("the table box does not scroll sideways:\n%s", rule)
		}
		kids := tab.elements()
		if len(kids) != 3 || kids[0].name != "caption" || kids[1].name != "thead" || kids[2].name != "tbody" {
			t.Fatalf("table holds %d elements, want caption, thead, tbody", len(kids))
		}
		if got := kids[0].text(); got != "表1　主要指标" {
			t.Errorf("caption %q", got)
		}
		var head []string
		for _, th := range kids[1].all("th") {
			head = append(head, th.text()+"/"+th.attr["class"]+"/"+th.attr["scope"])
		}
		if want := []string{"指标/left/col", "单位/center/col", "数值/right/col"}; !slices.Equal(head, want) {
			t.Errorf("header %q, want %q", head, want)
		}
		rows := kids[2].all("tr")
		if len(rows) != 2 {
			t.Fatalf("%d body rows, want 2", len(rows))
		}
		var cells []string
		for _, td := range rows[1].all("td") {
			cells = append(cells, td.text()+"/"+td.attr["class"])
		}
		if want := []string{"数字经济核心产业增加值/left", "万亿元/center", "12.7/right"}; !slices.Equal(cells, want) {
			t.Errorf("row 2 %q, want %q", cells, want)
		}
		for _, sel := range []string{".left {", ".center {", ".right {"} {
			cssRule(t, css, sel)
		}
	})

	t.Run("code", func(t *testing.T) {
		if !strings.Contains(ch, "运行<code>go test ./...</code>即可") {
			t.Error("inline code is not in a code element")
		}
		pre := body.all("pre")
		if len(pre) != 1 {
			t.Fatalf("%d pre elements, want 1", len(pre))
		}
		lines := pre[0].all("code")
		if len(lines) != 5 || lines[2].text() != "    "+longCode[1:]+"\n" || lines[2].attr["class"] != "line" {
			t.Errorf("code block lines: %d, third %q", len(lines), lines[min(2, len(lines)-1)].text())
		}
		// Tabs are spaces to the next of every fourth column, as in print,
		// whatever the reader makes of a tab.
		if got, want := pre[0].text(), "// 计算总和\nfunc sum(a, b int) int {\n    "+longCode[1:]+"\n    return a + b\n}\n"; got != want {
			t.Errorf("code block reads %q, want %q", got, want)
		}
		rule := cssRule(t, css, "pre {")
		for _, want := range []string{"white-space: pre-wrap", "text-align: left"} {
			if !strings.Contains(rule, want) {
				t.Errorf("pre rule lacks %s", want)
			}
		}
		if rule := cssRule(t, css, "code {"); !strings.Contains(rule, `font-family: "Paiban Mono SC", `) {
			t.Errorf("code is not set in the embedded monospace face:\n%s", rule)
		}
		// The monospace face is embedded renamed, with its licence.
		f := subset(t, files, "PaibanMonoSC-Regular.ttf")
		if f == nil {
			t.Fatal("no monospace subset")
		}
		if f.Family != "Paiban Mono SC" || strings.Contains(f.PostScriptName, "LXGW") {
			t.Errorf("monospace subset named %q / %q", f.Family, f.PostScriptName)
		}
		// The space too: a reader's own would put the columns out.
		for _, r := range " 计算总和funcsumgotes./:=(){}\"中文注释" {
			if !f.Has(r) {
				t.Errorf("monospace subset lacks %q", r)
			}
		}
		if f.Has('结') {
			t.Error("monospace subset has 结, which no code uses")
		}
		if files["EPUB/fonts/OFL-LXGWWenKaiMono.txt"] == nil {
			t.Error("the monospace face's licence is not in the book")
		}
		if !strings.Contains(string(files["EPUB/xhtml/colophon.xhtml"]), "Paiban Mono SC（代码）：取自LXGW WenKai Mono（LXGWWenKaiMono-Regular）") {
			t.Error("the colophon does not name the monospace face")
		}
	})

	t.Run("definitions", func(t *testing.T) {
		dl := body.all("dl")
		if len(dl) != 1 {
			t.Fatalf("%d dl elements, want 1", len(dl))
		}
		var got []string
		for _, e := range dl[0].elements() {
			got = append(got, e.name+":"+strings.TrimSpace(e.text()))
		}
		want := []string{"dt:新质生产力", "dd:创新起主导作用的先进生产力质态。", "dt:全要素生产率", "dd:第一种说法。", "dd:第二种说法。"}
		if !slices.Equal(got, want) {
			t.Errorf("definition list %q, want %q", got, want)
		}
	})

	t.Run("lists", func(t *testing.T) {
		var markers []string
		for _, s := range body.all("span") {
			if s.attr["class"] == "marker" {
				markers = append(markers, s.text())
			}
		}
		want := []string{"1.", "（1）", "①", "②", "（2）", "2.", "•", "◦"}
		if !slices.Equal(markers, want) {
			t.Errorf("list markers %q, want %q", markers, want)
		}
		// The marker is in the item's first paragraph, hung in its indent.
		if !strings.Contains(ch, `<li><p><span class="marker">（1）</span>子项甲</p>`) {
			t.Error("the marker is not at the start of the item's paragraph")
		}
		for _, sel := range []string{"ol.numbered > li > p > .marker", "ul.bullets > li > p > .marker"} {
			if rule := cssRule(t, css, sel); !strings.Contains(rule, "margin-left: -") {
				t.Errorf("%s does not hang:\n%s", sel, rule)
			}
		}
		// The serif subset has the markers.
		f := subset(t, files, "PaibanSerifSC-Regular.ttf")
		for _, r := range "•◦①②（）" {
			if f == nil || !f.Has(r) {
				t.Errorf("serif subset lacks the marker %q", r)
			}
		}
	})

	t.Run("links", func(t *testing.T) {
		// A cross-reference asking for the page number is a plain link.
		for _, want := range []string{`<a href="#特征">特征一节</a>、`, `<a href="#fig-1">图1</a>`, `<a href="#tab-1">表1</a>`} {
			if !strings.Contains(ch, want) {
				t.Errorf("text lacks %s", want)
			}
		}
	})

	t.Run("metadata", func(t *testing.T) {
		var p struct {
			Unique   string `xml:"unique-identifier,attr"`
			Metadata struct {
				Identifiers []struct {
					ID    string `xml:"id,attr"`
					Value string `xml:",chardata"`
				} `xml:"http://purl.org/dc/elements/1.1/ identifier"`
				Contributors []struct {
					ID    string `xml:"id,attr"`
					Value string `xml:",chardata"`
				} `xml:"http://purl.org/dc/elements/1.1/ contributor"`
				Publisher   string   `xml:"http://purl.org/dc/elements/1.1/ publisher"`
				Subjects    []string `xml:"http://purl.org/dc/elements/1.1/ subject"`
				Description string   `xml:"http://purl.org/dc/elements/1.1/ description"`
				Meta        []struct {
					Refines  string `xml:"refines,attr"`
					Property string `xml:"property,attr"`
					Scheme   string `xml:"scheme,attr"`
					Value    string `xml:",chardata"`
				} `xml:"meta"`
			} `xml:"metadata"`
		}
		if err := xml.Unmarshal(files["EPUB/package.opf"], &p); err != nil {
			t.Fatal(err)
		}
		m := p.Metadata
		refined := func(id, property string) string {
			for _, r := range m.Meta {
				if r.Refines == "#"+id && r.Property == property {
					return r.Scheme + ":" + r.Value
				}
			}
			return ""
		}
		var ids []string
		for _, id := range m.Identifiers {
			ids = append(ids, id.ID+"="+id.Value)
		}
		if len(ids) != 2 || ids[0] != "pub-id="+identifier(d.Meta) || ids[1] != "isbn=urn:isbn:978-7-111-11111-1" || p.Unique != "pub-id" {
			t.Errorf("identifiers %q (unique %q)", ids, p.Unique)
		}
		if got := refined("isbn", "identifier-type"); got != "onix:codelist5:15" {
			t.Errorf("ISBN type %q", got)
		}
		var eds []string
		for _, c := range m.Contributors {
			eds = append(eds, c.Value+"/"+refined(c.ID, "role"))
		}
		if want := []string{"李四/marc:relators:edt", "王五/marc:relators:edt"}; !slices.Equal(eds, want) {
			t.Errorf("contributors %q, want %q", eds, want)
		}
		if m.Publisher != "某某出版社" || !slices.Equal(m.Subjects, []string{"新质生产力", "高质量发展"}) || m.Description != "展示各项功能的样书。" {
			t.Errorf("publisher %q, subjects %q, description %q", m.Publisher, m.Subjects, m.Description)
		}
		opf := string(files["EPUB/package.opf"])
		for _, want := range []string{`<meta property="schema:accessibilityFeature">rubyAnnotations</meta>`, "插图附有替代文字与图题。", "注音以 ruby 标注"} {
			if !strings.Contains(opf, want) {
				t.Errorf("package.opf lacks %s", want)
			}
		}
		colophon := html.UnescapeString(string(files["EPUB/xhtml/colophon.xhtml"]))
		for _, want := range []string{"责任编辑：李四、王五", "出版：某某出版社", "ISBN 978-7-111-11111-1", "关键词：新质生产力；高质量发展"} {
			if !strings.Contains(colophon, want) {
				t.Errorf("colophon lacks %s", want)
			}
		}
	})

	t.Run("page markers", func(t *testing.T) {
		// Each marker is followed by the text its page begins with, and
		// the markers add nothing to the text.
		for _, c := range []struct{ label, text string }{{"2", "（一）内涵"}, {"3", "字"}, {"4", "第二种"}, {"5", "②细项二"}, {"6", "类脑智能"}} {
			marker := `<span role="doc-pagebreak" id="page-` + c.label + `" aria-label="` + c.label + `"/>`
			at := strings.Index(ch, marker)
			if at < 0 {
				t.Errorf("page %s: no marker", c.label)
				continue
			}
			// rp and rt text is not part of the text that follows.
			after := html.UnescapeString(tag.ReplaceAllString(rubyText.ReplaceAllString(ch[at+len(marker):], ""), ""))
			if !strings.HasPrefix(after, c.text) {
				t.Errorf("page %s: marker is followed by %.20q, want %q", c.label, after, c.text)
			}
		}
	})
}

// TestFeatureErrors checks what the writer refuses in figures and ids.
func TestFeatureErrors(t *testing.T) {
	opt := options(t)
	for _, c := range []struct {
		name string
		edit func(*doc.Document)
		want string
	}{
		{"svg image", func(d *doc.Document) { d.Blocks[5].(*doc.Figure).Image.Format = "svg" }, `book.md:9: image images/chart.png is "svg": use PNG or JPEG`},
		{"no image", func(d *doc.Document) { d.Blocks[5].(*doc.Figure).Image = nil }, "book.md:9: an image has no data"},
		{"figure id of a heading", func(d *doc.Document) { d.Blocks[5].(*doc.Figure).ID = "内涵" }, `book.md:9: figure id "内涵" is used twice`},
		{"table id of a figure", func(d *doc.Document) { d.Blocks[10].(*doc.Table).ID = "fig-2" }, `book.md:37: figure id "fig-2" is used twice`},
		{"link to no figure", func(d *doc.Document) { d.Blocks[4].(*doc.Paragraph).Content[5].(*doc.Link).URL = "#fig-9" }, `"#fig-9"`},
	} {
		d := featureBook(t)
		c.edit(d)
		err := Write(io.Discard, d, opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

// TestNoCode checks that a book without code gets no monospace face, and
// its colophon names none; without ruby and figures its accessibility
// metadata claims neither.
func TestNoCode(t *testing.T) {
	d := &doc.Document{Meta: doc.Metadata{Title: "无代码"}, Blocks: []doc.Block{para(1, text("正文。"))}}
	files, _ := epubFiles(t, write(t, d, options(t)))
	if files["EPUB/fonts/PaibanMonoSC-Regular.ttf"] != nil || strings.Contains(string(files["EPUB/xhtml/colophon.xhtml"]), "Paiban Mono SC") {
		t.Error("a book without code has the monospace face")
	}
	if opf := string(files["EPUB/package.opf"]); strings.Contains(opf, "rubyAnnotations") || strings.Contains(opf, "插图") {
		t.Error("a book without ruby or figures claims them in its accessibility metadata")
	}
}

// TestFigureInNote checks that a figure in a footnote shows its image.
func TestFigureInNote(t *testing.T) {
	img := testImage(t, "png", 20, 10, 0x40)
	n := &doc.Footnote{Number: 1, Label: "1", Blocks: []doc.Block{
		para(5, text("注文。")),
		&doc.Figure{Pos: doc.Pos{File: "book.md", Line: 6}, Image: img, Alt: "注中图", Number: 1, ID: "fig-1"},
	}}
	d := &doc.Document{Meta: doc.Metadata{Title: "注中图"}, Footnotes: []*doc.Footnote{n},
		Blocks: []doc.Block{para(1, text("正文。"), &doc.FootnoteRef{Note: n})}}
	files, _ := epubFiles(t, write(t, d, options(t)))
	body := parseXHTML(t, "text.xhtml", files["EPUB/xhtml/text.xhtml"])
	imgs := body.all("img")
	if len(imgs) != 1 || imgs[0].attr["src"] != "../images/figure-1.png" || !bytes.Equal(files["EPUB/images/figure-1.png"], img.Data) {
		t.Errorf("figure in a note: %d images, src %v", len(imgs), imgs)
	}
}

// TestNoFigureList checks that the list of figures is made only on request.
func TestNoFigureList(t *testing.T) {
	d := featureBook(t)
	d.Meta.ListOfFigures = false
	files, _ := epubFiles(t, write(t, d, options(t)))
	if files["EPUB/xhtml/figures.xhtml"] != nil || strings.Contains(string(files["EPUB/nav.xhtml"]), figuresTitle) {
		t.Error("a list of figures the book did not ask for")
	}
}

// subset parses an embedded font, or returns nil when it is absent.
func subset(t *testing.T, files map[string][]byte, name string) *fonts.Face {
	t.Helper()
	data := files["EPUB/fonts/"+name]
	if data == nil {
		return nil
	}
	f, err := fonts.Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

// cssRule returns the rule of the style sheet that starts with the
// selector, failing when there is none.
func cssRule(t *testing.T, css, selector string) string {
	t.Helper()
	var rules []string
	for _, rule := range cssRulesOf(css) {
		if strings.HasPrefix(rule, selector) {
			rules = append(rules, rule)
		}
	}
	if len(rules) == 0 {
		t.Errorf("style sheet has no rule %s", selector)
	}
	return strings.Join(rules, "\n")
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// rubyText matches the annotations of ruby, which are not part of the
// text the print edition counts.
var rubyText = regexp.MustCompile(`<rp>.*?</rp>|<rt>.*?</rt>`)

// TestPrunedRules: a rule keeps the selectors whose classes the book
// uses, as written when all of them apply, and goes when none does.
func TestPrunedRules(t *testing.T) {
	used := map[string]bool{"numbered": true}
	rule := "ol.numbered > li, ul.bullets > li {\n  padding: 0;\n}\n"
	if got, ok := pruned(rule, used); !ok || got != "ol.numbered > li {\n  padding: 0;\n}\n" {
		t.Errorf("pruned to %q, %v", got, ok)
	}
	if got, ok := pruned(rule, map[string]bool{"numbered": true, "bullets": true}); !ok || got != rule {
		t.Errorf("a rule that applies whole became %q", got)
	}
	if _, ok := pruned(rule, map[string]bool{}); ok {
		t.Error("a rule for classes the book does not use is kept")
	}
	if _, ok := pruned("p {\n  margin: 0;\n}\n", map[string]bool{}); !ok {
		t.Error("a rule without classes is dropped")
	}
	if rules := hangRules(map[string]bool{"hang3-5": true, "numbered": true}); len(rules) != 4 || !strings.Contains(rules[1], "margin-left: -3.5em;") {
		t.Errorf("hang rules for hang3-5: %q", rules)
	}
}
