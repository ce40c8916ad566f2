package build

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// TestLongCaptionWhole builds a figure whose caption of 40,000 characters
// fills many pages: the PDF sets all of it, continued after the figure's
// page, and keeps the image.
func TestLongCaptionWhole(t *testing.T) {
	folio := regexp.MustCompile(`^\f?[0-9]+$`)
	var caption strings.Builder
	for i := 0; caption.Len() < 3*40_000; i++ {
		caption.WriteString("图题" + strconv.Itoa(i) + "，")
	}
	files := []file{
		book("", "正文。\n\n!["+caption.String()+"](a.png)\n\n后文。\n"),
		{"a.png", greyPNG(t, 400, 300)},
	}
	dir := t.TempDir()
	buildIn(t, dir, files)
	pdf := filepath.Join(dir, "out", "b.pdf")
	// Without the running heads and folios between the pages' lines.
	var kept []string
	for _, l := range strings.Split(tool(t, "poppler-utils", "pdftotext", pdf, "-"), "\n") {
		if l = strings.TrimSpace(l); l != "书" && !folio.MatchString(l) {
			kept = append(kept, l)
		}
	}
	text := squash(strings.Join(kept, ""))
	if !strings.Contains(text, "图1"+caption.String()) {
		t.Errorf("the PDF does not hold the whole caption (%d of its %d characters in the text)", len(text), len(caption.String()))
	}
	if !strings.Contains(text, "后文。") {
		t.Error("the text after the figure is lost")
	}
	if out := tool(t, "poppler-utils", "pdfimages", "-list", pdf); strings.Count(out, "\n") < 3 {
		t.Errorf("the image is not in the PDF:\n%s", out)
	}
}

// TestLongAltCut builds an image that cannot be fetched, with an alt text
// of 20,000 characters and a caption of its own: the frame standing in for
// the image fits its page, so the alt text is cut there, with a warning
// at the figure's line.
func TestLongAltCut(t *testing.T) {
	alt := strings.Repeat("替代文字很长，", 3000)
	dir := t.TempDir()
	md := filepath.Join(dir, "b.md")
	src := "---\ntitle: 书\n---\n\n正文。\n\n![" + alt + "](https://example.invalid/a.png \"图题\")\n"
	if err := os.WriteFile(md, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`b\.md:7: warning: the alt text standing in for the image is cut after [0-9]+ of its 21000 characters in the PDF`)
	var stdout, stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), &stdout, &stderr)
	if err := Run(md, opt); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !want.MatchString(stderr.String()) {
		t.Errorf("stderr lacks the warning of the cut alt text:\n%s", stderr.String())
	}
	// A caption that is the alt text gives it whole: nothing to warn of.
	stderr.Reset()
	if err := os.WriteFile(md, []byte(strings.Replace(src, ` "图题"`, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Run(md, opt); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "alt text standing in") {
		t.Errorf("a warning of the alt text, which the caption gives whole:\n%s", stderr.String())
	}
}
