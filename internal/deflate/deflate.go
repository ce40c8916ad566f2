// Package deflate compresses with klauspost/compress, sharing compressors
// across calls. A compressor at the levels the writers use holds about a
// megabyte of tables; making one per PDF stream and per EPUB entry was a
// third of all the memory a short book's build allocated, and in a fresh
// process every megabyte costs page faults.
package deflate

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
)

// Raw appends data deflated at level (1–9) to dst, as ZIP entries hold it.
func Raw(dst *bytes.Buffer, data []byte, level int) error {
	return compress(&raws, dst, data, level, flate.NewWriter)
}

// Zlib appends data compressed at level (1–9) with a zlib header and
// checksum to dst, as PDF's FlateDecode streams hold it.
func Zlib(dst *bytes.Buffer, data []byte, level int) error {
	return compress(&zlibs, dst, data, level, zlib.NewWriterLevel)
}

// The idle compressors, by level. A pool keeps at most a few between
// garbage collections, so memory stays bounded by how many run at once.
var raws, zlibs [10]sync.Pool

// resettable is a compressor that can be pointed at another output.
type resettable interface {
	io.WriteCloser
	Reset(io.Writer)
}

// compress writes data through an idle compressor of the level from
// pools, or a new one made by open, and returns it to the pool.
func compress[W resettable](pools *[10]sync.Pool, dst *bytes.Buffer, data []byte, level int, open func(io.Writer, int) (W, error)) error {
	if level < 1 || level > 9 {
		return fmt.Errorf("deflate: level %d is not 1–9", level)
	}
	p := &pools[level]
	w, ok := p.Get().(W)
	if ok {
		w.Reset(dst)
	} else {
		var err error
		if w, err = open(dst, level); err != nil {
			return err
		}
	}
	defer p.Put(w)
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}
