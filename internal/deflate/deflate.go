// Package deflate compresses with klauspost/compress, sharing compressors
// across calls. A compressor at the levels the writers use holds about a
// megabyte of tables; making one per PDF stream and per EPUB entry was a
// third of all the memory a short book's build allocated, and in a fresh
// process every megabyte costs page faults.
package deflate

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"sync"

	"github.com/klauspost/compress/flate"
)

// Raw appends data deflated at level (1–9) to dst, as ZIP entries hold it,
// through an idle compressor of that level or a new one.
func Raw(dst *bytes.Buffer, data []byte, level int) error {
	if level < 1 || level > 9 {
		return fmt.Errorf("deflate: level %d is not 1–9", level)
	}
	p := &raws[level]
	w, ok := p.Get().(*flate.Writer)
	if ok {
		w.Reset(dst)
	} else {
		var err error
		if w, err = flate.NewWriter(dst, level); err != nil {
			return err
		}
	}
	defer p.Put(w)
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}

// Zlib appends data compressed at level (1–9) with a zlib header and
// checksum to dst, as PDF's FlateDecode streams hold it. A zlib stream is
// the raw deflate stream between a two-byte header and the data's
// Adler-32 (RFC 1950), so it shares Raw's compressors: the PDF's and the
// EPUB's at one level are then the same few.
func Zlib(dst *bytes.Buffer, data []byte, level int) error {
	if level < 1 || level > 9 {
		return fmt.Errorf("deflate: level %d is not 1–9", level)
	}
	// CMF: deflate with a 32 KiB window. FLG: the level class (RFC 1950
	// FLEVEL, as klauspost/compress/zlib sets it), then a check that makes
	// the pair a multiple of 31.
	header := [2]byte{0x78, zlibLevelClass[level] << 6}
	header[1] += uint8(31 - binary.BigEndian.Uint16(header[:])%31)
	dst.Write(header[:])
	if err := Raw(dst, data, level); err != nil {
		return err
	}
	return binary.Write(dst, binary.BigEndian, adler32.Checksum(data))
}

// zlibLevelClass is FLEVEL by level: 0 fastest … 3 best.
var zlibLevelClass = [10]byte{0, 0, 1, 1, 1, 1, 2, 3, 3, 3}

// The idle compressors, by level. A pool keeps at most a few between
// garbage collections, so memory stays bounded by how many run at once.
var raws [10]sync.Pool
