package build

import (
	"bytes"
	"image"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
)

// greyPNG is a w × h PNG of a grey ramp.
func greyPNG(t *testing.T, w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOddShapedImagesDraw builds figures of 70,000 × 10 and 1 × 5,000,000
// pixels, which MuPDF refused to draw ("image is too wide"): scaled down
// to what readers draw, every page of the PDF draws.
func TestOddShapedImagesDraw(t *testing.T) {
	files := []file{
		book("", "正文。\n\n![宽](wide.png)\n\n![高](tall.png)\n"),
		{"wide.png", greyPNG(t, 70_000, 10)},
		{"tall.png", greyPNG(t, 1, 5_000_000)},
	}
	dir := t.TempDir()
	buildIn(t, dir, files)
	pdf := filepath.Join(dir, "out", "b.pdf")
	out := tool(t, "mupdf-tools", "mutool", "draw", "-q", "-r", "20", "-o", filepath.Join(dir, "p%d.png"), pdf)
	if strings.Contains(out, "error") {
		t.Errorf("mutool draw: %s", out)
	}
}
