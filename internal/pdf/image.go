package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"github.com/signintech/gopdf"

	"github.com/paiban/paiban/internal/layout"
)

// jpegQuality is the quality a colour JPEG is re-encoded at once turned
// grey; high enough that the second compression does not show in print.
const jpegQuality = 92

// printImages makes, once per image, the data the PDF embeds. The print
// edition is grey-scale only (a print shop's check; see the README), so
// colour images are turned grey here, the EPUB keeps them in colour.
// Transparent parts are set on white, the paper's colour: no soft mask is
// needed and the page prints the same in every viewer. A grey JPEG is
// embedded byte for byte; other images are re-encoded (JPEG stays JPEG,
// PNG becomes an 8-bit grey PNG, which gopdf embeds without decoding).
func printImages(b *layout.Book) (map[*layout.ImageData]gopdf.ImageHolder, error) {
	out := map[*layout.ImageData]gopdf.ImageHolder{}
	for _, p := range b.Pages {
		for _, im := range p.Images {
			if _, done := out[im.Image]; done {
				continue
			}
			data, err := greyImage(im.Image)
			if err != nil {
				return nil, fmt.Errorf("pdf: image %s: %w", im.Image.Path, err)
			}
			h, err := gopdf.ImageHolderByBytes(data)
			if err != nil {
				return nil, fmt.Errorf("pdf: image %s: %w", im.Image.Path, err)
			}
			out[im.Image] = h
		}
	}
	return out, nil
}

// greyImage returns the image's data as embedded: grey, opaque.
func greyImage(im *layout.ImageData) ([]byte, error) {
	switch im.Format {
	case "jpeg":
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(im.Data))
		if err != nil {
			return nil, err
		}
		if cfg.ColorModel == color.GrayModel {
			return im.Data, nil
		}
		src, err := jpeg.Decode(bytes.NewReader(im.Data))
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = jpeg.Encode(&buf, toGrey(src), &jpeg.Options{Quality: jpegQuality})
		return buf.Bytes(), err
	case "png":
		src, err := png.Decode(bytes.NewReader(im.Data))
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		err = enc.Encode(&buf, toGrey(src))
		return buf.Bytes(), err
	}
	return nil, fmt.Errorf("format %q is neither png nor jpeg", im.Format)
}

// toGrey composites src over white and converts it to 8-bit grey with the
// luminance weights of color.GrayModel.
func toGrey(src image.Image) *image.Gray {
	r := src.Bounds()
	dst := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	switch src := src.(type) {
	case *image.YCbCr:
		// A colour JPEG: its Y channel is the luminance, and it is opaque
		// (a 12-megapixel photo in 0.2 s rather than 1 s through At).
		for y := r.Min.Y; y < r.Max.Y; y++ {
			i := src.YOffset(r.Min.X, y)
			copy(dst.Pix[(y-r.Min.Y)*dst.Stride:], src.Y[i:i+r.Dx()])
		}
		return dst
	case *image.NRGBA:
		// The usual decoded PNG with alpha, without a call per pixel.
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := src.Pix[src.PixOffset(r.Min.X, y):]
			out := dst.Pix[(y-r.Min.Y)*dst.Stride:]
			for x := range r.Dx() {
				p := row[4*x : 4*x+4]
				a := uint32(p[3])
				over := func(c uint8) uint32 { return (uint32(c)*a + 255*(255-a) + 127) / 255 }
				lum := (19595*over(p[0]) + 38470*over(p[1]) + 7471*over(p[2]) + 1<<15) >> 16
				out[x] = uint8(lum)
			}
		}
		return dst
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			// Premultiplied: over white adds the uncovered part as white.
			cr, cg, cb, ca := src.At(x, y).RGBA()
			white := 0xffff - ca
			c := color.RGBA64{R: uint16(cr + white), G: uint16(cg + white), B: uint16(cb + white), A: 0xffff}
			dst.SetGray(x-r.Min.X, y-r.Min.Y, color.GrayModel.Convert(c).(color.Gray))
		}
	}
	return dst
}

// drawImages places the page's images, scaled to their boxes.
func drawImages(gp *gopdf.GoPdf, p *layout.Page, holders map[*layout.ImageData]gopdf.ImageHolder) error {
	for _, im := range p.Images {
		if err := gp.ImageByHolder(holders[im.Image], im.X, im.Y, &gopdf.Rect{W: im.W, H: im.H}); err != nil {
			return fmt.Errorf("image %s: %w", im.Image.Path, err)
		}
	}
	return nil
}

// validateImages rejects images without data or with a bad box.
func validateImages(p *layout.Page, page int) error {
	for _, im := range p.Images {
		if im.Image == nil {
			return fmt.Errorf("pdf: page %d: image without data", page)
		}
		if !(im.W > 0 && im.H > 0) || !finite(im.X, im.Y, im.W, im.H) {
			return fmt.Errorf("pdf: page %d: image %s: bad size or position", page, im.Image.Path)
		}
	}
	return nil
}
