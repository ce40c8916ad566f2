// Command paiban typesets Markdown books as PDF and EPUB.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/paiban/paiban/internal/build"
	"github.com/paiban/paiban/internal/impose"
	"github.com/paiban/paiban/internal/style"
)

const usage = `paiban typesets a Markdown book as a PDF (for print) and an EPUB.

Usage:
  paiban build [flags] BOOK.md...   build each book into the output folder
  paiban watch [flags] BOOK         rebuild a book whenever it changes
  paiban lint [--fix] FILE.md...    report (and fix) Chinese typography slips
  paiban init DIR                   start a new book of several chapters
  paiban completion bash|zsh|fish   print a shell completion script
  paiban man                        print the manual page (troff)
  paiban help [COMMAND]             show this help or the help of a command

A BOOK is a Markdown file or a folder holding book.yaml.
Run 'paiban COMMAND --help' for the flags.
`

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A watcher lives on between builds: it keeps the usual pace of
		// collection, and so does a GOGC the user set.
		watching := len(os.Args) > 1 && os.Args[1] == "watch"
		limitMemory(os.Getenv("GOGC") == "" && !watching)
	}
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
		if len(args) > 1 && args[1] != "help" {
			if c := findCommand(args[1]); c != nil {
				return c.run([]string{"--help"}, stdout, stderr)
			}
		}
		fmt.Fprint(stdout, usage)
		return 0
	}
	if c := findCommand(args[0]); c != nil {
		return c.run(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "paiban: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// buildArgs are the flags of build and watch, parsed.
type buildArgs struct {
	opt     build.Options
	formats string
	impose  string
	quiet   bool
}

// buildFlags defines the flags of build (and watch): the one definition
// parsing, --help, shell completion and the man page all read.
func buildFlags(name string) (*flag.FlagSet, *buildArgs) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	a := &buildArgs{}
	opt := &a.opt
	fs.StringVar(&opt.OutDir, "o", "out", "output `folder`")
	fs.StringVar(&a.formats, "format", strings.Join(build.Formats, ","), "comma-separated `formats` to write: pdf, epub")
	fs.StringVar(&opt.Style, "style", style.Default, "page `style` for the PDF: a file name in the styles folder, without .yaml")
	fs.StringVar(&opt.FontsDir, "fonts", "", "`folder` holding the bundled fonts and their licences (default: fonts/ beside the program, in $PAIBAN_HOME or in the source tree it was built from)")
	fs.StringVar(&opt.StylesDir, "styles", "", "`folder` holding the page styles and epub.css (default: found as the fonts are, else built in)")
	fs.StringVar(&a.impose, "impose", "", "also write the PDF two pages to an A4 landscape sheet, by `scheme`: booklet (NAME-booklet.pdf, saddle-stitch order), 2up (NAME-2up.pdf) or booklet,2up")
	fs.BoolVar(&opt.Strict, "strict", false, "treat every warning as an error: what cannot be rendered as written, and a character in no bundled font (by default set as a geta mark, U+3013)")
	fs.BoolVar(&opt.CropMarks, "crop-marks", false, "also write NAME-crop.pdf: each page with 3 mm bleed, crop marks, TrimBox and BleedBox, for print shops")
	fs.StringVar(&opt.DumpLayout, "dump-layout", "", "also write the PDF's layout to `file` as JSON Lines: every set line with each glyph's character, font, cell and origin")
	fs.StringVar(&opt.EPUBWriting, "epub-writing", build.WritingHorizontal, "`direction` of the EPUB's lines: horizontal, or vertical (top to bottom, lines and pages right to left)")
	fs.BoolVar(&opt.Offline, "offline", false, "fetch no image named by URL: those not fetched before (and kept in the cache) become framed placeholders with their text and URL")
	fs.BoolVar(&a.quiet, "q", false, "quiet: print only warnings and errors, no progress line and no list of files written")
	return fs, a
}

// options completes the build options from the parsed flags.
func (a *buildArgs) options(stdout, stderr io.Writer) (build.Options, error) {
	opt := a.opt
	opt.Stdout, opt.Stderr = stdout, stderr
	if a.quiet {
		opt.Stdout = io.Discard
	}
	opt.Formats = strings.Split(a.formats, ",")
	if err := opt.Locate(); err != nil {
		return opt, err
	}
	if a.impose != "" {
		var err error
		if opt.Impose, err = impose.ParseModes(a.impose); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs, a := buildFlags("build")
	opt := &a.opt
	fs.SetOutput(stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprint(out, `Usage: paiban build [flags] BOOK.md...

Builds each book into OUT/NAME.pdf and OUT/NAME.epub, where NAME is the
book's file name without .md. A BOOK is a Markdown file or a folder holding
book.yaml (see paiban init). Outputs are replaced only when a build
succeeds. Errors in a book are reported as file:line: message.

Flags:
`)
		fs.PrintDefaults()
		_ = opt.Locate() // to list the styles; a missing fonts folder is reported by a build
		dir := opt.StylesDir
		if dir == "" {
			dir = style.BuiltIn
		}
		if names := style.Available(opt.StylesDir); len(names) > 0 {
			fmt.Fprintf(out, "\nStyles in %s: %s\n", dir, strings.Join(names, ", "))
		}
	}
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "paiban build: name at least one book (a .md file)")
		return 2
	}
	if opt.DumpLayout != "" && fs.NArg() > 1 {
		fmt.Fprintln(stderr, "paiban build: --dump-layout takes one book; build the others separately")
		return 2
	}
	bopt, err := a.options(stdout, stderr)
	if err == nil {
		err = build.CheckOutputNames(fs.Args(), bopt.OutDir)
	}
	if err != nil {
		fmt.Fprintln(stderr, "paiban build:", err)
		return 2
	}
	// Long books show a progress line, but only to a person watching:
	// never with -q or when stderr is a file or a pipe.
	var line *progressLine
	if !a.quiet && isTerminal(stderr) {
		line = newProgressLine(stderr)
		bopt.Stdout, bopt.Stderr = line.through(bopt.Stdout), line.through(stderr)
		bopt.Progress = line.update
	}
	status := 0
	for _, book := range fs.Args() {
		err := build.Run(book, bopt)
		if line != nil {
			line.done()
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = 1
		}
	}
	return status
}

// parseFlags parses a command's flags. On --help it prints the command's
// usage on stdout; done says the command should return status at once.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (status int, done bool) {
	// The flag package prints the usage itself on --help (and with the
	// message of a bad flag): held back here, it goes to stdout once for
	// help and to stderr for a mistake.
	stderr := fs.Output()
	var held bytes.Buffer
	fs.SetOutput(&held)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return 0, true
	}
	stderr.Write(held.Bytes())
	return 2, true
}
