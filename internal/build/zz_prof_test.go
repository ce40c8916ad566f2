package build

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestZZProf(t *testing.T) {
	b := os.Getenv("PROF_BOOK")
	if b == "" {
		t.Skip()
	}
	opt := Options{OutDir: t.TempDir(), Formats: Formats, Style: "a4-handout",
		FontsDir: filepath.Join(root, "fonts"), StylesDir: filepath.Join(root, "styles"),
		Offline: true, Stdout: io.Discard, Stderr: io.Discard}
	if err := Run(b, opt); err != nil {
		t.Fatal(err)
	}
}
