// Package watch runs a build again whenever a file its last build read
// changes. It polls: polling works the same on every file system (network
// folders and editors that save by renaming included), and a book is a
// few dozen files.
package watch

import (
	"maps"
	"os"
	"slices"
	"sync"
	"time"
)

// Build is one build; it tells opened of every file it reads or looks
// for (build.Options.Opened), from any goroutine.
type Build func(opened func(path string)) error

// Loop runs build, then again each time a file the last build opened
// changes, appears or goes, looking every so often, until stop is closed.
// After each build it calls built with the build's error and how long it
// took.
func Loop(build Build, every time.Duration, stop <-chan struct{}, built func(err error, took time.Duration)) {
	var files []string
	var last map[string]fileState
	rebuild := func() {
		// The files are looked at before the build, so that one changed
		// while it runs is built again.
		before := snapshot(files)
		var read opened
		start := time.Now()
		err := build(read.add)
		took := time.Since(start)
		files = read.list()
		last = snapshot(files)
		for path, st := range before {
			if _, ok := last[path]; ok {
				last[path] = st
			}
		}
		built(err, took)
	}
	rebuild()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if !maps.EqualFunc(snapshot(files), last, fileState.same) {
				rebuild()
			}
		}
	}
}

// opened collects the paths a build opens, from any goroutine.
type opened struct {
	mu    sync.Mutex
	paths map[string]bool
}

func (o *opened) add(path string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.paths == nil {
		o.paths = map[string]bool{}
	}
	o.paths[path] = true
}

func (o *opened) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Sorted(maps.Keys(o.paths))
}

// fileState is what Loop compares of a file; a file that is not there has
// the zero state.
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
