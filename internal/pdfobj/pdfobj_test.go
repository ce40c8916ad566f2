package pdfobj

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// file assembles a PDF from object bodies (object n+1 is bodies[n]),
// separated by sep, with a classic cross-reference table and a trailer
// naming object 1 as the root.
func file(sep string, bodies ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	var offsets []int
	for i, body := range bodies {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%sendobj%s", i+1, body, sep)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(bodies)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(bodies)+1, xref)
	return b.Bytes()
}

const (
	catalog = "<<\n  /Type /Catalog\n  /Pages 2 0 R\n>>\n"
	tree    = "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>\n"
	page    = "<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Annots [6 0 R] >>\n"
	page2   = "<< /Type /Page /Parent 2 0 R >>\n"
	content = "<< /Length 12 >>\nstream\nBT (x) Tj ET\nendstream\n"
	// An annotation whose string holds what would end a dictionary or an
	// object if it were read as bytes.
	annot = "<</Type /Annot /A <</URI (a\\) >> endobj (b) \\\\)>> /Rect [1 2 3 4]>>\n"
)

func TestParse(t *testing.T) {
	raw := file("\n\n", catalog, tree, page, page2, content, annot)
	f, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 7 || f.Root() != 1 {
		t.Fatalf("%d objects with root %d, want 7 with root 1", f.Len(), f.Root())
	}
	for n, want := range []string{"", catalog, tree, page, page2, content, annot} {
		if got := string(f.Body(n)); n > 0 && got != want {
			t.Errorf("object %d: %q, want %q", n, got, want)
		}
	}
	pages, err := f.Pages()
	if err != nil || !slices.Equal(pages, []int{3, 4}) {
		t.Errorf("pages %v (%v), want [3 4]", pages, err)
	}
	d, data, err := f.Stream(5)
	if err != nil || string(data) != "BT (x) Tj ET" {
		t.Errorf("stream data %q (%v)", data, err)
	}
	if l, _ := d.Get("/Length"); string(l) != "12" {
		t.Errorf("stream /Length %q", l)
	}
	a, err := f.Dict(6)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := a.Get("/A"); string(v) != `<</URI (a\) >> endobj (b) \\)>>` {
		t.Errorf("/A is %q", v)
	}
	if v, _ := a.Get("/Rect"); string(v) != "[1 2 3 4]" {
		t.Errorf("/Rect is %q", v)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	f, err := Parse(file("\n", catalog, tree, page, page2, content, annot))
	if err != nil {
		t.Fatal(err)
	}
	info := f.Add([]byte("<< /Title (t) >>\n"))
	var a, b bytes.Buffer
	if err := f.Write(&a, info); err != nil {
		t.Fatal(err)
	}
	if err := f.Write(&b, info); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes differ")
	}
	g, err := Parse(a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < f.Len(); n++ {
		if !bytes.Equal(f.Body(n), g.Body(n)) {
			t.Errorf("object %d: %q after a round trip, want %q", n, g.Body(n), f.Body(n))
		}
	}
	trailer := a.Bytes()[bytes.LastIndex(a.Bytes(), []byte("trailer")):]
	for _, want := range []string{"/Root 1 0 R", "/Info 7 0 R", "/ID [<"} {
		if !bytes.Contains(trailer, []byte(want)) {
			t.Errorf("trailer lacks %q:\n%s", want, trailer)
		}
	}
}

func TestSet(t *testing.T) {
	f, err := Parse(file("\n", catalog, tree, page, page2, content, annot))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetEntries(1, "/Lang", "(zh-CN)", "/Pages", "9 0 R"); err != nil {
		t.Fatal(err)
	}
	want := "<<\n  /Type /Catalog\n  /Pages 9 0 R\n  /Lang (zh-CN)\n>>\n"
	if got := string(f.Body(1)); got != want {
		t.Errorf("catalog %q, want %q", got, want)
	}
	// A value replaced inside a dictionary that is followed by a stream.
	if err := f.SetEntries(5, "/Length", "13"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(f.Body(5)), "<< /Length 13 >>\nstream\n") {
		t.Errorf("stream %q", f.Body(5))
	}
}

func TestRefs(t *testing.T) {
	d, err := ParseDict([]byte("<< /One 12 0 R /Two [ 1 0 R  2 0 R ] /Gen 3 1 R /Num 12 /Nums [1 2] /Name /X >>"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key  string
		want []int
	}{
		{"/One", []int{12}}, {"/Two", []int{1, 2}}, {"/Gen", nil}, {"/Num", nil}, {"/Nums", nil}, {"/Name", nil}, {"/None", nil},
	} {
		got, ok := d.Refs(c.key)
		if ok != (c.want != nil) || !slices.Equal(got, c.want) {
			t.Errorf("Refs(%s) = %v, %v; want %v", c.key, got, ok, c.want)
		}
	}
	if n, ok := d.Ref("/Two"); ok {
		t.Errorf("Ref(/Two) = %d: an array of two is not one reference", n)
	}
}

func TestParseErrors(t *testing.T) {
	good := string(file("\n", catalog, tree, page, page2, content, annot))
	for name, raw := range map[string]string{
		"no startxref":      strings.Replace(good, "startxref", "startref", 1),
		"xref stream":       strings.Replace(good, "\nxref\n", "\nxreg\n", 1),
		"encrypted":         strings.Replace(good, "/Root 1 0 R", "/Root 1 0 R /Encrypt 3 0 R", 1),
		"updated":           strings.Replace(good, "/Root 1 0 R", "/Root 1 0 R /Prev 9", 1),
		"wrong object":      strings.Replace(good, "2 0 obj", "8 0 obj", 1),
		"no endobj":         strings.Replace(good, ">>\nendobj", ">>\nendobk", 1),
		"empty object":      string(file("\n", catalog, "", page)),
		"unterminated":      string(file("\n", "<< /Type /Catalog /Pages (2 0 R >>\n")),
		"no root":           strings.Replace(good, "/Root 1 0 R", "", 1),
		"generation":        strings.Replace(good, "00000 n \ntrailer", "00001 n \ntrailer", 1),
		"nested too deeply": string(file("\n", "<< /A "+strings.Repeat("[", 100)+strings.Repeat("]", 100)+" >>\n")),
	} {
		f, err := Parse([]byte(raw))
		if err == nil {
			_, err = f.Pages()
		}
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestStreamErrors(t *testing.T) {
	for name, body := range map[string]string{
		"no stream":        "<< /Length 3 >>\n",
		"short":            "<< /Length 30 >>\nstream\nabc\nendstream\n",
		"long":             "<< /Length 1 >>\nstream\nabc\nendstream\n",
		"indirect":         "<< /Length 7 0 R >>\nstream\nabc\nendstream\n",
		"no line end":      "<< /Length 3 >>\nstreamabc\nendstream\n",
		"not a dictionary": "[1 2 3]\n",
	} {
		f, err := Parse(file("\n", catalog, body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, _, err := f.Stream(2); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
