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
		if d.Meta.Title == "" || len(d.Blocks) == 0 {
			t.Fatalf("document without a title or body: %+v", d.Meta)
		}
	})
}
