package build

import "fmt"

// guard turns a panic into *err, naming the book: an input that trips a
// bug in some stage is then reported like any other failed build (and the
// old outputs stay) instead of ending paiban with a stack trace. It must
// be deferred in every goroutine a build starts, since a recover only
// sees its own goroutine's panic.
func guard(book string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: internal error while building this book: %v (please report it with the book)", book, r)
	}
}
