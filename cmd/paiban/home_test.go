package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunsFromAnyFolder builds paiban with go build and runs it from a
// temporary folder on a book in another one: the fonts are found beside
// the program, in PAIBAN_HOME or in the source tree it was built from,
// and the styles are built in.
func TestRunsFromAnyFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program twice")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bookDir := filepath.Join(tmp, "books", "书")
	if err := os.MkdirAll(bookDir, 0o755); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(bookDir, "book.md")
	if err := os.WriteFile(book, []byte("---\ntitle: 随处可用\n---\n\n正文一段。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(tmp, "elsewhere")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	release := filepath.Join(tmp, "release")
	bin := filepath.Join(release, "bin", "paiban")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	run := func(env ...string) (string, error) {
		cmd := exec.Command(bin, "build", "-q", "-o", "out", book)
		cmd.Dir = work
		cmd.Env = append(withoutHome(os.Environ()), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	built := func(what string) {
		t.Helper()
		for _, f := range []string{"book.pdf", "book.epub"} {
			p := filepath.Join(work, "out", f)
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s: %v", what, err)
			}
			os.Remove(p)
		}
	}
	// Nothing beside the program: the source tree it was built from has
	// the fonts, as after go install.
	if out, err := run(); err != nil {
		t.Errorf("from the source tree: %v\n%s", err, out)
	}
	built("from the source tree")
	// An empty fonts folder in PAIBAN_HOME comes before the source tree:
	// the build fails naming it.
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(filepath.Join(home, "fonts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := run("PAIBAN_HOME=" + home); err == nil || !strings.Contains(out, filepath.Join(home, "fonts")) {
		t.Errorf("with PAIBAN_HOME: %v, %q; want the fonts looked for in %s", err, out, home)
	}
	// Fonts beside bin/ come first.
	if err := os.Symlink(filepath.Join(repo, "fonts"), filepath.Join(release, "fonts")); err != nil {
		t.Fatal(err)
	}
	if out, err := run("PAIBAN_HOME=" + home); err != nil {
		t.Errorf("with fonts beside bin/: %v\n%s", err, out)
	}
	built("with fonts beside bin/")
}

// withoutHome is env without PAIBAN_HOME.
func withoutHome(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "PAIBAN_HOME=") {
			out = append(out, e)
		}
	}
	return out
}
