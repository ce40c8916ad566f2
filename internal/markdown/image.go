package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"runtime"
	"strings"

	"golang.org/x/image/draw"

	"github.com/paiban/paiban/internal/doc"
)

// The limits on a book's images, figures and cover alike.
const (

	// maxImagePixels bounds what is decoded at all: a small file can
	// declare a huge image, and decoding takes up to 8 bytes a pixel.
	maxImagePixels = 50_000_000
	// Larger images are scaled down to maxShownSide pixels on their long
	// side and maxShownPixels in all: MuPDF refuses to draw a 70,000-pixel
	// wide image, e-readers draw at most about 4 million pixels (Apple's
	// limit for EPUB images), and at 150 dpi, the resolution a figure is
	// shown at, 2,000 pixels are wider than any page, so the layout is the
	// same as with the original.
	maxShownSide   = 4096
	maxShownPixels = 4_000_000
)

// collectAfter is the size in pixels past which the memory of a decoded
// image is given back before the next image is read.
const collectAfter = 8_000_000

// jpegQuality is the quality a scaled-down JPEG is encoded at.
const jpegQuality = 90

// ReadImage reads the image at rel, a slash path inside the folder root,
// for the cover: checked as every image of a book is (see checkImage),
// but where a figure would show a placeholder, every problem is an
// error, phrased to follow the image's name (see DescribeImage).
func ReadImage(root, rel string) (*doc.Image, error) {
	data, err := openInside(root, rel)
	if err != nil {
		return nil, err
	}
	img := &doc.Image{Path: rel}
	if problem, _ := checkImage(img, data); problem != "" {
		return nil, isError(problem)
	}
	return img, nil
}

// checkImage checks data and fills in img from it: PNG and JPEG as they
// are, GIF (its first frame), WebP, BMP and TIFF converted to PNG. Every
// image is decoded in full, so that a truncated file or a bad checksum is
// caught here rather than in a reader, and one larger than readers draw
// is scaled down. One image is decoded at a time and only the encoded
// data is kept, so a book's images take no more memory at once than its
// largest. When it cannot, img is left a placeholder (Missing set) and
// problem says why; tooLarge says the image is past the size paiban
// takes.
func checkImage(img *doc.Image, data []byte) (problem string, tooLarge bool) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil && looksLikeSVG(data):
		problem = "is SVG, which paiban cannot draw yet"
	case err != nil:
		problem = "is not an image paiban reads (" + readFormats + ")"
	case cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels:
		img.Missing = "too large"
		return fmt.Sprintf("is %d×%d pixels: paiban takes images of at most %d million pixels", cfg.Width, cfg.Height, maxImagePixels/1_000_000), true
	}
	if problem != "" {
		img.Missing = problem
		return problem, false
	}
	m, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		problem = "could not be read as " + strings.ToUpper(format) + ": " + err.Error()
		img.Missing = problem
		return problem, false
	}
	if format != "png" && format != "jpeg" {
		// The editions embed PNG and JPEG only.
		if data, err = encode(m, "png"); err != nil {
			img.Missing = "damaged"
			return err.Error(), false
		}
		format = "png"
	}
	w, h := shownSize(cfg.Width, cfg.Height)
	if w != cfg.Width || h != cfg.Height {
		if data, err = scaleDown(m, format, w, h); err != nil {
			img.Missing = "damaged"
			return err.Error(), false
		}
	}
	if cfg.Width*cfg.Height > collectAfter {
		// The decoded pixels (up to 400 MB) are garbage now; collected at
		// once, a book's large images do not pile up before the
		// collector's next turn (five of 7,000 × 7,000 took 1.2 GB).
		runtime.GC()
	}
	img.Format, img.Width, img.Height, img.Data = format, w, h, data
	return "", false
}

// shownSize is the size an image of w × h pixels is kept at.
func shownSize(w, h int) (int, int) {
	s := min(1, float64(maxShownSide)/float64(max(w, h)))
	if p := float64(w) * float64(h) * s * s; p > maxShownPixels {
		s *= math.Sqrt(maxShownPixels / p)
	}
	if s == 1 {
		return w, h
	}
	// Rounded down (less a hair, for the error in s) to stay within both.
	return max(1, int(float64(w)*s+1e-6)), max(1, int(float64(h)*s+1e-6))
}

// scaleDown shrinks src to w × h and encodes it in its own format; grey
// images stay grey, and a PNG keeps its transparency.
func scaleDown(src image.Image, format string, w, h int) ([]byte, error) {
	var dst image.Image
	switch src.(type) {
	case *image.Gray, *image.Gray16:
		dst = shrink(src, image.NewGray(image.Rect(0, 0, w, h)))
	default:
		dst = shrink(src, image.NewNRGBA(image.Rect(0, 0, w, h)))
	}
	return encode(dst, format)
}

// encode writes img as a PNG or a JPEG.
func encode(img image.Image, format string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if format == "jpeg" {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	} else {
		err = png.Encode(&buf, img)
	}
	return buf.Bytes(), err
}

// shrink sets each pixel of dst (a *image.Gray or *image.NRGBA no larger
// than src) to the mean of the source pixels it covers, reading src one
// row at a time. Averaging keeps thin lines that sampling would drop;
// x/image/draw's kernel scaler does so too but holds a float64 buffer of
// the destination's width by the source's height (450 MB for a
// 7,000-pixel image).
func shrink(src image.Image, dst draw.Image) image.Image {
	sr, dr := src.Bounds(), dst.Bounds()
	sw, sh, dw, dh := sr.Dx(), sr.Dy(), dr.Dx(), dr.Dy()
	rgba, _ := src.(image.RGBA64Image)
	sum := make([][4]uint64, dw) // premultiplied r, g, b, a
	count := make([]uint64, dw)
	flush := func(dy int) {
		for dx := range dw {
			s, n := sum[dx], count[dx]
			var c color.NRGBA64
			if a := s[3] / n; a > 0 {
				c = color.NRGBA64{R: uint16(s[0] * 0xffff / s[3]), G: uint16(s[1] * 0xffff / s[3]), B: uint16(s[2] * 0xffff / s[3]), A: uint16(a)}
			}
			dst.Set(dx, dy, c)
			sum[dx], count[dx] = [4]uint64{}, 0
		}
	}
	row := 0
	for y := range sh {
		if dy := y * dh / sh; dy != row {
			flush(row)
			row = dy
		}
		for x := range sw {
			var r, g, b, a uint32
			if rgba != nil {
				c := rgba.RGBA64At(sr.Min.X+x, sr.Min.Y+y)
				r, g, b, a = uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
			} else {
				r, g, b, a = src.At(sr.Min.X+x, sr.Min.Y+y).RGBA()
			}
			dx := x * dw / sw
			s := &sum[dx]
			s[0] += uint64(r)
			s[1] += uint64(g)
			s[2] += uint64(b)
			s[3] += uint64(a)
			count[dx]++
		}
	}
	flush(row)
	return dst
}

// isError is a problem with an image's content, phrased as "is …".
type isError string

func (e isError) Error() string { return string(e) }

// DescribeImage phrases a problem with an image: `cover "a.png" is not a
// PNG or JPEG image`, `image "b.png": no such file`.
func DescribeImage(what, name string, err error) string {
	var is isError
	if errors.As(err, &is) {
		return fmt.Sprintf("%s %q %v", what, name, err)
	}
	return fmt.Sprintf("%s %q: %v", what, name, err)
}
