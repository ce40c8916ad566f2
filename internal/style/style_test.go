package style

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestBundledStylesLoad(t *testing.T) {
	for _, name := range Available("../../styles") {
		st, err := Load("../../styles", name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if st.LineBreaking != "gb" && st.LineBreaking != "strict" {
			t.Errorf("%s: line breaking %q", name, st.LineBreaking)
		}
	}
	if got := Available("../../styles"); len(got) < 2 {
		t.Errorf("styles found: %v", got)
	}
}

func TestBadStyles(t *testing.T) {
	base, err := os.ReadFile("../../styles/a4-handout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, extra, want string }{
		{"unknown key", "body_sise: 10\n", `s.yaml:` + strconv.Itoa(bytes.Count(base, []byte("\n"))+1) + `: unknown key "body_sise" (did you mean "body_size"?)`},
		{"bad profile", "line_breaking: loose\n", `line_breaking is "loose": use gb or strict`},
		{"bad imposition", "impose: [4up]\n", `impose lists "4up": use booklet or 2up`},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "s.yaml"), append(append([]byte{}, base...), c.extra...), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(dir, "s")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "s.yaml") {
			t.Errorf("%s: error %v, want one naming s.yaml and %q", c.name, err, c.want)
		}
	}
	if _, err := Load("../../styles", "a4-handot"); err == nil || !strings.Contains(err.Error(), `a4-handout, a5-book (did you mean "a4-handout"?)`) {
		t.Errorf("unknown style: error %v, want the list of styles", err)
	}
}

// TestFontRoles checks that a style's fonts are read by the table of
// roles: each role's font, and a mistyped role reported at its line with
// the role meant.
func TestFontRoles(t *testing.T) {
	st, err := Load("../../styles", "a4-handout")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Roles {
		if st.Fonts.Face(r) == "" {
			t.Errorf("a4-handout names no font for %s", r)
		}
	}
	if got := st.Fonts.Face(Kai); got != "LXGWWenKai-Regular.ttf" {
		t.Errorf("kai is %q", got)
	}
	base, err := os.ReadFile("../../styles/a4-handout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	line := 1 + bytes.Count(base[:bytes.Index(base, []byte("  kai:"))], []byte("\n"))
	for _, c := range []struct{ from, to, want string }{
		{"  kai:", "  kia:", "s.yaml:" + strconv.Itoa(line) + `: unknown key "kia" (did you mean "kai"?)`},
		{"  kai: LXGWWenKai-Regular.ttf", "  kai: [a.ttf]", "s.yaml:" + strconv.Itoa(line) + ":"},
		{"  serif: NotoSerifSC-Regular.ttf\n", "", "serif, sans and latin must be named"},
	} {
		dir := t.TempDir()
		bad := bytes.Replace(base, []byte(c.from), []byte(c.to), 1)
		if err := os.WriteFile(filepath.Join(dir, "s.yaml"), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(dir, "s"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: error %v, want %q", c.from, c.to, err, c.want)
		}
	}
}

// TestBuiltIn reads the styles built into the program: the same as the
// files in styles/.
func TestBuiltIn(t *testing.T) {
	if got, want := Available(""), Available("../../styles"); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("built-in styles %v, want %v", got, want)
	}
	for _, name := range Available("../../styles") {
		in, err := Load("", name)
		if err != nil {
			t.Fatal(err)
		}
		disk, err := Load("../../styles", name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(in, disk) {
			t.Errorf("built-in %s differs from styles/%s.yaml", name, name)
		}
	}
	in, err := Sheet("")
	if err != nil {
		t.Fatal(err)
	}
	disk, err := os.ReadFile("../../styles/epub.css")
	if err != nil || !bytes.Equal(in, disk) {
		t.Errorf("built-in epub.css differs from styles/epub.css (%v)", err)
	}
	if _, err := Load("", "a4-handout2"); err == nil || !strings.Contains(err.Error(), `did you mean "a4-handout"`) {
		t.Errorf("unknown built-in style: %v", err)
	}
	// A styles folder without epub.css gets the built-in one; one that
	// cannot be read is an error.
	if own, err := Sheet(t.TempDir()); err != nil || !bytes.Equal(own, in) {
		t.Errorf("a styles folder without epub.css: %v", err)
	}
	unreadable := t.TempDir()
	if err := os.Mkdir(filepath.Join(unreadable, "epub.css"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Sheet(unreadable); err == nil || !strings.Contains(err.Error(), "epub.css") {
		t.Errorf("epub.css a folder: %v", err)
	}
}
