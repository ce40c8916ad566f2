package deflate

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"io"
	"strings"
	"testing"

	kzlib "github.com/klauspost/compress/zlib"
)

// A reused compressor must give what a fresh one gives: the standard
// library's readers get the data back, and the same input compresses to
// the same bytes every time (the outputs are reproducible).
func TestRoundTripReused(t *testing.T) {
	inputs := [][]byte{
		[]byte(strings.Repeat("排版 paiban ", 5000)),
		{},
		[]byte("short"),
		bytes.Repeat([]byte{0, 1, 2, 3, 255}, 70000),
	}
	for _, level := range []int{1, 5, 7, 9} {
		first := map[int][]byte{}
		for round := range 3 {
			for i, in := range inputs {
				var raw, zl bytes.Buffer
				if err := Raw(&raw, in, level); err != nil {
					t.Fatal(err)
				}
				if err := Zlib(&zl, in, level); err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(flate.NewReader(&raw))
				if err != nil || !bytes.Equal(got, in) {
					t.Fatalf("level %d input %d round %d: raw deflate does not round-trip (%v)", level, i, round, err)
				}
				zr, err := zlib.NewReader(bytes.NewReader(zl.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(zr); err != nil || !bytes.Equal(got, in) {
					t.Fatalf("level %d input %d round %d: zlib does not round-trip (%v)", level, i, round, err)
				}
				if round == 0 {
					first[i] = zl.Bytes()
				} else if !bytes.Equal(first[i], zl.Bytes()) {
					t.Fatalf("level %d input %d: a reused compressor gave different bytes", level, i)
				}
			}
		}
	}
}

func TestBadLevel(t *testing.T) {
	var b bytes.Buffer
	for _, level := range []int{-1, 0, 10} {
		if Raw(&b, []byte("x"), level) == nil || Zlib(&b, []byte("x"), level) == nil {
			t.Errorf("level %d: no error", level)
		}
	}
}

// Zlib frames Raw's stream itself; it must write what
// klauspost/compress/zlib writes at every level, header byte included.
func TestZlibMatchesLibrary(t *testing.T) {
	in := []byte(strings.Repeat("排版 paiban 1234567890 ", 3000))
	for level := 1; level <= 9; level++ {
		var got, want bytes.Buffer
		if err := Zlib(&got, in, level); err != nil {
			t.Fatal(err)
		}
		zw, err := kzlib.NewWriterLevel(&want, level)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(in)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("level %d: %d bytes starting % x, klauspost/compress/zlib writes %d starting % x",
				level, got.Len(), got.Bytes()[:2], want.Len(), want.Bytes()[:2])
		}
	}
}
