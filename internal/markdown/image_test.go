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

	"github.com/paiban/paiban/internal/doc"
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

// TestLinkedImage: a link to an image file of the book, around a small
// image or around text, leads to that image (for the EPUB to show); the
// link's own URL is then empty, so that print keeps the text only.
func TestLinkedImage(t *testing.T) {
	dir := t.TempDir()
	var big, small bytes.Buffer
	png.Encode(&big, image.NewGray(image.Rect(0, 0, 600, 400)))
	png.Encode(&small, image.NewGray(image.Rect(0, 0, 60, 40)))
	files := map[string][]byte{
		"big.png":   big.Bytes(),
		"small.png": small.Bytes(),
		"book.md":   []byte("---\ntitle: 书\n---\n\n[![小图](small.png)](big.png)与[大图](./big.png)。\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := ParseFile(filepath.Join(dir, "book.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) > 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
	var got []*doc.Link
	doc.WalkInlines(d.Blocks, func(in doc.Inline) {
		if l, ok := in.(*doc.Link); ok {
			got = append(got, l)
		}
	})
	if len(got) != 2 {
		t.Fatalf("%d links, want 2", len(got))
	}
	for _, l := range got {
		if l.URL != "" || l.Image == nil || l.Image.Width != 600 || l.Image.Height != 400 {
			t.Errorf("link %+v, want one to big.png's image and no URL", l)
		}
	}
	if got[0].Image != got[1].Image {
		t.Error("big.png named twice is read twice")
	}
	if im, ok := got[0].Content[0].(*doc.InlineImage); !ok || im.Image.Width != 60 {
		t.Errorf("the link's content %+v, want the small image", got[0].Content)
	}
}
