package fonts

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/paiban/paiban/internal/testbook"
)

// withSystemDirs points the system font search at dirs for one test.
func withSystemDirs(t *testing.T, dirs ...string) {
	saved := SystemDirs
	SystemDirs = dirs
	systemOnce = sync.Once{}
	t.Cleanup(func() { SystemDirs = saved; systemOnce = sync.Once{} })
}

func TestOpenEntries(t *testing.T) {
	dir, err := filepath.Abs("../../fonts")
	if err != nil {
		t.Fatal(err)
	}
	testbook.FetchedFont(t, dir, notoCJK)
	// A "system" with the collection in a subfolder and a TrueType face.
	sys := t.TempDir()
	if err := os.MkdirAll(filepath.Join(sys, "opentype", "noto"), 0o755); err != nil {
		t.Fatal(err)
	}
	for src, dst := range map[string]string{notoCJK: "opentype/noto/" + notoCJK, serif4: serif4} {
		if err := os.Symlink(filepath.Join(dir, src), filepath.Join(sys, dst)); err != nil {
			t.Fatal(err)
		}
	}
	withSystemDirs(t, sys)
	for entry, want := range map[string]string{
		serif4:                             "SourceSerif4-Regular",
		notoCJK:                            "NotoSerifCJKjp-Regular",
		notoCJK + "#2":                     "NotoSerifCJKsc-Regular",
		notoCJK + "#Noto Serif CJK TC":     "NotoSerifCJKtc-Regular",
		filepath.Join(dir, notoCJK) + "#1": "NotoSerifCJKkr-Regular",
		filepath.Join(dir, serif4):         "SourceSerif4-Regular",
		"Noto Serif CJK SC":                "NotoSerifCJKsc-Regular",
		"noto serif cjk hk":                "NotoSerifCJKhk-Regular",
		"NotoSerifCJKkr-Regular":           "NotoSerifCJKkr-Regular",
		"Source Serif 4":                   "SourceSerif4-Regular",
	} {
		f, err := Open(dir, entry)
		if err != nil {
			t.Errorf("%s: %v", entry, err)
			continue
		}
		if f.PostScriptName != want {
			t.Errorf("%s: face %s, want %s", entry, f.PostScriptName, want)
		}
	}
	for entry, want := range map[string]string{
		"Missing-Regular.ttf":      "no such file",
		"/nowhere/Missing.otf":     "no such file",
		"Noto Serif CJK XX":        "nor the name of a font installed in " + sys,
		notoCJK + "#9":             "faces 0 to 4",
		serif4 + "#1":              "not a collection",
		notoCJK + "#Noto Sans CJK": "no face named",
	} {
		if _, err := Open(dir, entry); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", entry, err, want)
		}
	}
}

// TestParseRefuses checks the faces that cannot be embedded are refused
// with a message saying why.
func TestParseRefuses(t *testing.T) {
	good := testFace(t, serif4).Data
	os2 := tableOffset(t, good, "OS/2")
	for name, tc := range map[string]struct {
		corrupt func([]byte) []byte
		want    string
	}{
		"woff":       {func(b []byte) []byte { copy(b, "wOFF"); return b }, "WOFF"},
		"restricted": {func(b []byte) []byte { b[os2+8], b[os2+9] = 0, 2; return b }, "does not allow embedding"},
		"bitmaps":    {func(b []byte) []byte { b[os2+8], b[os2+9] = 2, 0; return b }, "does not allow embedding"},
		"CFF2": {func(b []byte) []byte {
			copy(b, "OTTO")
			copy(b[bytes.Index(b[:300], []byte("glyf")):], "CFF2")
			return b
		}, "CFF2 outlines (a variable OpenType font) are not supported"},
	} {
		_, err := Parse(tc.corrupt(append([]byte(nil), good...)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", name, err, tc.want)
		}
	}
	// Editable and preview-and-print embedding are fine.
	for _, fsType := range []byte{0, 4, 8} {
		b := append([]byte(nil), good...)
		b[os2+8], b[os2+9] = 0, fsType
		if _, err := Parse(b); err != nil {
			t.Errorf("fsType %d: %v", fsType, err)
		}
	}
}
