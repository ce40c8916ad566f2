// Package fonts loads the bundled TrueType faces and answers the metric
// questions the layout engine asks (advance, ink extent, coverage). It also
// subsets faces for embedding. Measurements are in em (fractions of the
// font size), so callers multiply by the point size.
package fonts

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf16"

	"github.com/paiban/paiban/internal/chars"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Face is one loaded face, with TrueType (glyf) or CFF outlines. It is safe for concurrent use.
type Face struct {
	// PostScriptName is the face's name-table ID 6, e.g. NotoSerifSC-Regular.
	PostScriptName string
	// Family is the name-table family (ID 1), e.g. Noto Serif SC.
	Family string
	Path   string
	// Data is the unmodified font file. It is read-only: Load maps the
	// file into memory, and writing to it would crash the program.
	Data []byte
	// Index is the face's number in a collection, 0 for a single font.
	Index int
	// dirOffset is where the face's table directory starts in Data.
	dirOffset int

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

// Load reads and parses a font file: TrueType or OpenType, with glyf or
// CFF outlines, or the first face of a .ttc or .otc collection.
func Load(path string) (*Face, error) { return LoadFace(path, "") }

// LoadFace reads face sel of a font file (see ParseFace).
func LoadFace(path, sel string) (*Face, error) {
	data, err := readFont(path)
	if err != nil {
		return nil, err
	}
	f, err := ParseFace(data, sel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.Path = path
	return f, nil
}

// Parse parses font data already in memory: a single font, or the first
// face of a collection.
func Parse(data []byte) (*Face, error) { return ParseFace(data, "") }

// ParseFace parses one face of font data in memory. sel chooses a face of
// a collection: "" the first, a number counting from 0, or a name (family,
// full or PostScript name, in any case). A variable TrueType font is used
// at its default instance: its glyf outlines and hmtx advances are that
// instance's, and a subset keeps no variation tables.
func ParseFace(data []byte, sel string) (*Face, error) {
	if len(data) >= 4 && (string(data[:4]) == "wOFF" || string(data[:4]) == "wOF2") {
		return nil, errors.New("a WOFF web font: use the .ttf or .otf file it was made from")
	}
	offs, err := collectionOffsets(data)
	if err != nil {
		return nil, err
	}
	for _, off := range append([]int{0}, offs...) {
		if t, err := tableDirectoryAt(data, off); err == nil && t["CFF2"] != nil && t["CFF "] == nil {
			return nil, errors.New("CFF2 outlines (a variable OpenType font) are not supported: use a static instance of the font")
		}
	}
	var sf *sfnt.Font
	i := 0
	if offs == nil {
		if sel != "" && sel != "0" {
			return nil, fmt.Errorf("face %q asked of a font that is not a collection", sel)
		}
		if sf, err = sfnt.Parse(data); err != nil {
			return nil, fmt.Errorf("parsing font: %w", err)
		}
		offs = []int{0}
	} else {
		// Only the face chosen is parsed: parsing each of a CJK
		// collection's faces took a tenth of a second.
		if i, err = chooseFace(data, offs, sel); err != nil {
			return nil, err
		}
		c, err := sfnt.ParseCollection(data)
		if err != nil {
			return nil, fmt.Errorf("parsing font collection: %w", err)
		}
		if sf, err = c.Font(i); err != nil {
			return nil, fmt.Errorf("parsing face %d of the collection: %w", i, err)
		}
	}
	f := &Face{Data: data, Index: i, dirOffset: offs[i], sf: sf, upem: fixed.Int26_6(sf.UnitsPerEm())}
	if err := f.checkTables(); err != nil {
		return nil, err
	}
	if !f.IsCFF() {
		f.boxes = newBoxes(f.tables())
	}
	f.PostScriptName, _ = sf.Name(&f.buf, sfnt.NameIDPostScript)
	f.Family, _ = sf.Name(&f.buf, sfnt.NameIDFamily)
	if f.PostScriptName == "" {
		return nil, errors.New("font has no PostScript name (name ID 6)")
	}
	// The punctuation table (advance and ink extent of every mark, the
	// equivalent of ctex's per-font ctexpunct.spa) is built at load:
	// punctuation compression reads it for nearly every line.
	for _, r := range chars.Punctuation {
		f.Metrics(r)
	}
	return f, nil
}

// chooseFace returns the index of the collection member sel names, by
// number or by family, full or PostScript name, read from the members'
// name tables.
func chooseFace(data []byte, offs []int, sel string) (int, error) {
	if sel == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(sel); err == nil {
		if n < 0 || n >= len(offs) {
			return 0, fmt.Errorf("the collection has faces 0 to %d, not %d", len(offs)-1, n)
		}
		return n, nil
	}
	var names []string
	for i, off := range offs {
		ns := faceNamesAt(data, off)
		for _, id := range []uint16{nameIDFamily, nameIDTypoFamily, nameIDFull, nameIDPostScript} {
			if strings.EqualFold(ns[id], sel) {
				return i, nil
			}
		}
		names = append(names, fmt.Sprintf("%d %s", i, ns[nameIDFull]))
	}
	return 0, fmt.Errorf("the collection has no face named %q; its faces are %s", sel, strings.Join(names, ", "))
}

// faceNamesAt reads the names of the font whose table directory is at
// off, by name ID, preferring Unicode records to Macintosh ones.
func faceNamesAt(data []byte, off int) map[uint16]string {
	out := map[uint16]string{}
	t, err := tableDirectoryAt(data, off)
	if err != nil || len(t["name"]) < 6 {
		return out
	}
	recs, err := parseName(t["name"])
	if err != nil {
		return out
	}
	for _, r := range recs {
		switch {
		case r.platform == 0 || r.platform == 3 && (r.encoding == 1 || r.encoding == 10):
			u := make([]uint16, len(r.value)/2)
			for k := range u {
				u[k] = u16(r.value[2*k:])
			}
			out[r.id] = string(utf16.Decode(u))
		case r.platform == 1 && r.encoding == 0 && out[r.id] == "":
			out[r.id] = string(r.value) // ASCII in the names that matter
		}
	}
	return out
}

// checkTables refuses what cannot be embedded: outlines other than glyf
// and CFF, and a face whose licence forbids embedding it.
func (f *Face) checkTables() error {
	t, err := tableDirectoryAt(f.Data, f.dirOffset)
	if err != nil {
		return err
	}
	if _, err := readTablesAt(f.Data, f.dirOffset); err != nil {
		return err
	}
	// OS/2 fsType (OpenType spec, OS/2): 2 is "restricted licence
	// embedding"; bit 9 allows bitmaps only.
	if fsType := u16(t["OS/2"][8:]); fsType&0x000F == 2 || fsType&0x0200 != 0 {
		return fmt.Errorf("the font's licence does not allow embedding it (OS/2 fsType %#04x)", fsType)
	}
	return nil
}

// IsCFF reports whether the face has CFF outlines (an OpenType .otf, or a
// member of an .otc or .ttc collection).
func (f *Face) IsCFF() bool { return isCFF(f.Data, f.dirOffset) }

// tables returns the face's tables; Parse checked them.
func (f *Face) tables() map[string][]byte {
	t, _ := readTablesAt(f.Data, f.dirOffset)
	return t
}

// LoadDir loads every font named in names (see Open), keyed by name.
func LoadDir(dir string, names []string) (map[string]*Face, error) {
	faces := make(map[string]*Face, len(names))
	for _, n := range names {
		if _, ok := faces[n]; ok {
			continue
		}
		f, err := Open(dir, n)
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
