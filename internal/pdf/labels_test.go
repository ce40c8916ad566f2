package pdf

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/layout"
)

func TestPageLabels(t *testing.T) {
	for _, c := range []struct {
		folios []string
		want   []string // the labels qpdf computes from the file
	}{
		{[]string{"", "i", "ii", "1", "2", "3"}, []string{"", "i", "ii", "1", "2", "3"}},
		{[]string{"", "", "1", "2", "", "4"}, []string{"", "", "1", "2", "", "4"}},
		{[]string{"III", "IV", "7", "A-1"}, []string{"III", "IV", "7", "A-1"}},
		{[]string{"1", "2", "3"}, nil}, // the default: no /PageLabels
	} {
		b := testBook(t)
		b.Outline = nil
		var pages []*layout.Page
		for _, f := range c.folios {
			pages = append(pages, &layout.Page{Width: 420, Height: 595, Folio: f})
		}
		b.Pages = pages
		path := writeBook(t, b)
		out, _ := tool(t, "qpdf", "qpdf", "--json", "--json-key=pagelabels", path)
		var j struct {
			PageLabels []struct {
				Index int `json:"index"`
				Label struct {
					S  string `json:"/S"`
					St int    `json:"/St"`
					P  string `json:"/P"`
				} `json:"label"`
			} `json:"pagelabels"`
		}
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatal(err)
		}
		if c.want == nil {
			if len(j.PageLabels) != 0 {
				t.Errorf("%q: labels written for plain folios: %+v", c.folios, j.PageLabels)
			}
			continue
		}
		// Compute each page's label from the ranges, as a viewer does.
		got := make([]string, len(c.folios))
		for k, r := range j.PageLabels {
			end := len(got)
			if k+1 < len(j.PageLabels) {
				end = j.PageLabels[k+1].Index
			}
			st := max(r.Label.St, 1)
			for i := r.Index; i < end; i++ {
				n := st + i - r.Index
				lbl := strings.TrimPrefix(r.Label.P, "u:") // qpdf JSON v2 marks text strings
				switch r.Label.S {
				case "/D":
					lbl += strconv.Itoa(n)
				case "/r":
					lbl += toRoman(n)
				case "/R":
					lbl += strings.ToUpper(toRoman(n))
				}
				got[i] = lbl
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("folios %q read back as %q", c.folios, got)
		}
	}
}
