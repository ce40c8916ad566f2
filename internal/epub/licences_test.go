package epub

import (
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/doc"
)

// TestOnlyEmbeddedFacesLicensed: a book without quotations or code embeds
// neither 楷体 face, so neither their licences nor the colophon name
// them; a book with a quotation gets the Kai face and its licence.
func TestOnlyEmbeddedFacesLicensed(t *testing.T) {
	plain := &doc.Document{Meta: doc.Metadata{Title: "书", Language: "zh-CN"}, Blocks: []doc.Block{para(1, text("正文。"))}}
	quoted := &doc.Document{Meta: doc.Metadata{Title: "书", Language: "zh-CN"}, Blocks: []doc.Block{
		para(1, text("正文。")), &doc.BlockQuote{Blocks: []doc.Block{para(2, text("引文。"))}},
	}}
	for _, c := range []struct {
		name       string
		d          *doc.Document
		has, lacks []string
	}{
		{"plain", plain, []string{"OFL-NotoSerifSC.txt"}, []string{"OFL-LXGWWenKai.txt", "OFL-LXGWWenKaiMono.txt", "PaibanKaiSC-Regular.ttf", "PaibanMonoSC-Regular.ttf"}},
		{"quoted", quoted, []string{"OFL-NotoSerifSC.txt", "OFL-LXGWWenKai.txt", "PaibanKaiSC-Regular.ttf"}, []string{"OFL-LXGWWenKaiMono.txt", "PaibanMonoSC-Regular.ttf"}},
	} {
		files, _ := epubFiles(t, write(t, c.d, options(t)))
		colophon := string(files[xhtmlDir+colophonFile])
		for _, f := range c.has {
			if files["EPUB/fonts/"+f] == nil {
				t.Errorf("%s: no fonts/%s", c.name, f)
			}
		}
		for _, f := range c.lacks {
			if files["EPUB/fonts/"+f] != nil {
				t.Errorf("%s: fonts/%s is in a book that does not use the face", c.name, f)
			}
			if strings.Contains(colophon, f) {
				t.Errorf("%s: the colophon names %s", c.name, f)
			}
		}
		if strings.Contains(colophon, "Paiban Kai SC") != (c.name == "quoted") {
			t.Errorf("%s: the colophon's naming of Paiban Kai SC does not match the book", c.name)
		}
	}
}
