// Package fonts loads the bundled TrueType faces and answers the metric
// questions the layout engine asks (advance, ink extent, coverage). It also
// subsets faces for embedding. Measurements are in em (fractions of the
// font size), so callers multiply by the point size.
package fonts

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Face is one loaded TrueType face. It is safe for concurrent use.
type Face struct {
	// PostScriptName is the face's name-table ID 6, e.g. NotoSerifSC-Regular.
	PostScriptName string
	// Family is the name-table family (ID 1), e.g. Noto Serif SC.
	Family string
	Path   string
	// Data is the unmodified font file. It is read-only: Load maps the
	// file into memory, and writing to it would crash the program.
	Data []byte

	sf    *sfnt.Font
	upem  fixed.Int26_6
	boxes *boxes // nil: sfnt measures every glyph

	mu      sync.Mutex // guards buf and measuring
	buf     sfnt.Buffer
	metrics metricsCache
	// synthetic, when set, answers Metrics instead of a font file.
	synthetic func(rune) GlyphMetrics
}

// GlyphMetrics describes one character's glyph in em units. Ink is the
// glyph's bounding box with y up from the baseline; an empty glyph (a
// space) has a zero box.
type GlyphMetrics struct {
	Glyph   uint16 // 0 when the face has no glyph for the character
	Advance float64
	InkX0   float64
	InkX1   float64
	InkY0   float64 // bottom, negative below the baseline
	InkY1   float64 // top
}

// Load reads and parses a TrueType file. Only plain glyf-outline TrueType
// is accepted, because that is all the PDF library can embed.
func Load(path string) (*Face, error) {
	data, err := readFont(path)
	if err != nil {
		return nil, err
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.Path = path
	return f, nil
}

// Parse parses font data already in memory.
func Parse(data []byte) (*Face, error) {
	if len(data) < 4 || string(data[:4]) != "\x00\x01\x00\x00" {
		return nil, errors.New("not a TrueType (glyf) font: CFF-based OpenType and font collections cannot be embedded; convert the face to TrueType outlines")
	}
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parsing font: %w", err)
	}
	f := &Face{Data: data, sf: sf, upem: fixed.Int26_6(sf.UnitsPerEm()), boxes: newBoxes(data)}
	f.PostScriptName, _ = sf.Name(&f.buf, sfnt.NameIDPostScript)
	f.Family, _ = sf.Name(&f.buf, sfnt.NameIDFamily)
	if f.PostScriptName == "" {
		return nil, errors.New("font has no PostScript name (name ID 6)")
	}
	// The punctuation table (advance and ink extent of every mark, the
	// equivalent of ctex's per-font ctexpunct.spa) is built at load:
	// punctuation compression reads it for nearly every line.
	for _, r := range Punctuation {
		f.Metrics(r)
	}
	return f, nil
}

// Punctuation lists the full-width marks of the typesetting reference's
// §2.1 whose widths the layout adjusts by their ink.
const Punctuation = "，。、；：？！．“”‘’（）《》〈〉「」『』【】〔〕〖〗［］｛｝·—…～／"

// LoadDir loads every file named in names from dir, keyed by file name.
func LoadDir(dir string, names []string) (map[string]*Face, error) {
	faces := make(map[string]*Face, len(names))
	for _, n := range names {
		if _, ok := faces[n]; ok {
			continue
		}
		f, err := Load(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		faces[n] = f
	}
	return faces, nil
}

// Synthetic returns a face without outlines whose metrics come from fn,
// for testing layout rules against fonts that are not bundled (a face with
// centred punctuation, say). It cannot be embedded: Data is empty.
func Synthetic(name string, fn func(rune) GlyphMetrics) *Face {
	return &Face{PostScriptName: name, Family: name, synthetic: fn}
}

// LicenseFile is the name of the file beside the fonts that holds the
// face's licence: OFL-<family without spaces>.txt (fonts/README.md).
func (f *Face) LicenseFile() string {
	return "OFL-" + strings.ReplaceAll(f.Family, " ", "") + ".txt"
}

// SFNT returns the parsed font, for drawing with x/image (an
// opentype.Font is an sfnt.Font), so that drawing does not parse the file
// again; nil for a synthetic face. It is safe for concurrent use as long
// as each caller passes its own sfnt.Buffer, as x/image's faces do.
func (f *Face) SFNT() *sfnt.Font { return f.sf }

// Has reports whether the face maps r to a real glyph.
func (f *Face) Has(r rune) bool { return f.Metrics(r).Glyph != 0 }

// Metrics returns the glyph metrics of r (cached).
func (f *Face) Metrics(r rune) GlyphMetrics {
	if m := f.metrics.load(r); m != nil {
		return *m
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if m := f.metrics.load(r); m != nil {
		return *m
	}
	var m GlyphMetrics
	if f.synthetic != nil {
		m = f.synthetic(r)
	} else {
		m = f.measure(r)
	}
	f.metrics.store(r, m)
	return m
}

// metricsCache holds measured metrics by rune in blocks of 256, each
// entry written once: the layout's workers ask for every character they
// set, and reading takes two loads instead of a lock shared between
// processors and a map lookup.
type metricsCache struct {
	blocks atomic.Pointer[[(unicode.MaxRune + 1) / 256]atomic.Pointer[metricsBlock]]
}

type metricsBlock [256]atomic.Pointer[GlyphMetrics]

func (c *metricsCache) load(r rune) *GlyphMetrics {
	blocks := c.blocks.Load()
	if blocks == nil || r < 0 || r > unicode.MaxRune {
		return nil
	}
	if b := blocks[r>>8].Load(); b != nil {
		return b[r&0xff].Load()
	}
	return nil
}

// store caches m for r; the caller holds the face's lock. Runes outside
// Unicode are not cached.
func (c *metricsCache) store(r rune, m GlyphMetrics) {
	if r < 0 || r > unicode.MaxRune {
		return
	}
	blocks := c.blocks.Load()
	if blocks == nil {
		blocks = new([(unicode.MaxRune + 1) / 256]atomic.Pointer[metricsBlock])
		c.blocks.Store(blocks)
	}
	b := blocks[r>>8].Load()
	if b == nil {
		b = new(metricsBlock)
		blocks[r>>8].Store(b)
	}
	b[r&0xff].Store(&m)
}

// Advance returns the advance width of r in em.
func (f *Face) Advance(r rune) float64 { return f.Metrics(r).Advance }

// measure reads r's glyph; f.mu is held.
func (f *Face) measure(r rune) GlyphMetrics {
	gi, err := f.sf.GlyphIndex(&f.buf, r)
	if err != nil || gi == 0 {
		return GlyphMetrics{}
	}
	if f.boxes != nil {
		if m, ok := f.boxes.metrics(uint16(gi)); ok {
			return m
		}
	}
	return f.measureSFNT(gi)
}

// measureSFNT measures glyph gi by decoding its outline; f.mu is held.
// Asking for ppem = unitsPerEm makes sfnt return font units (in 26.6),
// which we divide back to em.
func (f *Face) measureSFNT(gi sfnt.GlyphIndex) GlyphMetrics {
	ppem := f.upem << 6
	bounds, adv, err := f.sf.GlyphBounds(&f.buf, gi, ppem, font.HintingNone)
	if err != nil {
		return GlyphMetrics{}
	}
	em := float64(f.upem << 6)
	return GlyphMetrics{
		Glyph:   uint16(gi),
		Advance: float64(adv) / em,
		InkX0:   float64(bounds.Min.X) / em,
		InkX1:   float64(bounds.Max.X) / em,
		// sfnt's y axis points down.
		InkY0: -float64(bounds.Max.Y) / em,
		InkY1: -float64(bounds.Min.Y) / em,
	}
}
