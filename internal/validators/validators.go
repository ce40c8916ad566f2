// Package validators runs the validators tests read outputs back with,
// EPUBCheck, Ace by DAISY and qpdf --check, starting each as few times as
// it can. It is for tests only.
//
// A test package that checks EPUBs runs its tests through Main:
//
//	func TestMain(m *testing.M) { validators.Main(m) }
//
// and a test hands each EPUB it made to EPUB(t, path) and each PDF to
// PDF(t, path). EPUB copies the file (the test may delete its folder) and
// gives it to one EPUBCheck process for the whole package, which checks
// the files while the tests go on; Main waits for the verdicts after the
// last test, prints every problem with the test and file it came from,
// and fails the run. Ace(t, path) queues an EPUB for Ace the same way,
// checked by one worker for the package. PDF runs qpdf --check at once
// (it takes milliseconds) and fails the test. With go test -short no
// validator runs.
package validators

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Inherent are the EPUBCheck usage notes every paiban EPUB has, and which
// are therefore never a failure: @font-face rules (CSS-028), the NCX's and
// the SVG cover's namespaces (HTM-010) and a page list (NAV-002).
var Inherent = []string{"CSS-028", "HTM-010", "NAV-002"}

//go:embed EpubCheckAll.java
var checkerSource []byte

var (
	mu      sync.Mutex
	dir     string // copies of the queued EPUBs; "" outside Main
	queue   []queuedEPUB
	checker *epubChecker // started by the first EPUB
)

type queuedEPUB struct {
	test, file, copy string
	allowed          []string
}

// Main runs the package's tests, then waits for EPUBCheck's verdicts on
// the EPUBs they queued, and exits: with status 1 when a test failed or an
// EPUB has a problem.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	d, err := os.MkdirTemp("", "paiban-validators-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(d)
	mu.Lock()
	dir = d
	mu.Unlock()
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if report := finish(); report != "" {
		fmt.Print(report)
		fmt.Println("FAIL: EPUBCheck found problems in EPUBs the tests made")
		code = 1
	}
	if report := finishAce(); report != "" {
		fmt.Print(report)
		fmt.Println("FAIL: Ace found accessibility problems in EPUBs the tests made")
		code = 1
	}
	return code
}

// EPUB queues the EPUB at path for EPUBCheck. Main fails the run on any
// fatal error, error or warning, and on a usage note other than the
// Inherent ones and those listed in allowed (message ids like "HTM-022").
func EPUB(t testing.TB, path string, allowed ...string) {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if dir == "" {
		t.Fatal("validators.EPUB: the package's tests must run through validators.Main: add func TestMain(m *testing.M) { validators.Main(m) }")
	}
	if testing.Short() {
		return
	}
	if checker == nil {
		c, err := startChecker(dir)
		if err != nil {
			t.Fatal(err)
		}
		checker = c
	}
	cp := filepath.Join(dir, fmt.Sprintf("%d-%s", len(queue), filepath.Base(path)))
	if err := copyFile(path, cp); err != nil {
		t.Fatal(err)
	}
	queue = append(queue, queuedEPUB{test: t.Name(), file: path, copy: cp, allowed: allowed})
	if _, err := fmt.Fprintln(checker.stdin, cp); err != nil {
		t.Fatalf("EPUBCheck stopped: %v\n%s", err, checker.stderr.String())
	}
}

// PDF runs qpdf --check on the PDF at path and fails t on any error or
// warning.
func PDF(t testing.TB, path string) {
	t.Helper()
	if testing.Short() {
		return
	}
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Fatal("qpdf not found: install the Debian package qpdf (make test does)")
	}
	out, err := exec.Command("qpdf", "--check", path).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors found")) ||
		bytes.Contains(bytes.ToLower(out), []byte("warning")) {
		t.Errorf("qpdf --check %s: %v\n%s", filepath.Base(path), err, out)
	}
}

// epubChecker is one Java VM running EpubCheckAll.java.
type epubChecker struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	stderr  bytes.Buffer
	results map[string]string // copy path → messages; read it after done
	done    chan struct{}     // closed when stdout is read to its end
}

func startChecker(dir string) (*epubChecker, error) {
	jar, err := epubcheckJar()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(dir, "EpubCheckAll.java")
	if err := os.WriteFile(src, checkerSource, 0o644); err != nil {
		return nil, err
	}
	// One compiler tier and the serial collector: the VM lives for one
	// test run, so optimising hard costs more than it saves.
	threads := min(runtime.NumCPU(), 4)
	cmd := exec.Command("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss1024k",
		"-cp", jar, src, fmt.Sprint(threads))
	c := &epubChecker{cmd: cmd, results: map[string]string{}, done: make(chan struct{})}
	cmd.Stderr = &c.stderr
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting EPUBCheck: %v", err)
	}
	go c.read(stdout)
	return c, nil
}

// read collects the FILE … END blocks EpubCheckAll prints.
func (c *epubChecker) read(r io.Reader) {
	defer close(c.done)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	var file string
	var msgs strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "FILE "):
			file = strings.TrimPrefix(line, "FILE ")
			msgs.Reset()
		case line == "END "+file:
			c.results[file] = msgs.String()
		default:
			msgs.WriteString(line + "\n")
		}
	}
}

// finish waits for EPUBCheck to check every queued file and returns the
// problems found, naming each file's test; mu is held.
func finish() string {
	if checker == nil {
		return ""
	}
	checker.stdin.Close()
	<-checker.done
	err := checker.cmd.Wait()
	var report strings.Builder
	for _, q := range queue {
		res, ok := checker.results[q.copy]
		if !ok {
			fmt.Fprintf(&report, "--- FAIL: %s: EPUBCheck gave no verdict on %s (%v):\n%s\n", q.test, q.file, err, checker.stderr.String())
			continue
		}
		if bad := complaints(res, q.allowed); len(bad) > 0 {
			fmt.Fprintf(&report, "--- FAIL: %s: EPUBCheck of %s:\n    %s\n", q.test, q.file, strings.Join(bad, "\n    "))
		}
	}
	return report.String()
}

// complaints are the lines of EPUBCheck's messages that fail a book:
// fatal errors, errors, warnings, and usage notes neither Inherent nor
// allowed. Informational messages pass.
func complaints(messages string, allowed []string) []string {
	var bad []string
	for _, l := range strings.Split(strings.TrimSpace(messages), "\n") {
		sev, rest, _ := strings.Cut(l, "(")
		id, _, _ := strings.Cut(rest, ")")
		switch sev {
		case "", "INFO":
		case "USAGE":
			if !slices.Contains(Inherent, id) && !slices.Contains(allowed, id) {
				bad = append(bad, l)
			}
		default:
			bad = append(bad, l)
		}
	}
	return bad
}

// epubcheckJar finds the jar the Debian package epubcheck installs.
func epubcheckJar() (string, error) {
	if _, err := exec.LookPath("java"); err != nil {
		return "", fmt.Errorf("java not found: install the Debian package epubcheck, which brings a Java runtime (make test does)")
	}
	out, err := exec.Command("dpkg", "-L", "epubcheck").Output()
	if err != nil {
		return "", fmt.Errorf("epubcheck is not installed: install the Debian package epubcheck (make test does)")
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasSuffix(l, "/epubcheck.jar") {
			return l, nil
		}
	}
	return "", fmt.Errorf("the Debian package epubcheck has no epubcheck.jar")
}

// copyFile copies src to dst.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}
