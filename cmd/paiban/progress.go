package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rivo/uniseg"

	"github.com/paiban/paiban/internal/build"
)

// A progress line appears only once a build has run this long, so that
// quick builds print nothing but their result, and is redrawn at most
// this often.
const (
	progressDelay    = 300 * time.Millisecond
	progressInterval = 100 * time.Millisecond
	progressWidth    = 78 // terminal columns the line may take
)

// progressLine shows a build's progress on one terminal line, redrawn in
// place. The build's other output goes through it (see through), which
// clears the line first, so that messages and progress never share a line.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	stage string
	shown bool
}

func newProgressLine(w io.Writer) *progressLine {
	return &progressLine{w: w, start: time.Now()}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// update redraws the line for p, unless the build is young or the line
// was drawn a moment ago in the same stage.
func (l *progressLine) update(p build.Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.start) < progressDelay || p.Stage == l.stage && now.Sub(l.last) < progressInterval {
		return
	}
	l.last, l.stage = now, p.Stage
	fmt.Fprintf(l.w, "\r\x1b[K%s", progressText(p))
	l.shown = true
}

// progressText is one progress line, cut to the terminal's usual width
// (Chinese characters take two columns).
func progressText(p build.Progress) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %s", p.Book, p.Stage)
	switch l := p.Layout; {
	case l.Pages > 0:
		fmt.Fprintf(&sb, ", page %d", l.Pages)
	case l.OfParagraphs > 0:
		fmt.Fprintf(&sb, ", paragraph %d of %d", l.Paragraphs, l.OfParagraphs)
	}
	if p.Layout.Chapter != "" {
		fmt.Fprintf(&sb, " (%s)", p.Layout.Chapter)
	}
	s := sb.String()
	if uniseg.StringWidth(s) <= progressWidth {
		return s
	}
	var out strings.Builder
	width := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if width+g.Width() > progressWidth-1 {
			break
		}
		width += g.Width()
		out.WriteString(g.Str())
	}
	return out.String() + "…"
}

// through returns a writer to w that clears the progress line before
// each message.
func (l *progressLine) through(w io.Writer) io.Writer {
	return clearingWriter{l, w}
}

type clearingWriter struct {
	line *progressLine
	w    io.Writer
}

func (c clearingWriter) Write(b []byte) (int, error) {
	c.line.mu.Lock()
	defer c.line.mu.Unlock()
	c.line.clear()
	return c.w.Write(b)
}

// done removes the line.
func (l *progressLine) done() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clear()
}

func (l *progressLine) clear() {
	if l.shown {
		fmt.Fprint(l.w, "\r\x1b[K")
		l.shown = false
	}
}
