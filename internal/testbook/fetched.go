package testbook

import (
	"os"
	"path/filepath"
	"testing"
)

// FetchedEnv is set by `make test`, which fetches the large faces first
// (scripts/fetch-fonts.sh): a test needing one then fails without it
// rather than skipping.
const FetchedEnv = "PAIBAN_FETCHED_FONTS"

// FetchedFont returns the path of a face that `make` fetches into the
// fonts folder, fontsDir being that folder relative to the test. Without
// it the test is skipped, saying why, or fails under `make test`.
func FetchedFont(tb testing.TB, fontsDir, name string) string {
	tb.Helper()
	path := filepath.Join(fontsDir, name)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv(FetchedEnv) != "" {
			tb.Fatalf("%s is missing: scripts/fetch-fonts.sh did not fetch it", path)
		}
		tb.Skipf("%s is not fetched: run make (or scripts/fetch-fonts.sh) to test with it", path)
	}
	return path
}
