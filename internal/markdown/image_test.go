package markdown

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestImagesScaledDown checks that images larger than readers draw are
// kept at the shown size, in their own format and colour model, and that
// scaling averages: columns alternately black and white, halved, are grey.
func TestImagesScaledDown(t *testing.T) {
	stripes := image.NewGray(image.Rect(0, 0, 4000, 4000))
	for i := range stripes.Pix {
		if i%2 == 1 {
			stripes.Pix[i] = 255
		}
	}
	wide := image.NewNRGBA(image.Rect(0, 0, 70_000, 3))
	for i := range wide.Pix {
		wide.Pix[i] = 0x80 // half-transparent grey
	}
	photo := image.NewRGBA(image.Rect(0, 0, 2500, 2000))
	encode := func(img image.Image, jpg bool) []byte {
		var buf bytes.Buffer
		if jpg {
			jpeg.Encode(&buf, img, nil)
		} else {
			png.Encode(&buf, img)
		}
		return buf.Bytes()
	}
	cases := []struct {
		name          string
		data          []byte
		format        string
		width, height int
		model         color.Model
	}{
		{"stripes.png", encode(stripes, false), "png", 2000, 2000, color.GrayModel},
		{"wide.png", encode(wide, false), "png", 4096, 1, color.NRGBAModel},
		{"photo.jpg", encode(photo, true), "jpeg", 2236, 1788, color.YCbCrModel},
		{"small.png", encode(image.NewGray(image.Rect(0, 0, 300, 200)), false), "png", 300, 200, color.GrayModel},
	}
	dir := t.TempDir()
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, c.name), c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		img, err := ReadImage(dir, c.name)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, format, err := image.Decode(bytes.NewReader(img.Data))
		if err != nil {
			t.Fatalf("%s: the kept data does not decode: %v", c.name, err)
		}
		b := got.Bounds()
		if format != c.format || img.Format != c.format || b.Dx() != c.width || b.Dy() != c.height || img.Width != c.width || img.Height != c.height || got.ColorModel() != c.model {
			t.Errorf("%s: kept as %s %d×%d (says %s %d×%d), model %T; want %s %d×%d",
				c.name, format, b.Dx(), b.Dy(), img.Format, img.Width, img.Height, got.ColorModel(), c.format, c.width, c.height)
		}
		if c.width*c.height > maxShownPixels || max(c.width, c.height) > maxShownSide {
			t.Errorf("%s: want within %d pixels and %d on a side", c.name, maxShownPixels, maxShownSide)
		}
		switch c.name {
		case "small.png":
			if !bytes.Equal(img.Data, c.data) {
				t.Error("an image within the limits was re-encoded")
			}
		case "stripes.png":
			if g := got.(*image.Gray).GrayAt(1000, 1000).Y; g < 120 || g > 135 {
				t.Errorf("black and white stripes halved give %d, want grey", g)
			}
		case "wide.png":
			if c := got.(*image.NRGBA).NRGBAAt(2000, 0); c != (color.NRGBA{0x80, 0x80, 0x80, 0x80}) {
				t.Errorf("a half-transparent grey became %v", c)
			}
		}
	}
}
