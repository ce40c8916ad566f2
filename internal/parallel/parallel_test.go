package parallel

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestForRunsEveryIndexOnce(t *testing.T) {
	const n = 1000
	var mu sync.Mutex
	seen := make([]int, n)
	if err := For(n, 3, "counting", func(i int) error {
		mu.Lock()
		seen[i]++
		mu.Unlock()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("index %d ran %d times", i, c)
		}
	}
}

func TestErrorsJoinedInOrder(t *testing.T) {
	err := For(5, 0, "failing", func(i int) error {
		if i%2 == 1 {
			return errors.New(string(rune('a' + i)))
		}
		return nil
	})
	if err == nil || err.Error() != "b\nd" {
		t.Fatalf("err = %q, want \"b\\nd\"", err)
	}
}

func TestPanicBecomesErrorAndOthersFinish(t *testing.T) {
	done := make([]bool, 4)
	err := For(4, 2, "subsetting a font", func(i int) error {
		if i == 1 {
			var m map[string]int
			m["x"] = 1 // panics: assignment to a nil map
		}
		done[i] = true
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "internal error while subsetting a font: assignment to entry in nil map") {
		t.Fatalf("err = %v", err)
	}
	if !done[0] || !done[2] || !done[3] {
		t.Fatalf("the other tasks did not all finish: %v", done)
	}
}

func TestDoSkipsNilTasks(t *testing.T) {
	ran := false
	err := Do("testing", nil, func() error { ran = true; return nil }, nil)
	if err != nil || !ran {
		t.Fatalf("err = %v, ran = %v", err, ran)
	}
	if err := Do("nothing"); err != nil {
		t.Fatal(err)
	}
}

func TestWorkersHaveTheirOwnScratch(t *testing.T) {
	// Each worker's scratch counts what that worker ran; the counts add
	// up to n only if no two workers share one.
	var mu sync.Mutex
	scratches := map[*int]bool{}
	const n = 200
	err := Workers(n, 4, "counting", func(s *int, i int) error {
		*s++
		mu.Lock()
		scratches[s] = true
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for s := range scratches {
		total += *s
	}
	if total != n || len(scratches) > 4 {
		t.Fatalf("%d scratches counted %d of %d", len(scratches), total, n)
	}
}

// TestFeed: every value sent is worked on once, a panic is its value's
// error and the others still run, and wait returns once all have ended.
func TestFeed(t *testing.T) {
	var done atomic.Int64
	send, wait := Feed(3, "feeding", func(v int) error {
		if v == 7 {
			panic("seven")
		}
		done.Add(1)
		return nil
	})
	for v := range 100 {
		send <- v
	}
	err := wait()
	if err == nil || !strings.Contains(err.Error(), "feeding") || !strings.Contains(err.Error(), "seven") {
		t.Errorf("wait: %v, want the panic as an error", err)
	}
	if n := done.Load(); n != 99 {
		t.Errorf("%d values worked on, want 99", n)
	}
}
