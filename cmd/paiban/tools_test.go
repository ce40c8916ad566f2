package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/build"
)

func TestLintCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.md")
	good := filepath.Join(dir, "good.md")
	os.WriteFile(bad, []byte("中文,句子...\n“未闭合\n"), 0o600)
	os.WriteFile(good, []byte("中文，句子。\n"), 0o644)
	var out, errb bytes.Buffer
	if st := run([]string{"lint", bad, good}, &out, &errb); st != 1 {
		t.Fatalf("status %d, want 1", st)
	}
	want := bad + ":1:3: half-width ',' in a Chinese sentence: use ， (half-width-punct)\n" +
		bad + ":1:6: write the ellipsis as …… (two U+2026), not ... (ellipsis)\n" +
		bad + ":2:1: “ without ” after it in the paragraph (unmatched-pair)\n"
	if out.String() != want {
		t.Fatalf("lint printed\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if st := run([]string{"lint", "--fix", bad, good}, &out, &errb); st != 1 {
		t.Fatalf("--fix: status %d, want 1 (the unmatched mark remains)", st)
	}
	b, _ := os.ReadFile(bad)
	if string(b) != "中文，句子……\n“未闭合\n" || !strings.Contains(out.String(), ":2:1:") {
		t.Fatalf("after --fix: %q, output %q", b, out.String())
	}
	if fi, _ := os.Stat(bad); fi.Mode().Perm() != 0o600 {
		t.Errorf("--fix changed the file mode to %v", fi.Mode())
	}
	if st := run([]string{"lint", good}, &out, &errb); st != 0 {
		t.Fatalf("clean file: status %d", st)
	}
}

// TestInitBuilds checks that a new book builds with every print edition.
func TestInitBuilds(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "source", "新书")
	var out, errb bytes.Buffer
	if st := run([]string{"init", book}, &out, &errb); st != 0 {
		t.Fatalf("init: %d %s", st, errb.String())
	}
	if st := run([]string{"init", book}, &out, &errb); st != 1 || !strings.Contains(errb.String(), "not empty") {
		t.Fatalf("init into a used folder: %d %s", st, errb.String())
	}
	if st := run([]string{"lint", filepath.Join(book, "preface.md"), filepath.Join(book, "chapter-01.md")}, &out, &errb); st != 0 {
		t.Fatalf("the new book is not lint-clean: %s", out.String())
	}
	od := filepath.Join(dir, "out")
	out.Reset()
	st := run([]string{"build", "-o", od, "--fonts", "../../fonts", "--styles", "../../styles", "--style", "a5-book",
		"--impose", "booklet,2up", "--crop-marks", book}, &out, &errb)
	if st != 0 {
		t.Fatalf("build: %d %s", st, errb.String())
	}
	for _, f := range []string{"新书.pdf", "新书.epub", "新书-booklet.pdf", "新书-2up.pdf", "新书-crop.pdf"} {
		if !strings.Contains(out.String(), filepath.Join(od, f)) {
			t.Errorf("build did not write %s:\n%s", f, out.String())
		}
	}
	if st := run([]string{"build", "--impose", "3up", book}, &out, &errb); st != 2 || !strings.Contains(errb.String(), `unknown imposition "3up"`) {
		t.Errorf("--impose 3up: %d %s", st, errb.String())
	}
}

// syncBuffer is written by the watcher and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls until out holds n copies of s; the deadline only stops a
// broken watcher from hanging the test.
func waitFor(t *testing.T, out *syncBuffer, s string, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for strings.Count(out.String(), s) < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %d× %q in:\n%s", n, s, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// saveFile replaces path's content at once, as an editor saving by
// renaming does: written in place, the watcher could read the file
// truncated but not yet written, and build an empty book.
func saveFile(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// startWatch watches book, writing its PDF into out, until the test ends;
// it returns what watch prints on stdout and on stderr.
func startWatch(t *testing.T, book, out string) (stdout, stderr *syncBuffer) {
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	opt := build.Options{OutDir: out, Formats: []string{"pdf"}, Style: "a4-handout",
		FontsDir: "../../fonts", StylesDir: "../../styles", Stdout: stdout, Stderr: stderr}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { watchBook(book, opt, 10*time.Millisecond, stop); close(done) }()
	t.Cleanup(func() { close(stop); <-done })
	return stdout, stderr
}

func TestWatchRebuilds(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book.md")
	os.WriteFile(book, []byte("---\ntitle: 标题\n---\n\n正文。\n"), 0o644)
	out, errb := startWatch(t, book, filepath.Join(dir, "out"))
	waitFor(t, out, "built in", 1)

	// A broken book is reported and watching goes on.
	saveFile(t, book, "---\ntitle: 标题\n---\n\n文[^无]\n")
	waitFor(t, out, "build failed", 1)
	if !strings.Contains(errb.String(), book+":5:") {
		t.Errorf("error not reported as file:line: %q", errb.String())
	}
	saveFile(t, book, "---\ntitle: 标题\n---\n\n改过的正文。\n")
	waitFor(t, out, "built in", 2)
	txt, err := exec.Command("pdftotext", filepath.Join(dir, "out", "book.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v", err)
	}
	if !strings.Contains(string(txt), "改过的正文") {
		t.Errorf("the rebuilt PDF lacks the edit: %q", txt)
	}
}

func TestCompletionAndManFromFlags(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		var out, errb bytes.Buffer
		if st := run([]string{"completion", sh}, &out, &errb); st != 0 {
			t.Fatalf("completion %s: %d %s", sh, st, errb.String())
		}
		for _, c := range commands() {
			if !strings.Contains(out.String(), c.name) {
				t.Errorf("%s completion lacks the command %s", sh, c.name)
			}
			for _, f := range flagsOf(c) {
				spelled := dashed(f)
				if sh == "fish" {
					spelled = "-l " + f.Name
					if len(f.Name) == 1 {
						spelled = "-s " + f.Name
					}
				}
				if !strings.Contains(out.String(), spelled) {
					t.Errorf("%s completion lacks %s of %s", sh, spelled, c.name)
				}
			}
		}
		if sh == "bash" {
			cmd := exec.Command("bash", "-n")
			cmd.Stdin = &out
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("bash rejects the script: %v %s", err, msg)
			}
		}
	}
	var man, errb bytes.Buffer
	if st := run([]string{"man"}, &man, &errb); st != 0 {
		t.Fatal(errb.String())
	}
	if _, err := exec.LookPath("groff"); err != nil {
		t.Fatal("groff is missing: install the Debian package groff-base")
	}
	cmd := exec.Command("groff", "-man", "-Tascii", "-P", "-cbou", "-ww")
	cmd.Stdin = &man
	var text, warn bytes.Buffer
	cmd.Stdout, cmd.Stderr = &text, &warn
	if err := cmd.Run(); err != nil || warn.Len() > 0 {
		t.Fatalf("groff: %v %s", err, warn.String())
	}
	for _, c := range commands() {
		for _, f := range flagsOf(c) {
			if !strings.Contains(text.String(), dashed(f)) {
				t.Errorf("man page lacks %s", dashed(f))
			}
		}
	}
}

// TestWatchSeesChapterAndImage checks that watch rebuilds a book folder
// when an image a chapter shows or a chapter changes, and that the
// rebuilt PDF has the change.
func TestWatchSeesChapterAndImage(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "book")
	os.MkdirAll(filepath.Join(book, "images"), 0o755)
	saveFile(t, filepath.Join(book, "book.yaml"), "title: 书\nchapters:\n  - one.md\n")
	saveFile(t, filepath.Join(book, "one.md"), "# 第一章\n\n![图](images/a.png)\n\n正文。\n")
	savePNG(t, filepath.Join(book, "images", "a.png"), 40)
	out, errb := startWatch(t, book, filepath.Join(dir, "out"))
	waitFor(t, out, "built in", 1)

	savePNG(t, filepath.Join(book, "images", "a.png"), 80)
	waitFor(t, out, "built in", 2)
	saveFile(t, filepath.Join(book, "one.md"), "# 第一章\n\n![图](images/a.png)\n\n改过的正文。\n")
	waitFor(t, out, "built in", 3)
	txt, err := exec.Command("pdftotext", filepath.Join(dir, "out", "book.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils): %v", err)
	}
	if !strings.Contains(string(txt), "改过的正文") {
		t.Errorf("the rebuilt PDF lacks the edit: %q", txt)
	}
	if errb.String() != "" {
		t.Errorf("warnings: %s", errb.String())
	}
}

// savePNG saves a grey square of side pixels as path.
func savePNG(t *testing.T, path string, side int) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	saveFile(t, path, buf.String())
}
