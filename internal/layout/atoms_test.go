package layout

import (
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// TestAtomExtraOwnCopy: the atoms of a link share their extra fields,
// and what one of them gets for itself (a merged dash run's text, a
// ruby annotation) stays its own.
func TestAtomExtraOwnCopy(t *testing.T) {
	st, faces := testStyle(t)
	e, err := testEngine(st, faces)
	if err != nil {
		t.Fatal(err)
	}
	const url = "https://example.org/"
	in := []doc.Inline{
		&doc.Link{URL: url, Content: []doc.Inline{doc.Text("前——后"), &doc.Ruby{Base: "汉字", Annotation: "hàn zì"}, doc.Text("尾")}},
		doc.Text("外"),
	}
	atoms := e.text.atomsOf(in, styleOf(e.body, e.em), doc.Pos{})
	want := []struct {
		text, link string
		ruby       bool
	}{{"前", url, false}, {"——", url, false}, {"后", url, false}, {"汉", url, true}, {"字", url, false}, {"尾", url, false}, {"外", "", false}}
	if len(atoms) != len(want) {
		t.Fatalf("%d atoms, want %d", len(atoms), len(want))
	}
	for i, w := range want {
		a := &atoms[i]
		if a.text() != w.text || a.link() != w.link || (a.ruby() != nil) != w.ruby {
			t.Errorf("atom %d: %q link %q ruby %v, want %q link %q ruby %v", i, a.text(), a.link(), a.ruby() != nil, w.text, w.link, w.ruby)
		}
	}
}
