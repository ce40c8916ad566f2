package build

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStageImports keeps the stages apart: layout writes no PDF, the PDF
// writer reads only the page layout (not Markdown or the document model
// directly), the EPUB writer never sees the page layout. Indirect
// dependencies count too, except the document model that layout reads.
func TestStageImports(t *testing.T) {
	const mod = "github.com/paiban/paiban/internal/"
	forbidden := map[string][]string{
		"doc":      {mod, "github.com/yuin/goldmark", "github.com/signintech/gopdf", "github.com/go-shiori/go-epub"},
		"markdown": {mod + "layout", mod + "pdf", mod + "epub", "github.com/signintech/gopdf"},
		"layout":   {mod + "pdf", mod + "epub", mod + "markdown", "github.com/signintech/gopdf", "github.com/yuin/goldmark", "github.com/go-shiori/go-epub"},
		"pdf":      {mod + "markdown", mod + "epub", "github.com/yuin/goldmark"},
		"epub":     {mod + "layout", mod + "pdf", mod + "markdown", "github.com/signintech/gopdf"},
	}
	direct, err := exec.Command("go", "list", "-f", "{{join .Imports \" \"}}", mod+"pdf").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(direct), mod+"doc") {
		t.Errorf("pdf imports the document model directly")
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == mod+pkg {
				continue
			}
			for _, b := range bad {
				if strings.HasPrefix(dep, b) && !(pkg == "doc" && dep == mod+"doc") {
					t.Errorf("%s imports %s", pkg, dep)
				}
			}
		}
	}
}
