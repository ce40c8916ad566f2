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
	// Opened, when set, hears the path of every file of the book the
	// reader reads or looks for, found or not, also when the book has
	// errors: its Markdown files, book.yaml, book.json, book.toml and
	// summary, and the images it names by path. A watcher polls them.
	Opened func(path string)
}

// opened tells opt.Opened of path.
func (opt Options) opened(path string) {
	if opt.Opened != nil {
		opt.Opened(path)
	}
}

// Read reads the book at path: a Markdown file, or a book folder (see
// IsBook).
func Read(path string, opt Options) (*doc.Document, error) {
	if IsBook(path) {
		return parseBook(path, opt)
	}
	opt.opened(path)
	src, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, src, opt)
}
