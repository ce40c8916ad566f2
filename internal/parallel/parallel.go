// Package parallel runs work on several goroutines and collects its
// errors. A panic in one of them becomes that task's error (panics.Catch)
// instead of ending the program, since no recover of the caller sees it.
package parallel

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/paiban/paiban/internal/panics"
)

// Do runs the tasks at once, each on its own goroutine, and returns their
// errors joined in the order of the tasks once all have ended. A nil task
// is skipped, so that a caller can list the ones it may not need. doing
// says what the tasks do, for the error a panic becomes.
func Do(doing string, tasks ...func() error) error {
	return For(len(tasks), len(tasks), doing, func(i int) error {
		if tasks[i] == nil {
			return nil
		}
		return tasks[i]()
	})
}

// For runs work(i) for every i in [0, n) on at most workers goroutines
// (runtime.GOMAXPROCS when workers <= 0) and returns the errors joined in
// the order of i once all have ended.
func For(n, workers int, doing string, work func(i int) error) error {
	return Workers(n, workers, doing, func(_ *struct{}, i int) error { return work(i) })
}

// Workers is For where each goroutine has its own scratch value, a zero S
// it may reuse from one i to the next (buffers, a compressor).
func Workers[S any](n, workers int, doing string, work func(scratch *S, i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	errs := make([]error, n)
	run := func(s *S, i int) {
		defer panics.Catch(&errs[i], doing)
		errs[i] = work(s, i)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var s S
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				run(&s, i)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// feedAhead is how many values Feed's channel holds ahead of its workers.
const feedAhead = 16

// Feed starts workers goroutines (runtime.GOMAXPROCS when workers <= 0)
// that run work on each value sent on send, for a producer that makes the
// work as it goes. wait closes send, waits until all work has ended and
// returns the errors joined, a panic becoming the error of its value; the
// workers go on after an error, so that a sender never blocks for good.
func Feed[T any](workers int, doing string, work func(T) error) (send chan<- T, wait func() error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ch := make(chan T, feedAhead)
	var mu sync.Mutex
	var errs []error
	run := func(v T) (err error) {
		defer panics.Catch(&err, doing)
		return work(v)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for v := range ch {
				if err := run(v); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	return ch, func() error {
		close(ch)
		wg.Wait()
		return errors.Join(errs...)
	}
}
