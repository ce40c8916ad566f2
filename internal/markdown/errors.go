package markdown

import (
	"fmt"
	"sort"
	"strings"

	"github.com/paiban/paiban/internal/doc"
)

// Error is one problem at a place in a source file.
type Error struct {
	File string
	Line int // 1-based
	Col  int // 1-based, in characters; 0 when not known
	Msg  string
}

// Error formats the problem as `file:line: message`, or with the column
// `file:line:col: message`: the forms editors and the command line jump to.
func (e *Error) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ErrorList is every problem found in one file, in line order. Parse
// reports them all at once so that an author can fix a book in one pass
// instead of one error per run.
type ErrorList []*Error

// Error formats the problems one per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As reach the individual problems.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// errorsFor collects the problems of one file: errors, which stop the
// build, and warnings, which do not.
type errorsFor struct {
	file     string
	list     ErrorList
	warnings []doc.Warning
	// added and warned are the problems and warnings recorded, so that
	// each is recorded once.
	added  map[Error]bool
	warned map[doc.Warning]bool
}

// place is where something is in the file being read: 1-based line and
// column, the column in characters and 0 when it is not known.
type place struct{ line, col int }

// warnIn records a warning at a place.
func (c *errorsFor) warnIn(at place, format string, args ...any) {
	c.warnAt(at.line, at.col, format, args...)
}

// addIn records a problem at a place.
func (c *errorsFor) addIn(at place, format string, args ...any) {
	c.addAt(at.line, at.col, format, args...)
}

// warn records something the book renders otherwise than written.
func (c *errorsFor) warn(line int, format string, args ...any) {
	c.warnAt(line, 0, format, args...)
}

// warnAt records a warning at a known column, once.
func (c *errorsFor) warnAt(line, col int, format string, args ...any) {
	w := doc.Warning{Pos: doc.Pos{File: c.file, Line: line}, Col: col, Msg: fmt.Sprintf(format, args...)}
	if c.warned[w] {
		return
	}
	if c.warned == nil {
		c.warned = map[doc.Warning]bool{}
	}
	c.warned[w] = true
	c.warnings = append(c.warnings, w)
}

// sortedWarnings returns the warnings in line order.
func (c *errorsFor) sortedWarnings() []doc.Warning {
	sort.SliceStable(c.warnings, func(i, j int) bool {
		a, b := c.warnings[i], c.warnings[j]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return c.warnings
}

// add records a problem once: an inline HTML element, for one, is an
// opening and a closing tag, but one thing to fix.
func (c *errorsFor) add(line int, format string, args ...any) {
	c.addAt(line, 0, format, args...)
}

// addAt records a problem at a known column.
func (c *errorsFor) addAt(line, col int, format string, args ...any) {
	e := Error{File: c.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	if c.added[e] {
		return
	}
	if c.added == nil {
		c.added = map[Error]bool{}
	}
	c.added[e] = true
	c.list = append(c.list, &e)
}

// err returns the problems sorted by line, or nil when there are none (a
// nil ErrorList in an error interface would not compare equal to nil).
func (c *errorsFor) err() error {
	if len(c.list) == 0 {
		return nil
	}
	sort.SliceStable(c.list, func(i, j int) bool {
		a, b := c.list[i], c.list[j]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return c.list
}
