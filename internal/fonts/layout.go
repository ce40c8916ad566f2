package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// LayoutFeatures are the OpenType features Subset keeps with
// SubsetOptions.Layout: what a reading system needs to set Chinese text
// as the print edition does (docs/typesetting.md §7.2).
//
//   - halt, vhal: half-width punctuation, which CSS text-spacing-trim
//     applies to adjacent marks and marks at a line's start;
//   - chws, vchw: the same, decided by the font for each pair of marks;
//   - vert, vrt2: the vertical forms of punctuation and brackets;
//   - locl: the Simplified Chinese forms in a face made for several
//     regions;
//   - kern, vkrn: kerning of Latin text.
var LayoutFeatures = []string{"chws", "halt", "kern", "locl", "vchw", "vert", "vhal", "vkrn", "vrt2"}

// Lookup types (OpenType spec, GSUB and GPOS) that subsetLayout reads.
// Lookups of other types in the features kept are left out: a feature
// then does less, never something wrong.
const (
	gsubSingle    = 1
	gsubChain     = 6
	gsubExtension = 7
	gposSingle    = 1
	gposPair      = 2
	gposChain     = 8
	gposExtension = 9
)

// Lookup flag (OpenType spec, "Lookup Table"): a mark filtering set
// follows the subtable offsets.
const useMarkFilteringSet = 0x0010

// malformed is what the layout readers panic with on a table that runs
// short; subsetLayout recovers it, and only it, as an error.
type malformed string

func (m malformed) Error() string { return string(m) }

func get16(b []byte, off int) int {
	if off < 0 || off+2 > len(b) {
		panic(malformed("layout table truncated"))
	}
	return int(binary.BigEndian.Uint16(b[off:]))
}

func get32(b []byte, off int) int {
	if off < 0 || off+4 > len(b) {
		panic(malformed("layout table truncated"))
	}
	return int(binary.BigEndian.Uint32(b[off:]))
}

// count reads the number of records of size bytes that follow it at
// off, checking that they lie within b.
func count(b []byte, off, size int) int {
	n := get16(b, off)
	if off+2+n*size > len(b) {
		panic(malformed("layout records run past the table"))
	}
	return n
}

// index reads an index at off that must be below n.
func index(b []byte, off, n int) int {
	i := get16(b, off)
	if i >= n {
		panic(malformed("layout index out of range"))
	}
	return i
}

// tagAt is the four-byte tag at off.
func tagAt(b []byte, off int) string {
	get32(b, off)
	return string(b[off : off+4])
}

// recoverLayout, deferred, turns a panic of the layout readers and
// writers (a malformed table, an offset overflow) into *err; any other
// panic goes on.
func recoverLayout(err *error) {
	if r := recover(); r != nil {
		e, ok := r.(error)
		if !ok || !(errors.Is(e, errOverflow) || errors.As(e, new(malformed))) {
			panic(r)
		}
		*err = e
	}
}

// from is b from off on.
func from(b []byte, off int) []byte {
	if off < 0 || off > len(b) {
		panic(malformed("layout offset out of range"))
	}
	return b[off:]
}

// otLayout is a GSUB or GPOS table (OpenType spec, "OpenType Layout
// Common Table Formats"): its scripts and features, and the lookups of
// the features kept, parsed.
type otLayout struct {
	gpos     bool
	scripts  []otScript
	features []otFeature
	lookups  map[int]*otLookup // by index in the source font
}

type otScript struct {
	tag   string
	def   *otLangSys
	langs []otLang
}

type otLang struct {
	tag string
	sys otLangSys
}

type otLangSys struct {
	required int // a feature index, or -1
	features []int
}

type otFeature struct {
	tag     string
	lookups []int
	keep    bool
}

type otLookup struct {
	typ, flag, markSet int
	subtables          []otSubtable
}

// otSubtable is a lookup subtable of a kind subsetLayout reads: it adds
// the glyphs it substitutes to a closure and writes itself for the
// glyphs kept, or nil when none of its rules is left.
type otSubtable interface {
	close(keep []bool, add func(uint16))
	encode(m *glyphMap) []byte
}

// noSubstitution is embedded in the subtables that substitute nothing:
// a positioning adds no glyph, and the lookups a chained context calls
// are closed over on their own.
type noSubstitution struct{}

func (noSubstitution) close([]bool, func(uint16)) {}

// glyphMap maps the source font's glyphs to the subset's.
type glyphMap struct {
	newID   []uint16
	kept    []bool
	lookups map[int]int // source lookup index → the subset's
}

func (m *glyphMap) has(g int) bool { return g < len(m.kept) && m.kept[g] }

// parseLayout reads table t (GSUB, or GPOS when gpos) and the lookups of
// the features LayoutFeatures names, with the lookups those call.
func parseLayout(t []byte, gpos bool) (l *otLayout, err error) {
	defer recoverLayout(&err)
	if v := get32(t, 0); v != 0x00010000 && v != 0x00010001 {
		return nil, fmt.Errorf("layout table version %#x", v)
	}
	l = &otLayout{gpos: gpos, lookups: map[int]*otLookup{}}
	ll := from(t, get16(t, 8))
	numLookups := count(ll, 0, 2)
	fl := from(t, get16(t, 6))
	for i := range count(fl, 0, 6) {
		rec := 2 + 6*i
		f := from(fl, get16(fl, rec+4))
		tag := tagAt(fl, rec)
		ft := otFeature{tag: tag, keep: slices.Contains(LayoutFeatures, tag)}
		for j := range count(f, 2, 2) {
			ft.lookups = append(ft.lookups, index(f, 4+2*j, numLookups))
		}
		l.features = append(l.features, ft)
	}
	l.scripts = parseScripts(from(t, get16(t, 4)), len(l.features))
	var queue []int
	for _, f := range l.features {
		if f.keep {
			queue = append(queue, f.lookups...)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		if _, done := l.lookups[i]; done || i >= numLookups {
			continue
		}
		lk := l.parseLookup(from(ll, get16(ll, 2+2*i)))
		l.lookups[i] = lk
		for _, st := range lk.subtables {
			if c, ok := st.(*chainContext); ok {
				for _, r := range c.records {
					queue = append(queue, r[1])
				}
			}
		}
	}
	return l, nil
}

// parseScripts reads a script list whose language systems name features
// below numFeatures.
func parseScripts(sl []byte, numFeatures int) []otScript {
	var scripts []otScript
	for i := range count(sl, 0, 6) {
		rec := 2 + 6*i
		s := from(sl, get16(sl, rec+4))
		sc := otScript{tag: tagAt(sl, rec)}
		if off := get16(s, 0); off != 0 {
			ls := parseLangSys(from(s, off), numFeatures)
			sc.def = &ls
		}
		for j := range count(s, 2, 6) {
			lrec := 4 + 6*j
			sc.langs = append(sc.langs, otLang{tag: tagAt(s, lrec), sys: parseLangSys(from(s, get16(s, lrec+4)), numFeatures)})
		}
		scripts = append(scripts, sc)
	}
	return scripts
}

func parseLangSys(b []byte, numFeatures int) otLangSys {
	ls := otLangSys{required: get16(b, 2)}
	if ls.required == 0xFFFF {
		ls.required = -1
	} else if ls.required >= numFeatures {
		panic(malformed("feature index out of range"))
	}
	for i := range count(b, 4, 2) {
		ls.features = append(ls.features, index(b, 6+2*i, numFeatures))
	}
	return ls
}

// parseLookup reads a lookup, unwrapping extension subtables; subtables
// of kinds not read are left out.
func (l *otLayout) parseLookup(b []byte) *otLookup {
	lk := &otLookup{typ: get16(b, 0), flag: get16(b, 2)}
	n := count(b, 4, 2)
	if lk.flag&useMarkFilteringSet != 0 {
		lk.markSet = get16(b, 6+2*n)
	}
	ext := gsubExtension
	if l.gpos {
		ext = gposExtension
	}
	declared := lk.typ
	for i := range n {
		st := from(b, get16(b, 6+2*i))
		if declared == ext {
			lk.typ = get16(st, 2)
			st = from(st, get32(st, 4))
		}
		if s := l.parseSubtable(lk.typ, st); s != nil {
			lk.subtables = append(lk.subtables, s)
		}
	}
	return lk
}

func (l *otLayout) parseSubtable(typ int, b []byte) otSubtable {
	format := get16(b, 0)
	switch {
	case !l.gpos && typ == gsubSingle:
		return parseSingleSubst(b, format)
	case l.gpos && typ == gposSingle:
		return parseSinglePos(b, format)
	case l.gpos && typ == gposPair && format == 1:
		return parsePairGlyphs(b)
	case l.gpos && typ == gposPair && format == 2:
		return parsePairClasses(b)
	case (!l.gpos && typ == gsubChain || l.gpos && typ == gposChain) && format == 3:
		return parseChainContext(b)
	}
	return nil
}

// parseCoverage returns the glyphs of a coverage table in coverage index
// order.
func parseCoverage(b []byte) []uint16 {
	var gs []uint16
	switch get16(b, 0) {
	case 1:
		for i := range count(b, 2, 2) {
			gs = append(gs, uint16(get16(b, 4+2*i)))
		}
	case 2:
		next := 0
		for i := range count(b, 2, 6) {
			r := 4 + 6*i
			next = checkRange(get16(b, r), get16(b, r+2), next)
			for g := get16(b, r); g <= get16(b, r+2); g++ {
				gs = append(gs, uint16(g))
			}
		}
	default:
		panic(malformed("unknown coverage format"))
	}
	return gs
}

// checkRange checks that a range of glyphs start…end follows the ranges
// before it, which end before next, and returns the next free glyph: a
// table's ranges are sorted and do not overlap, and so list each glyph
// at most once.
func checkRange(start, end, next int) int {
	if start < next || end < start {
		panic(malformed("glyph ranges out of order"))
	}
	return end + 1
}

// parseClassDef returns the class of each glyph a class definition
// table lists; the others are in class 0.
func parseClassDef(b []byte) map[uint16]int {
	classes := map[uint16]int{}
	switch get16(b, 0) {
	case 1:
		start := get16(b, 2)
		for i := range count(b, 4, 2) {
			classes[uint16(start+i)] = get16(b, 6+2*i)
		}
	case 2:
		next := 0
		for i := range count(b, 2, 6) {
			r := 4 + 6*i
			next = checkRange(get16(b, r), get16(b, r+2), next)
			for g := get16(b, r); g <= get16(b, r+2); g++ {
				classes[uint16(g)] = get16(b, r+4)
			}
		}
	default:
		panic(malformed("unknown class definition format"))
	}
	return classes
}

// encodeCoverage writes a coverage table of the subset's glyphs gs,
// sorted and distinct: as a list or as ranges, whichever is shorter.
func encodeCoverage(gs []uint16) []byte {
	var ranges [][2]uint16
	for _, g := range gs {
		if n := len(ranges); n > 0 && ranges[n-1][1]+1 == g {
			ranges[n-1][1] = g
		} else {
			ranges = append(ranges, [2]uint16{g, g})
		}
	}
	if 3*len(ranges) < len(gs) {
		b := put16(nil, 2, len(ranges))
		index := 0
		for _, r := range ranges {
			b = put16(b, int(r[0]), int(r[1]), index)
			index += int(r[1]-r[0]) + 1
		}
		return b
	}
	b := put16(nil, 1, len(gs))
	for _, g := range gs {
		b = put16(b, int(g))
	}
	return b
}

// encodeClassDef writes a format 2 class definition of the subset's
// glyphs with a class other than 0.
func encodeClassDef(classes map[uint16]int) []byte {
	gs := slices.Sorted(maps.Keys(classes))
	var ranges [][3]int
	for _, g := range gs {
		c := classes[g]
		if c == 0 {
			continue
		}
		if n := len(ranges); n > 0 && ranges[n-1][1]+1 == int(g) && ranges[n-1][2] == c {
			ranges[n-1][1]++
		} else {
			ranges = append(ranges, [3]int{int(g), int(g), c})
		}
	}
	b := put16(nil, 2, len(ranges))
	for _, r := range ranges {
		b = put16(b, r[0], r[1], r[2])
	}
	return b
}

func put16(b []byte, vs ...int) []byte {
	for _, v := range vs {
		b = binary.BigEndian.AppendUint16(b, uint16(v))
	}
	return b
}

// errOverflow is returned when a table's offsets do not fit 16 bits.
var errOverflow = errors.New("layout table too large for its 16-bit offsets")

// withChildren appends each child to head and writes its offset from the
// start of head at the matching position in at (children of nil length
// get offset 0).
func withChildren(head []byte, at []int, children [][]byte) []byte {
	b := head
	for i, c := range children {
		if c == nil {
			continue
		}
		if len(b) > 0xFFFF {
			panic(errOverflow)
		}
		binary.BigEndian.PutUint16(b[at[i]:], uint16(len(b)))
		b = append(b, c...)
	}
	return b
}

// kept returns the subset's ids of the glyphs of gs the subset keeps,
// sorted, and for each the index in gs it came from.
func (m *glyphMap) keptOf(gs []uint16) (ids []uint16, index []int) {
	order := make([]int, 0, len(gs))
	for i, g := range gs {
		if m.has(int(g)) {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return int(m.newID[gs[a]]) - int(m.newID[gs[b]]) })
	order = slices.CompactFunc(order, func(a, b int) bool { return gs[a] == gs[b] })
	ids = make([]uint16, len(order))
	for i, o := range order {
		ids[i] = m.newID[gs[o]]
	}
	return ids, order
}

// singleSubst is a single substitution (GSUB type 1, both formats).
type singleSubst struct{ from, to []uint16 }

func parseSingleSubst(b []byte, format int) otSubtable {
	s := &singleSubst{from: parseCoverage(from(b, get16(b, 2)))}
	for i, g := range s.from {
		switch format {
		case 1:
			s.to = append(s.to, uint16(int(g)+get16(b, 4))) // modulo 65536
		case 2:
			s.to = append(s.to, uint16(get16(b, 6+2*i)))
		default:
			return nil
		}
	}
	return s
}

func (s *singleSubst) close(keep []bool, add func(uint16)) {
	for i, g := range s.from {
		if int(g) < len(keep) && keep[g] {
			add(s.to[i])
		}
	}
}

func (s *singleSubst) encode(m *glyphMap) []byte {
	ids, index := m.keptOf(s.from)
	if len(ids) == 0 {
		return nil
	}
	head := put16(nil, 2, 0, len(ids))
	for _, i := range index {
		head = put16(head, int(m.newID[s.to[i]]))
	}
	return withChildren(head, []int{2}, [][]byte{encodeCoverage(ids)})
}

// valueRecord is a GPOS value record's placement and advance adjustments
// (x and y placement, x and y advance); device tables are not kept.
type valueRecord [4]int16

func valueSize(format int) int { return 2 * popcount(format) }

func popcount(v int) int {
	n := 0
	for ; v != 0; v &= v - 1 {
		n++
	}
	return n
}

func parseValue(b []byte, off, format int) valueRecord {
	var v valueRecord
	for bit := range 4 {
		if format&(1<<bit) != 0 {
			v[bit] = int16(get16(b, off))
			off += 2
		}
	}
	return v
}

// encodeValue writes v in format, which holds no device table.
func encodeValue(b []byte, v valueRecord, format int) []byte {
	for bit := range 4 {
		if format&(1<<bit) != 0 {
			b = put16(b, int(uint16(v[bit])))
		}
	}
	return b
}

// singlePos is a single adjustment (GPOS type 1, both formats).
type singlePos struct {
	noSubstitution
	format int // value format, device tables dropped
	glyphs []uint16
	values []valueRecord
}

func parseSinglePos(b []byte, format int) otSubtable {
	vf := get16(b, 4)
	s := &singlePos{format: vf & 0xF, glyphs: parseCoverage(from(b, get16(b, 2)))}
	for i := range s.glyphs {
		switch format {
		case 1:
			s.values = append(s.values, parseValue(b, 6, vf))
		case 2:
			s.values = append(s.values, parseValue(b, 8+i*valueSize(vf), vf))
		default:
			return nil
		}
	}
	return s
}

func (s *singlePos) encode(m *glyphMap) []byte {
	ids, index := m.keptOf(s.glyphs)
	if len(ids) == 0 {
		return nil
	}
	same := true
	for _, i := range index {
		same = same && s.values[i] == s.values[index[0]]
	}
	cov := [][]byte{encodeCoverage(ids)}
	if same {
		return withChildren(encodeValue(put16(nil, 1, 0, s.format), s.values[index[0]], s.format), []int{2}, cov)
	}
	head := put16(nil, 2, 0, s.format, len(ids))
	for _, i := range index {
		head = encodeValue(head, s.values[i], s.format)
	}
	return withChildren(head, []int{2}, cov)
}

// pairGlyphs is a pair adjustment by glyph pairs (GPOS type 2 format 1).
type pairGlyphs struct {
	noSubstitution
	f1, f2 int
	first  []uint16
	sets   [][]pairValue
}

type pairValue struct {
	second uint16
	v1, v2 valueRecord
}

func parsePairGlyphs(b []byte) otSubtable {
	vf1, vf2 := get16(b, 4), get16(b, 6)
	p := &pairGlyphs{f1: vf1 & 0xF, f2: vf2 & 0xF, first: parseCoverage(from(b, get16(b, 2)))}
	size := 2 + valueSize(vf1) + valueSize(vf2)
	if count(b, 8, 2) != len(p.first) {
		panic(malformed("pair sets do not match their coverage"))
	}
	for i := range p.first {
		ps := from(b, get16(b, 10+2*i))
		var set []pairValue
		for j := range count(ps, 0, size) {
			r := 2 + j*size
			set = append(set, pairValue{uint16(get16(ps, r)), parseValue(ps, r+2, vf1), parseValue(ps, r+2+valueSize(vf1), vf2)})
		}
		p.sets = append(p.sets, set)
	}
	return p
}

func (p *pairGlyphs) encode(m *glyphMap) []byte {
	ids, index := m.keptOf(p.first)
	var firsts []uint16
	var sets [][]byte
	for k, i := range index {
		var kept []pairValue
		for _, pv := range p.sets[i] {
			if m.has(int(pv.second)) {
				kept = append(kept, pairValue{m.newID[pv.second], pv.v1, pv.v2})
			}
		}
		if len(kept) == 0 {
			continue
		}
		slices.SortFunc(kept, func(a, b pairValue) int { return int(a.second) - int(b.second) })
		set := put16(nil, len(kept))
		for _, pv := range kept {
			set = encodeValue(encodeValue(put16(set, int(pv.second)), pv.v1, p.f1), pv.v2, p.f2)
		}
		firsts = append(firsts, ids[k])
		sets = append(sets, set)
	}
	if len(firsts) == 0 {
		return nil
	}
	head := put16(nil, 1, 0, p.f1, p.f2, len(sets))
	at := []int{2}
	for i := range sets {
		head = put16(head, 0)
		at = append(at, 10+2*i)
	}
	return withChildren(head, at, append([][]byte{encodeCoverage(firsts)}, sets...))
}

// pairClasses is a pair adjustment by classes of glyphs (GPOS type 2
// format 2).
type pairClasses struct {
	noSubstitution
	f1, f2         int
	first          []uint16
	class1, class2 map[uint16]int
	values         [][][2]valueRecord // by class 1, then class 2
}

func parsePairClasses(b []byte) otSubtable {
	vf1, vf2 := get16(b, 4), get16(b, 6)
	p := &pairClasses{f1: vf1 & 0xF, f2: vf2 & 0xF, first: parseCoverage(from(b, get16(b, 2))),
		class1: parseClassDef(from(b, get16(b, 8))), class2: parseClassDef(from(b, get16(b, 10)))}
	n1, n2 := get16(b, 12), get16(b, 14)
	size := valueSize(vf1) + valueSize(vf2)
	if 16+n1*n2*size > len(b) {
		panic(malformed("pair values run past the table"))
	}
	for i := range n1 {
		row := make([][2]valueRecord, n2)
		for j := range n2 {
			r := 16 + (i*n2+j)*size
			row[j] = [2]valueRecord{parseValue(b, r, vf1), parseValue(b, r+valueSize(vf1), vf2)}
		}
		p.values = append(p.values, row)
	}
	return p
}

// encode keeps the classes some glyph of the subset is in, renumbered in
// order; class 0 (every glyph not listed) stays.
func (p *pairClasses) encode(m *glyphMap) []byte {
	ids, index := m.keptOf(p.first)
	if len(ids) == 0 {
		return nil
	}
	rows, cols := []int{0}, []int{0}
	newClass := func(old int, order *[]int) int {
		if i := slices.Index(*order, old); i >= 0 {
			return i
		}
		*order = append(*order, old)
		return len(*order) - 1
	}
	c1 := map[uint16]int{}
	for k, i := range index {
		c1[ids[k]] = newClass(p.class1[p.first[i]], &rows)
	}
	c2 := map[uint16]int{}
	for _, g := range slices.Sorted(maps.Keys(p.class2)) {
		if m.has(int(g)) && p.class2[g] != 0 {
			c2[m.newID[g]] = newClass(p.class2[g], &cols)
		}
	}
	if len(cols) == 1 {
		return nil // no second glyph left
	}
	head := put16(nil, 2, 0, p.f1, p.f2, 0, 0, len(rows), len(cols))
	for _, r := range rows {
		for _, c := range cols {
			if r >= len(p.values) || c >= len(p.values[r]) {
				panic(malformed("pair class out of range"))
			}
			head = encodeValue(encodeValue(head, p.values[r][c][0], p.f1), p.values[r][c][1], p.f2)
		}
	}
	return withChildren(head, []int{2, 8, 10}, [][]byte{encodeCoverage(ids), encodeClassDef(c1), encodeClassDef(c2)})
}

// chainContext is a chained contexts lookup by coverages (GSUB type 6
// and GPOS type 8, format 3): a sequence of glyph sets and the lookups
// applied at positions of it.
type chainContext struct {
	noSubstitution
	back, input, ahead [][]uint16
	records            [][2]int // sequence index, lookup index
}

func parseChainContext(b []byte) otSubtable {
	c := &chainContext{}
	off := 2
	for _, seq := range []*[][]uint16{&c.back, &c.input, &c.ahead} {
		n := count(b, off, 2)
		for i := range n {
			*seq = append(*seq, parseCoverage(from(b, get16(b, off+2+2*i))))
		}
		off += 2 + 2*n
	}
	for i := range count(b, off, 4) {
		c.records = append(c.records, [2]int{get16(b, off+2+4*i), get16(b, off+4+4*i)})
	}
	return c
}

func (c *chainContext) encode(m *glyphMap) []byte {
	var covs [][]byte
	var at []int
	head := put16(nil, 3)
	for _, seq := range [][][]uint16{c.back, c.input, c.ahead} {
		head = put16(head, len(seq))
		for _, gs := range seq {
			ids, _ := m.keptOf(gs)
			if len(ids) == 0 {
				return nil // the context can no longer match
			}
			at = append(at, len(head))
			head = put16(head, 0)
			covs = append(covs, encodeCoverage(ids))
		}
	}
	var recs [][2]int
	for _, r := range c.records {
		if l, ok := m.lookups[r[1]]; ok && r[0] < len(c.input) {
			recs = append(recs, [2]int{r[0], l})
		}
	}
	head = put16(head, len(recs))
	for _, r := range recs {
		head = put16(head, r[0], r[1])
	}
	return withChildren(head, at, covs)
}

// closeGlyphs adds to keep, until nothing changes, every glyph the kept
// substitutions make of glyphs kept, in any context.
func (l *otLayout) closeGlyphs(keep []bool) {
	for changed := true; changed; {
		changed = false
		add := func(g uint16) {
			if int(g) < len(keep) && !keep[g] {
				keep[g] = true
				changed = true
			}
		}
		for _, i := range slices.Sorted(maps.Keys(l.lookups)) {
			for _, st := range l.lookups[i].subtables {
				st.close(keep, add)
			}
		}
	}
}

// encode writes the table for the subset: the features kept, the
// lookups they use with their rules for the glyphs kept, and every
// script and language with the features kept. It returns nil when no
// feature is left.
func (l *otLayout) encode(m *glyphMap) (out []byte, err error) {
	defer recoverLayout(&err)
	m.lookups = map[int]int{}
	for _, i := range slices.Sorted(maps.Keys(l.lookups)) {
		m.lookups[i] = len(m.lookups)
	}
	// Features in tag order, as the spec asks.
	var order []int
	for i, f := range l.features {
		if f.keep {
			order = append(order, i)
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(l.features[a].tag, l.features[b].tag) })
	newFeature := map[int]int{}
	for n, i := range order {
		newFeature[i] = n
	}
	lookups, err := l.encodeLookups(m)
	if err != nil {
		return nil, err
	}
	scripts := l.encodeScripts(newFeature)
	features := put16(nil, len(order))
	var featureTables [][]byte
	for _, i := range order {
		f := l.features[i]
		features = append(features, f.tag...)
		features = put16(features, 0)
		var ls []int
		for _, li := range f.lookups {
			if n, ok := m.lookups[li]; ok {
				ls = append(ls, n)
			}
		}
		ft := put16(put16(nil, 0, len(ls)), ls...)
		featureTables = append(featureTables, ft)
	}
	at := make([]int, len(order))
	for i := range at {
		at[i] = 2 + 6*i + 4
	}
	features = withChildren(features, at, featureTables)
	head := put16(nil, 1, 0, 0, 0, 0)
	head = withChildren(head, []int{4, 6}, [][]byte{scripts, features})
	if len(head) > 0xFFFF {
		return nil, errOverflow
	}
	binary.BigEndian.PutUint16(head[8:], uint16(len(head)))
	return append(head, lookups...), nil
}

func (l *otLayout) encodeScripts(newFeature map[int]int) []byte {
	langSys := func(ls otLangSys) []byte {
		req := 0xFFFF
		if n, ok := newFeature[ls.required]; ok && ls.required >= 0 {
			req = n
		}
		var fs []int
		for _, f := range ls.features {
			if n, ok := newFeature[f]; ok {
				fs = append(fs, n)
			}
		}
		return put16(put16(nil, 0, req, len(fs)), fs...)
	}
	head := put16(nil, len(l.scripts))
	var tables [][]byte
	var at []int
	for i, s := range l.scripts {
		head = put16(append(head, s.tag...), 0)
		at = append(at, 2+6*i+4)
		st := put16(nil, 0, len(s.langs))
		children := [][]byte{nil}
		if s.def != nil {
			children[0] = langSys(*s.def)
		}
		offs := []int{0}
		for j, lang := range s.langs {
			st = put16(append(st, lang.tag...), 0)
			offs = append(offs, 4+6*j+4)
			children = append(children, langSys(lang.sys))
		}
		tables = append(tables, withChildren(st, offs, children))
	}
	return withChildren(head, at, tables)
}

// encodeLookups writes the lookup list: each lookup followed by its
// subtables or, when that overflows 16-bit offsets, as extension lookups
// whose subtables come after all the lookups.
func (l *otLayout) encodeLookups(m *glyphMap) ([]byte, error) {
	keys := slices.Sorted(maps.Keys(l.lookups))
	subtables := make([][][]byte, len(keys))
	for k, i := range keys {
		for _, st := range l.lookups[i].subtables {
			if b := st.encode(m); b != nil {
				subtables[k] = append(subtables[k], b)
			}
		}
	}
	if out, err := l.writeLookups(keys, subtables, false); err == nil {
		return out, nil
	}
	return l.writeLookups(keys, subtables, true)
}

func (l *otLayout) writeLookups(keys []int, subtables [][][]byte, extension bool) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errOverflow {
				panic(r)
			}
			out, err = nil, errOverflow
		}
	}()
	ext := gsubExtension
	if l.gpos {
		ext = gposExtension
	}
	var lookups [][]byte
	var tail []byte   // extension subtables' targets, after all lookups
	var targets []int // where in tail each one's target starts
	for k, i := range keys {
		lk := l.lookups[i]
		typ, flag := lk.typ, lk.flag
		if extension {
			typ = ext
		}
		head := put16(nil, typ, flag, len(subtables[k]))
		at := make([]int, len(subtables[k]))
		for j := range at {
			at[j] = 6 + 2*j
			head = put16(head, 0)
		}
		if flag&useMarkFilteringSet != 0 {
			head = put16(head, lk.markSet)
		}
		children := subtables[k]
		if extension {
			children = nil
			for _, st := range subtables[k] {
				children = append(children, put16(nil, 1, lk.typ, 0, 0))
				targets = append(targets, len(tail))
				tail = append(tail, st...)
			}
		}
		lookups = append(lookups, withChildren(head, at, children))
	}
	list := put16(nil, len(lookups))
	at := make([]int, len(lookups))
	for i := range at {
		at[i] = 2 + 2*i
		list = put16(list, 0)
	}
	list = withChildren(list, at, lookups)
	if !extension {
		return list, nil
	}
	// Each extension subtable is 8 bytes at the end of its lookup; find
	// them again to point them at their targets after the list.
	n := 0
	for k, lk := range lookups {
		start := get16(list, 2+2*k)
		for j := range len(subtables[k]) {
			st := start + get16(lk, 6+2*j)
			binary.BigEndian.PutUint32(list[st+4:], uint32(len(list)-st+targets[n]))
			n++
		}
	}
	return append(list, tail...), nil
}

// subsetGDEF writes the glyph definition table (OpenType spec, GDEF) for
// the subset: glyph classes, mark attachment classes and mark glyph sets,
// which lookup flags refer to; attachment points and ligature carets are
// not kept.
func subsetGDEF(t []byte, m *glyphMap) (out []byte, err error) {
	defer recoverLayout(&err)
	version := get32(t, 0)
	classDef := func(off int) []byte {
		if off == 0 {
			return nil
		}
		classes := map[uint16]int{}
		for g, c := range parseClassDef(from(t, off)) {
			if m.has(int(g)) {
				classes[m.newID[g]] = c
			}
		}
		return encodeClassDef(classes)
	}
	children := [][]byte{classDef(get16(t, 4)), classDef(get16(t, 10))}
	head := put16(nil, 1, 0, 0, 0, 0, 0)
	var sets []byte
	if version >= 0x00010002 && get16(t, 12) != 0 {
		sets = markGlyphSets(from(t, get16(t, 12)), m)
		head = put16(nil, 1, 2, 0, 0, 0, 0, 0)
	}
	head = withChildren(head, []int{4, 10}, children)
	if sets != nil {
		if len(head) > 0xFFFF {
			return nil, errOverflow
		}
		binary.BigEndian.PutUint16(head[12:], uint16(len(head)))
		head = append(head, sets...)
	}
	return head, nil
}

// markGlyphSets subsets a mark glyph sets table, keeping every set (lookup
// flags refer to them by index).
func markGlyphSets(b []byte, m *glyphMap) []byte {
	n := count(b, 2, 4)
	head := put16(nil, 1, n)
	var covs [][]byte
	for i := range n {
		ids, _ := m.keptOf(parseCoverage(from(b, get32(b, 4+4*i))))
		covs = append(covs, encodeCoverage(ids))
		head = append(head, 0, 0, 0, 0)
	}
	for i, c := range covs {
		binary.BigEndian.PutUint32(head[4+4*i:], uint32(len(head)))
		head = append(head, c...)
	}
	return head
}

// subsetVORG writes the vertical origin table (OpenType spec, VORG) of a
// CFF face for the subset.
func subsetVORG(t []byte, ids []uint16) []byte {
	if len(t) < 8 {
		return nil
	}
	origin := map[uint16]int{}
	n := int(u16(t[6:]))
	for i := range n {
		if 8+4*i+4 > len(t) {
			return nil
		}
		origin[u16(t[8+4*i:])] = int(u16(t[10+4*i:]))
	}
	out := put16(slices.Clone(t[:6]), 0)
	count := 0
	for newID, g := range ids {
		if y, ok := origin[g]; ok {
			out = put16(out, newID, y)
			count++
		}
	}
	binary.BigEndian.PutUint16(out[6:], uint16(count))
	return out
}

// planLayout reads the face's GSUB and GPOS tables and returns them with
// the glyphs the substitutions kept reach from the characters' glyphs,
// in old id order. A table that cannot be read is left out: the text
// still sets, only without its features.
func planLayout(src map[string][]byte, entries []cmapEntry, numGlyphs int) (map[string]*otLayout, []uint16) {
	layouts := map[string]*otLayout{}
	for _, tag := range []string{"GSUB", "GPOS"} {
		if t, ok := src[tag]; ok {
			if l, err := parseLayout(t, tag == "GPOS"); err == nil {
				layouts[tag] = l
			}
		}
	}
	gsub := layouts["GSUB"]
	if gsub == nil || numGlyphs == 0 {
		return layouts, nil
	}
	keep := make([]bool, numGlyphs)
	keep[0] = true
	for _, e := range entries {
		if int(e.g) < numGlyphs {
			keep[e.g] = true
		}
	}
	start := slices.Clone(keep)
	gsub.closeGlyphs(keep)
	var extra []uint16
	for g, k := range keep {
		if k && !start[g] {
			extra = append(extra, uint16(g))
		}
	}
	return layouts, extra
}

// keepLayout adds to out the layout tables for the subset's glyphs ids
// and its vertical metrics. Tables that do not fit the subset (offsets
// past 16 bits) are left out, as those that could not be read.
func keepLayout(out, src map[string][]byte, layouts map[string]*otLayout, m *glyphMap, ids []uint16) {
	for tag, l := range layouts {
		if t, err := l.encode(m); err == nil && t != nil {
			out[tag] = t
		}
	}
	if t, ok := src["GDEF"]; ok && (out["GSUB"] != nil || out["GPOS"] != nil) {
		if g, err := subsetGDEF(t, m); err == nil {
			out["GDEF"] = g
		}
	}
	if vhea, vmtx := src["vhea"], src["vmtx"]; len(vhea) >= 36 && vmtx != nil {
		if v, n, err := buildHmtx(vhea, vmtx, len(m.kept), ids); err == nil {
			out["vhea"], out["vmtx"] = patchU16(vhea, 34, n), v
		}
	}
	if t, ok := src["VORG"]; ok {
		if v := subsetVORG(t, ids); v != nil {
			out["VORG"] = v
		}
	}
}
