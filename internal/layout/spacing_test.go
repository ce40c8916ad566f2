package layout

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/chars"
	"github.com/paiban/paiban/internal/doc"
)

// mixedParagraphs are paragraphs dense with units that cannot be
// stretched: inline code, URLs, numbers with units.
func mixedParagraphs() [][]doc.Inline {
	return [][]doc.Inline{
		{doc.Text("配置文件写成YAML格式，键名如"), doc.Code("page_width_mm"), doc.Text("和"), doc.Code("margin_top_mm"),
			doc.Text("以毫米为单位，字号如"), doc.Code("body_size"), doc.Text("以pt为单位。函数"), doc.Code("layout.Layout(d, opt)"),
			doc.Text("返回"), doc.Code("*Result"), doc.Text("与"), doc.Code("error"), doc.Text("两个值；若返回的错误不为nil，则说明字体文件"),
			doc.Code("fonts/NotoSerifSC-Regular.ttf"), doc.Text("缺失，或者样式名称拼错了（例如把a5-book写成A5-Book）。详见https://github.com/paiban/paiban/blob/main/docs/configuration-reference-for-styles.md中的说明。")},
		{doc.Text("先安装Go 1.26或更新的版本，再运行 "), doc.Code("go build ./..."), doc.Text(" 构建全部程序，用 "), doc.Code("go vet ./..."),
			doc.Text("检查代码；测试用"), doc.Code("go test -short ./..."), doc.Text("即可。构建一千页约需1.3 s，比上一版本下降了17.36%，而CPU占用只有35%左右。若要查看详细的说明，请访问https://example.com/docs/install/linux-amd64/getting-started.html，或者阅读仓库中的README.md文件。")},
	}
}

// TestWindowKeepsOptimum: the line search tries only lines near the
// measure (fitLines' window), which must never cost the paragraph its
// best set: around a wide unit that cannot be stretched it must reach
// back far enough to break earlier rather than leave a hole (issue 18,
// item 10). Every paragraph of mixed text and of the article is set at
// 10 to 40 ems with the window and without it; the costs must agree.
func TestWindowKeepsOptimum(t *testing.T) {
	st, faces := testStyle(t)
	e, err := testEngine(st, faces)
	if err != nil {
		t.Fatal(err)
	}
	paras := mixedParagraphs()
	data, err := os.ReadFile("../../testdata/seed/qiushi-2024-09.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.ContainsAny(l, "0123456789") { // the article's paragraphs with numbers
			paras = append(paras, []doc.Inline{doc.Text(l)})
		}
	}
	for _, in := range paras {
		atoms := e.text.atomsOf(in, styleOf(e.body, e.em), doc.Pos{})
		for m := 10; m <= 40; m++ {
			p := paragraph{atoms: atoms, measure: float64(m) * e.em, firstIndent: 2 * e.em, justify: true, em: e.em}
			windowed := fitLines(&p, windowOf(&p), func(int, int) {})
			best := fitLines(&p, math.Inf(1), func(int, int) {})
			if windowed > best+1e-9 {
				t.Errorf("%d em, %.30q…: the windowed search costs %.4f, the best set %.4f", m, doc.PlainText(in), windowed, best)
			}
		}
	}
}

// TestInlineCodeBreaksAtSpaces: a code span breaks only at its own
// spaces, never after its / . - (issue 18, item 11), unless a piece
// between spaces is wider than the measure; and it has the quarter-em
// gap on both sides, whatever characters it starts and ends with, as do
// numbers with their signs (100%以及).
func TestInlineCodeBreaksAtSpaces(t *testing.T) {
	st, faces := testStyle(t)
	e, err := testEngine(st, faces)
	if err != nil {
		t.Fatal(err)
	}
	in := []doc.Inline{doc.Text("运行"), doc.Code("go build ./..."), doc.Text("应当成功，再用"), doc.Code("go vet ./cmd/paiban/..."),
		doc.Text("检查，占比达到100%以及更多。")}
	atoms := e.text.atomsOf(in, styleOf(e.body, e.em), doc.Pos{})
	widest := 0.0 // the widest piece of code between spaces
	run := 0.0
	for i := range atoms {
		if !atoms[i].code || atoms[i].gapKind == gapCode {
			run = 0
		}
		if atoms[i].code {
			run += atoms[i].width
			widest = max(widest, run)
		}
	}
	for i := 1; i < len(atoms); i++ {
		a, b := &atoms[i-1], &atoms[i]
		if a.code && b.code && b.breakBefore && b.gapKind != gapCode {
			t.Errorf("a break allowed inside code between %q and %q", a.text(), b.text())
		}
		if (a.cls == chars.Han && b.code || a.code && b.cls == chars.Han || a.r == '%' && b.cls == chars.Han) && b.gapKind != gapHanLatin {
			t.Errorf("no Han–Latin gap between %q and %q", a.text(), b.text())
		}
	}
	for m := 6; m <= 30; m++ {
		lines := breakLines(paragraph{atoms: atoms, measure: float64(m) * e.em, justify: true, em: e.em})
		for _, ln := range lines[1:] {
			a, b := &atoms[ln.start-1], &atoms[ln.start]
			if a.code && b.code && b.gapKind != gapCode && widest <= float64(m)*e.em {
				t.Errorf("%d em: code broken between %q and %q", m, a.text(), b.text())
			}
		}
	}
}
