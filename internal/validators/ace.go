package validators

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// AceEnv is set by `make test`, which installs Ace by DAISY first
// (scripts/install-tools.sh): Ace then fails the test when it cannot run
// Ace, rather than skipping the check.
const AceEnv = "PAIBAN_ACE"

// aceDir is where scripts/install-tools.sh installs Ace, under the
// user's cache folder.
const aceDir = "paiban/ace"

var ace *aceRunner // started by the first Ace call; mu guards it

// aceRunner checks the queued EPUBs one after another, in one goroutine
// for the whole package, while the tests go on: each check starts a
// browser, and two at once would only slow the tests beside them.
type aceRunner struct {
	program string
	queued  int
	jobs    chan aceJob
	done    chan struct{} // closed when every job has its verdict
	mu      sync.Mutex    // guards results; the package's mu guards the rest
	results []aceResult
}

type aceJob struct{ test, file, copy string }

type aceResult struct {
	aceJob
	violations []string
	err        error
}

// Ace queues the EPUB at path for Ace by DAISY, the accessibility checker
// of EPUB, run with the system's Chromium. Main fails the run on any
// violation Ace reports. Without Ace the check is skipped, saying so,
// unless PAIBAN_ACE is set, as `make test` does; with go test -short it
// does not run.
func Ace(t testing.TB, path string) {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if dir == "" {
		t.Fatal("validators.Ace: the package's tests must run through validators.Main: add func TestMain(m *testing.M) { validators.Main(m) }")
	}
	if testing.Short() {
		return
	}
	if ace == nil {
		program, err := aceProgram()
		if err != nil {
			if os.Getenv(AceEnv) != "" {
				t.Fatal(err)
			}
			t.Logf("not checked with Ace: %v", err)
			return
		}
		ace = &aceRunner{program: program, jobs: make(chan aceJob, 64), done: make(chan struct{})}
		go ace.run()
	}
	ace.queued++
	cp := filepath.Join(dir, fmt.Sprintf("ace-%d-%s", ace.queued, filepath.Base(path)))
	if err := copyFile(path, cp); err != nil {
		t.Fatal(err)
	}
	// The worker never takes the package's lock, so this send, which
	// waits when the queue is full, cannot block it.
	ace.jobs <- aceJob{test: t.Name(), file: path, copy: cp}
}

// aceProgram finds Ace's command: ace-cli on the PATH, or where
// scripts/install-tools.sh puts it.
func aceProgram() (string, error) {
	if _, err := exec.LookPath("chromium"); err != nil {
		return "", fmt.Errorf("chromium not found: install the Debian package chromium (make test does)")
	}
	if p, err := exec.LookPath("ace-cli"); err == nil {
		return p, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(cache, aceDir, "node_modules", ".bin", "ace-cli")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("Ace by DAISY not found: run scripts/install-tools.sh (make test does), which installs it in %s", filepath.Dir(p))
	}
	return p, nil
}

// run checks each queued EPUB.
func (a *aceRunner) run() {
	defer close(a.done)
	for job := range a.jobs {
		violations, err := a.check(job.copy)
		a.mu.Lock()
		a.results = append(a.results, aceResult{job, violations, err})
		a.mu.Unlock()
	}
}

// check runs Ace on one EPUB and returns its violations.
func (a *aceRunner) check(epub string) ([]string, error) {
	out := strings.TrimSuffix(epub, ".epub") + "-ace"
	cmd := exec.Command(a.program, "--silent", "--force", "--outdir", out, epub)
	cmd.Env = append(os.Environ(), "PUPPETEER_SKIP_DOWNLOAD=1")
	if os.Getenv("PUPPETEER_EXECUTABLE_PATH") == "" {
		chromium, _ := exec.LookPath("chromium")
		cmd.Env = append(cmd.Env, "PUPPETEER_EXECUTABLE_PATH="+chromium)
	}
	msg, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%v\n%s", err, msg)
	}
	report, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		return nil, fmt.Errorf("Ace wrote no report: %v\n%s", err, msg)
	}
	return aceViolations(report)
}

// aceViolations lists the violations of an Ace report (report.json), one
// line each: the file, the rule, its impact and the element.
func aceViolations(report []byte) ([]string, error) {
	var r struct {
		Result struct {
			Outcome string `json:"earl:outcome"`
		} `json:"earl:result"`
		Assertions []struct {
			Subject struct {
				URL string `json:"url"`
			} `json:"earl:testSubject"`
			Assertions []struct {
				Test struct {
					Title  string `json:"dct:title"`
					Impact string `json:"earl:impact"`
				} `json:"earl:test"`
				Result struct {
					Description string `json:"dct:description"`
					HTML        string `json:"html"`
				} `json:"earl:result"`
			} `json:"assertions"`
		} `json:"assertions"`
	}
	if err := json.Unmarshal(report, &r); err != nil {
		return nil, fmt.Errorf("Ace's report: %v", err)
	}
	var bad []string
	for _, doc := range r.Assertions {
		for _, a := range doc.Assertions {
			bad = append(bad, fmt.Sprintf("%s: %s (%s): %s: %s", doc.Subject.URL, a.Test.Title, a.Test.Impact,
				a.Result.Description, a.Result.HTML))
		}
	}
	if len(bad) == 0 && r.Result.Outcome != "pass" {
		bad = append(bad, fmt.Sprintf("outcome %q with no violation listed", r.Result.Outcome))
	}
	return bad, nil
}

// finishAce waits for Ace's verdicts and returns the violations found,
// naming each file's test; mu is held.
func finishAce() string {
	if ace == nil {
		return ""
	}
	close(ace.jobs)
	<-ace.done
	var report strings.Builder
	for _, r := range ace.results {
		switch {
		case r.err != nil:
			fmt.Fprintf(&report, "--- FAIL: %s: Ace could not check %s: %v\n", r.test, r.file, r.err)
		case len(r.violations) > 0:
			fmt.Fprintf(&report, "--- FAIL: %s: Ace found %d violations in %s:\n    %s\n", r.test, len(r.violations), r.file, strings.Join(r.violations, "\n    "))
		default:
			fmt.Printf("Ace: no violations in %s (%s)\n", filepath.Base(r.file), r.test)
		}
	}
	return report.String()
}
