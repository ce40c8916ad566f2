package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/paiban/paiban/internal/build"
	"github.com/paiban/paiban/internal/markdown"
)

// pollInterval is how often watch looks at the files. Polling works the
// same on every file system (network folders and editors that save by
// renaming included) and a book is a few dozen files.
const pollInterval = 300 * time.Millisecond

func runWatch(args []string, stdout, stderr io.Writer) int {
	fset, a := buildFlags("watch")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprint(fset.Output(), `Usage: paiban watch [flags] BOOK

Builds BOOK, then rebuilds it whenever the book (for a folder, any file in
it), a style or a font changes, printing how long each build took and any
errors. It keeps watching after a failed build; stop it with Ctrl-C.

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
	watch(fset.Arg(0), opt, pollInterval, stop)
	return 0
}

// watch builds book and rebuilds it on every change until stop is closed.
func watch(book string, opt build.Options, every time.Duration, stop <-chan struct{}) {
	last := snapshot(book, opt)
	rebuild := func() {
		start := time.Now()
		if err := build.Run(book, opt); err != nil {
			fmt.Fprintln(opt.Stderr, err)
			fmt.Fprintf(opt.Stdout, "%s: build failed after %.2fs; watching for changes\n", book, time.Since(start).Seconds())
			return
		}
		fmt.Fprintf(opt.Stdout, "%s: built in %.2fs\n", book, time.Since(start).Seconds())
	}
	rebuild()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			now := snapshot(book, opt)
			if !sameFiles(now, last) {
				last = now
				rebuild()
			}
		}
	}
}

type fileState struct {
	mod  time.Time
	size int64
}

// snapshot records every file a build of book reads: the book (every file
// in its folder, for a book.yaml book, else the file and its cover image),
// the styles and the fonts.
func snapshot(book string, opt build.Options) map[string]fileState {
	files := map[string]fileState{}
	add := func(path string) {
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			files[path] = fileState{fi.ModTime(), fi.Size()}
		}
	}
	walk := func(dir string) {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				add(path)
			}
			return nil
		})
	}
	if markdown.IsBook(book) {
		walk(book)
	} else {
		add(book)
		// The cover image the front matter names is read too; a book with
		// errors names none, and the build reports the errors.
		if d, err := markdown.ParseFile(book); err == nil && d.Meta.Cover != "" {
			add(filepath.Join(filepath.Dir(book), d.Meta.Cover))
		}
	}
	walk(opt.StylesDir)
	walk(opt.FontsDir)
	return files
}

func sameFiles(a, b map[string]fileState) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !w.mod.Equal(v.mod) || w.size != v.size {
			return false
		}
	}
	return true
}
