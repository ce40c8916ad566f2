package layout

import (
	"math"
	"sort"

	"github.com/paiban/paiban/internal/doc"
)

// Three-line table (三线表) rules: thick top and bottom rules, a thin rule
// under the header, no vertical rules (the Chinese academic convention).
const (
	thickRule = 1.0
	thinRule  = 0.5
)

// cellPad is the blank on each side of a cell's text, in ems: columns
// stand one em apart.
const cellPad = 0.5

// tableCell is one cell's text and the widths that decide its column's.
type tableCell struct {
	atoms []atom
	// minW is the widest unit that cannot be broken, maxW the widest hard
	// line unbroken, oneW the widest single atom (the least a column can
	// be without text crossing its edge).
	minW, maxW, oneW float64
}

// measureCell makes a cell's atoms and its content widths, with the same
// atoms and break opportunities as body text.
func (ts *typesetter) measureCell(content []doc.Inline, f faceSet, pos doc.Pos) tableCell {
	c := tableCell{atoms: ts.atomsOf(content, styleOf(f, ts.em), pos)}
	unit, line := 0.0, 0.0
	for i, a := range c.atoms {
		switch {
		case i == 0:
		case a.hardBreak:
			unit, line = 0, 0
		case a.breakBefore:
			unit = 0
			line += a.gap
		default:
			unit += a.gap
			line += a.gap
		}
		unit += a.width
		line += a.width
		c.minW, c.maxW, c.oneW = max(c.minW, unit), max(c.maxW, line), max(c.oneW, a.width)
	}
	return c
}

// addTable sets a GFM table as a three-line table with its caption above,
// centred in the column in leaves. Column widths follow CSS's
// automatic table layout: every column gets its unbreakable minimum and
// the rest of the measure goes to the columns in proportion to how much
// more they would take unbroken (see columnWidths). Each row is kept
// whole on its page (one taller than a page is cut) and the header row is
// repeated at the top of every page the table continues on (see
// tablePage). A table too wide even at one character per column is set in
// parts of consecutive columns, one below the other (续表).
func (e *engine) addTable(t *doc.Table, in nest) {
	n := len(t.Align)
	if n == 0 {
		return
	}
	head := make([]tableCell, n)
	for j := range n {
		if j < len(t.Header) {
			head[j] = e.text.measureCell(t.Header[j], e.strong, t.Pos)
		}
	}
	body := make([][]tableCell, len(t.Rows))
	for i, r := range t.Rows {
		body[i] = make([]tableCell, n)
		for j := range min(n, len(r)) {
			body[i][j] = e.text.measureCell(r[j], e.body, t.Pos)
		}
	}
	var minW, maxW, oneW = make([]float64, n), make([]float64, n), make([]float64, n)
	for j := range n {
		for _, c := range append([]tableCell{head[j]}, column(body, j)...) {
			minW[j], maxW[j], oneW[j] = max(minW[j], c.minW), max(maxW[j], c.maxW), max(oneW[j], c.oneW)
		}
	}
	pad := 2 * cellPad * e.em
	avail := e.column(in)
	info := &anchor{id: t.ID, pos: t.Pos} // a link target, not a contents entry
	e.toc.floatTarget(info)
	e.addSpace(1)
	for k, g := range columnGroups(oneW, pad, avail) {
		widths := columnWidths(minW[g[0]:g[1]], maxW[g[0]:g[1]], oneW[g[0]:g[1]], avail-pad*float64(g[1]-g[0]))
		label := "表"
		if k > 0 {
			label = "续表" // a further part of a table too wide for the page
		}
		first := e.captionRows(label, t.Number, t.Caption, in, t.Pos)
		if k == 0 {
			first.anchor = info
		}
		total := 0.0
		for _, w := range widths {
			total += w + pad
		}
		x0 := in.left + (avail-total)/2
		hr := e.text.tableRows(head[g[0]:g[1]], t.Align[g[0]:g[1]], widths, x0, math.MaxInt)[0]
		hr.noBreakAfter, hr.tableHead = true, true
		// The top rule comes first: closingRule copies its extent.
		hr.rules = append([]Rule{{X: x0, Y: 0, W: total, H: thickRule}}, hr.rules...)
		e.rows = append(e.rows, hr)
		last := hr
		limit := max(1, int(e.bodyH/e.pitch+eps)-hr.slots)
		for _, cells := range body {
			for _, r := range e.text.tableRows(cells[g[0]:g[1]], t.Align[g[0]:g[1]], widths, x0, limit) {
				r.repeat = hr
				e.rows = append(e.rows, r)
				last = r
			}
		}
		if last == hr {
			hr.rules = append(hr.rules, Rule{X: x0, Y: float64(hr.slots)*e.pitch - thickRule, W: total, H: thickRule})
		} else {
			hr.rules = append(hr.rules, Rule{X: x0, Y: float64(hr.slots)*e.pitch - thinRule/2, W: total, H: thinRule})
			last.rules = append(last.rules, closingRule(hr, float64(last.slots)*e.pitch))
		}
		e.addSpace(1)
	}
}

// closingRule is the thick rule at the foot of a table (or of its part
// on a page), for a row of height h under the header hr.
func closingRule(hr *row, h float64) Rule {
	top := hr.rules[0]
	return Rule{X: top.X, Y: h - thickRule, W: top.W, H: thickRule}
}

func column(rows [][]tableCell, j int) []tableCell {
	out := make([]tableCell, len(rows))
	for i, r := range rows {
		out[i] = r[j]
	}
	return out
}

// columnGroups splits columns into runs [from, to) that fit avail with
// each column at its least width oneW plus pad; one run when the table
// fits at all.
func columnGroups(oneW []float64, pad, avail float64) [][2]int {
	var groups [][2]int
	from, used := 0, 0.0
	for j, w := range oneW {
		if j > from && used+w+pad > avail+eps {
			groups = append(groups, [2]int{from, j})
			from, used = j, 0
		}
		used += w + pad
	}
	return append(groups, [2]int{from, len(oneW)})
}

// columnWidths distributes avail points of text width among columns with
// the given minimum, maximum and least widths (CSS 2.1 §17.5.2.2 in
// spirit): maximum widths when they fit. Else columns that fit unbroken
// in their share of the room left keep their maximum (a column of numbers
// is not wrapped to make room for prose; taken narrowest first, so in
// n log n), and the others get their minimum plus a share of the rest in
// proportion to max-min. When even the minimums do not fit, every column
// gets its least width plus a share in proportion to min-least, so that
// long words break between letters but no character crosses its column.
func columnWidths(minW, maxW, oneW []float64, avail float64) []float64 {
	n := len(minW)
	out := make([]float64, n)
	if sum(maxW) <= avail+eps {
		copy(out, maxW)
		return out
	}
	if sum(minW) > avail+eps {
		share(out, oneW, minW, avail)
		return out
	}
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	sort.Slice(order, func(a, b int) bool { return maxW[order[a]] < maxW[order[b]] })
	rest, minRest := avail, sum(minW)
	k := 0
	for ; k < n-1; k++ {
		j := order[k]
		// Fixing j must leave the others their minimums.
		if maxW[j] > rest/float64(n-k)+eps || minRest-minW[j] > rest-maxW[j]+eps {
			break
		}
		out[j] = maxW[j]
		rest -= maxW[j]
		minRest -= minW[j]
	}
	var lo, hi []float64
	for _, j := range order[k:] {
		lo, hi = append(lo, minW[j]), append(hi, maxW[j])
	}
	w := make([]float64, len(lo))
	share(w, lo, hi, rest)
	for i, j := range order[k:] {
		out[j] = w[i]
	}
	return out
}

// share sets out to lo plus a share of avail-sum(lo) in proportion to
// hi-lo.
func share(out, lo, hi []float64, avail float64) {
	sLo, sHi := sum(lo), sum(hi)
	for j := range out {
		out[j] = lo[j]
		if sHi > sLo {
			out[j] += (hi[j] - lo[j]) * max(0, avail-sLo) / (sHi - sLo)
		}
	}
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

// tableRows sets one row of cells in columns of the given text widths
// starting at x0: each cell's text wrapped in its column (ragged, with the
// body text's line-breaking rules), aligned as its column asks, top
// aligned; the row is as many grid lines tall as its tallest cell. A row
// taller than limit lines, which no page could hold, is cut into rows of
// limit lines.
func (ts *typesetter) tableRows(cells []tableCell, align []doc.Align, widths []float64, x0 float64, limit int) []*row {
	type setCell struct {
		sp    *setPara
		x, w  float64
		align doc.Align
	}
	pad := cellPad * ts.em
	var set []setCell
	n, x := 1, x0
	for j, c := range cells {
		if len(c.atoms) > 0 {
			sp := ts.setText(c.atoms, widths[j], 0, 0, false)
			set = append(set, setCell{sp, x + pad, widths[j], align[j]})
			n = max(n, len(sp.lines))
		}
		x += widths[j] + 2*pad
	}
	var rows []*row
	for from := 0; from < n; from += limit {
		r := &row{slots: min(limit, n-from)}
		for _, c := range set {
			for k := from; k < min(from+limit, len(c.sp.lines)); k++ {
				ln := c.sp.lines[k]
				lx := c.x
				switch c.align {
				case doc.AlignCenter:
					lx += (c.w - ln.width) / 2
				case doc.AlignRight:
					lx += c.w - ln.width
				}
				drawLine(r, c.sp, ln, lx, float64(k-from)*ts.pitch+ts.baseline(ts.em))
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// repeatSlots is the height of the table header repeated above row i when
// a page starts there.
func (p *paginator) repeatSlots(i int) int {
	if i < len(p.rows) && p.rows[i].repeat != nil {
		return p.rows[i].repeat.slots
	}
	return 0
}

// tablePage returns the rows [start, end) to place on a page, with the
// table's header repeated first when the page starts inside a table's
// body, and a closing rule under the last row when the table goes on on
// the next page.
func (p *paginator) tablePage(start, end int) []*row {
	rows := p.rows[start:end]
	if start >= end {
		return rows
	}
	if h := rows[0].repeat; h != nil {
		rows = append([]*row{h}, rows...)
	}
	if last := p.rows[end-1]; last.repeat != nil && end < len(p.rows) && p.rows[end].repeat == last.repeat {
		closed := *last
		closed.rules = append(closed.rules[:len(closed.rules):len(closed.rules)], closingRule(last.repeat, float64(last.slots)*p.pitch))
		rows = append(rows[:len(rows)-1:len(rows)-1], &closed)
	}
	return rows
}
