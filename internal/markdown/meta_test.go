package markdown

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

func TestColophonMetadata(t *testing.T) {
	for _, c := range []struct {
		name, front string
		want        doc.Metadata
	}{
		{"every new key", "title: 书\neditor: [甲, 乙]\npublisher: 人民出版社\nisbn: 978-7-01-012345-5\nkeywords: [新质生产力, 高质量发展]\nnumbering: chinese\nlist_of_figures: true\n",
			doc.Metadata{Title: "书", Language: "zh-CN", Editors: []string{"甲", "乙"}, Publisher: "人民出版社", ISBN: "978-7-01-012345-5",
				Keywords: []string{"新质生产力", "高质量发展"}, Numbering: "chinese", ListOfFigures: true}},
		{"one editor, keywords in one string", "title: 书\neditor: 丙\nkeywords: 新质生产力，高质量发展、科技创新, Go\nnumbering: none\nlist_of_figures: false\n",
			doc.Metadata{Title: "书", Language: "zh-CN", Editors: []string{"丙"}, Keywords: []string{"新质生产力", "高质量发展", "科技创新", "Go"}, Numbering: "none"}},
		{"ISBN-10 with X, ISBN-13 as a number", "title: 书\nisbn: 0-8044-2957-x\n",
			doc.Metadata{Title: "书", Language: "zh-CN", ISBN: "0-8044-2957-x"}},
		{"ISBN-13 unquoted", "title: 书\nisbn: 9787010123455\n",
			doc.Metadata{Title: "书", Language: "zh-CN", ISBN: "9787010123455"}},
	} {
		d, err := Parse("b.md", []byte("---\n"+c.front+"---\n正文\n"))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(d.Meta, c.want) {
			t.Errorf("%s\n got %+v\nwant %+v", c.name, d.Meta, c.want)
		}
	}
}

func TestColophonMetadataErrors(t *testing.T) {
	front := "title: 书\nisbn: 978-7-01-012345-7\nnumbering: chinse\nlist_of_figures: yes\neditor: {name: 甲}\nkeywords: [[a]]\npublisher: [a]\n"
	_, err := Parse("b.md", []byte("---\n"+front+"---\n正文\n"))
	want := []string{
		`b.md:3:7: isbn "978-7-01-012345-7": wrong check digit 7: it should be 5`,
		`b.md:4:12: numbering "chinse": use none or chinese (did you mean "chinese"?)`,
		`b.md:5:18: list_of_figures must be true or false`,
		`b.md:6:9: editor must be text or a list of text items`,
		`b.md:7:12: keywords must be a list of text items`,
		`b.md:8:12: publisher must be text, not a list or mapping`,
	}
	if err == nil || !reflect.DeepEqual(strings.Split(err.Error(), "\n"), want) {
		t.Errorf("errors\n got %v\nwant %s", err, strings.Join(want, "\n"))
	}
	for isbn, msg := range map[string]string{
		"0-8044-2957-5":          "wrong check digit 5: it should be X",
		"978-7-01":               "an ISBN has 10 or 13 digits",
		"97870101234X6":          "an ISBN-13 has only digits",
		"ISBN 978-7-01-012345-5": "",
		"ISBN:0306406152":        "",
	} {
		if got := checkISBN(isbn); got != msg {
			t.Errorf("%s: %q, want %q", isbn, got, msg)
		}
	}
}

// TestMetaKeysInREADME checks that the README lists the front matter
// keys, in the order of the table that reads them.
func TestMetaKeysInREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, list, _ := strings.Cut(string(readme), "Front matter keys:")
	at := 0
	for _, k := range metaKeyNames() {
		i := strings.Index(list[at:], "`"+k+"`")
		if i < 0 {
			t.Errorf("the README's front matter keys lack %s after %q", k, list[max(at-20, 0):at])
			continue
		}
		at += i
	}
}
