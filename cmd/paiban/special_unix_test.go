//go:build unix

package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// special writes files like written, then makes name a named pipe or,
// with device, a character device like /dev/zero (which needs root). With
// no files, name is the book.
func special(name string, device bool, files ...string) func(*testing.T) string {
	return func(t *testing.T) string {
		book := filepath.Join(t.TempDir(), name)
		if len(files) > 0 {
			book = written(files...)(t)
		}
		p := filepath.Join(filepath.Dir(book), name)
		var err error
		if device {
			err = syscall.Mknod(p, syscall.S_IFCHR|0o644, int(1<<8|5))
		} else {
			err = syscall.Mkfifo(p, 0o644)
		}
		if err != nil {
			t.Skipf("cannot make %s here (%v): making a device needs root", name, err)
		}
		return book
	}
}

// inFolder makes a file like book does and returns the folder holding it,
// the book.
func inFolder(book func(*testing.T) string) func(*testing.T) string {
	return func(t *testing.T) string { return filepath.Dir(book(t)) }
}

// withFolder writes files like written, then makes a folder name.
func withFolder(name string, files ...string) func(*testing.T) string {
	return func(t *testing.T) string {
		book := written(files...)(t)
		if err := os.Mkdir(filepath.Join(filepath.Dir(book), name), 0o755); err != nil {
			t.Fatal(err)
		}
		return book
	}
}

// testPNG is a small PNG, cut short or with a wrong checksum if asked.
func testPNG(cut, badCRC bool) string {
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	png.Encode(&buf, img)
	b := buf.Bytes()
	if badCRC {
		b[len(b)-12-1] ^= 0xff // the last byte of IDAT's checksum
	}
	if cut {
		b = b[:len(b)*2/3]
	}
	return string(b)
}

// pngHeader is the start of a PNG declaring w × h pixels, enough for a
// reader that believes the header.
func pngHeader(w, h uint32) string {
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 0 // 8-bit grey
	chunk := binary.BigEndian.AppendUint32(nil, 13)
	chunk = append(chunk, ihdr...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(ihdr))
	return "\x89PNG\r\n\x1a\n" + string(chunk)
}

const (
	coverBook  = "---\ntitle: 测试\ncover: c.png\n---\n\n正文。\n"
	figureBook = frontMatter + "![图](f.png)\n"
)

// specialBooks name files that are not regular files, and images that
// are damaged or too large; each must be an error at its line, never a
// hang, a crash or an edition shipping the file.
var specialBooks = []badBook{
	{"book is a pipe", special("b.md", false), nil, []string{"b.md: not a regular file but a named pipe"}},
	{"chapter is a pipe", special("a.md", false, "book.yaml", "title: 书\nchapters:\n  - a.md\n"), nil, []string{"book.yaml:3: chapter a.md: not a regular file but a named pipe"}},
	{"figure is a pipe", special("f.png", false, "b.md", figureBook), nil, []string{`b.md:5:1: image "f.png": not a regular file but a named pipe`}},
	{"cover is a pipe", special("c.png", false, "b.md", coverBook), nil, []string{`b.md:3: cover "c.png": not a regular file but a named pipe`}},
	// A folder book's own file names itself, not the folder.
	{"book.yaml is a pipe", inFolder(special("book.yaml", false)), nil, []string{"/book.yaml: not a regular file but a named pipe: name a file"}},
	{"SUMMARY.md is a pipe", inFolder(special("SUMMARY.md", false)), nil, []string{"/SUMMARY.md: not a regular file but a named pipe: name a file"}},
	{"book.toml is a pipe", inFolder(special("book.toml", false)), nil, []string{"/book.toml: not a regular file but a named pipe: name a file"}},
	{"book.yaml is a device", inFolder(special("book.yaml", true)), nil, []string{"/book.yaml: not a regular file but a device: name a file"}},
	{"SUMMARY.md is a device", inFolder(special("SUMMARY.md", true)), nil, []string{"/SUMMARY.md: not a regular file but a device: name a file"}},
	{"chapter is a device", special("a.md", true, "book.yaml", "title: 书\nchapters:\n  - a.md\n"), nil, []string{"book.yaml:3: chapter a.md: not a regular file but a device"}},
	{"figure is a device", special("f.png", true, "b.md", figureBook), nil, []string{`b.md:5:1: image "f.png": not a regular file but a device`}},
	{"cover is a folder", withFolder("c.png", "b.md", coverBook), nil, []string{`b.md:3: cover "c.png": not a regular file but a folder`}},
	{"cover truncated", written("b.md", coverBook, "c.png", testPNG(true, false)), nil, []string{`b.md:3: cover "c.png" could not be read as PNG: png: invalid format: not enough pixel data`}},
	{"cover with a bad checksum", written("b.md", coverBook, "c.png", testPNG(false, true)), nil, []string{`b.md:3: cover "c.png" could not be read as PNG: png: invalid format: invalid checksum`}},
	{"cover too large", written("b.md", coverBook, "c.png", pngHeader(30000, 30000)), nil, []string{`b.md:3: cover "c.png" is 30000×30000 pixels: paiban takes images of at most 50 million pixels`}},
	// A damaged figure is a placeholder with a warning, an error with --strict.
	{"figure truncated, EPUB only", written("b.md", figureBook, "f.png", testPNG(true, false)), []string{"--format", "epub", "--strict"}, []string{`b.md:5:1: image "f.png" could not be read as PNG: png: invalid format: not enough pixel data`}},
	{"figure with a bad checksum, EPUB only", written("b.md", figureBook, "f.png", testPNG(false, true)), []string{"--format", "epub", "--strict"}, []string{`b.md:5:1: image "f.png" could not be read as PNG: png: invalid format: invalid checksum`}},
}

// TestSpecialFiles builds each of specialBooks, failing rather than
// waiting for ever on a pipe.
func TestSpecialFiles(t *testing.T) {
	for _, c := range specialBooks {
		t.Run(c.name, func(t *testing.T) {
			hung := time.AfterFunc(time.Minute, func() { panic(c.name + ": the build still runs after a minute: it waits on a pipe") })
			defer hung.Stop()
			checkBadBook(t, c)
		})
	}
}
