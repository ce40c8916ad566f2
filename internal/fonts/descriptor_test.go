package fonts

import (
	"math"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestPDFDescriptor compares each bundled face's descriptor with what
// golang.org/x/image/font/sfnt reads from the same tables, and checks that
// only the italic leans.
func TestPDFDescriptor(t *testing.T) {
	for _, name := range []string{
		"NotoSerifSC-Regular.ttf", "NotoSansSC-Bold.ttf", "SourceSerif4-Regular.ttf",
		"SourceSerif4-Italic.ttf", "LXGWWenKaiMono-Regular.ttf",
	} {
		f, err := Load("../../fonts/" + name)
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.PDFDescriptor()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// At a size of 1000 pixels per em sfnt answers in thousandths of
		// an em (26.6 fixed point), y down.
		var buf sfnt.Buffer
		ppem := fixed.I(1000)
		m, err := f.sf.Metrics(&buf, ppem, font.HintingNone)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.sf.Bounds(&buf, ppem, font.HintingNone)
		if err != nil {
			t.Fatal(err)
		}
		px := func(v fixed.Int26_6) int { return int(math.Round(float64(v) / 64)) }
		want := Descriptor{
			Ascent: px(m.Ascent), Descent: -px(m.Descent), CapHeight: px(m.CapHeight), XHeight: px(m.XHeight),
			BBox: [4]int{px(b.Min.X), -px(b.Max.Y), px(b.Max.X), -px(b.Min.Y)}, ItalicAngle: d.ItalicAngle,
		}
		if d != want {
			t.Errorf("%s:\n got %+v\nsfnt %+v", name, d, want)
		}
		if italic := name == "SourceSerif4-Italic.ttf"; (d.ItalicAngle < 0) != italic || d.ItalicAngle > 0 {
			t.Errorf("%s: italic angle %g", name, d.ItalicAngle)
		}
	}
}
