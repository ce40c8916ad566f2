// Package panics turns a panic in a goroutine into an error. A recover
// only sees the panic of its own goroutine, so every goroutine a build
// starts defers Catch: an input that trips a bug then fails its build with
// a message instead of ending paiban with a stack trace.
package panics

import "fmt"

// Catch, deferred, stores a panic of the calling goroutine in *err as an
// error saying what was being done. It must be deferred directly
// (defer panics.Catch(&err, "…")), as recover works only there.
func Catch(err *error, doing string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("internal error while %s: %v (please report it with the book)", doing, r)
	}
}
