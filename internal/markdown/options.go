package markdown

import (
	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/remote"
)

// Options configure reading a book.
type Options struct {
	// Remote fetches the images a book names by http(s) URL; with nil
	// none is fetched, and their figures are placeholders.
	Remote *remote.Fetcher
}

// Read reads the book at path: a Markdown file, or a book folder (see
// IsBook).
func Read(path string, opt Options) (*doc.Document, error) {
	if IsBook(path) {
		return parseBook(path, opt)
	}
	src, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, src, opt)
}
