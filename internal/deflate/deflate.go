// Package deflate compresses with klauspost/compress, sharing compressors
// across calls. A compressor at the levels the writers use holds about a
// megabyte of tables; making one per PDF stream and per EPUB entry was a
// third of all the memory a short book's build allocated, and in a fresh
// process every megabyte costs page faults.
package deflate

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
)

// Raw appends data deflated at level (1–9) to dst, as ZIP entries hold it.
func Raw(dst *bytes.Buffer, data []byte, level int) error {
	p, err := pool(&raws, level)
	if err != nil {
		return err
	}
	w, _ := p.Get().(*flate.Writer)
	if w == nil {
		if w, err = flate.NewWriter(dst, level); err != nil {
			return err
		}
	} else {
		w.Reset(dst)
	}
	defer p.Put(w)
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}

// Zlib appends data compressed at level (1–9) with a zlib header and
// checksum to dst, as PDF's FlateDecode streams hold it.
func Zlib(dst *bytes.Buffer, data []byte, level int) error {
	p, err := pool(&zlibs, level)
	if err != nil {
		return err
	}
	w, _ := p.Get().(*zlib.Writer)
	if w == nil {
		if w, err = zlib.NewWriterLevel(dst, level); err != nil {
			return err
		}
	} else {
		w.Reset(dst)
	}
	defer p.Put(w)
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Close()
}

// The idle compressors, by level. A pool keeps at most a few between
// garbage collections, so memory stays bounded by how many run at once.
var raws, zlibs [10]sync.Pool

func pool(pools *[10]sync.Pool, level int) (*sync.Pool, error) {
	if level < 1 || level > 9 {
		return nil, fmt.Errorf("deflate: level %d is not 1–9", level)
	}
	return &pools[level], nil
}
