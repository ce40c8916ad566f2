package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/layout"
)

// testImages returns a PNG whose left half is opaque black and right half
// fully transparent, a colour JPEG and a grey JPEG.
func testImages(t *testing.T) (halfPNG, colourJPEG, greyJPEG *layout.ImageData) {
	t.Helper()
	half := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 20 {
			half.Set(x, y, color.NRGBA{A: 255})
		}
	}
	var pb bytes.Buffer
	if err := png.Encode(&pb, half); err != nil {
		t.Fatal(err)
	}
	red := image.NewRGBA(image.Rect(0, 0, 30, 16))
	for y := range 16 {
		for x := range 30 {
			red.Set(x, y, color.RGBA{R: 200, G: 20, B: 20, A: 255})
		}
	}
	var cb bytes.Buffer
	if err := jpeg.Encode(&cb, red, nil); err != nil {
		t.Fatal(err)
	}
	grey := image.NewGray(image.Rect(0, 0, 24, 12))
	for i := range grey.Pix {
		grey.Pix[i] = uint8(i * 7)
	}
	var gb bytes.Buffer
	if err := jpeg.Encode(&gb, grey, nil); err != nil {
		t.Fatal(err)
	}
	return &layout.ImageData{Path: "half.png", Format: "png", Width: 40, Height: 20, Data: pb.Bytes()},
		&layout.ImageData{Path: "red.jpg", Format: "jpeg", Width: 30, Height: 16, Data: cb.Bytes()},
		&layout.ImageData{Path: "grey.jpg", Format: "jpeg", Width: 24, Height: 12, Data: gb.Bytes()}
}

func imageBook(t *testing.T) (*layout.Book, *layout.ImageData) {
	half, colour, grey := testImages(t)
	p1 := &layout.Page{Width: 300, Height: 400, Images: []layout.Image{
		{X: 100, Y: 200, W: 80, H: 40, Image: half},
		{X: 20, Y: 20, W: 60, H: 32, Image: colour},
	}}
	p2 := &layout.Page{Width: 300, Height: 400, Images: []layout.Image{
		{X: 10, Y: 300, W: 48, H: 24, Image: grey},
		{X: 150, Y: 50, W: 40, H: 20, Image: half},
	}}
	return &layout.Book{Pages: []*layout.Page{p1, p2}}, grey
}

func TestImages(t *testing.T) {
	b, grey := imageBook(t)
	path := writeBook(t, b)
	out, _ := tool(t, "poppler-utils", "pdfimages", "-list", path)
	// page num type width height color comp bpc enc interp object ID x-ppi y-ppi …
	type listed struct{ page, w, h, color, enc, obj, ppi string }
	var got []listed
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[2:] {
		f := strings.Fields(l)
		got = append(got, listed{f[0], f[3], f[4], f[5], f[8], f[10], f[12]})
	}
	want := []listed{
		// 40 px over 80 pt is 36 ppi; gopdf's "image" is Flate.
		{"1", "40", "20", "gray", "image", "", "36"},
		{"1", "30", "16", "gray", "jpeg", "", "36"},
		{"2", "24", "12", "gray", "jpeg", "", "36"},
		{"2", "40", "20", "gray", "image", "", "72"},
	}
	if len(got) != len(want) {
		t.Fatalf("pdfimages lists %d images, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		w, g := want[i], got[i]
		w.obj = g.obj
		if g != w {
			t.Errorf("image %d: got %+v, want %+v", i, g, w)
		}
	}
	if got[0].obj != got[3].obj {
		t.Errorf("the same image is embedded twice (objects %s and %s)", got[0].obj, got[3].obj)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, grey.Data) {
		t.Error("the grey JPEG is not embedded byte for byte")
	}
	if m := rgbColour.Find(raw); m != nil {
		t.Errorf("the PDF uses RGB colour: %q", m)
	}
}

// rgbColour finds RGB colour spaces in a PDF's dictionaries (image
// dictionaries are not compressed).
var rgbColour = regexp.MustCompile(`/DeviceRGB|/CalRGB|/Indexed`)

// TestImagePlacement renders the page and finds the opaque half of the
// PNG where the layout put it, and white where it was transparent.
func TestImagePlacement(t *testing.T) {
	b, _ := imageBook(t)
	path := writeBook(t, b)
	dir := t.TempDir()
	tool(t, "poppler-utils", "pdftoppm", "-r", "72", "-gray", "-png", "-f", "1", "-l", "1", path, filepath.Join(dir, "p"))
	f, err := os.Open(filepath.Join(dir, "p-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// Dark pixels outside the colour JPEG at the top left.
	x0, y0, x1, y1 := 1<<30, 1<<30, -1, -1
	r := img.Bounds()
	for y := 100; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 128 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
			}
		}
	}
	// The opaque left half: 40×40 pt at (100, 200); the transparent right
	// half must come out white.
	if abs(x0-100) > 1 || abs(y0-200) > 1 || abs(x1-140) > 1 || abs(y1-240) > 1 {
		t.Errorf("dark area at (%d,%d)-(%d,%d), want (100,200)-(140,240)", x0, y0, x1, y1)
	}
}

func abs(v int) int { return max(v, -v) }

func TestImagesReproducible(t *testing.T) {
	b, _ := imageBook(t)
	var one, two bytes.Buffer
	if err := Write(&one, b); err != nil {
		t.Fatal(err)
	}
	if err := Write(&two, b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), two.Bytes()) {
		t.Error("two writes of a book with images differ")
	}
}

func TestBadImage(t *testing.T) {
	b, _ := imageBook(t)
	b.Pages[0].Images[0].Image = &layout.ImageData{Path: "broken.png", Format: "png", Width: 1, Height: 1, Data: []byte("not a png")}
	err := Write(&bytes.Buffer{}, b)
	if err == nil || !strings.Contains(err.Error(), "broken.png") {
		t.Errorf("broken image: got %v, want an error naming the file", err)
	}
}

// plain hides an image's concrete type, so toGrey takes its general path.
type plain struct{ image.Image }

// TestToGreyPaths checks toGrey's shortcuts for decoded JPEGs and PNGs
// against its general path: within 2 levels of 255 on every pixel. (The
// JPEG is smooth, as photos are: where YCbCr to RGB clips, the shortcut,
// which keeps the luminance, is the more faithful one.)
func TestToGreyPaths(t *testing.T) {
	nrgba := image.NewNRGBA(image.Rect(3, 5, 67, 41))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = uint8(i*37 + i/5)
	}
	smooth := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			smooth.Set(x, y, color.RGBA{uint8(60 + 2*x), uint8(50 + 3*y), uint8(200 - x - y), 255})
		}
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, smooth, nil); err != nil {
		t.Fatal(err)
	}
	ycc, err := jpeg.Decode(&jb)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ycc.(*image.YCbCr); !ok {
		t.Fatalf("decoded JPEG is %T, not YCbCr", ycc)
	}
	for _, src := range []image.Image{nrgba, ycc} {
		fast, slow := toGrey(src), toGrey(plain{src})
		for i := range fast.Pix {
			if d := int(fast.Pix[i]) - int(slow.Pix[i]); d > 2 || d < -2 {
				t.Fatalf("%T: pixel %d is %d, the general path gives %d", src, i, fast.Pix[i], slow.Pix[i])
			}
		}
	}
}

// TestImageKinds writes PNGs gopdf cannot embed as they are (16 bits per
// channel, a palette with a transparent entry): they come out as 8-bit
// grey images.
func TestImageKinds(t *testing.T) {
	deep := image.NewNRGBA64(image.Rect(0, 0, 8, 8))
	for i := range deep.Pix {
		deep.Pix[i] = uint8(i * 13)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.NRGBA{}, color.NRGBA{R: 255, A: 255}, color.NRGBA{G: 90, A: 128}})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i % 3)
	}
	for _, src := range []image.Image{deep, pal} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, src); err != nil {
			t.Fatal(err)
		}
		im := &layout.ImageData{Path: "x.png", Format: "png", Width: 8, Height: 8, Data: buf.Bytes()}
		b := &layout.Book{Pages: []*layout.Page{{Width: 100, Height: 100, Images: []layout.Image{{X: 10, Y: 10, W: 20, H: 20, Image: im}}}}}
		out, _ := tool(t, "poppler-utils", "pdfimages", "-list", writeBook(t, b))
		f := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[2])
		if color, bpc := f[5], f[7]; color != "gray" || bpc != "8" {
			t.Errorf("%T: embedded as %s, %s bits", src, color, bpc)
		}
	}
}

// TestTextOverImages checks a page with images, rules and text: gopdf
// draws the images, and the rules and text go after them in the same
// content stream, so they are drawn on top and every character is where
// the layout put it.
func TestTextOverImages(t *testing.T) {
	b, _ := imageBook(t)
	serif, _, _, _ := faces(t)
	p := b.Pages[0]
	line(p, serif, 12, 100, 215, "图上文字", nil)
	p.Rules = []layout.Rule{{X: 100, Y: 225, W: 80, H: 1}}
	path := writeBook(t, b)

	got := stext(t, path)
	var want []stextChar
	for _, g := range p.Glyphs {
		want = append(want, stextChar{0, g.Text, g.X, g.Y})
	}
	if len(got) != len(want) {
		t.Fatalf("mutool finds %d characters, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		if g := got[i]; g.page != w.page || g.c != w.c || math.Abs(g.x-w.x) > 0.01 || math.Abs(g.y-w.y) > 0.01 {
			t.Errorf("character %d: got %+v, want %+v", i, g, w)
		}
	}
	// mutool numbers array elements from 1.
	out, _ := tool(t, "mupdf-tools", "mutool", "show", "-b", path, "trailer/Root/Pages/Kids/1/Contents")
	do, re, bt := strings.LastIndex(out, " Do"), strings.Index(out, " re f"), strings.Index(out, "BT\n")
	if do < 0 || re < 0 || bt < 0 || !(do < re && re < bt) {
		t.Errorf("page 1 draws images (Do at %d), then the rule (re at %d), then text (BT at %d); want that order:\n%s", do, re, bt, out)
	}
}
