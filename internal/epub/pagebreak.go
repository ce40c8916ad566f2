package epub

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/paiban/paiban/internal/doc"
)

// PageBreak is where a page of the print edition begins: Offset runes into
// the plain text (doc.PlainText) of the Block-th heading or paragraph,
// counting headings and paragraphs in document order as doc.Walk visits
// them. Label is the printed page number.
//
// A page that begins with figures, tables or code blocks, which are not
// counted, begins Lead of them before the Block-th heading or paragraph
// (Offset is then 0): Lead 1 is the one right before it.
type PageBreak struct {
	Block, Offset int
	Lead          int
	Label         string
}

// pageMarks are the page breaks of a book while its files are written.
type pageMarks struct {
	breaks  []PageBreak
	ids     []string      // the marker's id, by break
	files   []string      // the file the marker was written to, by break
	byBlock map[int][]int // break indices by block, in text order
	next    int           // the number of the next heading or paragraph
	// lead is, for each figure, table, code block and part title, how
	// many of them stand from it to the next heading or paragraph (itself
	// included).
	lead map[doc.Block]int
}

// safeLabel is a page number that can be part of an id as it is.
var safeLabel = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// newPageMarks checks the breaks against the document: each must lie in
// the text, in reading order, with a label of its own.
func newPageMarks(d *doc.Document, breaks []PageBreak) (*pageMarks, error) {
	var lengths []int
	lead := map[doc.Block]int{}
	var uncounted []doc.Block // since the last heading or paragraph
	doc.Walk(d.Blocks, func(bl doc.Block) {
		switch n := bl.(type) {
		case *doc.Heading:
			lengths = append(lengths, utf8.RuneCountInString(doc.PlainText(n.Content)))
		case *doc.Paragraph:
			lengths = append(lengths, utf8.RuneCountInString(doc.PlainText(n.Content)))
		case *doc.Figure, *doc.Table, *doc.CodeBlock, *doc.Part:
			uncounted = append(uncounted, bl)
			return
		default:
			return
		}
		for i, u := range uncounted {
			lead[u] = len(uncounted) - i
		}
		uncounted = uncounted[:0]
	})
	m := &pageMarks{breaks: breaks, ids: make([]string, len(breaks)), files: make([]string, len(breaks)), byBlock: map[int][]int{}, lead: lead}
	seen := map[string]bool{}
	for i, pb := range breaks {
		switch {
		case pb.Label == "":
			return nil, fmt.Errorf("epub: page break %d has no label", i+1)
		case seen[pb.Label]:
			return nil, fmt.Errorf("epub: page %s is given twice", pb.Label)
		case pb.Block < 0 || pb.Block >= len(lengths) || pb.Offset < 0 || pb.Offset > lengths[pb.Block]:
			return nil, fmt.Errorf("epub: page %s begins at block %d offset %d, outside the text", pb.Label, pb.Block, pb.Offset)
		case pb.Lead < 0 || pb.Lead > 0 && pb.Offset != 0:
			return nil, fmt.Errorf("epub: page %s begins %d blocks before block %d at offset %d", pb.Label, pb.Lead, pb.Block, pb.Offset)
		case i > 0 && before(pb, breaks[i-1]):
			return nil, fmt.Errorf("epub: page %s begins before page %s", pb.Label, breaks[i-1].Label)
		}
		seen[pb.Label] = true
		m.ids[i] = "page-" + pb.Label
		if !safeLabel.MatchString(pb.Label) {
			m.ids[i] = fmt.Sprintf("page-at-%d", i+1)
		}
		m.byBlock[pb.Block] = append(m.byBlock[pb.Block], i)
	}
	return m, nil
}

// before reports whether page break a lies before b. Two pages may begin
// at the same place: the pages a code block or table longer than a page
// spans all begin at the block, the only place the EPUB can mark.
func before(a, b PageBreak) bool {
	switch {
	case a.Block != b.Block:
		return a.Block < b.Block
	case a.Lead != b.Lead:
		return a.Lead > b.Lead // further before the block
	}
	return a.Offset < b.Offset
}
