package build

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/validators"
)

// TestStaleTempFilesRemoved: a build killed between writing its temporary
// file and renaming it leaves .NAME.pdf.*.paiban-tmp behind; a later
// build of that output removes it once it is old, and leaves alone a
// young one (another build's, being written) and every other file.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "a[1].pdf")
	stale := filepath.Join(dir, ".a[1].pdf.123456"+tempSuffix)
	kept := []string{
		filepath.Join(dir, ".a[1].pdf.654321"+tempSuffix), // young
		filepath.Join(dir, ".b.pdf.123456"+tempSuffix),    // another output's
		filepath.Join(dir, ".a[1].pdf.bak"),               // the user's
		filepath.Join(dir, ".a[1].pdf.swp"),
	}
	long := time.Now().Add(-2 * staleAfter)
	for i, f := range append([]string{stale}, kept...) {
		if err := os.WriteFile(f, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
		if i != 1 {
			if err := os.Chtimes(f, long, long); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := writeAtomic(out, func(w io.Writer) error { _, err := w.Write([]byte("%PDF")); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file is still there: %v", err)
	}
	for _, f := range kept {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(f), err)
		}
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "%PDF" {
		t.Errorf("output = %q, %v", b, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".a*"+tempSuffix))
	if len(left) != 1 {
		t.Errorf("temporary files left: %v, want the young one", left)
	}
}

// TestConcurrentBuilds builds one book into one folder from several
// builds at once: each must succeed (no build removes the temporary file
// of another) and the editions must be whole.
func TestConcurrentBuilds(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "b.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			var stdout, stderr bytes.Buffer
			opt := testOptions(out, &stdout, &stderr)
			opt.DumpLayout = filepath.Join(dir, "b.json")
			errs[i] = Run(book, opt)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("build %d: %v", i, err)
		}
	}
	checkEditions(t, out, "b")
	if left, _ := filepath.Glob(filepath.Join(out, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// checkEditions checks that out holds NAME.pdf and NAME.epub, whole.
func checkEditions(t *testing.T, out, name string) {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join(out, name+".pdf")); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-64):], []byte("%%EOF")) {
		t.Errorf("%s.pdf is not a whole PDF (%d bytes, %v)", name, len(b), err)
	}
	epubEntries(t, filepath.Join(out, name+".epub"))
}

// TestDumpLayoutTouchesOnlyItsFile checks that --dump-layout x.json
// leaves the user's .x.json.bak and the like alone.
func TestDumpLayoutTouchesOnlyItsFile(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "b.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	mine := []string{".x.json.bak", ".x.json.swp", ".x.json.1"}
	for _, f := range mine {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	opt := testOptions(filepath.Join(dir, "out"), &stdout, &stderr)
	opt.DumpLayout = filepath.Join(dir, "x.json")
	if err := Run(book, opt); err != nil {
		t.Fatal(err)
	}
	for _, f := range mine {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err != nil || string(b) != "mine" {
			t.Errorf("%s: %q, %v", f, b, err)
		}
	}
	if b, err := os.ReadFile(opt.DumpLayout); err != nil || !bytes.HasPrefix(b, []byte(`{"page":`)) {
		t.Errorf("the layout dump: %.40q, %v", b, err)
	}
}

// TestLongBookName builds a book whose name is as long as a file name
// may be with .epub added: the temporary files must not fail for being
// longer.
func TestLongBookName(t *testing.T) {
	dir := t.TempDir()
	name := strings.Repeat("书", (maxName-len(".epub"))/3)
	book := filepath.Join(dir, name+".md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	out := filepath.Join(dir, "out")
	if err := Run(book, testOptions(out, &stdout, &stderr)); err != nil {
		t.Fatal(err)
	}
	checkEditions(t, out, name)
	// A name too long for the output: the message names the output.
	long := filepath.Join(dir, strings.Repeat("长", 84)+".md")
	if err := os.WriteFile(long, []byte(goodBook), 0o644); err != nil {
		t.Skipf("this file system takes no 256-byte names: %v", err)
	}
	err := Run(long, testOptions(out, &stdout, &stderr))
	want := fmt.Sprintf("%s.pdf: file name too long", strings.TrimSuffix(filepath.Join(out, filepath.Base(long)), ".md"))
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %s", err, want)
	}
}

// TestDatesOutsideTheirRange checks the dates stamped into the editions:
// SOURCE_DATE_EPOCH past 9999 is an error naming it; at 0 (1970) the
// EPUB says so in dcterms:modified and its ZIP entries, which cannot go
// before 1980, are dated 1980-01-01.
func TestDatesOutsideTheirRange(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "b.md")
	if err := os.WriteFile(book, []byte(goodBook), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	out := filepath.Join(dir, "out")
	t.Setenv("SOURCE_DATE_EPOCH", "253402300800")
	err := Run(book, testOptions(out, &stdout, &stderr))
	if err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH=253402300800 is not a time from 1970 to 9999") {
		t.Errorf("error %v", err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	if err := Run(book, testOptions(out, &stdout, &stderr)); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(filepath.Join(out, "b.epub"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if y := f.Modified.Year(); y != 1980 {
			t.Errorf("%s dated %v, want 1980-01-01", f.Name, f.Modified)
		}
	}
	if opf := epubEntries(t, filepath.Join(out, "b.epub"))["EPUB/package.opf"]; !strings.Contains(opf, ">1970-01-01T00:00:00Z</meta>") {
		t.Errorf("package.opf lacks dcterms:modified 1970-01-01T00:00:00Z:\n%s", opf)
	}
}

// TestFootnotesCarriedOver builds a paragraph with 51 footnotes, whose
// notes fill a page after it: that page begins nowhere new in the text,
// which the EPUB's page marks took for an error ("page 3 begins before
// page 2").
func TestFootnotesCarriedOver(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\ntitle: 注\n---\n\n## 一\n\n正文")
	for i := range 51 {
		fmt.Fprintf(&b, "[^%d]", i)
	}
	b.WriteString("。\n\n")
	for i := range 51 {
		fmt.Fprintf(&b, "[^%d]: 注%d。\n", i, i)
	}
	dir := t.TempDir()
	buildIn(t, dir, []file{{"b.md", []byte(b.String())}})
	validators.EPUB(t, filepath.Join(dir, "out", "b.epub"))
}
