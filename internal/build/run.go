package build

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/epub"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/impose"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/markdown"
	"github.com/paiban/paiban/internal/parallel"
	"github.com/paiban/paiban/internal/pdf"
	"github.com/paiban/paiban/internal/style"
)

// edition is an output format: its file's extension and how the build
// writes it.
type edition struct {
	format string
	write  func(r *run, w io.Writer) error
}

// editions are the formats of Formats, in its order.
var editions = []edition{
	{"pdf", func(r *run, w io.Writer) error { return pdf.Write(w, r.printed.Book) }},
	{"epub", (*run).writeEPUB},
}

// printEdition is an edition made from the finished PDF, as a print
// shop would: NAME-booklet.pdf, NAME-2up.pdf, NAME-crop.pdf.
type printEdition struct {
	suffix string
	make   func(w io.Writer, pdf []byte) error
}

// printEditions are the print editions opt asks for.
func printEditions(opt Options) []printEdition {
	var out []printEdition
	for _, m := range opt.Impose {
		out = append(out, printEdition{"-" + string(m), func(w io.Writer, src []byte) error { return impose.Impose(w, src, m) }})
	}
	if opt.CropMarks {
		out = append(out, printEdition{"-crop", func(w io.Writer, src []byte) error { return impose.CropMarks(w, src, impose.DefaultBleed) }})
	}
	return out
}

// run is one build of one book; its steps fill it in, in order.
type run struct {
	book string
	opt  Options
	// st is the PDF's style; pageStyle the default one, whose pages the
	// EPUB marks.
	st, pageStyle     *style.Style
	wantPDF, wantEPUB bool

	d     *doc.Document
	cover []byte // the EPUB's cover image
	faces map[string]*fonts.Face
	date  time.Time
	// printed is laid out in st, for the PDF; paged in pageStyle, for the
	// EPUB's page marks (printed itself when the styles are one).
	printed, paged *layout.Result
}

// Run builds one book: parse, load the fonts, lay out, then write the PDF
// and the EPUB concurrently. Errors in the input come back as `file:line:
// message` lines; outputs already present are left untouched on failure.
func Run(book string, opt Options) (err error) {
	defer guard(book, &err)
	r := &run{book: book, opt: opt}
	for _, step := range []func() error{
		r.checkOptions,
		r.loadStyles,
		r.read,
		r.readCover,
		r.loadFonts,
		r.stampDate,
		r.layOut,
		r.reportMissing,
		r.reportUnshaped,
		r.dumpLayout,
		r.writeEditions,
		r.writePrintEditions,
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) checkOptions() error {
	if err := r.opt.Locate(); err != nil {
		return err
	}
	for _, f := range r.opt.Formats {
		if !slices.Contains(Formats, f) {
			return fmt.Errorf("unknown format %q: use %s", f, strings.Join(Formats, ","))
		}
	}
	switch r.opt.EPUBWriting {
	case "", WritingHorizontal, WritingVertical:
	default:
		return fmt.Errorf("unknown EPUB writing %q: use %s or %s", r.opt.EPUBWriting, WritingHorizontal, WritingVertical)
	}
	r.wantPDF, r.wantEPUB = slices.Contains(r.opt.Formats, "pdf"), slices.Contains(r.opt.Formats, "epub")
	return nil
}

// loadStyles loads the PDF's style and, for the EPUB, the default one:
// the EPUB marks the pages of the default print style, whatever style the
// PDF is set in, so that every EPUB cites the same pages. A styles folder
// of the user's own that lacks the default style (and perhaps its fonts)
// has the EPUB mark the pages of the style the PDF is set in.
func (r *run) loadStyles() (err error) {
	dir := r.opt.StylesDir
	if dir != "" {
		// The default style is looked for even when the folder lacks it.
		r.opt.opened(filepath.Join(dir, r.opt.Style+".yaml"))
		if r.wantEPUB {
			r.opt.opened(filepath.Join(dir, style.Default+".yaml"))
		}
	}
	if r.st, err = style.Load(dir, r.opt.Style); err != nil {
		return err
	}
	r.pageStyle = r.st
	if r.wantEPUB && r.st.Name != style.Default && slices.Contains(style.Available(dir), style.Default) {
		r.pageStyle, err = style.Load(dir, style.Default)
	}
	return err
}

func (r *run) progress(p Progress) {
	if r.opt.Progress != nil {
		p.Book = r.book
		r.opt.Progress(p)
	}
}

// read reads the book and reports its warnings.
func (r *run) read() (err error) {
	r.progress(Progress{Stage: "reading"})
	if r.d, err = markdown.Read(r.book, markdown.Options{Remote: r.opt.fetcher(), Opened: r.opt.Opened}); err != nil {
		return err
	}
	return reportWarnings(r.d.Warnings, r.opt)
}

// readCover reads the cover image the front matter names for the EPUB;
// without one, layOut draws one.
func (r *run) readCover() (err error) {
	if r.wantEPUB && r.d.Meta.Cover != "" {
		r.opt.opened(filepath.Join(bookDir(r.book), filepath.FromSlash(r.d.Meta.Cover)))
		r.cover, err = readCover(r.book, r.d.Meta.Cover, r.d.Meta.CoverPos)
	}
	return err
}

// loadFonts loads the faces the styles name; faces found on the system
// are named by the path they were loaded from.
func (r *run) loadFonts() (err error) {
	for _, st := range []*style.Style{r.st, r.pageStyle} {
		for _, name := range append(st.Fonts.Files(), st.Fonts.Fallback...) {
			r.opt.opened(fonts.File(r.opt.FontsDir, name))
		}
	}
	r.faces, err = loadFonts(r.opt.FontsDir, r.st, r.pageStyle)
	for _, f := range r.faces {
		if f != nil && f.Path != "" {
			r.opt.opened(f.Path)
		}
	}
	return err
}

func (r *run) stampDate() (err error) {
	r.date, err = bookDate(r.book, r.d)
	return err
}

// layOut lays the book out once per style needed: the PDF's, and the
// default one for the EPUB's page breaks when it differs. A drawn cover
// needs only the metadata and the fonts: it is drawn while the book is
// laid out rather than while the editions are written, when both
// processors are busy.
func (r *run) layOut() error {
	// Only one of the two layouts reports its pages, so that the count
	// does not jump between them.
	pageProgress := func(p layout.Progress) {
		r.progress(Progress{Stage: "laying out", Layout: p})
	}
	lay := func(res **layout.Result, st *style.Style, report func(layout.Progress)) func() error {
		return func() (err error) {
			*res, err = layout.Layout(r.d, layout.Options{Style: st, Faces: r.faces, Creator: Generator, Date: r.date, Progress: report})
			return err
		}
	}
	var layPrint, layPage, drawCover func() error
	if r.wantPDF {
		layPrint = lay(&r.printed, r.st, pageProgress)
	}
	if r.wantEPUB && (!r.wantPDF || r.pageStyle != r.st) {
		var report func(layout.Progress)
		if !r.wantPDF {
			report = pageProgress
		}
		layPage = lay(&r.paged, r.pageStyle, report)
	}
	if r.wantEPUB && r.cover == nil {
		drawCover = func() (err error) {
			r.cover, err = epub.DrawCover(r.d.Meta, epubFonts(r.st, r.faces))
			return err
		}
	}
	if err := parallel.Do("laying out "+r.book, layPrint, layPage, drawCover); err != nil {
		return err
	}
	if r.paged == nil {
		r.paged = r.printed
	}
	return nil
}

// laidOut is the layout the checks and the dump read: the PDF's, else the
// EPUB's alone, in the default style, which shows its missing characters
// as well.
func (r *run) laidOut() *layout.Result { return cmp.Or(r.printed, r.paged) }

func (r *run) reportMissing() error {
	return reportMissing(r.laidOut(), r.book, r.opt, absentFaces(r.faces))
}

// reportUnshaped warns of text the PDF cannot set as written: in
// scripts it cannot shape, or cut to fit its pages.
func (r *run) reportUnshaped() error {
	if !r.wantPDF {
		return nil
	}
	return reportWarnings(append(unshapedWarnings(r.d, r.book), r.printed.Warnings...), r.opt)
}

func (r *run) dumpLayout() error {
	if r.opt.DumpLayout == "" {
		return nil
	}
	return writeAtomic(r.opt.DumpLayout, r.laidOut().Book.Dump)
}

// writeEditions makes the editions asked for in memory, concurrently, and
// writes them only when all succeeded, so that a failing one does not
// leave another new.
func (r *run) writeEditions() error {
	if err := os.MkdirAll(r.opt.OutDir, 0o755); err != nil {
		return err
	}
	r.progress(Progress{Stage: "writing"})
	formats := r.opt.Formats
	made := make([]bytes.Buffer, len(formats))
	err := parallel.For(len(formats), len(formats), "writing "+r.book, func(i int) error {
		e := editions[slices.IndexFunc(editions, func(e edition) bool { return e.format == formats[i] })]
		if err := e.write(r, &made[i]); err != nil {
			return fmt.Errorf("%s: %s edition: %w", r.book, formats[i], err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	outs := make([]output, len(formats))
	for i, format := range formats {
		outs[i] = output{r.outPath("." + format), made[i].Bytes()}
	}
	if err := replaceFiles(outs...); err != nil {
		return err
	}
	for _, o := range outs {
		fmt.Fprintf(r.opt.Stdout, "wrote %s\n", o.path)
	}
	return nil
}

// outPath is the path of the edition of the book whose name ends in
// suffix.
func (r *run) outPath(suffix string) string {
	return filepath.Join(r.opt.OutDir, OutputName(r.book)+suffix)
}

// writePrintEditions writes the print editions asked for, or else the
// style's default ones, from the finished PDF: each is written atomically.
func (r *run) writePrintEditions() error {
	if !r.wantPDF {
		return nil
	}
	opt := r.opt
	if len(opt.Impose) == 0 {
		// The style's default editions; --impose overrides them.
		for _, m := range r.st.Impose {
			opt.Impose = append(opt.Impose, impose.Mode(m))
		}
	}
	eds := printEditions(opt)
	if len(eds) == 0 {
		return nil
	}
	src, err := os.ReadFile(r.outPath(".pdf"))
	if err != nil {
		return err
	}
	for _, e := range eds {
		out := r.outPath(e.suffix + ".pdf")
		if err := writeAtomic(out, func(w io.Writer) error { return e.make(w, src) }); err != nil {
			return err
		}
		fmt.Fprintf(opt.Stdout, "wrote %s\n", out)
	}
	return nil
}

func (r *run) writeEPUB(w io.Writer) error {
	return writeEPUB(w, r.d, r.st, r.faces, r.date, r.opt, r.cover, r.paged.Book, r.pageStyle.Name)
}
