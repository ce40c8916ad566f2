package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// This file reads and writes as much of the Compact Font Format (Adobe
// Technical Note #5176, "The Compact Font Format Specification") and of
// Type 2 charstrings (#5177) as subsetting needs. A subset is always
// written CID-keyed, with glyph i having CID i, so that a PDF can embed it
// as a CIDFontType0C font program drawn with the glyph numbers the text
// was written with, and with its charstrings freed of subroutines
// ("desubroutinized"), so that no subroutine index has to be renumbered.

// cffIndex is an INDEX (#5176 §5): count objects located by offsets.
type cffIndex struct {
	b       []byte // the whole CFF table
	count   int
	offSize int
	offsAt  int // the offset array
	dataAt  int // one before the first data byte: offsets count from 1
	end     int // the first byte after the INDEX
}

func readIndex(b []byte, at int) (cffIndex, error) {
	if at < 0 || at+2 > len(b) {
		return cffIndex{}, errors.New("CFF INDEX runs past the end of the table")
	}
	x := cffIndex{b: b, count: int(u16(b[at:])), end: at + 2}
	if x.count == 0 {
		return x, nil
	}
	if at+3 > len(b) {
		return cffIndex{}, errors.New("CFF INDEX runs past the end of the table")
	}
	x.offSize = int(b[at+2])
	if x.offSize < 1 || x.offSize > 4 {
		return cffIndex{}, fmt.Errorf("CFF INDEX offset size %d", x.offSize)
	}
	x.offsAt = at + 3
	x.dataAt = x.offsAt + (x.count+1)*x.offSize - 1
	if x.dataAt+1 > len(b) {
		return cffIndex{}, errors.New("CFF INDEX offsets run past the end of the table")
	}
	last := x.offset(x.count)
	if last < 1 || x.dataAt+last > len(b) {
		return cffIndex{}, errors.New("CFF INDEX data runs past the end of the table")
	}
	x.end = x.dataAt + last
	return x, nil
}

func (x cffIndex) offset(i int) int {
	v := 0
	for _, c := range x.b[x.offsAt+i*x.offSize : x.offsAt+(i+1)*x.offSize] {
		v = v<<8 | int(c)
	}
	return v
}

// get returns object i.
func (x cffIndex) get(i int) ([]byte, error) {
	if i < 0 || i >= x.count {
		return nil, fmt.Errorf("CFF INDEX has no object %d (it holds %d)", i, x.count)
	}
	s, e := x.offset(i), x.offset(i+1)
	if s < 1 || e < s || x.dataAt+e > x.end {
		return nil, fmt.Errorf("CFF INDEX object %d out of bounds", i)
	}
	return x.b[x.dataAt+s : x.dataAt+e : x.dataAt+e], nil
}

// writeIndex writes an INDEX holding objs.
func writeIndex(objs [][]byte) []byte {
	out := binary.BigEndian.AppendUint16(nil, uint16(len(objs)))
	if len(objs) == 0 {
		return out
	}
	total := 1
	for _, o := range objs {
		total += len(o)
	}
	offSize := 1
	for total>>(8*offSize) > 0 {
		offSize++
	}
	out = append(out, byte(offSize))
	off := 1
	for i := 0; i <= len(objs); i++ {
		for k := offSize - 1; k >= 0; k-- {
			out = append(out, byte(off>>(8*k)))
		}
		if i < len(objs) {
			off += len(objs[i])
		}
	}
	for _, o := range objs {
		out = append(out, o...)
	}
	return out
}

// DICT operators (#5176 Tables 9, 10 and 23); escaped ones are 12<<8|b.
const (
	opCharset        = 15
	opEncoding       = 16
	opCharStrings    = 17
	opPrivate        = 18
	opSubrs          = 19
	opUniqueID       = 13
	opXUID           = 14
	opCharstringType = 12<<8 | 6
	opSyntheticBase  = 12<<8 | 20
	opPostScript     = 12<<8 | 21
	opBaseFontName   = 12<<8 | 22
	opBaseFontBlend  = 12<<8 | 23
	opROS            = 12<<8 | 30
	opCIDCount       = 12<<8 | 34
	opUIDBase        = 12<<8 | 35
	opFDArray        = 12<<8 | 36
	opFDSelect       = 12<<8 | 37
)

// dictEntry is one DICT operator with its operands, kept as written.
type dictEntry struct {
	op   int
	args []byte
}

// parseDict splits a DICT (#5176 §4) into its entries.
func parseDict(b []byte) ([]dictEntry, error) {
	var out []dictEntry
	start := 0
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c <= 21:
			op := int(c)
			i++
			if c == 12 {
				if i >= len(b) {
					return nil, errors.New("CFF DICT ends inside an operator")
				}
				op = 12<<8 | int(b[i])
				i++
			}
			out = append(out, dictEntry{op: op, args: b[start : i-1-boolInt(c == 12)]})
			start = i
			continue
		case c == 30: // a real number: nibbles up to an 0xf nibble
			i++
			for i < len(b) && b[i]&0x0f != 0x0f && b[i]>>4 != 0x0f {
				i++
			}
			i++
		case c == 28:
			i += 3
		case c == 29:
			i += 5
		case c >= 32 && c <= 246:
			i++
		case c >= 247 && c <= 254:
			i += 2
		default:
			return nil, fmt.Errorf("CFF DICT holds reserved byte %d", c)
		}
		if i > len(b) {
			return nil, errors.New("CFF DICT ends inside an operand")
		}
	}
	if start != len(b) {
		return nil, errors.New("CFF DICT ends with operands and no operator")
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ints decodes an entry's integer operands; a real operand reads as 0,
// which no operand read here is.
func (e dictEntry) ints() []int {
	var out []int
	b := e.args
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == 28:
			out = append(out, int(int16(u16(b[i+1:]))))
			i += 3
		case c == 29:
			out = append(out, int(int32(u32(b[i+1:]))))
			i += 5
		case c == 30:
			for i++; i < len(b) && b[i]&0x0f != 0x0f && b[i]>>4 != 0x0f; i++ {
			}
			out = append(out, 0)
			i++
		case c >= 32 && c <= 246:
			out = append(out, int(c)-139)
			i++
		case c >= 247 && c <= 250:
			out = append(out, (int(c)-247)*256+int(b[i+1])+108)
			i += 2
		default: // 251…254
			out = append(out, -(int(c)-251)*256-int(b[i+1])-108)
			i += 2
		}
	}
	return out
}

func findEntry(d []dictEntry, op int) (dictEntry, bool) {
	for _, e := range d {
		if e.op == op {
			return e, true
		}
	}
	return dictEntry{}, false
}

// intArgs returns the n integer operands of op in d.
func intArgs(d []dictEntry, op, n int) ([]int, bool) {
	e, ok := findEntry(d, op)
	if !ok {
		return nil, false
	}
	v := e.ints()
	return v, len(v) == n
}

// appendInt writes v as a DICT integer operand in its shortest form.
func appendInt(b []byte, v int) []byte {
	switch {
	case v >= -107 && v <= 107:
		return append(b, byte(v+139))
	case v >= 108 && v <= 1131:
		v -= 108
		return append(b, byte(v>>8+247), byte(v))
	case v >= -1131 && v <= -108:
		v = -v - 108
		return append(b, byte(v>>8+251), byte(v))
	case v >= -32768 && v <= 32767:
		return append(b, 28, byte(v>>8), byte(v))
	}
	return appendInt5(b, v)
}

// appendInt5 writes v in the five-byte form, so that an offset's size is
// known before its value.
func appendInt5(b []byte, v int) []byte {
	return binary.BigEndian.AppendUint32(append(b, 29), uint32(int32(v)))
}

func appendOp(b []byte, op int) []byte {
	if op > 0xff {
		return append(b, 12, byte(op))
	}
	return append(b, byte(op))
}

// cffFont is a parsed CFF table.
type cffFont struct {
	name        []byte
	top         []dictEntry
	strings     cffIndex
	gsubrs      cffIndex
	charStrings cffIndex
	cid         bool
	fdSelect    fdSelect
	fds         []cffFD
}

// cffFD is a font DICT of a CID-keyed font, or the one private part of a
// name-keyed font (dict nil).
type cffFD struct {
	dict    []dictEntry // without Private
	private []dictEntry // without Subrs
	subrs   cffIndex
}

// fdSelect maps glyphs to font DICTs (#5176 §19): format 0 lists one
// byte per glyph, format 3 ranges.
type fdSelect struct {
	format byte
	b      []byte // format 0: the bytes; 3: the ranges and sentinel
	nRange int
}

func (s fdSelect) fd(g int) int {
	if s.format == 0 {
		if g < len(s.b) {
			return int(s.b[g])
		}
		return -1
	}
	// The last range whose first glyph is at most g.
	lo, hi := 0, s.nRange
	for lo < hi {
		m := (lo + hi) / 2
		if int(u16(s.b[3*m:])) <= g {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == 0 || g >= int(u16(s.b[3*s.nRange:])) {
		return -1
	}
	return int(s.b[3*(lo-1)+2])
}

func parseCFF(b []byte) (*cffFont, error) {
	if len(b) < 4 || b[0] != 1 {
		return nil, errors.New("not a CFF version 1 table (CFF2, the variable format, is not supported: use a static instance of the font)")
	}
	names, err := readIndex(b, int(b[2]))
	if err != nil {
		return nil, err
	}
	tops, err := readIndex(b, names.end)
	if err != nil {
		return nil, err
	}
	c := &cffFont{}
	if c.strings, err = readIndex(b, tops.end); err != nil {
		return nil, err
	}
	if c.gsubrs, err = readIndex(b, c.strings.end); err != nil {
		return nil, err
	}
	if names.count != 1 || tops.count != 1 {
		return nil, fmt.Errorf("CFF table holds %d fonts, not 1", tops.count)
	}
	c.name, _ = names.get(0)
	top, _ := tops.get(0)
	if c.top, err = parseDict(top); err != nil {
		return nil, err
	}
	if v, ok := intArgs(c.top, opCharstringType, 1); ok && v[0] != 2 {
		return nil, fmt.Errorf("CFF charstring type %d is not supported", v[0])
	}
	cs, ok := intArgs(c.top, opCharStrings, 1)
	if !ok {
		return nil, errors.New("CFF top DICT has no CharStrings")
	}
	if c.charStrings, err = readIndex(b, cs[0]); err != nil {
		return nil, err
	}
	_, c.cid = findEntry(c.top, opROS)
	if !c.cid {
		fd, err := parseFD(b, nil, c.top)
		if err != nil {
			return nil, err
		}
		c.fds = []cffFD{fd}
		return c, nil
	}
	return c, c.parseCID(b)
}

// parseCID reads a CID-keyed font's font DICTs and FDSelect.
func (c *cffFont) parseCID(b []byte) error {
	fa, ok := intArgs(c.top, opFDArray, 1)
	if !ok {
		return errors.New("CID-keyed CFF without FDArray")
	}
	fdArray, err := readIndex(b, fa[0])
	if err != nil {
		return err
	}
	for i := range fdArray.count {
		raw, err := fdArray.get(i)
		if err != nil {
			return err
		}
		d, err := parseDict(raw)
		if err != nil {
			return err
		}
		fd, err := parseFD(b, d, d)
		if err != nil {
			return err
		}
		c.fds = append(c.fds, fd)
	}
	fs, ok := intArgs(c.top, opFDSelect, 1)
	if !ok || fs[0] < 0 || fs[0] >= len(b) {
		return errors.New("CID-keyed CFF without FDSelect")
	}
	at := fs[0]
	c.fdSelect.format = b[at]
	switch c.fdSelect.format {
	case 0:
		n := c.charStrings.count
		if at+1+n > len(b) {
			return errors.New("CFF FDSelect runs past the end of the table")
		}
		c.fdSelect.b = b[at+1 : at+1+n]
	case 3:
		if at+3 > len(b) {
			return errors.New("CFF FDSelect runs past the end of the table")
		}
		c.fdSelect.nRange = int(u16(b[at+1:]))
		end := at + 3 + 3*c.fdSelect.nRange + 2
		if end > len(b) {
			return errors.New("CFF FDSelect runs past the end of the table")
		}
		c.fdSelect.b = b[at+3 : end]
	default:
		return fmt.Errorf("CFF FDSelect format %d", c.fdSelect.format)
	}
	return nil
}

// parseFD reads the Private DICT and local subroutines that dict (a font
// DICT, or the top DICT of a name-keyed font) points to; keep is what is
// kept of the font DICT itself.
func parseFD(b []byte, keep, dict []dictEntry) (cffFD, error) {
	var fd cffFD
	for _, e := range keep {
		if e.op != opPrivate {
			fd.dict = append(fd.dict, e)
		}
	}
	p, ok := intArgs(dict, opPrivate, 2)
	if !ok {
		return fd, errors.New("CFF font has no Private DICT")
	}
	size, off := p[0], p[1]
	if size < 0 || off < 0 || off+size > len(b) {
		return fd, errors.New("CFF Private DICT runs past the end of the table")
	}
	priv, err := parseDict(b[off : off+size])
	if err != nil {
		return fd, err
	}
	for _, e := range priv {
		if e.op != opSubrs {
			fd.private = append(fd.private, e)
		}
	}
	if s, ok := intArgs(priv, opSubrs, 1); ok {
		if fd.subrs, err = readIndex(b, off+s[0]); err != nil {
			return fd, err
		}
	}
	return fd, nil
}

// fdOf returns the index of glyph g's font DICT.
func (c *cffFont) fdOf(g int) (int, error) {
	if !c.cid {
		return 0, nil
	}
	fd := c.fdSelect.fd(g)
	if fd < 0 || fd >= len(c.fds) {
		return 0, fmt.Errorf("CFF FDSelect gives glyph %d no valid font DICT", g)
	}
	return fd, nil
}

// Type 2 charstring operators (#5177 Appendix A) that flattening treats
// specially.
const (
	csHstem     = 1
	csVstem     = 3
	csCallsubr  = 10
	csReturn    = 11
	csEscape    = 12
	csEndchar   = 14
	csHstemhm   = 18
	csHintmask  = 19
	csCntrmask  = 20
	csVstemhm   = 23
	csShortInt  = 28
	csCallgsubr = 29
)

// subrBias is added to a subroutine number (#5177 §4.7).
func subrBias(count int) int {
	switch {
	case count < 1240:
		return 107
	case count < 33900:
		return 1131
	}
	return 32768
}

// flattener writes a charstring with every subroutine call replaced by
// the subroutine's body. It keeps the count of stem hints, which sets the
// length of hintmask operands, and where the last operand began when it
// was an integer, which is the number of the subroutine a call calls.
type flattener struct {
	gsubrs, subrs cffIndex
	out           []byte
	nStems, nArgs int
	lastNum       int // in out; -1 when the last token was no integer
	lastVal       int
	done          bool
}

// maxSubrDepth is the Type 2 limit on nested subroutine calls.
const maxSubrDepth = 10

func (f *flattener) run(cs []byte, depth int) error {
	if depth > maxSubrDepth {
		return errors.New("CFF subroutines nested too deep")
	}
	for i := 0; i < len(cs) && !f.done; {
		b := cs[i]
		if b >= 32 || b == csShortInt {
			n, v, isInt := csNumber(cs[i:])
			if i+n > len(cs) {
				return errors.New("CFF charstring ends inside a number")
			}
			f.lastNum, f.lastVal = -1, v
			if isInt {
				f.lastNum = len(f.out)
			}
			f.out = append(f.out, cs[i:i+n]...)
			f.nArgs++
			i += n
			continue
		}
		i++
		switch b {
		case csCallsubr, csCallgsubr:
			if f.lastNum < 0 {
				return errors.New("CFF charstring calls a subroutine whose number it computed")
			}
			idx := f.subrs
			if b == csCallgsubr {
				idx = f.gsubrs
			}
			sub, err := idx.get(f.lastVal + subrBias(idx.count))
			if err != nil {
				return err
			}
			f.out = f.out[:f.lastNum]
			f.nArgs--
			f.lastNum = -1
			if err := f.run(sub, depth+1); err != nil {
				return err
			}
			continue
		case csReturn:
			return nil
		case csEndchar:
			if f.nArgs >= 4 {
				return errors.New("CFF glyph built with endchar's accent operands (seac) is not supported")
			}
			f.out = append(f.out, b)
			f.done = true
			return nil
		case csHintmask, csCntrmask:
			// Operands before a mask are an implied vstem.
			f.nStems += f.nArgs / 2
			m := (f.nStems + 7) / 8
			if i+m > len(cs) {
				return errors.New("CFF charstring ends inside a hint mask")
			}
			f.out = append(f.out, b)
			f.out = append(f.out, cs[i:i+m]...)
			i += m
		case csEscape:
			if i >= len(cs) {
				return errors.New("CFF charstring ends inside an operator")
			}
			f.out = append(f.out, b, cs[i])
			i++
		case csHstem, csVstem, csHstemhm, csVstemhm:
			f.nStems += f.nArgs / 2
			f.out = append(f.out, b)
		default:
			f.out = append(f.out, b)
		}
		f.nArgs = 0
		f.lastNum = -1
	}
	return nil
}

// csNumber decodes the charstring number at b[0] (#5177 §3.2): its
// length, and its value when it is an integer.
func csNumber(b []byte) (n, v int, isInt bool) {
	c := b[0]
	switch {
	case c == csShortInt:
		if len(b) < 3 {
			return 3, 0, false
		}
		return 3, int(int16(u16(b[1:]))), true
	case c <= 246:
		return 1, int(c) - 139, true
	case c <= 254:
		if len(b) < 2 {
			return 2, 0, false
		}
		if c <= 250 {
			return 2, (int(c)-247)*256 + int(b[1]) + 108, true
		}
		return 2, -(int(c)-251)*256 - int(b[1]) - 108, true
	}
	return 5, 0, false // 16.16 fixed point
}

// flatten appends glyph g's charstring, without subroutine calls, to dst.
func (c *cffFont) flatten(dst []byte, g int) ([]byte, error) {
	cs, err := c.charStrings.get(g)
	if err != nil {
		return nil, err
	}
	fd, err := c.fdOf(g)
	if err != nil {
		return nil, err
	}
	f := flattener{gsubrs: c.gsubrs, subrs: c.fds[fd].subrs, out: dst, lastNum: -1}
	if err := f.run(cs, 0); err != nil {
		return nil, fmt.Errorf("glyph %d: %w", g, err)
	}
	return f.out, nil
}

// droppedTopOps are top DICT entries a subset does not keep: its own
// offsets, which are written anew, identifiers of the whole font, and
// what a CID-keyed font cannot hold.
var droppedTopOps = map[int]bool{
	opCharset: true, opEncoding: true, opCharStrings: true, opPrivate: true,
	opUniqueID: true, opXUID: true, opUIDBase: true, opROS: true, opCIDCount: true,
	opFDArray: true, opFDSelect: true, opSyntheticBase: true, opPostScript: true,
	opBaseFontName: true, opBaseFontBlend: true,
}

// stdStrings is the number of standard strings (#5176 Appendix A): SIDs
// from it on index the String INDEX.
const stdStrings = 391

// subset writes a CID-keyed CFF table holding the glyphs ids, glyph i
// being ids[i] and having CID i.
func (c *cffFont) subset(ids []uint16) ([]byte, error) {
	css, fdOf, fds, err := c.flattenAll(ids)
	if err != nil {
		return nil, err
	}
	strs := make([][]byte, c.strings.count, c.strings.count+2)
	for i := range strs {
		strs[i], _ = c.strings.get(i)
	}
	ros, hasROS := findEntry(c.top, opROS)
	if !hasROS {
		n := stdStrings + len(strs)
		strs = append(strs, []byte("Adobe"), []byte("Identity"))
		ros = dictEntry{op: opROS, args: appendInt(appendInt(appendInt(nil, n), n+1), 0)}
	}

	// Everything before the charset has a size known now: the top DICT
	// writes its offsets in five bytes.
	header := []byte{1, 0, 4, 4}
	names := writeIndex([][]byte{c.name})
	topDict := func(charset, fdSelect, charStrings, fdArray int) []byte {
		d := append(slices.Clone(ros.args), 12, 30)
		for _, e := range c.top {
			if !droppedTopOps[e.op] {
				d = appendOp(append(d, e.args...), e.op)
			}
		}
		d = appendOp(appendInt(d, len(ids)), opCIDCount)
		d = appendOp(appendInt5(d, charset), opCharset)
		d = appendOp(appendInt5(d, fdSelect), opFDSelect)
		d = appendOp(appendInt5(d, charStrings), opCharStrings)
		return appendOp(appendInt5(d, fdArray), opFDArray)
	}
	tops := writeIndex([][]byte{topDict(0, 0, 0, 0)})
	stringIndex := writeIndex(strs)
	gsubrs := writeIndex(nil)

	charsetAt := len(header) + len(names) + len(tops) + len(stringIndex) + len(gsubrs)
	charset := []byte{0} // format 0, no glyph besides .notdef
	if len(ids) > 1 {
		// Format 2: one range, CIDs 1… for glyphs 1….
		charset = binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint16([]byte{2}, 1), uint16(len(ids)-2))
	}
	fdSelectAt := charsetAt + len(charset)
	sel := writeFDSelect(fdOf)
	charStringsAt := fdSelectAt + len(sel)
	charStrings := writeIndex(css)
	fdArrayAt := charStringsAt + len(charStrings)
	dicts, privs := c.fdArray(fds, fdArrayAt)
	out := slices.Concat(header, names, writeIndex([][]byte{topDict(charsetAt, fdSelectAt, charStringsAt, fdArrayAt)}),
		stringIndex, gsubrs, charset, sel, charStrings, writeIndex(dicts))
	for _, p := range privs {
		out = append(out, p...)
	}
	return out, nil
}

// flattenAll flattens the charstrings of the glyphs ids (css) and numbers
// the font DICTs they use anew: fdOf is the new font DICT of each glyph,
// fds the old font DICT of each new one.
func (c *cffFont) flattenAll(ids []uint16) (css [][]byte, fdOf, fds []int, err error) {
	var buf []byte
	css = make([][]byte, len(ids))
	fdOf = make([]int, len(ids))
	newFD := map[int]int{}
	for i, g := range ids {
		start := len(buf)
		if buf, err = c.flatten(buf, int(g)); err != nil {
			return nil, nil, nil, err
		}
		css[i] = buf[start:len(buf):len(buf)]
		fd, _ := c.fdOf(int(g))
		if _, ok := newFD[fd]; !ok {
			newFD[fd] = len(fds)
			fds = append(fds, fd)
		}
		fdOf[i] = newFD[fd]
	}
	return css, fdOf, fds, nil
}

// fdArray writes the font DICTs fds for an FDArray at offset at, and
// their Private DICTs, which follow it in order.
func (c *cffFont) fdArray(fds []int, at int) (dicts, privs [][]byte) {
	privs = make([][]byte, len(fds))
	for i, old := range fds {
		for _, e := range c.fds[old].private {
			privs[i] = appendOp(append(privs[i], e.args...), e.op)
		}
	}
	fdDict := func(i, privAt int) []byte {
		var d []byte
		for _, e := range c.fds[fds[i]].dict {
			d = appendOp(append(d, e.args...), e.op)
		}
		return appendOp(appendInt5(appendInt5(d, len(privs[i])), privAt), opPrivate)
	}
	dicts = make([][]byte, len(fds))
	for i := range dicts {
		dicts[i] = fdDict(i, 0)
	}
	privAt := at + len(writeIndex(dicts))
	for i := range dicts {
		dicts[i] = fdDict(i, privAt)
		privAt += len(privs[i])
	}
	return dicts, privs
}

// writeFDSelect writes a format 3 FDSelect for the font DICT of each
// glyph.
func writeFDSelect(fdOf []int) []byte {
	var ranges []byte
	n := 0
	for g, fd := range fdOf {
		if g == 0 || fd != fdOf[g-1] {
			ranges = append(binary.BigEndian.AppendUint16(ranges, uint16(g)), byte(fd))
			n++
		}
	}
	out := binary.BigEndian.AppendUint16([]byte{3}, uint16(n))
	out = append(out, ranges...)
	return binary.BigEndian.AppendUint16(out, uint16(len(fdOf)))
}
