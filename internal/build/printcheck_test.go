package build

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paiban/paiban/internal/impose"
)

// rgb matches colour set in RGB: the rg/RG operators and the RGB colour
// space (for sc/scn and images).
var rgb = regexp.MustCompile(`(?:^|[\s\]])(?:-?[\d.]+\s+){3}(?:rg|RG)\b|/DeviceRGB|/CalRGB`)

// TestPrintChecks builds the article with every print edition and checks
// what a print shop checks: every font embedded, and grey-scale only (our
// styles print black and grey; no RGB must creep in, from gopdf or from
// the imposition).
func TestPrintChecks(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	opt := Options{OutDir: out, Formats: []string{"pdf"}, Style: "a5-book", FontsDir: "../../fonts", StylesDir: "../../styles",
		Stdout: &stdout, Stderr: &stderr, Impose: impose.Modes, CropMarks: true}
	if err := Run("../../source/xinzhi-shengchanli.md", opt); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "-booklet", "-2up", "-crop"} {
		path := filepath.Join(out, "xinzhi-shengchanli"+name+".pdf")
		fonts := tool(t, "poppler-utils", "pdffonts", path)
		rows := strings.Split(strings.TrimSpace(fonts), "\n")[2:]
		if len(rows) == 0 {
			t.Errorf("%s: no fonts", path)
		}
		for _, row := range rows {
			f := strings.Fields(row)
			if len(f) < 5 || f[len(f)-5] != "yes" {
				t.Errorf("%s: font not embedded: %s", path, row)
			}
		}
		plain := filepath.Join(t.TempDir(), "plain.pdf")
		tool(t, "qpdf", "qpdf", "--qdf", "--object-streams=disable", path, plain)
		b, err := os.ReadFile(plain)
		if err != nil {
			t.Fatal(err)
		}
		if m := rgb.Find(b); m != nil {
			t.Errorf("%s uses RGB colour: %q", path, m)
		}
	}
}
