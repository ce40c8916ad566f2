package epub

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// TestSplitLargeChapter writes a chapter of about a megabyte in three
// sections after a part title: the part has a file of its own, the
// chapter is cut at its ## headings so that no file is much over 300 KB,
// and the links between the pieces and their notes still resolve.
func TestSplitLargeChapter(t *testing.T) {
	long := strings.Repeat("这是一段很长的正文，用来把一章撑到三百千字节以上。", 200) // 15 KB
	var blocks []doc.Block
	var notes []*doc.Footnote
	blocks = append(blocks, &doc.Part{ID: "part-1", Title: "第一部分"}, heading(1, 1, "ch", "第一章"))
	for s := 1; s <= 3; s++ {
		blocks = append(blocks, heading(2, 2, fmt.Sprintf("s%d", s), fmt.Sprintf("第%d节", s)))
		n := &doc.Footnote{Number: len(notes) + 1, Blocks: []doc.Block{para(3, text("注。"))}}
		notes = append(notes, n)
		blocks = append(blocks, para(4, text("见"), &doc.Link{URL: fmt.Sprintf("#s%d", 4-s), Content: []doc.Inline{text("另一节")}}, &doc.FootnoteRef{Note: n}))
		for range 22 {
			blocks = append(blocks, para(5, text(long)))
		}
	}
	d := &doc.Document{Meta: doc.Metadata{Title: "大书", Language: "zh-CN"}, Blocks: blocks, Footnotes: notes}
	files, _ := epubFiles(t, write(t, d, options(t)))
	var names []string
	for name, data := range files {
		if !strings.HasPrefix(name, "EPUB/xhtml/chapter") {
			continue
		}
		names = append(names, name)
		if len(data) > 400<<10 {
			t.Errorf("%s is %d KB", name, len(data)>>10)
		}
	}
	if len(names) != 4 {
		t.Fatalf("files %v, want the part and three pieces of the chapter", names)
	}
	if !strings.Contains(string(files["EPUB/xhtml/chapter01.xhtml"]), `<section epub:type="part" role="doc-part">`) {
		t.Error("the part has no file of its own")
	}
	href := regexp.MustCompile(`href="([^"#]*)#([^"]+)"`)
	for _, name := range names {
		body := string(files[name])
		for _, m := range href.FindAllStringSubmatch(body, -1) {
			target := name
			if m[1] != "" {
				target = "EPUB/xhtml/" + m[1]
			}
			if !strings.Contains(string(files[target]), `id="`+m[2]+`"`) {
				t.Errorf("%s: link to %s#%s leads nowhere", name, m[1], m[2])
			}
		}
		if strings.Contains(body, `epub:type="noteref"`) != strings.Contains(body, `epub:type="footnote"`) {
			t.Errorf("%s: a note and its reference are in different files", name)
		}
	}
}

// A book of more chapters than maxTextFiles has maxTextFiles files at
// most; each chapter still opens a section of its own, and the contents
// find every chapter in the file that holds it.
func TestSplitManyChapters(t *testing.T) {
	const chapters = 2*maxTextFiles + 1
	var blocks []doc.Block
	for c := 1; c <= chapters; c++ {
		blocks = append(blocks, heading(c, 1, fmt.Sprintf("c%d", c), fmt.Sprintf("第%d章", c)), para(c, text("正文。")))
	}
	d := &doc.Document{Meta: doc.Metadata{Title: "多章之书", Language: "zh-CN"}, Blocks: blocks}
	files, _ := epubFiles(t, write(t, d, options(t)))
	texts, sections := 0, 0
	for name, data := range files {
		if strings.HasPrefix(name, "EPUB/xhtml/chapter") {
			texts++
			sections += strings.Count(string(data), `<section epub:type="chapter"`)
		}
	}
	if texts > maxTextFiles || texts < maxTextFiles/2 {
		t.Errorf("%d text files for %d chapters, want at most %d and not far fewer", texts, chapters, maxTextFiles)
	}
	if sections != chapters {
		t.Errorf("%d chapter sections, want %d", sections, chapters)
	}
	nav := string(files["EPUB/nav.xhtml"])
	for _, c := range []int{1, chapters / 2, chapters} {
		m := regexp.MustCompile(`href="xhtml/([^"#]+)#c` + fmt.Sprint(c) + `"`).FindStringSubmatch(nav)
		if m == nil {
			t.Errorf("the contents do not list chapter %d", c)
			continue
		}
		if !strings.Contains(string(files["EPUB/xhtml/"+m[1]]), `id="c`+fmt.Sprint(c)+`"`) {
			t.Errorf("the contents lead to chapter %d in %s, which does not hold it", c, m[1])
		}
	}
}
