package layout

import (
	"fmt"
	"strings"
	"time"

	"github.com/paiban/paiban/internal/doc"
)

// colophonFields lists the colophon's (版权页) entries that the metadata
// gives, label and text, in the order Chinese copyright pages print them.
func colophonFields(m doc.Metadata) [][2]string {
	title := m.Title
	if m.Subtitle != "" {
		title += "——" + m.Subtitle
	}
	all := [][2]string{
		{"书名", title},
		{"著者", m.AuthorNames()},
		{"编者", strings.Join(m.Editors, "、")},
		{"出版", m.Publisher},
		{"日期", chineseDate(m.Date)},
		{"ISBN", m.ISBN},
		{"版权", m.Rights},
		{"关键词", strings.Join(m.Keywords, "；")},
	}
	var out [][2]string
	for _, f := range all {
		if f[1] != "" {
			out = append(out, f)
		}
	}
	return out
}

// chineseDate writes a YYYY-MM-DD date as Chinese text does, 2024年4月30日
// (Arabic numerals without leading zeros, as GB/T 15835 shows); anything else is
// returned as it is.
func chineseDate(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
}

// hasColophon reports whether the book gives something only a colophon
// shows; a reprinted article with a title and authors says it all in
// its title block and gets none.
func hasColophon(m doc.Metadata) bool {
	return len(m.Editors) > 0 || m.Publisher != "" || m.ISBN != "" || m.Rights != "" || len(m.Keywords) > 0
}

// addColophon adds the colophon on a page of its own: one entry per
// field, the label in the 黑 face with the text hanging after it, the
// block at the foot of the page below a rule, as copyright pages are set.
func (e *engine) addColophon(m doc.Metadata) {
	if !hasColophon(m) {
		return
	}
	var rows []*row
	for _, f := range colophonFields(m) {
		label := []doc.Inline{&doc.Emphasis{Strong: true, Content: []doc.Inline{doc.Text(f[0] + "：")}}}
		la := e.text.atomsOf(label, styleOf(e.body, e.em), doc.Pos{})
		hang := e.text.setText(la, e.measure, 0, 0, false).lines[0].width
		atoms := e.text.atomsOf(append(label, doc.Text(f[1])), styleOf(e.body, e.em), doc.Pos{})
		sp := e.text.setText(atoms, e.measure, 0, hang, false)
		for i, ln := range sp.lines {
			r := &row{slots: 1, noBreakAfter: true}
			x0 := 0.0
			if i > 0 {
				x0 = hang
			}
			drawLine(r, sp, ln, x0, e.baseline(e.em))
			rows = append(rows, r)
		}
	}
	rows[0].rules = append(rows[0].rules, Rule{X: 0, Y: 0, W: e.measure, H: 0.5})
	rows[len(rows)-1].noBreakAfter = false
	room := int(e.bodyH/e.pitch+eps) - len(rows)
	lead := &row{slots: max(room, 0), newPage: true, noBreakAfter: true}
	if !e.st.FrontMatterPages {
		// Like a chapter's first page, the colophon's has no running
		// head (front-matter pages have none anyway).
		lead.chapter = m.Title
	}
	e.rows = append(e.rows, lead)
	e.rows = append(e.rows, rows...)
}
