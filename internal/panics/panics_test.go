package panics

import (
	"strings"
	"sync"
	"testing"
)

func TestCatchInGoroutine(t *testing.T) {
	var err error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer Catch(&err, "subsetting a font")
		var m map[string]int
		m["x"] = 1 // panics: assignment to a nil map
	}()
	wg.Wait()
	if err == nil || !strings.Contains(err.Error(), "internal error while subsetting a font: assignment to entry in nil map") {
		t.Fatalf("err = %v", err)
	}
}

func TestCatchWithoutPanicKeepsError(t *testing.T) {
	err := error(nil)
	func() {
		defer Catch(&err, "nothing")
	}()
	if err != nil {
		t.Fatalf("err = %v, want nil", err)
	}
}
