package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/paiban/paiban/internal/markdown"
)

func runInit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: paiban init DIR

Starts a new book in DIR (created; it must not exist or be empty): book.yaml
with the title, author and chapter list, a preface and one chapter. Put DIR
under source/ and make builds it as out/DIR.pdf and out/DIR.epub.
`)
	}
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "paiban init: name one folder for the new book")
		return 2
	}
	written, err := markdown.NewBook(fs.Arg(0))
	for _, path := range written {
		fmt.Fprintf(stdout, "wrote %s\n", path)
	}
	if err != nil {
		fmt.Fprintln(stderr, "paiban init:", err)
		return 1
	}
	return 0
}
