package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// openInside reads the file at rel, a slash-separated path inside dir. A
// symbolic link that leads out of dir is refused like a ../ path: a book
// from someone else must not make the build read other files.
func openInside(dir, rel string) ([]byte, error) {
	if !filepath.IsLocal(filepath.FromSlash(rel)) {
		return nil, errors.New("not a path inside the book's folder")
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	p, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, errors.New("no such file")
	}
	if r, err := filepath.Rel(root, p); err != nil || !filepath.IsLocal(r) {
		return nil, errors.New("a symbolic link out of the book's folder")
	}
	return readRegular(p)
}

// ReadFile reads the file at path, a book's own file, refusing anything
// but a regular file; the error names the path.
func ReadFile(path string) ([]byte, error) {
	b, err := readRegular(path)
	var nr notRegular
	if errors.As(err, &nr) {
		err = fmt.Errorf("%s: %w", path, err)
	}
	return b, err
}

// readRegular reads the file at path if it is a regular file: a named
// pipe would stop the build for ever, waiting for a writer, and a device
// such as /dev/zero would be read until memory ran out. The file is
// opened without blocking and checked once open, so that it cannot be
// swapped between the check and the read.
func readRegular(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular{fi.Mode().Type()}
	}
	var buf bytes.Buffer
	buf.Grow(int(fi.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// notRegular is the error for a file that is a pipe, a device or a folder.
type notRegular struct{ mode fs.FileMode }

func (e notRegular) Error() string {
	kind := "a device"
	switch {
	case e.mode&fs.ModeDir != 0:
		kind = "a folder"
	case e.mode&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case e.mode&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return "not a regular file but " + kind + ": name a file"
}
