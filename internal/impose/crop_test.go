package impose

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/paiban/paiban/internal/validators"
)

var boxRe = regexp.MustCompile(`(?m)^(MediaBox|BleedBox|TrimBox):\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)`)

// TestCropMarks reads the boxes back and renders the page: marks must be
// drawn outside the bleed, and nothing between the bleed and the trim.
func TestCropMarks(t *testing.T) {
	need(t, "pdfinfo", "poppler-utils")
	need(t, "pdftoppm", "poppler-utils")
	var out bytes.Buffer
	if err := CropMarks(&out, numbered(t, 3), DefaultBleed); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "crop.pdf")
	os.WriteFile(file, out.Bytes(), 0o644)
	validators.PDF(t, file)
	info, err := exec.Command("pdfinfo", "-box", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	box := map[string][4]float64{}
	for _, m := range boxRe.FindAllStringSubmatch(string(info), -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+2], 64)
		}
		box[m[1]] = v
	}
	trim, bleed, media := box["TrimBox"], box["BleedBox"], box["MediaBox"]
	if w, h := trim[2]-trim[0], trim[3]-trim[1]; w < 419 || w > 420 || h < 595 || h > 596 {
		t.Errorf("trim box %v is not the A5 page", trim)
	}
	for i, d := range []float64{-1, -1, 1, 1} {
		if got := (bleed[i] - trim[i]) * d; got < 8.4 || got > 8.6 {
			t.Errorf("bleed %v is not 3 mm beyond trim %v", bleed, trim)
		}
		if (media[i]-bleed[i])*d <= 14 {
			t.Errorf("media box %v leaves no room for marks outside bleed %v", media, bleed)
		}
	}
	// Render at 1 px per point and look at the top-left corner.
	prefix := filepath.Join(t.TempDir(), "p")
	if msg, err := exec.Command("pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", file, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	img, err := os.ReadFile(prefix + "-1.pgm")
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxv int
	n, _ := fmt.Sscanf(string(img), "P5\n%d %d\n%d\n", &w, &h, &maxv)
	if n != 3 {
		t.Fatal("not a PGM")
	}
	pix := img[len(img)-w*h:]
	dark := func(x0, y0, x1, y1 int) int { // y from the top
		c := 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if pix[y*w+x] < 128 {
					c++
				}
			}
		}
		return c
	}
	// Pixels count from the media box's top-left corner, which need not
	// be at the origin.
	px := func(x float64) int { return int(x - media[0]) }
	py := func(y float64) int { return int(media[3] - y) }
	top := py(trim[3]) // the trim's top edge
	left := px(trim[0])
	if dark(0, top-1, px(bleed[0])-1, top+2) == 0 {
		t.Error("no horizontal crop mark level with the top trim edge, outside the bleed")
	}
	bleedTop := py(bleed[3])
	if dark(px(bleed[0])+2, top-2, left-1, top+2) != 0 || dark(left-2, bleedTop+2, left+2, top-1) != 0 {
		t.Error("marks reach into the bleed")
	}
}

// TestCropMarksSharesResources: the pages are enlarged, not copied, so the
// font is embedded once however many pages there are, and the file grows
// by a few hundred bytes a page at most.
func TestCropMarksSharesResources(t *testing.T) {
	src := numbered(t, 40)
	var out bytes.Buffer
	if err := CropMarks(&out, src, DefaultBleed); err != nil {
		t.Fatal(err)
	}
	sharedAndValid(t, "crop.pdf", out.Bytes(), src)
}
