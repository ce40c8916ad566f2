package validators

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// TestComplaints feeds lines as EPUBCheck 4.2 words them.
func TestComplaints(t *testing.T) {
	messages := `USAGE(CSS-028): EPUB/css/paiban.css[2,3]: Use of Font-face declaration.
USAGE(NAV-002): EPUB/nav.xhtml[20,79]: Found epub:type="page-list" in nav document
USAGE(HTM-022): xhtml/chapter01.xhtml[-1,-1]: Document may contain excessive DIV or SPAN tags.
INFO(CSS-007): EPUB/css/paiban.css[4,3]: Font-face reference "fonts/a.ttf" refers to non-standard font type "application/vnd.ms-opentype".
WARNING(OPF-018): EPUB/package.opf[12,5]: The "scripted" property is not needed.
ERROR(RSC-005): EPUB/xhtml/text.xhtml[9,4]: Error while parsing file: element "q" not allowed here.
FATAL(RSC-002): book.epub[-1,-1]: Required META-INF/container.xml resource could not be found.
`
	got := complaints(messages, nil)
	var ids []string
	for _, l := range got {
		ids = append(ids, l[:strings.Index(l, ")")+1])
	}
	want := []string{"USAGE(HTM-022)", "WARNING(OPF-018)", "ERROR(RSC-005)", "FATAL(RSC-002)"}
	if !slices.Equal(ids, want) {
		t.Errorf("complaints %q, want %q", ids, want)
	}
	if got := complaints(messages, []string{"HTM-022"}); len(got) != 3 {
		t.Errorf("with HTM-022 allowed, %d complaints, want 3: %q", len(got), got)
	}
	if got := complaints("", nil); len(got) != 0 {
		t.Errorf("no messages give complaints %q", got)
	}
}

// TestBrokenEPUBFailsTheRun runs this package's tests again in a child
// process in which one test queues an EPUB with no container.xml, and
// checks that the run fails, naming the test and EPUBCheck's fatal error,
// although the test itself passed and its folder is gone by then.
func TestBrokenEPUBFailsTheRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs EPUBCheck")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestQueueBrokenEPUB$", "-test.v")
	cmd.Env = append(os.Environ(), "PAIBAN_VALIDATORS_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the run passed:\n%s", out)
	}
	for _, want := range []string{"--- PASS: TestQueueBrokenEPUB", "--- FAIL: TestQueueBrokenEPUB: EPUBCheck of ", "FATAL(RSC-002)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the run's output lacks %q:\n%s", want, out)
		}
	}
}

func TestQueueBrokenEPUB(t *testing.T) {
	if os.Getenv("PAIBAN_VALIDATORS_CHILD") == "" {
		t.Skip("run by TestBrokenEPUBFailsTheRun")
	}
	path := filepath.Join(t.TempDir(), "broken.epub")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("application/epub+zip"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	EPUB(t, path)
}

func TestPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("runs qpdf")
	}
	// A PDF whose cross-reference table points nowhere: qpdf repairs it
	// and warns.
	path := filepath.Join(t.TempDir(), "bad.pdf")
	os.WriteFile(path, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\nxref\n0 3\n0000000000 65535 f \n0000000999 00000 n \n0000000999 00000 n \ntrailer << /Size 3 /Root 1 0 R >>\nstartxref\n999\n%%EOF\n"), 0o644)
	ft := &fakeT{TB: t}
	PDF(ft, path)
	if !ft.failed {
		t.Error("qpdf --check passed a PDF with a broken cross-reference table")
	}
}

// fakeT records a failure instead of failing the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Errorf(format string, args ...any) { f.failed = true }
func (f *fakeT) Fatal(args ...any)                 { f.failed = true }

// TestAceViolations reads a report as Ace 1.4 writes it.
func TestAceViolations(t *testing.T) {
	report := `{"earl:result": {"earl:outcome": "fail"}, "assertions": [
  {"earl:result": {"earl:outcome": "pass"}, "assertions": [], "earl:testSubject": {"url": "/EPUB/nav.xhtml"}},
  {"earl:result": {"earl:outcome": "fail"}, "assertions": [{
    "earl:result": {"earl:outcome": "fail", "dct:description": "Element has no ARIA role matching its epub:type",
      "earl:pointer": {"cfi": ["/4/2"], "css": ["section"]}, "html": "<section class=\"colophon\" epub:type=\"colophon\">"},
    "earl:test": {"earl:impact": "moderate", "dct:title": "epub-type-has-matching-role"}}],
   "earl:testSubject": {"url": "xhtml/colophon.xhtml", "dct:title": "版本信息"}}]}`
	got, err := aceViolations([]byte(report))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`xhtml/colophon.xhtml: epub-type-has-matching-role (moderate): Element has no ARIA role matching its epub:type: <section class="colophon" epub:type="colophon">`}
	if !slices.Equal(got, want) {
		t.Errorf("violations %q, want %q", got, want)
	}
	if got, err := aceViolations([]byte(`{"earl:result": {"earl:outcome": "pass"}, "assertions": []}`)); err != nil || len(got) != 0 {
		t.Errorf("a passing report gives %q, %v", got, err)
	}
	if got, _ := aceViolations([]byte(`{"earl:result": {"earl:outcome": "fail"}, "assertions": []}`)); len(got) != 1 {
		t.Errorf("a failing report without assertions gives %q, want one complaint", got)
	}
	if _, err := aceViolations([]byte(`<html>`)); err == nil {
		t.Error("a report that is no JSON gives no error")
	}
}
