// Package build runs the stages for one book: Markdown → document →
// layout → PDF, and document → EPUB, writing each output atomically.
package build

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/epub"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/home"
	"github.com/paiban/paiban/internal/impose"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/parallel"
	"github.com/paiban/paiban/internal/remote"
	"github.com/paiban/paiban/internal/style"
)

// Formats are the output formats paiban writes.
var Formats = func() []string {
	var out []string
	for _, e := range editions {
		out = append(out, e.format)
	}
	return out
}()

// Writings are the directions the EPUB's lines can run in
// (Options.EPUBWriting).
const (
	WritingHorizontal = "horizontal"
	WritingVertical   = "vertical"
)

// Options configure a build.
type Options struct {
	OutDir  string   // where outputs go
	Formats []string // subset of Formats
	Style   string   // name of a file in StylesDir, without .yaml
	// FontsDir and StylesDir are the folders of fonts and styles; empty,
	// Locate finds them (StylesDir "" after Locate: the built-in styles).
	FontsDir  string
	StylesDir string
	Stdout    io.Writer // what was written
	Stderr    io.Writer // warnings
	// Impose and CropMarks ask for print editions of the PDF besides it:
	// NAME-booklet.pdf, NAME-2up.pdf, NAME-crop.pdf.
	Impose    []impose.Mode
	CropMarks bool
	// Strict makes every warning an error: what the reader could not
	// render as written, and a character no bundled font has.
	Strict bool
	// Offline forbids fetching images named by URL: those not in the
	// cache become placeholders. CacheDir is where fetched images are
	// kept, remote.CacheDir() when empty; FetchTimeout bounds each fetch
	// (remote.DefaultTimeout when zero).
	Offline      bool
	CacheDir     string
	FetchTimeout time.Duration
	// EPUBWriting is the direction of the EPUB's lines: "horizontal"
	// (also when empty) or "vertical" (竖排, read right to left).
	EPUBWriting string
	// DumpLayout, when set, names a file that receives the PDF's layout
	// as JSON Lines: one line per set line, with every glyph's place.
	DumpLayout string
	// Opened, when set, hears the path of every file the build reads or
	// looks for, found or not, also when the build fails: the book's
	// Markdown files, its book.yaml, book.json or book.toml and summary,
	// its images and cover (markdown.Options.Opened), the styles and
	// epub.css read from disk, and the fonts and their licences. A path
	// may come more than once, and from several goroutines at once.
	Opened func(path string)
	// Progress, when set, hears what the build is doing, for a progress
	// line; it is called from one goroutine at a time.
	Progress func(Progress)
}

// Locate fills in the fonts and styles folders not given with those paiban
// ships with (home.Find); styles found nowhere are the built-in ones
// (StylesDir ""), while the fonts must be found.
func (o *Options) Locate() error {
	if o.StylesDir == "" {
		o.StylesDir, _ = home.Find("styles")
	}
	if o.FontsDir != "" {
		return nil
	}
	dir, tried := home.Find("fonts")
	if dir == "" {
		return fmt.Errorf("the bundled fonts were not found (looked in %s): set %s to the folder holding fonts/, or name the folder with --fonts", strings.Join(tried, ", "), home.EnvVar)
	}
	o.FontsDir = dir
	return nil
}

// opened tells o.Opened of path.
func (o *Options) opened(path string) {
	if o.Opened != nil {
		o.Opened(path)
	}
}

// fetcher is the fetcher of the images a book names by URL.
func (o *Options) fetcher() *remote.Fetcher {
	dir := o.CacheDir
	if dir == "" {
		dir = remote.CacheDir()
	}
	return &remote.Fetcher{CacheDir: dir, Offline: o.Offline, Timeout: o.FetchTimeout}
}

// Progress is one step of a build.
type Progress struct {
	Book  string
	Stage string // "reading", "laying out" or "writing"
	// Layout is how far the layout is, while laying out.
	Layout layout.Progress
}

// Generator names the program in output metadata.
const Generator = "paiban"

// OutputName is the name the editions of book are written under:
// NAME.pdf and NAME.epub for NAME.md or a folder NAME. A folder named "."
// or ".." is named by its absolute path's last element, so that
// `paiban build .` writes the folder's name, not ".pdf".
func OutputName(book string) string {
	if abs, err := filepath.Abs(book); err == nil {
		book = abs
	}
	base := filepath.Base(book)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// CheckOutputNames refuses two different books whose editions would have
// one name in out (a/index.md and b/index.md): the second would silently
// replace the first.
func CheckOutputNames(books []string, out string) error {
	first := map[string]string{} // output name → the book given first
	for _, b := range books {
		name := OutputName(b)
		f, ok := first[name]
		if !ok {
			first[name] = b
			continue
		}
		// The same book named twice is only built twice.
		fa, _ := filepath.Abs(f)
		ba, _ := filepath.Abs(b)
		if fa != ba {
			return fmt.Errorf("%s and %s would both be written as %s.pdf and .epub; build them into different folders (-o)", f, b, filepath.Join(out, name))
		}
	}
	return nil
}

// reportWarnings prints the reader's warnings, or with opt.Strict returns
// them all as errors.
func reportWarnings(warnings []doc.Warning, opt Options) error {
	var errs []error
	for _, w := range warnings {
		if opt.Strict {
			errs = append(errs, errors.New(strings.Replace(w.String(), ": warning: ", ": ", 1)+" (an error with --strict)"))
			continue
		}
		fmt.Fprintln(opt.Stderr, w)
	}
	return errors.Join(errs...)
}

// reportMissing reports each character no font of its role has: a
// warning (the layout sets it as 〓), or with opt.Strict an error listing
// them all. A character of text made from the metadata (the title in
// the running heads, the colophon) has no line: it is reported at book.
func reportMissing(res *layout.Result, book string, opt Options, absent []string) error {
	var errs []error
	hint := ""
	if len(absent) > 0 {
		hint = fmt.Sprintf(" (the fallback fonts %s are not fetched: run make)", strings.Join(absent, ", "))
	}
	for _, m := range res.Missing {
		at, where := fmt.Sprintf("%s:%d", m.Pos.File, m.Pos.Line), ""
		if m.Pos.File == "" {
			at, where = book, " in the book's metadata"
		}
		if opt.Strict {
			errs = append(errs, fmt.Errorf("%s: no bundled font has %q (U+%04X)%s: remove it or add a font that has it%s", at, m.Char, m.Char, where, hint))
			continue
		}
		fmt.Fprintf(opt.Stderr, "%s: warning: no bundled font has %q (U+%04X)%s; it is set as 〓%s\n", at, m.Char, m.Char, where, hint)
	}
	return errors.Join(errs...)
}

// absentFaces lists the fallback fonts loadFonts did not find.
func absentFaces(faces map[string]*fonts.Face) []string {
	var out []string
	for name, f := range faces {
		if f == nil {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// loadFonts loads each font the styles name, once (fonts.Open says how an
// entry names one). A fallback font that is a missing file, one of the
// large faces `make` fetches, is mapped to nil: the book builds without
// it, and a character only it has is reported as missing.
func loadFonts(dir string, styles ...*style.Style) (map[string]*fonts.Face, error) {
	var files []string
	owner := map[string]string{} // file → the style naming it, for errors
	fallback := map[string]bool{}
	for _, st := range styles {
		for _, name := range st.Fonts.Fallback {
			fallback[name] = true
		}
		for _, name := range append(st.Fonts.Files(), st.Fonts.Fallback...) {
			if _, ok := owner[name]; !ok {
				owner[name] = st.Name
				files = append(files, name)
			}
		}
	}
	loaded := make([]*fonts.Face, len(files))
	err := parallel.For(len(files), len(files), "loading fonts", func(i int) error {
		name := files[i]
		f, err := fonts.Open(dir, name)
		if err != nil && fallback[name] && errors.Is(err, fs.ErrNotExist) {
			err = nil // f is nil
		}
		if err != nil {
			return fmt.Errorf("style %s: font %s: %w", owner[name], name, err)
		}
		loaded[i] = f
		return nil
	})
	faces := make(map[string]*fonts.Face, len(files))
	for i, name := range files {
		faces[name] = loaded[i]
	}
	return faces, err
}

// readCover reads the cover image the front matter names, checked and
// scaled as figures are.
func readCover(book, cover string, at doc.Pos) ([]byte, error) {
	img, err := markdown.ReadImage(bookDir(book), cover)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %s", at.File, at.Line, markdown.DescribeImage("cover", cover, err))
	}
	return img.Data, nil
}

// bookDir is the folder a book's paths are relative to: the book itself
// if it is a folder, else the folder of its file.
func bookDir(book string) string {
	if fi, err := os.Stat(book); err == nil && fi.IsDir() {
		return book
	}
	return filepath.Dir(book)
}

// bookDate is the date stamped into the outputs, so that a build is
// reproducible: SOURCE_DATE_EPOCH when set (reproducible-builds.org), else
// the front matter date, else the source file's modification time.
func bookDate(book string, d *doc.Document) (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
		}
		// Dates are written with four-digit years.
		if last := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC); sec < 0 || sec > last.Unix() {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%s is not a time from 1970 to 9999: give the seconds since 1970-01-01 UTC, at most %d", s, last.Unix())
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	if d.Meta.Date != "" {
		t, err := time.Parse("2006-01-02", d.Meta.Date)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: date %q: write it as YYYY-MM-DD", book, d.Meta.Date)
		}
		return t, nil
	}
	fi, err := os.Stat(book)
	if err != nil {
		return time.Time{}, err
	}
	return fi.ModTime().UTC().Truncate(time.Second), nil
}

// writeEPUB writes the EPUB edition; opt gives the fonts and styles folders.
func writeEPUB(w io.Writer, d *doc.Document, st *style.Style, faces map[string]*fonts.Face, date time.Time, opt Options, cover []byte, paged *layout.Book, pageStyle string) error {
	epubFonts := epubFonts(st, faces)
	if opt.StylesDir != "" {
		opt.opened(filepath.Join(opt.StylesDir, "epub.css"))
	}
	sheet, err := style.Sheet(opt.StylesDir)
	if err != nil {
		return err
	}
	var embedded []*fonts.Face
	for _, r := range epub.EmbeddedRoles {
		embedded = append(embedded, epubFonts.Face(r))
	}
	licenses, err := fontLicenses(opt, append(embedded, epubFonts.Fallback...)...)
	if err != nil {
		return err
	}
	eopt := epub.Options{
		Fonts:      epubFonts,
		Stylesheet: string(sheet),
		Licenses:   licenses,
		Modified:   date,
		Generator:  Generator,
		Cover:      cover,
		PageBreaks: pageBreaks(paged),
		PageSource: fmt.Sprintf("《%s》印刷版 PDF（%s 版式）", d.Meta.Title, pageStyle),
		Vertical:   opt.EPUBWriting == WritingVertical,
	}
	return epub.Write(w, d, eopt)
}

// epubFonts are the faces of st's roles.
func epubFonts(st *style.Style, faces map[string]*fonts.Face) epub.Fonts {
	f := epub.Fonts{Faces: map[style.Role]*fonts.Face{}, Fallback: fallbackFaces(st, faces)}
	for _, r := range style.Roles {
		if face := faces[st.Fonts.Face(r)]; face != nil {
			f.Faces[r] = face
		}
	}
	return f
}

// fallbackFaces are the faces of st's fallback list that were loaded.
func fallbackFaces(st *style.Style, faces map[string]*fonts.Face) []*fonts.Face {
	var out []*fonts.Face
	for _, name := range st.Fonts.Fallback {
		if f := faces[name]; f != nil {
			out = append(out, f)
		}
	}
	return out
}

// pageBreaks are where the pages of a laid-out book begin in the text;
// pages without body text (the contents, say) have none.
func pageBreaks(b *layout.Book) []epub.PageBreak {
	var out []epub.PageBreak
	for i, p := range b.Pages {
		if p.Start.Block < 0 {
			continue
		}
		label := p.Folio
		if label == "" {
			label = strconv.Itoa(i + 1)
		}
		out = append(out, epub.PageBreak{Block: p.Start.Block, Offset: p.Start.Offset, Lead: p.Start.Lead, Label: label})
	}
	return out
}

// fontLicenses reads the licence of each face the EPUB may embed: the
// file OFL-<family without spaces>.txt beside the fonts (fonts/README.md).
// A face without its licence is an error: its subset may not travel alone.
func fontLicenses(opt Options, faces ...*fonts.Face) (map[string][]byte, error) {
	dir := opt.FontsDir
	out := map[string][]byte{}
	for _, f := range faces {
		if f == nil {
			continue
		}
		name := f.LicenseFile()
		if _, ok := out[name]; ok {
			continue
		}
		b, err := readLicense(dir, f, opt.opened)
		if err != nil {
			return nil, fmt.Errorf("font %s: its licence %s is missing from %s: add the licence text the font came with", f.PostScriptName, name, dir)
		}
		out[name] = b
	}
	return out, nil
}

// readLicense reads a face's licence: OFL-<family>.txt, else one named
// after the file the face is in (OFL-NotoSerifCJK.txt for every face of
// NotoSerifCJK-Regular.ttc), in the fonts folder or beside the font.
func readLicense(dir string, f *fonts.Face, opened func(string)) ([]byte, error) {
	names := []string{f.LicenseFile()}
	if f.Path != "" {
		stem, _, _ := strings.Cut(strings.TrimSuffix(filepath.Base(f.Path), filepath.Ext(f.Path)), "-")
		names = append(names, "OFL-"+stem+".txt")
	}
	var err error
	for _, d := range []string{dir, filepath.Dir(f.Path)} {
		for _, n := range names {
			var b []byte
			path := filepath.Join(d, n)
			opened(path)
			if b, err = os.ReadFile(path); err == nil {
				return b, nil
			}
		}
	}
	return nil, err
}
