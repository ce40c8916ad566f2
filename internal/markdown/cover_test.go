package markdown

import (
	"strings"
	"testing"
)

func TestCoverKey(t *testing.T) {
	d, err := Parse("book.md", []byte("---\ntitle: 书\ncover: images/cover.png\n---\n\n正文。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Meta.Cover != "images/cover.png" {
		t.Errorf("cover %q, want images/cover.png", d.Meta.Cover)
	}
	for _, bad := range []string{"../cover.png", "/etc/cover.png", "images/../../cover.png"} {
		_, err := Parse("book.md", []byte("---\ntitle: 书\ncover: "+bad+"\n---\n\n正文。\n"))
		want := `book.md:3:8: cover "` + bad + `" must be a path inside the book's folder`
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("cover %s: error %v, want %s", bad, err, want)
		}
	}
}
