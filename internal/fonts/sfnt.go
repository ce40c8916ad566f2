package fonts

import (
	"errors"
	"fmt"
)

// sfnt versions (OpenType spec, "Organization of an OpenType Font"): the
// first four bytes of a font file, or of a collection member's table
// directory.
const (
	sfntTrueType   = 0x00010000
	sfntAppleTrue  = 0x74727565 // 'true', TrueType outlines in Apple fonts
	sfntCFF        = 0x4F54544F // 'OTTO', CFF outlines
	sfntCollection = 0x74746366 // 'ttcf', a .ttc or .otc collection
)

// collectionOffsets returns where each member font's table directory
// starts in a collection (OpenType spec, "Font Collections"), or nil
// when data is a single font.
func collectionOffsets(data []byte) ([]int, error) {
	if len(data) < 12 || u32(data) != sfntCollection {
		return nil, nil
	}
	n := int(u32(data[8:]))
	if n == 0 || 12+4*n > len(data) {
		return nil, errors.New("font collection header runs past the end of the file")
	}
	offs := make([]int, n)
	for i := range offs {
		o := uint64(u32(data[12+4*i:]))
		if o+12 > uint64(len(data)) {
			return nil, fmt.Errorf("font %d of the collection starts past the end of the file", i)
		}
		offs[i] = int(o)
	}
	return offs, nil
}

// isCFF reports whether the table directory at off is that of a font
// with CFF outlines.
func isCFF(data []byte, off int) bool {
	return off+4 <= len(data) && u32(data[off:]) == sfntCFF
}

// commonTables are the tables every font Subset writes is made from, with
// the length each must have at least for the fixed fields read from it;
// outlineTables are those of each kind of outline.
var (
	commonTables = []tableNeed{
		{"OS/2", 68}, {"head", 54}, {"hhea", 36}, {"hmtx", 0},
		{"maxp", 6}, {"name", 6}, {"post", 32},
	}
	trueTypeTables = []tableNeed{{"glyf", 0}, {"loca", 0}}
	cffTables      = []tableNeed{{"CFF ", 4}}
)

type tableNeed struct {
	tag    string
	minLen int
}

// readTablesAt indexes the table directory at off and checks that the
// tables Subset reads for its kind of outline are present and long
// enough. The slices alias data.
func readTablesAt(data []byte, off int) (map[string][]byte, error) {
	tables, err := tableDirectoryAt(data, off)
	if err != nil {
		return nil, err
	}
	outline := trueTypeTables
	if isCFF(data, off) {
		outline = cffTables
	}
	for _, list := range [][]tableNeed{commonTables, outline} {
		for _, req := range list {
			t, ok := tables[req.tag]
			if !ok {
				return nil, fmt.Errorf("missing %s table", req.tag)
			}
			if len(t) < req.minLen {
				return nil, fmt.Errorf("%s table too short (%d bytes)", req.tag, len(t))
			}
		}
	}
	return tables, nil
}

// readTables is readTablesAt for a single font.
func readTables(data []byte) (map[string][]byte, error) { return readTablesAt(data, 0) }

// tableDirectory is tableDirectoryAt for a single font.
func tableDirectory(data []byte) (map[string][]byte, error) { return tableDirectoryAt(data, 0) }

// tableDirectoryAt indexes the table directory at off (OpenType spec,
// "Organization of an OpenType Font"). Table offsets count from the start
// of the file, in a collection too. The slices alias data.
func tableDirectoryAt(data []byte, off int) (map[string][]byte, error) {
	if off < 0 || len(data)-off < 12 {
		return nil, errors.New("font too short for an sfnt header")
	}
	switch v := u32(data[off:]); v {
	case sfntTrueType, sfntAppleTrue, sfntCFF:
	default:
		return nil, fmt.Errorf("sfnt version %#08x is not TrueType or OpenType", v)
	}
	n := int(u16(data[off+4:]))
	if off+12+16*n > len(data) {
		return nil, errors.New("table directory runs past the end of the font")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := data[off+12+16*i:]
		tag := string(rec[:4])
		start, length := uint64(u32(rec[8:])), uint64(u32(rec[12:]))
		if start+length > uint64(len(data)) {
			return nil, fmt.Errorf("table %q runs past the end of the font", tag)
		}
		if _, dup := tables[tag]; dup {
			return nil, fmt.Errorf("table %q listed twice", tag)
		}
		tables[tag] = data[start : start+length : start+length]
	}
	return tables, nil
}
