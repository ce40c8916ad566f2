package layout

import (
	"fmt"
	"sync"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/panics"
	"github.com/paiban/paiban/internal/parallel"
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
	p := paragraph{atoms: atoms, measure: ts.measure - j.in.left - j.in.right, firstIndent: j.in.indent,
		justify: true, em: ts.em, scratch: &scratch.breaks}
	sp := &setPara{atoms: atoms}
	var above []atom // the previous line's atoms
	// Each line is drawn as soon as it is set and then dropped: a
	// paragraph of millions of characters holds its rows, not its lines.
	eachLine(p, func(i int, ln line) {
		r := &row{slots: 1}
		x0 := j.in.left
		if i == 0 {
			x0 += j.in.indent
		}
		y := ts.baseline(ts.em)
		if lineHasRuby(atoms[ln.start:ln.end]) && rubyRoom(above, ts.em) > ts.pitch-ts.em+eps {
			// The annotation does not fit between the lines: this line
			// alone takes a second grid line above it.
			r.slots++
			y += ts.pitch
		}
		drawLine(r, sp, ln, x0, y)
		r.start = &TextPos{Block: j.block, Offset: int(atoms[ln.start].off)}
		j.rows = append(j.rows, r)
		above = atoms[ln.start:ln.end]
	})
	for i, r := range j.rows {
		markLine(r, j.block, i, len(j.rows))
	}
	// No lone first line at a page foot, no lone last line at a page top
	// (clreq §3.4.4 item 2; docs/typesetting.md §5.6).
	if n := len(j.rows); n >= 2 {
		j.rows[0].noBreakAfter = true
		j.rows[n-2].noBreakAfter = true
	}
}

// progressEvery is how many paragraphs pass between progress reports.
const progressEvery = 32

// setParagraphs sets every queued paragraph of rows, in parallel, and
// returns the rows with the paragraphs' rows in place of the
// placeholders. Whatever was drawn on a placeholder (a list item's
// marker) goes onto the paragraph's first line. A panic while setting a
// paragraph becomes an error naming its place.
func (ts *typesetter) setParagraphs(rows []*row, progress func(Progress)) ([]*row, error) {
	type queued struct {
		job     *paraJob
		chapter string
	}
	var jobs []queued
	chapter := ""
	for _, r := range rows {
		if r.chapter != "" {
			chapter = r.chapter
		}
		if r.job != nil {
			jobs = append(jobs, queued{r.job, chapter})
		}
	}
	var mu sync.Mutex // progress is reported from one goroutine at a time
	done := 0
	err := parallel.Workers(len(jobs), 0, "setting paragraphs", func(scratch *workerScratch, i int) (err error) {
		j := jobs[i]
		defer panics.Catch(&err, fmt.Sprintf("setting the paragraph at %s:%d", j.job.pos.File, j.job.pos.Line))
		ts.set(j.job, scratch)
		if progress != nil {
			mu.Lock()
			defer mu.Unlock()
			if done++; done%progressEvery == 0 {
				progress(Progress{Paragraphs: done, OfParagraphs: len(jobs), Chapter: j.chapter})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ts.replacePlaceholders(rows, len(jobs)), nil
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
