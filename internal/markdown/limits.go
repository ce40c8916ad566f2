package markdown

import "bytes"

// screen reports, before goldmark reads src, what would take it time
// growing faster than the size of src; each check takes linear time.
func screen(src []byte, errs *errorsFor) {
	checkNesting(src, errs)
	checkTables(src, errs)
	checkLinkScans(src, errs)
	checkBracketLines(src, errs)
}

// MaxNesting is how deep block quotes and lists may be nested. goldmark's
// block parser takes time quadratic in the nesting depth (20,000 levels on
// one line take seconds, 80,000 half a minute), and no page has room for
// more than a few levels of 2-em indents, so deeper input is refused
// before goldmark sees it.
const MaxNesting = 32

// maxIndent is the widest indentation, in columns, a line may start with:
// nesting by indentation alone (a list item under a list item…) costs
// goldmark as much as nesting by markers.
const maxIndent = 4 * MaxNesting

// checkNesting reports the lines whose container prefix (indentation, >
// and list markers) is deeper than MaxNesting or wider than maxIndent, in
// time linear in the size of src, and returns how many problems errs
// holds then.
func checkNesting(src []byte, errs *errorsFor) int {
	line := 1
	for start := 0; start < len(src); line++ {
		end := start
		for end < len(src) && src[end] != '\n' {
			end++
		}
		if depth, cols := containerPrefix(src[start:end]); depth > MaxNesting {
			errs.add(line, "block quotes and lists nested %d deep: paiban nests them at most %d deep", depth, MaxNesting)
		} else if cols > maxIndent {
			errs.add(line, "line indented %d columns: block quotes and lists may be nested at most %d deep; indent less", cols, MaxNesting)
		}
		start = end + 1
	}
	return len(errs.list)
}

// containerPrefix counts the block quote and list markers a line starts
// with and the columns they take with the blanks around them.
func containerPrefix(l []byte) (depth, cols int) {
	i := 0
	for i < len(l) {
		switch c := l[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4 - cols%4
			i++
		case c == '>':
			depth++
			cols++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(l) && (l[i+1] == ' ' || l[i+1] == '\t'):
			depth++
			cols++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j+1 >= len(l) || (l[j] != '.' && l[j] != ')') || (l[j+1] != ' ' && l[j+1] != '\t') {
				return depth, cols
			}
			depth++
			cols += j + 1 - i
			i = j + 1
		default:
			return depth, cols
		}
	}
	return depth, cols
}

// maxTableFill is how many cells goldmark may add to table rows shorter
// than their header, beyond one per byte of the book: each cell costs
// some 300 bytes, and without a bound a row "x" under a header of 100
// columns turns 2 bytes into 100 cells (100 KB of such rows took 1.4 GB).
const maxTableFill = 100_000

// checkTables reports, before goldmark reads src, the delimiter rows of
// tables wider than maxTableColumns, and tables whose short rows would
// make goldmark fill in more than maxTableFill+len(src) cells in all. It
// takes time linear in the size of src and over-counts rather than
// under-counts (a table's rows are taken to run to the next blank line).
// It returns how many problems errs holds then.
func checkTables(src []byte, errs *errorsFor) int {
	lines := bytes.Split(src, []byte("\n"))
	fill, firstWide := 0, 0
	for i := 0; i < len(lines); i++ {
		cols := delimiterRowColumns(lines[i])
		if cols > maxTableColumns {
			errs.add(i+1, "table with %d columns: paiban sets tables of at most %d columns", cols, maxTableColumns)
			continue
		}
		if cols < 2 {
			continue
		}
		at := max(i, 1) // the header's line
		for i+1 < len(lines) && len(bytes.TrimSpace(lines[i+1])) > 0 {
			i++
			if short := cols - (bytes.Count(lines[i], []byte("|")) + 1); short > 0 {
				fill += short
			}
		}
		if fill > maxTableFill+len(src) && firstWide == 0 {
			firstWide = at
		}
	}
	if firstWide > 0 {
		errs.add(firstWide, "tables with rows shorter than their header: paiban would fill in %d empty cells, more than it takes; write the rows out in full", fill)
	}
	return len(errs.list)
}

// delimiterRowColumns returns how many columns a line would give a table
// if it were its delimiter row (| :--- | ---: |), or 0 when it cannot be
// one. It may count a line inside a code block; a code block that wide
// is refused too, which costs no real book anything.
func delimiterRowColumns(l []byte) int {
	cols, cell := 0, false
	for _, c := range l {
		switch c {
		case '|':
			if cell {
				cols++
			}
			cell = false
		case '-', ':':
			cell = true
		case ' ', '\t', '\r', '>':
		default:
			return 0
		}
	}
	if cell {
		cols++
	}
	return cols
}

// checkLinkScans reports the line where link destinations that never end
// have cost goldmark more than a budget in proportion to src. For each
// "](" goldmark scans the destination to its end (a blank, an unbalanced
// ")" or, after "<", a ">"); with no end on the line, each of 100,000
// "[a](" in a line scanned the rest of it, 35 s in all. The scans are
// added up as goldmark would make them, and the check stops once the
// budget is spent, so that it takes linear time itself.
func checkLinkScans(src []byte, errs *errorsFor) int {
	budget := 4*len(src) + 1<<20
	line := 1
	for i := 0; i+1 < len(src); i++ {
		switch {
		case src[i] == '\n':
			line++
		case src[i] == ']' && src[i+1] == '(':
			if budget -= destinationScan(src[i+2:]); budget < 0 {
				errs.add(line, "too many links with no end (\"](\" with no \")\" after the address): finish them, or write the brackets as \\[ and \\]")
				return len(errs.list)
			}
		}
	}
	return len(errs.list)
}

// destinationScan is how far goldmark reads s, the text after "](",
// looking for the end of a link destination.
func destinationScan(s []byte) int {
	j := 0
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j < len(s) && s[j] == '<' {
		if k := bytes.IndexAny(s[j:], ">\n"); k >= 0 {
			return j + k
		}
		return len(s)
	}
	depth := 0
	for ; j < len(s); j++ {
		switch s[j] {
		case ' ', '\t', '\n', '\r':
			return j
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return len(s)
}

// bracketLineBudget bounds, for each paragraph, its lines times its
// closing brackets: goldmark looks each "]" that does not end a link up
// as a reference by reading the paragraph's lines from the first. A
// paragraph at the budget, 20,000 lines of "[a](" or of reference
// definitions, takes about 0.3 s; 40,000 took seconds.
const bracketLineBudget = 400_000_000

// opensFootnote reports whether line opens a footnote definition,
// "[^label]:" after at most three spaces.
func opensFootnote(line []byte) bool {
	t := bytes.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || !bytes.HasPrefix(t, []byte("[^")) {
		return false
	}
	i := bytes.IndexByte(t, ']')
	return i > 2 && i+1 < len(t) && t[i+1] == ':' && !bytes.ContainsAny(t[2:i], " \t[")
}

// opensListItem reports whether line starts a list item ("- ", "* ",
// "+ ", "1. ", "1) ", after any indentation), which ends the paragraph
// before it: a task list of thousands of "- [ ]" items is no paragraph of
// brackets.
func opensListItem(line []byte) bool {
	t := bytes.TrimLeft(line, " \t")
	if len(t) >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && (t[1] == ' ' || t[1] == '\t') {
		return true
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && (t[i+1] == ' ' || t[i+1] == '\t')
}

// checkBracketLines reports paragraphs (runs of non-blank lines; a line
// "---" ends one too, as it ends the front matter, and a footnote
// definition or a list item starts a block of its own, so that notes
// written one a line and tight lists are never one paragraph) whose lines
// times brackets pass bracketLineBudget, at their first line.
func checkBracketLines(src []byte, errs *errorsFor) int {
	line, first, lines, brackets, emphasized := 1, 0, 0, 0, 0
	end := func() {
		switch {
		case lines*brackets > bracketLineBudget:
			errs.add(first, "paragraph of %d lines with %d closing brackets: paiban would take too long to read it; split it with blank lines or write the brackets as \\]", lines, brackets)
		case emphasized > maxEmphasizedLinks:
			errs.add(first, "paragraph of %d links with emphasis in their text: paiban would take too long to read it; split it into paragraphs, or set the emphasis around the links", emphasized)
		}
		lines, brackets, emphasized = 0, 0, 0
	}
	for start := 0; start < len(src); line++ {
		l := src[start:]
		if i := bytes.IndexByte(l, '\n'); i >= 0 {
			l = l[:i]
		}
		start += len(l) + 1
		if t := bytes.TrimSpace(l); len(t) == 0 || string(t) == "---" {
			end()
			continue
		}
		if opensFootnote(l) || opensListItem(l) {
			end()
		}
		if lines == 0 {
			first = line
		}
		lines++
		brackets += bytes.Count(l, []byte("]"))
		emphasized += emphasizedLinks(l)
	}
	end()
	return len(errs.list)
}

// maxEmphasizedLinks bounds the links of a paragraph whose text holds an
// emphasis delimiter: goldmark reads such a link's text in time growing
// with the paragraph read so far (5,000 on a line take 0.3 s, 20,000 take
// 7 s).
const maxEmphasizedLinks = 5000

// emphasizedLinks counts the "](" of line after a text, from the "[" before
// it, that holds * or _.
func emphasizedLinks(line []byte) int {
	n, from := 0, 0
	for {
		i := bytes.Index(line[from:], []byte("]("))
		if i < 0 {
			return n
		}
		label := line[from : from+i]
		if open := bytes.LastIndexByte(label, '['); open >= 0 && bytes.ContainsAny(label[open:], "*_") {
			n++
		}
		from += i + 2
	}
}
