package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"sync"
	"time"

	"github.com/paiban/paiban/internal/build"
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
	watch(fset.Arg(0), opt, pollInterval, stop)
	return 0
}

// watch builds book and rebuilds it whenever a file the last build read
// (build.Options.Opened) changes, until stop is closed.
func watch(book string, opt build.Options, every time.Duration, stop <-chan struct{}) {
	var files []string
	var last map[string]fileState
	rebuild := func() {
		// The files are looked at before the build, so that one changed
		// while it runs is built again.
		before := snapshot(files)
		read := &readFiles{paths: map[string]bool{}}
		opt.Opened = read.add
		start := time.Now()
		err := build.Run(book, opt)
		files = read.list()
		last = snapshot(files)
		for path, st := range before {
			if _, ok := last[path]; ok {
				last[path] = st
			}
		}
		if err != nil {
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
			if now := snapshot(files); !maps.EqualFunc(now, last, fileState.same) {
				rebuild()
			}
		}
	}
}

// readFiles collects the paths a build reports, from any goroutine.
type readFiles struct {
	mu    sync.Mutex
	paths map[string]bool
}

func (r *readFiles) add(path string) {
	r.mu.Lock()
	r.paths[path] = true
	r.mu.Unlock()
}

func (r *readFiles) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.paths))
}

// fileState is what watch compares of a file; a file that is not there
// has the zero state.
type fileState struct {
	mod  time.Time
	size int64
}

func (a fileState) same(b fileState) bool {
	return a.mod.Equal(b.mod) && a.size == b.size
}

// snapshot records the state of each of files.
func snapshot(files []string) map[string]fileState {
	out := make(map[string]fileState, len(files))
	for _, path := range files {
		var st fileState
		if fi, err := os.Stat(path); err == nil {
			st = fileState{fi.ModTime(), fi.Size()}
		}
		out[path] = st
	}
	return out
}
