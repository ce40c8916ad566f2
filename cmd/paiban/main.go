// Command paiban typesets Markdown books as PDF and EPUB.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/paiban/paiban/internal/build"
	"github.com/paiban/paiban/internal/style"
)

const usage = `paiban typesets a Markdown book as a PDF (for print) and an EPUB.

Usage:
  paiban build [flags] BOOK.md...   build each book into the output folder
  paiban help [build]               show this help or the help of a command

Run 'paiban build --help' for the flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "help":
		if len(args) > 1 && args[1] == "build" {
			return runBuild([]string{"--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return 0
	case "build":
		return runBuild(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "paiban: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opt := build.Options{Stdout: stdout, Stderr: stderr}
	var formats string
	fs.StringVar(&opt.OutDir, "o", "out", "output `folder`")
	fs.StringVar(&formats, "format", strings.Join(build.Formats, ","), "comma-separated `formats` to write: pdf, epub")
	fs.StringVar(&opt.Style, "style", style.Default, "page `style` for the PDF: a file name in the styles folder, without .yaml")
	fs.StringVar(&opt.FontsDir, "fonts", "fonts", "`folder` holding the bundled fonts and their licences")
	fs.StringVar(&opt.StylesDir, "styles", "styles", "`folder` holding the page styles")
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprint(out, `Usage: paiban build [flags] BOOK.md...

Builds each Markdown book into OUT/NAME.pdf and OUT/NAME.epub, where NAME is
the book's file name without .md. Outputs are replaced only when a build
succeeds. Errors in a book are reported as file:line: message.

Flags:
`)
		fs.PrintDefaults()
		if names := style.Available(opt.StylesDir); len(names) > 0 {
			fmt.Fprintf(out, "\nStyles in %s/: %s\n", opt.StylesDir, strings.Join(names, ", "))
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "paiban build: name at least one book (a .md file)")
		return 2
	}
	opt.Formats = strings.Split(formats, ",")
	status := 0
	for _, book := range fs.Args() {
		if err := build.Run(book, opt); err != nil {
			fmt.Fprintln(stderr, err)
			status = 1
		}
	}
	return status
}
