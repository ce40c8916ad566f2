package main

import (
	"flag"
	"io"
)

// command is one subcommand. flags returns a new set with the command's
// flags defined, so that parsing, shell completion and the man page are
// generated from the same definitions.
type command struct {
	name    string
	args    string // the operands, as in the synopsis
	summary string
	flags   func() *flag.FlagSet
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "[flags] BOOK...", "build each book into the output folder",
			func() *flag.FlagSet { fs, _ := buildFlags("build"); return fs }, runBuild},
		{"watch", "[flags] BOOK", "rebuild a book whenever it, its styles or its fonts change",
			func() *flag.FlagSet { fs, _ := buildFlags("watch"); return fs }, runWatch},
		{"lint", "[--fix] FILE.md...", "report Chinese typography slips as file:line:column; --fix corrects the unambiguous ones",
			func() *flag.FlagSet { fs, _ := lintFlags(); return fs }, runLint},
		{"init", "DIR", "start a new book of several chapters, with book.yaml, in DIR",
			func() *flag.FlagSet { return flag.NewFlagSet("init", flag.ContinueOnError) }, runInit},
		{"completion", "bash|zsh|fish", "print a shell completion script",
			func() *flag.FlagSet { return flag.NewFlagSet("completion", flag.ContinueOnError) }, runCompletion},
		{"man", "", "print the manual page (troff)",
			func() *flag.FlagSet { return flag.NewFlagSet("man", flag.ContinueOnError) }, runMan},
	}
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}
