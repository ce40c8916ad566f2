// Command genbook writes a generated Chinese book in Markdown, for
// benchmarks: the same options always give the same book.
//
//	genbook [-chars N | -pages N] [-chapters N] [-seed N] [-o FILE]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/paiban/paiban/internal/testbook"
)

func main() {
	var opt testbook.Options
	pages := flag.Int("pages", 0, "about this many A4 pages (sets -chars)")
	out := flag.String("o", "-", "output file")
	flag.IntVar(&opt.Chars, "chars", 300000, "body characters")
	flag.IntVar(&opt.Chapters, "chapters", 50, "chapters")
	flag.IntVar(&opt.NoteEvery, "note-every", 5, "a footnote every N paragraphs")
	flag.Uint64Var(&opt.Seed, "seed", 1, "random seed")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "genbook: unexpected arguments; see genbook -help")
		os.Exit(2)
	}
	if *pages > 0 {
		opt.Chars = *pages * testbook.CharsPerA4Page
	}
	md, err := testbook.Generate(opt)
	if err == nil {
		if *out == "-" {
			_, err = os.Stdout.Write(md)
		} else {
			err = os.WriteFile(*out, md, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbook:", err)
		os.Exit(1)
	}
}
