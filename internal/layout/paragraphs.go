package layout

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/paiban/paiban/internal/doc"
)

// paraJob is a body paragraph waiting to be set. Paragraphs are
// independent until pagination, so they are set in parallel after the
// document has been walked (setParagraphs); until then a placeholder row
// stands in the row list.
type paraJob struct {
	inlines []doc.Inline
	in      nest
	block   int // the paragraph's TextPos.Block
	pos     doc.Pos
	rows    []*row
	missing []MissingGlyph
}

// workerScratch is the memory a line-setting worker reuses from one
// paragraph to the next: nothing keeps a paragraph's atoms (over a
// hundred bytes a character) or its line breaker's tables once its rows
// are made.
type workerScratch struct {
	atoms  []atom
	breaks breakScratch
}

// set breaks the paragraph into lines and makes its rows.
func (ts *typesetter) set(j *paraJob, scratch *workerScratch) {
	b := &atomBuilder{atoms: scratch.atoms[:0], fallback: ts.fallback, pos: j.pos, missing: &j.missing, profile: ts.profile}
	ts.addInlines(b, j.inlines, styleOf(j.in.faces, ts.em))
	atoms := b.finish()
	defer func() { scratch.atoms = atoms[:0] }()
	if len(atoms) == 0 {
		return
	}
	sp := ts.setTextWith(&scratch.breaks, atoms, ts.measure-j.in.left-j.in.right, j.in.indent, 0, true)
	for i, ln := range sp.lines {
		r := &row{slots: 1}
		x0 := j.in.left
		if i == 0 {
			x0 += j.in.indent
		}
		y := ts.baseline(ts.em)
		if lineHasRuby(sp, ln) && rubyRoom(sp, i, ts.em) > ts.pitch-ts.em+eps {
			// The annotation does not fit between the lines: this line
			// alone takes a second grid line above it.
			r.slots++
			y += ts.pitch
		}
		drawLine(r, sp, ln, x0, y)
		r.start = &TextPos{Block: j.block, Offset: atoms[ln.start].off}
		markLine(r, j.block, i, len(sp.lines))
		j.rows = append(j.rows, r)
	}
	// No lone first line at a page foot, no lone last line at a page top
	// (clreq §3.4.4 item 2; docs/typesetting.md §5.6).
	if n := len(sp.lines); n >= 2 {
		j.rows[0].noBreakAfter = true
		j.rows[n-2].noBreakAfter = true
	}
}

// progressEvery is how many paragraphs pass between progress reports.
const progressEvery = 32

// setParagraphs sets every queued paragraph of rows, in parallel, and
// returns the rows with the paragraphs' rows in place of the
// placeholders. Whatever was drawn on a placeholder (a list item's
// marker) goes onto the paragraph's first line.
func (ts *typesetter) setParagraphs(rows []*row, progress func(Progress)) []*row {
	var jobs []*paraJob
	for _, r := range rows {
		if r.job != nil {
			jobs = append(jobs, r.job)
		}
	}
	next := make(chan *paraJob)
	var wg sync.WaitGroup
	// A panic in a worker would end the program, as no recover of the
	// caller sees it: the first one is raised again in the caller's
	// goroutine once all jobs are done, where the build turns it into an
	// error naming the book.
	var failOnce sync.Once
	var failure any
	setJob := func(j *paraJob, scratch *workerScratch) {
		defer func() {
			if p := recover(); p != nil {
				failOnce.Do(func() { failure = fmt.Sprintf("%s:%d: %v", j.pos.File, j.pos.Line, p) })
			}
		}()
		ts.set(j, scratch)
	}
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch workerScratch
			for j := range next {
				setJob(j, &scratch)
			}
		}()
	}
	chapter, sent := "", 0
	for _, r := range rows {
		if r.chapter != "" {
			chapter = r.chapter
		}
		if r.job == nil {
			continue
		}
		next <- r.job
		if sent++; progress != nil && sent%progressEvery == 0 {
			progress(Progress{Paragraphs: sent, OfParagraphs: len(jobs), Chapter: chapter})
		}
	}
	close(next)
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
	return ts.replacePlaceholders(rows, len(jobs))
}

// replacePlaceholders returns rows with each paragraph's placeholder
// replaced by the paragraph's rows, of which there are about four for
// each of the jobs.
func (ts *typesetter) replacePlaceholders(rows []*row, jobs int) []*row {
	out := make([]*row, 0, len(rows)+jobs*4)
	for _, r := range rows {
		if r.job == nil {
			out = append(out, r)
			continue
		}
		if len(r.job.rows) > 0 {
			first := r.job.rows[0]
			// A first line lowered to make room for ruby takes its
			// marker down with it.
			dy := float64(first.slots-1) * ts.pitch
			for _, g := range r.glyphs {
				g.Y += dy
				first.glyphs = append(first.glyphs, g)
			}
			for _, ru := range r.rules {
				ru.Y += dy
				first.rules = append(first.rules, ru)
			}
		}
		out = append(out, r.job.rows...)
		ts.missing = append(ts.missing, r.job.missing...)
	}
	return out
}
