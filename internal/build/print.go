package build

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/impose"
	"github.com/paiban/paiban/internal/markdown"
)

// parseBook reads a one-file book (NAME.md) or a book folder, without
// fetching the images it names by URL.
func parseBook(book string) (*doc.Document, error) {
	return markdown.Read(book, markdown.Options{})
}

// writePrintEditions writes the editions made from the finished PDF at
// path: NAME-booklet.pdf and NAME-2up.pdf for each imposition asked for,
// NAME-crop.pdf with crop marks. They are made from the file itself, as a
// print shop would, and each is written atomically.
func writePrintEditions(path string, opt Options) error {
	if len(opt.Impose) == 0 && !opt.CropMarks {
		return nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(path, ".pdf")
	write := func(out string, f func(io.Writer) error) error {
		if err := writeAtomic(out, f); err != nil {
			return err
		}
		fmt.Fprintf(opt.Stdout, "wrote %s\n", out)
		return nil
	}
	for _, m := range opt.Impose {
		if err := write(base+"-"+string(m)+".pdf", func(w io.Writer) error { return impose.Impose(w, src, m) }); err != nil {
			return err
		}
	}
	if opt.CropMarks {
		return write(base+"-crop.pdf", func(w io.Writer) error { return impose.CropMarks(w, src, impose.DefaultBleed) })
	}
	return nil
}
