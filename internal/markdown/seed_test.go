package markdown

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// The article source/xinzhi-shengchanli.md is the Markdown edition of the
// seed text extracted from the print edition. This test proves that its
// wording is the seed's, character for character, apart from the
// differences listed here.
const (
	seedName = "qiushi-2024-09.txt"
	article  = "../../source/xinzhi-shengchanli.md"
)

// seedPageBreaks are the paragraphs the print edition splits across a page
// break: the seed has a blank line inside them.
var seedPageBreaks = []string{
	"指导新的发展实\n\n践",
	"我\n\n国已进入",
	"重点聚焦\n\n前端创新",
	"建立以企业为\n\n主体",
	"坚\n\n持开放创新",
}

// seedStrayLine is a line holding one space before a paragraph.
const seedStrayLine = "\n \n深入实施科教兴国战略"

// articleNotes are the footnotes in order: the text the mark follows and
// the note.
var articleNotes = []struct{ after, text string }{
	{"内在要求和重要着力点”", "2024年1月31日，习近平总书记在主持二十届中央政治局第十一次集体学习时的讲话。"},
	{"因地制宜发展新质生产力”", "习近平总书记参加十四届全国人大二次会议江苏代表团审议时的讲话。"},
	{"蕴藏有这样的生产力呢？”", "马克思、恩格斯《共产党宣言》。"},
	{"以科技创新引领现代化产业体系建设”", "中央经济工作会议部署2024年经济工作时提出。"},
	{"相当于国内生产总值的比重为17.36%。", "据国家统计局数据。"},
}

// seedPath is the print edition's text, kept in the repository's
// testdata folder (two levels up from this package).
func seedPath(t *testing.T) string {
	t.Helper()
	return filepath.Join("..", "..", "testdata", "seed", seedName)
}

func TestArticleMatchesSeed(t *testing.T) {
	raw, err := os.ReadFile(seedPath(t))
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseFile(article)
	if err != nil {
		t.Fatal(err)
	}

	seed := strings.TrimLeft(string(raw), "\n")
	for _, s := range seedPageBreaks {
		if strings.Count(seed, s) != 1 {
			t.Fatalf("page break %q is not in the seed once", s)
		}
		seed = strings.Replace(seed, s, strings.ReplaceAll(s, "\n", ""), 1)
	}
	if strings.Count(seed, seedStrayLine) != 1 {
		t.Fatalf("stray line %q is not in the seed once", seedStrayLine)
	}
	seed = strings.Replace(seed, seedStrayLine, "\n深入实施科教兴国战略", 1)
	i := strings.LastIndex(seed, "\n\n")
	if notice := seed[i+2:]; notice != "（转载自"+d.Meta.Source+"）" {
		t.Fatalf("reprint notice %q does not name the source %q", notice, d.Meta.Source)
	}
	seed = seed[:i]

	if len(d.Meta.Authors) != 1 {
		t.Fatalf("authors %v, want one", d.Meta.Authors)
	}
	parts := []string{d.Meta.Title, d.Meta.Authors[0].Name + " " + d.Meta.Authors[0].Position}
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case *doc.Heading:
			parts = append(parts, doc.PlainText(b.Content))
		case *doc.Paragraph:
			parts = append(parts, doc.PlainText(b.Content))
		default:
			t.Fatalf("unexpected %T in the article", b)
		}
	}
	if got := strings.Join(parts, "\n\n"); got != seed {
		t.Error(firstDifference(got, seed))
	}
}

// firstDifference describes where got and want first differ, by rune, with
// context from both.
func firstDifference(got, want string) string {
	g, w := []rune(got), []rune(want)
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	context := func(r []rune) string {
		return fmt.Sprintf("%q", string(r[max(0, i-20):min(len(r), i+20)]))
	}
	return fmt.Sprintf("article and seed differ at character %d (article %d, seed %d characters):\narticle: %s\nseed:    %s",
		i, len(g), len(w), context(g), context(w))
}

func TestArticleStructure(t *testing.T) {
	d, err := ParseFile(article)
	if err != nil {
		t.Fatal(err)
	}
	want := doc.Metadata{
		Title:    "聚焦推动高质量发展 加快发展新质生产力",
		Authors:  []doc.Author{{Name: "张来明", Position: "国务院发展研究中心党组成员、副主任"}},
		Language: "zh-CN",
		Source:   "《求是》2024年第9期",
	}
	if !reflect.DeepEqual(d.Meta, want) {
		t.Errorf("metadata %+v, want %+v", d.Meta, want)
	}

	var headings []string
	refs := map[*doc.Footnote]int{}
	var marks []string // text before each mark, in order
	doc.Walk(d.Blocks, func(b doc.Block) {
		var content []doc.Inline
		switch b := b.(type) {
		case *doc.Heading:
			if b.Level == 2 {
				headings = append(headings, doc.PlainText(b.Content))
			}
			content = b.Content
		case *doc.Paragraph:
			content = b.Content
		}
		for i, in := range content {
			if r, ok := in.(*doc.FootnoteRef); ok {
				refs[r.Note]++
				marks = append(marks, doc.PlainText(content[:i]))
			}
		}
	})
	wantHeadings := []string{
		"一、“新质生产力”这一理论创新成果来源于服务于高质量发展伟大实践",
		"二、加快发展新质生产力，要着力推动新产业、新模式、新动能创新发展",
		"三、加快发展新质生产力，要抓好改造提升传统产业、培育壮大新兴产业、超前布局建设未来产业",
		"四、加快发展新质生产力，要坚定不移深入实施科教兴国战略、人才强国战略、创新驱动发展战略",
	}
	if !slices.Equal(headings, wantHeadings) {
		t.Errorf("level-2 headings:\n%s\nwant:\n%s", strings.Join(headings, "\n"), strings.Join(wantHeadings, "\n"))
	}

	if len(d.Footnotes) != len(articleNotes) || len(marks) != len(articleNotes) {
		t.Fatalf("%d footnotes and %d marks, want %d", len(d.Footnotes), len(marks), len(articleNotes))
	}
	for i, n := range d.Footnotes {
		if refs[n] != 1 {
			t.Errorf("note %d is referenced %d times, want once", n.Number, refs[n])
		}
		if len(n.Blocks) != 1 {
			t.Errorf("note %d has %d blocks, want one paragraph", n.Number, len(n.Blocks))
			continue
		}
		p, ok := n.Blocks[0].(*doc.Paragraph)
		if !ok || doc.PlainText(p.Content) != articleNotes[i].text {
			t.Errorf("note %d is %#v, want %q", n.Number, n.Blocks[0], articleNotes[i].text)
		}
		if !strings.HasSuffix(marks[i], articleNotes[i].after) {
			t.Errorf("mark %d follows …%s, want …%s", n.Number, lastRunes(marks[i], 20), articleNotes[i].after)
		}
	}
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}
