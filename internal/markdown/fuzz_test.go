package markdown

import (
	"os"
	"path/filepath"
	"testing"
)

// seedFiles are real books, good and bad, that seed the fuzzers.
func seedFiles(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, pattern := range []string{"../../source/*.md", "testdata/*.md", "../../cmd/paiban/testdata/bad/*.md"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	if len(seeds) == 0 {
		t.Fatal("no seed books found")
	}
	return seeds
}

// FuzzParse checks that any input gives either a document or a list of
// file:line errors, never a panic, and that a document has a title and a
// body.
func FuzzParse(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	// The syntax of figures, tables, definition lists, ruby, heading ids
	// and CJK-friendly emphasis, and its malformed neighbours.
	for _, body := range []string{
		"**“新质生产力”**是，**注意：**正文，*强调*文字__下划__。\n",
		"{汉字|hàn zì}\\{不是|注音}{汉字|}{汉字|hàn\n",
		"## 甲 {#a}\n\n### 乙 {.c}\n\n##### 深\n\n[甲](#a \"page\")[乙](#乙 \"页码\")[丙](#fig-1)\n",
		"| a | b |\n|:-|-:|\n| 1 |\n\n: 标题\n\n![图](testdata/images/chart.png \"题\")\n\n文![图](x.png)\n",
		"术语\n: 定义\n\n    二段\n: 又一\n",
	} {
		f.Add([]byte("---\ntitle: T\nnumbering: chinese\n---\n" + body))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("fuzz.md", src)
		if err != nil {
			if d != nil {
				t.Fatal("a document came back with errors")
			}
			l, ok := err.(ErrorList)
			if !ok || len(l) == 0 {
				t.Fatalf("error %T %v, want an ErrorList", err, err)
			}
			for _, e := range l {
				if e.File != "fuzz.md" || e.Line < 1 {
					t.Fatalf("error without its place: %v", e)
				}
			}
			return
		}
		if d.Meta.Title == "" {
			t.Fatalf("document without a title: %+v", d.Meta)
		}
		if len(d.Blocks) == 0 && len(d.Warnings) == 0 {
			t.Fatal("an empty body without a warning")
		}
	})
}
