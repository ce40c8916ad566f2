package main

import (
	"flag"
	"fmt"
	"io"

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
		probs, fixed, err := lint.CheckFile(name, *fix)
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = 1
			continue
		}
		if fixed {
			fmt.Fprintf(stderr, "fixed %s\n", name)
		}
		for _, p := range probs {
			fmt.Fprintln(stdout, p)
			status = 1
		}
	}
	return status
}
