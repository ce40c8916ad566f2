package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
)

// SubsetOptions adjusts what Subset writes.
type SubsetOptions struct {
	// CFFOnly, for a face with CFF outlines, makes Subset return the bare
	// CFF table (CID-keyed, glyph i with CID i): a PDF's CIDFontType0C
	// font program.
	CFFOnly bool
	// Layout keeps the OpenType layout features of LayoutFeatures (GSUB,
	// GPOS and GDEF, subset with the glyphs) and the vertical metrics,
	// for a reading system that shapes the text itself: an EPUB's fonts.
	// The glyphs the substitutions kept can produce are kept too.
	Layout bool
	// FamilyName, when set, replaces the family/full/PostScript names in the
	// name table (the OFL requires renaming a modified font that has Reserved
	// Font Names). PostScript name gets spaces removed.
	FamilyName string
}

// Subset returns a font with the face's kind of outlines (TrueType, or
// OpenType CFF written CID-keyed and without subroutines, see cff.go)
// holding .notdef plus the glyphs of runes
// (characters the face lacks are skipped), glyphs renumbered densely.
//
// New glyph ids are .notdef, then the characters' glyphs in the order of
// the characters, then the components of composite glyphs in their old
// order: the output depends only on the set of runes, and the characters'
// numbers are known without subsetting (NumberGlyphs). Layout tables
// (GSUB, GPOS, GDEF) and vertical metrics (vhea, vmtx, VORG) are dropped
// unless opt.Layout keeps them; BASE, kern, per-glyph device tables
// (hdmx, LTSH, VDMX) and STAT always are.
func Subset(f *Face, runes []rune, opt SubsetOptions) ([]byte, error) {
	out, _, err := SubsetGlyphs(f, runes, opt)
	return out, err
}

// SubsetGlyphs is Subset also returning the glyph each of runes has in
// the subset, for a caller that draws with the subset's numbering; runes
// the face lacks are absent.
func SubsetGlyphs(f *Face, runes []rune, opt SubsetOptions) ([]byte, map[rune]uint16, error) {
	if f == nil || f.sf == nil {
		return nil, nil, errors.New("fonts: Subset needs a face from Load or Parse")
	}
	out, entries, err := subset(f, runes, opt)
	if err != nil {
		return nil, nil, fmt.Errorf("subsetting %s: %w", f.PostScriptName, err)
	}
	glyph := make(map[rune]uint16, len(entries))
	for _, e := range entries {
		glyph[e.r] = e.g
	}
	return out, glyph, nil
}

// verbatimTables are copied unchanged: the TrueType hinting programs and
// gasp name no glyph ids, and keeping them keeps glyph instructions valid.
var verbatimTables = []string{"cvt ", "fpgm", "gasp", "prep"}

// cmapEntry maps a character to a glyph id, old or new.
type cmapEntry struct {
	r rune
	g uint16
}

func subset(f *Face, runes []rune, opt SubsetOptions) ([]byte, []cmapEntry, error) {
	src, err := readTablesAt(f.Data, f.dirOffset)
	if err != nil {
		return nil, nil, err
	}
	entries, err := mapRunes(f.sf, runes)
	if err != nil {
		return nil, nil, err
	}
	cff := isCFF(f.Data, f.dirOffset)
	numGlyphs := int(u16(src["maxp"][4:]))
	// Glyphs reached only through the substitutions kept (vertical
	// forms, say) follow the characters' glyphs, so that NumberGlyphs
	// stays true.
	var layouts map[string]*otLayout
	var extra []uint16
	if opt.Layout {
		layouts, extra = planLayout(src, entries, numGlyphs)
	}
	var gs *glyphSource
	var ids []uint16
	if cff {
		ids, err = plainClosure(entries, extra, numGlyphs)
	} else if gs, err = newGlyphSource(src); err == nil {
		ids, err = gs.closure(entries, extra)
	}
	if err != nil {
		return nil, nil, err
	}
	m := &glyphMap{newID: make([]uint16, numGlyphs), kept: make([]bool, numGlyphs)}
	for i, g := range ids {
		m.newID[g], m.kept[g] = uint16(i), true
	}
	for i := range entries {
		entries[i].g = m.newID[entries[i].g]
	}
	out := map[string][]byte{}
	if opt.Layout {
		keepLayout(out, src, layouts, m, ids)
	}
	longLoca := false
	if cff {
		c, err := parseCFF(src["CFF "])
		if err != nil {
			return nil, nil, err
		}
		table, err := c.subset(ids)
		if err != nil {
			return nil, nil, err
		}
		if opt.CFFOnly {
			return table, entries, nil
		}
		out["CFF "] = table
	} else if longLoca, err = keepGlyf(out, src, gs, ids, m.newID); err != nil {
		return nil, nil, err
	}
	if err := keepTables(out, src, entries, ids, longLoca, opt.FamilyName); err != nil {
		return nil, nil, err
	}
	version := uint32(sfntTrueType)
	if cff {
		version = sfntCFF
	}
	return writeSFNT(out, version), entries, nil
}

// keepGlyf puts into out the TrueType outlines of the glyphs ids, renumbered
// by newID, and the tables kept with them; longLoca says whether loca has
// long offsets.
func keepGlyf(out, src map[string][]byte, gs *glyphSource, ids, newID []uint16) (longLoca bool, err error) {
	glyf, offsets, err := gs.buildGlyf(ids, newID)
	if err != nil {
		return false, err
	}
	out["glyf"] = glyf
	out["loca"], longLoca = encodeLoca(offsets)
	for _, tag := range verbatimTables {
		if t, ok := src[tag]; ok {
			out[tag] = t
		}
	}
	return longLoca, nil
}

// keepTables puts into out the tables every subset has, made for the
// glyphs ids and the characters of entries: metrics, cmap, head, maxp,
// OS/2, post, and name, with the family renamed when family is set.
func keepTables(out, src map[string][]byte, entries []cmapEntry, ids []uint16, longLoca bool, family string) error {
	numGlyphs := int(u16(src["maxp"][4:]))
	hmtx, numHMetrics, err := buildHmtx(src["hhea"], src["hmtx"], numGlyphs, ids)
	if err != nil {
		return err
	}
	cmap, err := buildCmap(entries)
	if err != nil {
		return err
	}
	name := src["name"]
	if family != "" {
		if name, err = renameFont(name, family); err != nil {
			return err
		}
	}
	out["OS/2"] = patchOS2(src["OS/2"], entries)
	out["cmap"] = cmap
	out["head"] = patchHead(src["head"], longLoca)
	out["hhea"] = patchU16(src["hhea"], 34, numHMetrics)
	out["hmtx"] = hmtx
	out["maxp"] = patchU16(src["maxp"], 4, len(ids))
	out["name"] = name
	out["post"] = post3(src["post"])
	return nil
}

// plainClosure returns the glyphs to keep of a font whose glyphs are
// drawn alone (CFF has no composites): .notdef, then those of entries in
// order, then extra in old id order.
func plainClosure(entries []cmapEntry, extra []uint16, numGlyphs int) ([]uint16, error) {
	if numGlyphs == 0 {
		return nil, errors.New("maxp lists no glyphs")
	}
	ids := []uint16{0}
	seen := map[uint16]bool{0: true}
	for _, e := range entries {
		if int(e.g) >= numGlyphs {
			return nil, fmt.Errorf("glyph %d out of range (font has %d)", e.g, numGlyphs)
		}
		if !seen[e.g] {
			seen[e.g] = true
			ids = append(ids, e.g)
		}
	}
	for _, g := range slices.Sorted(slices.Values(extra)) {
		if int(g) < numGlyphs && !seen[g] {
			seen[g] = true
			ids = append(ids, g)
		}
	}
	return ids, nil
}

// NumberGlyphs returns the glyph each of runes has in what Subset makes of
// them, without subsetting: .notdef is 0 and the characters' distinct
// glyphs follow in character order. runes must be sorted and distinct; a
// character the face lacks gets 0.
func NumberGlyphs(f *Face, runes []rune) []uint16 {
	nums := make([]uint16, len(runes))
	newID := map[uint16]uint16{}
	for i, r := range runes {
		if !mappable(r) {
			continue
		}
		g := f.Metrics(r).Glyph
		if g == 0 {
			continue
		}
		n, ok := newID[g]
		if !ok {
			n = uint16(len(newID) + 1)
			newID[g] = n
		}
		nums[i] = n
	}
	return nums
}

// mapRunes looks each distinct character up in the face's cmap and
// returns those with a glyph, sorted by character.
// mappable reports whether r can be looked up in a cmap: a valid code
// point other than U+FFFF, the sentinel of a format 4 cmap, never a real
// character.
func mappable(r rune) bool { return utf8.ValidRune(r) && r != 0xFFFF }

func mapRunes(sf *sfnt.Font, runes []rune) ([]cmapEntry, error) {
	rs := slices.Compact(slices.Sorted(slices.Values(runes)))
	var buf sfnt.Buffer
	entries := make([]cmapEntry, 0, len(rs))
	for _, r := range rs {
		if !mappable(r) {
			continue
		}
		g, err := sf.GlyphIndex(&buf, r)
		if err != nil {
			return nil, fmt.Errorf("cmap lookup of %U: %w", r, err)
		}
		if g != 0 {
			entries = append(entries, cmapEntry{r, uint16(g)})
		}
	}
	return entries, nil
}

// glyphSource reads individual glyphs of the source font through loca
// (OpenType spec, loca and glyf), so only the glyphs kept are touched.
type glyphSource struct {
	glyf, loca []byte
	longLoca   bool
	numGlyphs  int
}

func newGlyphSource(t map[string][]byte) (*glyphSource, error) {
	s := &glyphSource{glyf: t["glyf"], loca: t["loca"], numGlyphs: int(u16(t["maxp"][4:]))}
	switch format := int16(u16(t["head"][50:])); format {
	case 0:
	case 1:
		s.longLoca = true
	default:
		return nil, fmt.Errorf("unknown indexToLocFormat %d", format)
	}
	if s.numGlyphs == 0 {
		return nil, errors.New("maxp lists no glyphs")
	}
	if len(s.loca) < (s.numGlyphs+1)*s.locaEntrySize() {
		return nil, errors.New("loca table shorter than numGlyphs+1 offsets")
	}
	return s, nil
}

func (s *glyphSource) locaEntrySize() int {
	if s.longLoca {
		return 4
	}
	return 2
}

// glyph returns glyph g's glyf data, empty for a glyph without outline.
func (s *glyphSource) glyph(g uint16) ([]byte, error) {
	if int(g) >= s.numGlyphs {
		return nil, fmt.Errorf("glyph %d out of range (font has %d)", g, s.numGlyphs)
	}
	var start, end uint64
	if s.longLoca {
		start, end = uint64(u32(s.loca[4*int(g):])), uint64(u32(s.loca[4*int(g)+4:]))
	} else {
		start, end = 2*uint64(u16(s.loca[2*int(g):])), 2*uint64(u16(s.loca[2*int(g)+2:]))
	}
	if start > end || end > uint64(len(s.glyf)) {
		return nil, fmt.Errorf("loca entry of glyph %d points outside glyf", g)
	}
	return s.glyf[start:end:end], nil
}

// closure returns the ids of the glyphs to keep in their new order:
// .notdef, those of entries in order, then extra and, transitively, the
// components of composite glyphs not among them, in old id order.
func (s *glyphSource) closure(entries []cmapEntry, extra []uint16) ([]uint16, error) {
	keep := make([]bool, s.numGlyphs)
	var queue []uint16
	add := func(g uint16) error {
		if int(g) >= s.numGlyphs {
			return fmt.Errorf("glyph %d out of range (font has %d)", g, s.numGlyphs)
		}
		if !keep[g] {
			keep[g] = true
			queue = append(queue, g)
		}
		return nil
	}
	if err := add(0); err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := add(e.g); err != nil {
			return nil, err
		}
	}
	for _, g := range extra {
		if err := add(g); err != nil {
			return nil, err
		}
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		data, err := s.glyph(g)
		if err != nil {
			return nil, err
		}
		offs, err := componentOffsets(data)
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", g, err)
		}
		for _, o := range offs {
			if err := add(u16(data[o:])); err != nil {
				return nil, fmt.Errorf("component of glyph %d: %w", g, err)
			}
		}
	}
	ids := []uint16{0}
	keep[0] = false
	for _, e := range entries {
		if keep[e.g] {
			keep[e.g] = false
			ids = append(ids, e.g)
		}
	}
	for g, k := range keep {
		if k {
			ids = append(ids, uint16(g))
		}
	}
	return ids, nil
}

// Composite glyph flags (OpenType spec, glyf, "Composite Glyph
// Description") that decide the size of a component record.
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXAndYScale  = 0x0040
	haveTwoByTwo    = 0x0080
	glyphHeaderSize = 10
)

// componentOffsets returns where each component's glyphIndex field sits
// in a composite glyph, or nil for a simple or empty glyph.
func componentOffsets(g []byte) ([]int, error) {
	if len(g) == 0 {
		return nil, nil
	}
	if len(g) < glyphHeaderSize {
		return nil, errors.New("glyph shorter than its header")
	}
	if int16(u16(g)) >= 0 {
		return nil, nil
	}
	var offs []int
	for p := glyphHeaderSize; ; {
		if p+4 > len(g) {
			return nil, errors.New("truncated composite glyph")
		}
		flags := u16(g[p:])
		offs = append(offs, p+2)
		p += 4 + componentArgsSize(flags)
		if p > len(g) {
			return nil, errors.New("truncated composite glyph")
		}
		if flags&moreComponents == 0 {
			return offs, nil
		}
	}
}

// componentArgsSize is the size of a component's arguments and transform.
func componentArgsSize(flags uint16) int {
	n := 2
	if flags&argsAreWords != 0 {
		n = 4
	}
	switch {
	case flags&haveScale != 0:
		n += 2
	case flags&haveXAndYScale != 0:
		n += 4
	case flags&haveTwoByTwo != 0:
		n += 8
	}
	return n
}

// buildGlyf copies the kept glyphs in order, each padded to 4 bytes, with
// composite components pointed at the new ids. It returns the glyf table
// and its len(ids)+1 loca offsets.
func (s *glyphSource) buildGlyf(ids, newID []uint16) ([]byte, []uint32, error) {
	glyphs := make([][]byte, len(ids))
	size := 0
	for i, g := range ids {
		data, err := s.glyph(g)
		if err != nil {
			return nil, nil, err
		}
		glyphs[i] = data
		size += pad4(len(data))
	}
	glyf := make([]byte, 0, size)
	offsets := make([]uint32, 0, len(ids)+1)
	for _, data := range glyphs {
		start := len(glyf)
		offsets = append(offsets, uint32(start))
		glyf = append(glyf, data...)
		offs, err := componentOffsets(data)
		if err != nil {
			return nil, nil, err
		}
		for _, o := range offs {
			binary.BigEndian.PutUint16(glyf[start+o:], newID[u16(data[o:])])
		}
		glyf = glyf[:start+pad4(len(data))] // fresh capacity is zeroed
	}
	offsets = append(offsets, uint32(len(glyf)))
	return glyf, offsets, nil
}

// encodeLoca writes loca (OpenType spec, loca) in the short format,
// offset/2 in 16 bits, when the glyf table is small enough for it.
func encodeLoca(offsets []uint32) (loca []byte, long bool) {
	long = offsets[len(offsets)-1] > 2*0xFFFF
	if long {
		loca = make([]byte, 0, 4*len(offsets))
		for _, o := range offsets {
			loca = binary.BigEndian.AppendUint32(loca, o)
		}
		return loca, true
	}
	loca = make([]byte, 0, 2*len(offsets))
	for _, o := range offsets {
		loca = binary.BigEndian.AppendUint16(loca, uint16(o/2))
	}
	return loca, false
}

// buildHmtx writes hmtx (OpenType spec, hmtx) for the kept glyphs and
// returns the new numberOfHMetrics for hhea. Source glyphs past
// numberOfHMetrics take its last advance; in the output, trailing glyphs
// sharing the last advance are again stored as bare left side bearings.
func buildHmtx(hhea, hmtx []byte, numGlyphs int, ids []uint16) ([]byte, int, error) {
	nhm := int(u16(hhea[34:]))
	if nhm == 0 || nhm > numGlyphs {
		return nil, 0, fmt.Errorf("hhea numberOfHMetrics %d out of range", nhm)
	}
	if len(hmtx) < 4*nhm+2*(numGlyphs-nhm) {
		return nil, 0, errors.New("hmtx table too short")
	}
	adv := make([]uint16, len(ids))
	lsb := make([]uint16, len(ids))
	for i, g := range ids {
		if int(g) < nhm {
			adv[i], lsb[i] = u16(hmtx[4*int(g):]), u16(hmtx[4*int(g)+2:])
		} else {
			adv[i], lsb[i] = u16(hmtx[4*(nhm-1):]), u16(hmtx[4*nhm+2*(int(g)-nhm):])
		}
	}
	n := len(ids)
	for n > 1 && adv[n-1] == adv[n-2] {
		n--
	}
	out := make([]byte, 0, 4*n+2*(len(ids)-n))
	for i := range ids {
		if i < n {
			out = binary.BigEndian.AppendUint16(out, adv[i])
		}
		out = binary.BigEndian.AppendUint16(out, lsb[i])
	}
	return out, n, nil
}

// cmapRun is a range of consecutive characters mapped to consecutive
// glyphs, starting at glyph g: a format 4 segment or a format 12 group.
type cmapRun struct {
	start, end rune
	g          uint16
}

// cmapRuns groups entries sorted by character into runs.
func cmapRuns(entries []cmapEntry) []cmapRun {
	var runs []cmapRun
	for _, e := range entries {
		if n := len(runs); n > 0 {
			last := &runs[n-1]
			if e.r == last.end+1 && rune(e.g) == rune(last.g)+(e.r-last.start) {
				last.end = e.r
				continue
			}
		}
		runs = append(runs, cmapRun{e.r, e.r, e.g})
	}
	return runs
}

// buildCmap writes cmap (OpenType spec, cmap): a format 4 subtable for
// the BMP under platform 3 encoding 1 and, when a character lies beyond
// U+FFFF, a format 12 subtable for all of them under encoding 10.
func buildCmap(entries []cmapEntry) ([]byte, error) {
	i, _ := slices.BinarySearchFunc(entries, rune(0x10000), func(e cmapEntry, r rune) int { return int(e.r - r) })
	bmp := entries[:i]
	f4, err := cmapFormat4(bmp)
	if err != nil {
		return nil, err
	}
	subtables := [][]byte{f4}
	encodings := []uint16{1}
	if len(bmp) < len(entries) {
		subtables = append(subtables, cmapFormat12(entries))
		encodings = append(encodings, 10)
	}
	cmap := binary.BigEndian.AppendUint16(nil, 0)
	cmap = binary.BigEndian.AppendUint16(cmap, uint16(len(subtables)))
	off := 4 + 8*len(subtables)
	for i, st := range subtables {
		cmap = binary.BigEndian.AppendUint16(cmap, 3)
		cmap = binary.BigEndian.AppendUint16(cmap, encodings[i])
		cmap = binary.BigEndian.AppendUint32(cmap, uint32(off))
		off += len(st)
	}
	for _, st := range subtables {
		cmap = append(cmap, st...)
	}
	return cmap, nil
}

// cmapFormat4 writes a segment mapping to delta values: every segment
// maps through idDelta alone (idRangeOffset 0), and the required final
// segment 0xFFFF maps to .notdef.
func cmapFormat4(bmp []cmapEntry) ([]byte, error) {
	runs := append(cmapRuns(bmp), cmapRun{0xFFFF, 0xFFFF, 0})
	segs := len(runs)
	length := 16 + 8*segs
	if length > 0xFFFF {
		return nil, fmt.Errorf("%d cmap segments do not fit a format 4 subtable", segs)
	}
	entrySelector := bits.Len(uint(segs)) - 1
	searchRange := 2 << entrySelector
	b := make([]byte, 0, length)
	for _, v := range []int{4, length, 0, 2 * segs, searchRange, entrySelector, 2*segs - searchRange} {
		b = binary.BigEndian.AppendUint16(b, uint16(v))
	}
	for _, r := range runs {
		b = binary.BigEndian.AppendUint16(b, uint16(r.end))
	}
	b = binary.BigEndian.AppendUint16(b, 0) // reservedPad
	for _, r := range runs {
		b = binary.BigEndian.AppendUint16(b, uint16(r.start))
	}
	for _, r := range runs {
		b = binary.BigEndian.AppendUint16(b, r.g-uint16(r.start)) // idDelta, modulo 65536
	}
	return append(b, make([]byte, 2*segs)...), nil // idRangeOffset
}

// cmapFormat12 writes a segmented coverage subtable for all entries.
func cmapFormat12(entries []cmapEntry) []byte {
	runs := cmapRuns(entries)
	b := binary.BigEndian.AppendUint16(nil, 12)
	b = binary.BigEndian.AppendUint16(b, 0)
	b = binary.BigEndian.AppendUint32(b, uint32(16+12*len(runs)))
	b = binary.BigEndian.AppendUint32(b, 0) // language
	b = binary.BigEndian.AppendUint32(b, uint32(len(runs)))
	for _, r := range runs {
		b = binary.BigEndian.AppendUint32(b, uint32(r.start))
		b = binary.BigEndian.AppendUint32(b, uint32(r.end))
		b = binary.BigEndian.AppendUint32(b, uint32(r.g))
	}
	return b
}

// Name IDs (OpenType spec, name, "Name IDs") that renameFont rewrites.
const (
	nameIDFamily     = 1
	nameIDUniqueID   = 3
	nameIDFull       = 4
	nameIDPostScript = 6
	nameIDTypoFamily = 16
)

// dropOnRename are name IDs that would still carry the old name after
// renaming: typographic and WWS family and subfamily, the compatible full
// name, the PostScript CID findfont name and the variations PostScript
// name prefix. IDs 256 and up are dropped too: only fvar and STAT, which
// Subset drops, refer to them.
var dropOnRename = map[uint16]bool{16: true, 17: true, 18: true, 20: true, 21: true, 22: true, 25: true}

type nameRecord struct {
	platform, encoding, language, id uint16
	value                            []byte
}

// renameFont rewrites the name table as format 0 with family and full
// name set to family and unique ID and PostScript name to its PostScript
// form. Records that cannot encode the new name are dropped.
func renameFont(name []byte, family string) ([]byte, error) {
	ps := postScriptName(family)
	if ps == "" {
		return nil, fmt.Errorf("family name %q has no characters allowed in a PostScript name", family)
	}
	recs, err := parseName(name)
	if err != nil {
		return nil, err
	}
	var out []nameRecord
	for _, r := range recs {
		var ok bool
		switch {
		case r.id >= 256 || dropOnRename[r.id]:
			continue
		case r.id == nameIDFamily || r.id == nameIDFull:
			r.value, ok = encodeName(r.platform, r.encoding, family)
		case r.id == nameIDUniqueID || r.id == nameIDPostScript:
			r.value, ok = encodeName(r.platform, r.encoding, ps)
		default:
			ok = true
		}
		if ok {
			out = append(out, r)
		}
	}
	return writeName(out)
}

// postScriptName derives name ID 6 from a family name: printable ASCII
// without spaces or the characters the spec forbids, at most 63 bytes.
func postScriptName(family string) string {
	var b strings.Builder
	for _, c := range family {
		if c > ' ' && c < 0x7F && !strings.ContainsRune("[](){}<>/%", c) && b.Len() < 63 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// parseName reads the name records of a format 0 or 1 name table. Records
// using format 1 language tags (languageID ≥ 0x8000) are skipped, since
// the table is written back as format 0.
func parseName(b []byte) ([]nameRecord, error) {
	count, storage := int(u16(b[2:])), int(u16(b[4:]))
	if 6+12*count > len(b) {
		return nil, errors.New("name records run past the name table")
	}
	recs := make([]nameRecord, 0, count)
	for i := range count {
		rec := b[6+12*i:]
		r := nameRecord{platform: u16(rec), encoding: u16(rec[2:]), language: u16(rec[4:]), id: u16(rec[6:])}
		start := storage + int(u16(rec[10:]))
		end := start + int(u16(rec[8:]))
		if end > len(b) {
			return nil, fmt.Errorf("name record %d runs past the name table", r.id)
		}
		if r.language < 0x8000 {
			r.value = b[start:end:end]
			recs = append(recs, r)
		}
	}
	return recs, nil
}

// encodeName encodes s for a name record's platform and encoding: UTF-16BE
// for Unicode and Windows Unicode records, ASCII for Macintosh Roman.
func encodeName(platform, encoding uint16, s string) ([]byte, bool) {
	switch {
	case platform == 0, platform == 3 && (encoding == 0 || encoding == 1 || encoding == 10):
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.BigEndian.AppendUint16(b, u)
		}
		return b, true
	case platform == 1 && encoding == 0:
		for _, c := range []byte(s) {
			if c >= 0x80 {
				return nil, false
			}
		}
		return []byte(s), true
	}
	return nil, false
}

// writeName writes a format 0 name table with records in the order the
// spec requires: platform, encoding, language, name ID.
func writeName(recs []nameRecord) ([]byte, error) {
	slices.SortStableFunc(recs, func(a, b nameRecord) int {
		for _, d := range [][2]uint16{{a.platform, b.platform}, {a.encoding, b.encoding}, {a.language, b.language}, {a.id, b.id}} {
			if d[0] != d[1] {
				return int(d[0]) - int(d[1])
			}
		}
		return 0
	})
	storage := 6 + 12*len(recs)
	b := binary.BigEndian.AppendUint16(nil, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(len(recs)))
	b = binary.BigEndian.AppendUint16(b, uint16(storage))
	var strs []byte
	for _, r := range recs {
		if len(strs) > 0xFFFF || len(r.value) > 0xFFFF {
			return nil, errors.New("name table strings exceed 64 KB")
		}
		for _, v := range []uint16{r.platform, r.encoding, r.language, r.id, uint16(len(r.value)), uint16(len(strs))} {
			b = binary.BigEndian.AppendUint16(b, v)
		}
		strs = append(strs, r.value...)
	}
	return append(b, strs...), nil
}

// patchOS2 copies OS/2 with usFirstCharIndex and usLastCharIndex (OpenType
// spec, OS/2) narrowed to the characters kept, capped at 0xFFFF as the
// spec says.
func patchOS2(os2 []byte, entries []cmapEntry) []byte {
	b := slices.Clone(os2)
	if len(entries) > 0 {
		binary.BigEndian.PutUint16(b[64:], uint16(min(entries[0].r, 0xFFFF)))
		binary.BigEndian.PutUint16(b[66:], uint16(min(entries[len(entries)-1].r, 0xFFFF)))
	}
	return b
}

// patchHead copies head (OpenType spec, head) with the new
// indexToLocFormat and checkSumAdjustment zeroed, as it must be while
// table checksums are computed.
func patchHead(head []byte, longLoca bool) []byte {
	b := slices.Clone(head)
	binary.BigEndian.PutUint32(b[8:], 0)
	var format uint16
	if longLoca {
		format = 1
	}
	binary.BigEndian.PutUint16(b[50:], format)
	return b
}

// patchU16 copies a table with the uint16 at off set to v: numGlyphs in
// maxp, numberOfHMetrics in hhea.
func patchU16(t []byte, off, v int) []byte {
	b := slices.Clone(t)
	binary.BigEndian.PutUint16(b[off:], uint16(v))
	return b
}

// post3 keeps the post header as version 3.0 (OpenType spec, post): glyph
// names would have to follow the renumbering and are not needed.
func post3(post []byte) []byte {
	b := slices.Clone(post[:32])
	binary.BigEndian.PutUint32(b, 0x00030000)
	return b
}

// writeSFNT lays out a TrueType sfnt (OpenType spec, "Organization of an
// OpenType Font"): the table directory sorted by tag with its binary
// search fields, each table 4-byte aligned and checksummed, and finally
// head.checkSumAdjustment so the whole file sums to 0xB1B0AFBA. tables
// must hold head.
func writeSFNT(tables map[string][]byte, version uint32) []byte {
	tags := slices.Sorted(maps.Keys(tables))
	n := len(tags)
	size := 12 + 16*n
	for _, t := range tables {
		size += pad4(len(t))
	}
	entrySelector := bits.Len(uint(n)) - 1
	searchRange := 16 << entrySelector
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out, version)
	for i, v := range []int{n, searchRange, entrySelector, 16*n - searchRange} {
		binary.BigEndian.PutUint16(out[4+2*i:], uint16(v))
	}
	headAt := 0
	for i, tag := range tags {
		t := tables[tag]
		off := len(out)
		out = append(out, t...)
		out = out[:off+pad4(len(t))] // fresh capacity is zeroed
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(out[off:]))
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t)))
		if tag == "head" {
			headAt = off
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

// checksum sums b as big-endian uint32s; len(b) must be a multiple of 4.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i+4 <= len(b); i += 4 {
		sum += u32(b[i:])
	}
	return sum
}

// pad4 rounds n up to a multiple of 4.
func pad4(n int) int { return (n + 3) &^ 3 }

func u16(b []byte) uint16 { return binary.BigEndian.Uint16(b) }
func u32(b []byte) uint32 { return binary.BigEndian.Uint32(b) }
