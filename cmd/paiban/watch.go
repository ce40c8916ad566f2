package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/paiban/paiban/internal/build"
	"github.com/paiban/paiban/internal/watch"
)

// pollInterval is how often watch looks at the files.
const pollInterval = 300 * time.Millisecond

func runWatch(args []string, stdout, stderr io.Writer) int {
	fset, a := buildFlags("watch")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprint(fset.Output(), `Usage: paiban watch [flags] BOOK

Builds BOOK, then rebuilds it whenever a file the build read changes (its
Markdown files, book.yaml or summary, an image, the cover, the style or a
font) or one it looked for appears, printing how long each build took and
any errors. It keeps watching after a failed build; stop it with Ctrl-C.

Flags (those of paiban build):
`)
		fset.PrintDefaults()
	}
	if status, done := parseFlags(fset, args, stdout); done {
		return status
	}
	if fset.NArg() != 1 {
		fmt.Fprintln(stderr, "paiban watch: name one book")
		return 2
	}
	opt, err := a.options(stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "paiban watch:", err)
		return 2
	}
	stop := make(chan struct{})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() { <-sig; close(stop) }()
	watchBook(fset.Arg(0), opt, pollInterval, stop)
	return 0
}

// watchBook builds book and rebuilds it whenever a file the last build read
// changes, until stop is closed.
func watchBook(book string, opt build.Options, every time.Duration, stop <-chan struct{}) {
	run := func(opened func(string)) error {
		o := opt
		o.Opened = opened
		return build.Run(book, o)
	}
	watch.Loop(run, every, stop, func(err error, took time.Duration) {
		if err != nil {
			fmt.Fprintln(opt.Stderr, err)
			fmt.Fprintf(opt.Stdout, "%s: build failed after %.2fs; watching for changes\n", book, took.Seconds())
			return
		}
		fmt.Fprintf(opt.Stdout, "%s: built in %.2fs\n", book, took.Seconds())
	})
}
