package markdown

import (
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// markup shows emphasis as <i>…</i> and strong as <b>…</b>, so that a
// test tells emphasis from the literal asterisks left in the text.
func markup(xs []doc.Inline) string {
	var b strings.Builder
	for _, x := range xs {
		switch n := x.(type) {
		case doc.Text:
			b.WriteString(string(n))
		case doc.Code:
			b.WriteString("`" + string(n) + "`")
		case *doc.Emphasis:
			tag := "i"
			if n.Strong {
				tag = "b"
			}
			b.WriteString("<" + tag + ">" + markup(n.Content) + "</" + tag + ">")
		case *doc.Link:
			b.WriteString("<a " + n.URL + ">" + markup(n.Content) + "</a>")
		case *doc.Ruby:
			b.WriteString("<ruby " + n.Base + "|" + n.Annotation + ">")
		case *doc.Span:
			tag := spanNames[n.Kind]
			if n.Title != "" || n.Lang != "" {
				b.WriteString("<" + tag + " " + n.Title + n.Lang + ">")
			} else {
				b.WriteString("<" + tag + ">")
			}
			b.WriteString(markup(n.Content) + "</" + tag + ">")
		case *doc.InlineImage:
			b.WriteString("<img " + n.Image.Path + " " + n.Alt + ">")
		case doc.TaskBox:
			b.WriteString(n.Glyph())
		case doc.LineBreak:
			b.WriteString("<br>")
		default:
			b.WriteString("?")
		}
	}
	return b.String()
}

// spanNames are the HTML names of span kinds, for markup.
var spanNames = map[doc.SpanKind]string{
	doc.Strike: "del", doc.Underline: "u", doc.Inserted: "ins", doc.Superscript: "sup",
	doc.Subscript: "sub", doc.Marked: "mark", doc.Small: "small", doc.Keyboard: "kbd",
	doc.Abbreviation: "abbr", doc.Language: "span",
}

// firstParagraph parses body after a minimal front matter and returns the
// first block's inlines with markup.
func firstParagraph(t *testing.T, body string) string {
	t.Helper()
	d, err := Parse("book.md", []byte(fm+body+"\n"))
	if err != nil {
		t.Fatalf("%q: %v", body, err)
	}
	p, ok := d.Blocks[0].(*doc.Paragraph)
	if !ok {
		t.Fatalf("%q: first block is %T", body, d.Blocks[0])
	}
	return markup(p.Content)
}

// TestCJKFriendlyEmphasis checks the amendment's flanking rule on the
// cases that need it (from its test cases and our own texts) and that
// plain CommonMark cases keep their meaning.
func TestCJKFriendlyEmphasis(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Delimiters next to Chinese punctuation.
		{`**“新质生产力”**是`, `<b>“新质生产力”</b>是`},
		{`这是**“新质生产力”**的`, `这是<b>“新质生产力”</b>的`},
		{`**注意：**正文`, `<b>注意：</b>正文`},
		{`*强调*文字`, `<i>强调</i>文字`},
		{`发展**新质生产力**。`, `发展<b>新质生产力</b>。`},
		{`**真，**她`, `<b>真，</b>她`},
		{`**真。**她`, `<b>真。</b>她`},
		{`**真**，她`, `<b>真</b>，她`},
		{`**真）**她`, `<b>真）</b>她`},
		{`**推荐几个框架：**React、Vue等前端框架。`, `<b>推荐几个框架：</b>React、Vue等前端框架。`},
		{`Git**（注：不是GitHub）**`, `Git<b>（注：不是GitHub）</b>`},
		{`これは**私のやりたかったこと。**だからするの。`, `これは<b>私のやりたかったこと。</b>だからするの。`},
		{`太郎は**「こんにちわ」**といった`, `太郎は<b>「こんにちわ」</b>といった`},
		{`太郎は**"こんにちわ"**といった`, `太郎は<b>"こんにちわ"</b>といった`},
		{`太郎は**"Oh my god"**といった`, `太郎は<b>"Oh my god"</b>といった`},
		{`税込**¥10,000**で入手できます。`, `税込<b>¥10,000</b>で入手できます。`},
		{`**C#**や**F#**は**「.NET」**というプラットフォーム上で動作します。`, `<b>C#</b>や<b>F#</b>は<b>「.NET」</b>というプラットフォーム上で動作します。`},
		{`ハイパーテキストコーヒーポット制御プロトコル**(HTCPCP)**`, `ハイパーテキストコーヒーポット制御プロトコル<b>(HTCPCP)</b>`},
		{`𰻞𰻞**(ビャンビャン)**麺`, `𰻞𰻞<b>(ビャンビャン)</b>麺`},
		{"大塚\uFE00**(U+585A U+FE00)**", "大塚\uFE00<b>(U+585A U+FE00)</b>"},
		{"葛\U000E0100**(正式)**城市", "葛\U000E0100<b>(正式)</b>城市"},
		{`__注意__：注意事項`, `<b>注意</b>：注意事項`},
		{`注意：__注意事項__`, `注意：<b>注意事項</b>`},
		{`*强调*与*emphasis*`, `<i>强调</i>与<i>emphasis</i>`},
		// Plain CommonMark, unchanged.
		{`*foo bar*`, `<i>foo bar</i>`},
		{`a * foo bar*`, `a * foo bar*`},
		{`foo*bar*`, `foo<i>bar</i>`},
		{`foo_bar_`, `foo_bar_`},
		{`_foo_bar`, `_foo_bar`},
		{`a**"foo"**`, `a**"foo"**`},
		{`*$*alpha.`, `*$*alpha.`},
		{`**foo "*bar*" foo**`, `<b>foo "<i>bar</i>" foo</b>`},
		{`*(*foo*)*`, `<i>(<i>foo</i>)</i>`},
		{`__foo, __bar__, baz__`, `<b>foo, <b>bar</b>, baz</b>`},
		{`***strong emph***`, `<i><b>strong emph</b></i>`},
		{`**foo*`, `*<i>foo</i>`},
		{`5*6*78`, `5<i>6</i>78`},
		{`pri_vate_name`, `pri_vate_name`},
		// A run next to an emoji is not next to a CJK character.
		{`😀**(x)**y`, `😀**(x)**y`},
	} {
		if got := firstParagraph(t, c.in); got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}
