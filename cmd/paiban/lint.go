package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/paiban/paiban/internal/lint"
)

func lintFlags() (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fix := fs.Bool("fix", false, "rewrite the files, correcting what is unambiguous; report the rest")
	return fs, fix
}

// runLint exits 1 when problems remain (after fixing, with --fix), so
// that it can guard a commit or a CI job.
func runLint(args []string, stdout, stderr io.Writer) int {
	fs, fix := lintFlags()
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: paiban lint [--fix] FILE.md...

Reports what Chinese editors correct by hand, as file:line:column: message
(rule), columns counted in characters. Front matter, code and link targets
are skipped. Rules: half-width punctuation and straight quotes in Chinese
sentences, ... or 。。。 for ……, -- or — for ——, full-width digits and
letters, spaces typed between Han and Latin, unmatched paired marks.

Flags:
`)
		fs.PrintDefaults()
	}
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "paiban lint: name at least one Markdown file")
		return 2
	}
	status := 0
	for _, name := range fs.Args() {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = 1
			continue
		}
		if *fix {
			if fixed := lint.Fix(src); !bytes.Equal(fixed, src) {
				if err := writeKeepingMode(name, fixed); err != nil {
					fmt.Fprintln(stderr, err)
					status = 1
					continue
				}
				fmt.Fprintf(stderr, "fixed %s\n", name)
				src = fixed
			}
		}
		for _, p := range lint.Check(name, src) {
			fmt.Fprintln(stdout, p)
			status = 1
		}
	}
	return status
}

// writeKeepingMode replaces the contents of an existing file, keeping its
// permissions.
func writeKeepingMode(name string, data []byte) error {
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	return os.WriteFile(name, data, fi.Mode().Perm())
}
