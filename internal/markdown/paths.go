package markdown

import (
	"errors"
	"os"
	"path/filepath"
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
	return os.ReadFile(p)
}
