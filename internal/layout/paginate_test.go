package layout

import "testing"

// TestPaginatorKeepsWithNext runs the paginator alone, on rows made by
// hand: a row that may not end a page (a heading) and would be the last
// on the first page goes to the top of the second, with the row after
// it; without the rule it stays at the foot of the first.
func TestPaginatorKeepsWithNext(t *testing.T) {
	st, faces := testStyle(t)
	fr, err := newFrame(Options{Style: st, Faces: faces})
	if err != nil {
		t.Fatal(err)
	}
	lines := int(fr.bodyH/fr.pitch + eps)
	for _, keep := range []bool{true, false} {
		var rows []*row
		for range lines - 1 {
			rows = append(rows, &row{slots: 1})
		}
		head := &anchor{}
		rows = append(rows, &row{slots: 1, noBreakAfter: keep, anchor: head}, &row{slots: 1})
		p := &paginator{frame: fr, text: newTypesetter(fr, nil), rows: rows}
		pages, _, _, err := p.paginate()
		if err != nil {
			t.Fatal(err)
		}
		wantPage, wantY := 0, fr.top+float64(lines-1)*fr.pitch
		if keep {
			wantPage, wantY = 1, fr.top
		}
		if len(pages) != 2 || head.page != wantPage || head.y != wantY || head.folio != pages[wantPage].Folio {
			t.Errorf("keep %v: %d pages, the heading on page %d (folio %q) at y %.2f; want 2 pages, page %d at y %.2f",
				keep, len(pages), head.page, head.folio, head.y, wantPage, wantY)
		}
	}
}
