package pdf

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf16"

	"github.com/paiban/paiban/internal/deflate"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/panics"
)

// finish rewrites gopdf's file into w. It keeps every object gopdf wrote
// and
//   - adds /Lang and the outline to the catalog: gopdf's catalog has no
//     /Lang, and its outline items point to the page tree as their parent,
//     carry no /Count and cannot be nested correctly;
//   - adds the fonts (see addFonts);
//   - draws the pages' rules and text into their contents and compresses
//     them (see streams and plainStream);
//   - writes the document information itself: gopdf has no /Keywords or
//     /ModDate and also mis-encodes characters outside the BMP there;
//   - writes a new cross-reference table and a trailer with a /ID derived
//     from the content, so the output stays reproducible.
func finish(w io.Writer, b *layout.Book, d *drawn) error {
	header, objs, err := splitObjects(d.raw)
	if err != nil {
		return err
	}
	add := func(body []byte) int {
		objs = append(objs, body)
		return len(objs) - 1
	}
	jobs, err := streams(b, d, &objs)
	if err != nil {
		return err
	}
	if err := compressStreams(objs, jobs, d.faces); err != nil {
		return err
	}
	if objs, err = addFonts(objs, d); err != nil {
		return err
	}

	// gopdf always writes the catalog as object 1 (its trailer says so).
	cat := objs[1]
	if !bytes.Contains(cat, []byte("/Type /Catalog")) || !bytes.HasSuffix(cat, []byte(">>\n")) {
		return errGopdf("object 1 is not the catalog")
	}
	var extra bytes.Buffer
	if len(b.Outline) > 0 {
		root := len(objs)
		for _, body := range outline(b, d.pages, root) {
			add(body)
		}
		fmt.Fprintf(&extra, "  /Outlines %d 0 R\n  /PageMode /UseOutlines\n", root)
	}
	if b.Info.Language != "" {
		fmt.Fprintf(&extra, "  /Lang %s\n", textString(b.Info.Language))
	}
	extra.WriteString(pageLabels(b.Pages))
	objs[1] = slices.Concat(cat[:len(cat)-3], extra.Bytes(), []byte(">>\n"))
	info := add(infoDict(b.Info))

	size := len(header) + 200 // the trailer
	for _, body := range objs {
		size += len(body) + 40 // "n 0 obj", "endobj" and the xref entry
	}
	// Written straight to w, hashing what precedes the cross-reference
	// table for /ID on the way, rather than copying a long book's
	// megabytes once more.
	if b, ok := w.(interface{ Grow(int) }); ok {
		b.Grow(size)
	}
	hash := md5.New()
	out := &countingWriter{w: bufio.NewWriterSize(io.MultiWriter(w, hash), 64<<10)}
	out.Write(header)
	offsets := make([]int, len(objs))
	for n := 1; n < len(objs); n++ {
		offsets[n] = out.n
		out.WriteString(strconv.Itoa(n))
		out.WriteString(" 0 obj\n")
		out.Write(objs[n])
		out.WriteString("endobj\n")
	}
	if err := out.w.Flush(); err != nil {
		return err
	}
	id := hash.Sum(nil)
	xref := out.n
	out.w.Reset(w)
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(objs))
	for _, off := range offsets[1:] {
		fmt.Fprintf(out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(out, "trailer\n<<\n/Size %d\n/Root 1 0 R\n/Info %d 0 R\n/ID [<%x><%x>]\n>>\nstartxref\n%d\n%%%%EOF\n",
		len(objs), info, id, id, xref)
	return out.w.Flush()
}

// countingWriter counts the bytes written through its buffered writer;
// errors are kept by the buffer and returned by Flush.
type countingWriter struct {
	w *bufio.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	return c.w.Write(p)
}

func (c *countingWriter) WriteString(s string) {
	c.n += len(s)
	c.w.WriteString(s)
}

func errGopdf(what string) error {
	return errors.New("pdf: unexpected gopdf output: " + what)
}

// splitObjects cuts gopdf's file into the header and the bodies of its
// objects, indexed by object number, using its cross-reference table. gopdf
// writes the objects in order and ignores errors from writing any of them,
// leaving an empty object behind, so an empty body is reported here.
func splitObjects(raw []byte) (header []byte, objs [][]byte, err error) {
	i := bytes.LastIndex(raw, []byte("startxref\n"))
	if i < 0 {
		return nil, nil, errGopdf("no startxref")
	}
	rest := raw[i+len("startxref\n"):]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	xref, err := strconv.Atoi(string(rest))
	if err != nil || xref <= 0 || xref >= len(raw) {
		return nil, nil, errGopdf("bad startxref")
	}
	x, ok := bytes.CutPrefix(raw[xref:], []byte("xref\n0 "))
	if !ok {
		return nil, nil, errGopdf("no xref table")
	}
	j := bytes.IndexByte(x, '\n')
	if j < 0 {
		return nil, nil, errGopdf("bad xref table")
	}
	n, err := strconv.Atoi(string(x[:j]))
	x = x[j+1:]
	if err != nil || n < 2 || len(x) < 20*n {
		return nil, nil, errGopdf("bad xref table")
	}
	offsets := make([]int, n+1)
	for k := 1; k < n; k++ {
		if offsets[k], err = strconv.Atoi(string(x[20*k : 20*k+10])); err != nil {
			return nil, nil, errGopdf("bad xref entry")
		}
	}
	offsets[n] = xref
	objs = make([][]byte, n)
	for k := 1; k < n; k++ {
		start, end := offsets[k], offsets[k+1]
		if start <= 0 || end <= start || end > xref {
			return nil, nil, errGopdf("objects out of order")
		}
		prefix := strconv.Itoa(k) + " 0 obj\n"
		body, ok := bytes.CutPrefix(raw[start:end], []byte(prefix))
		if ok {
			body, ok = bytes.CutSuffix(body, []byte("endobj\n\n"))
		}
		if !ok {
			return nil, nil, errGopdf("object " + strconv.Itoa(k) + " malformed")
		}
		if len(body) == 0 {
			return nil, nil, fmt.Errorf("pdf: gopdf failed to write object %d", k)
		}
		objs[k] = body
	}
	return raw[:offsets[1]], objs, nil
}

// addFonts adds each face's font objects (ISO 32000-1 §9.7: a Type 0
// font, its CIDFont, font descriptor, font program and ToUnicode CMap)
// and names the fonts in the pages' resources, where gopdf, which is told
// of no fonts, leaves the font dictionary empty. gopdf's own fonts cost
// more than they gave: it parses each font it is given in full, subsets
// it without the parts of nested composite glyphs, writes characters
// outside the BMP wrongly in its CMap, and takes time quadratic in the
// characters used to write that CMap.
func addFonts(objs [][]byte, d *drawn) ([][]byte, error) {
	res, ok := reference(objs[d.pages[0]], "/Resources")
	if !ok || res >= len(objs) {
		return nil, errGopdf("no resources on page 1")
	}
	const noFonts = "\t/Font <<\n\t>>\n"
	if bytes.Count(objs[res], []byte(noFonts)) != 1 {
		return nil, errGopdf("the resources' font dictionary")
	}
	names := []byte("\t/Font <<\n")
	var z compressor
	for _, f := range d.faces {
		<-f.prog.done
		if f.prog.err != nil {
			return nil, f.prog.err
		}
		desc, err := f.face.PDFDescriptor()
		if err != nil {
			return nil, fmt.Errorf("pdf: font %s: %w", f.face.PostScriptName, err)
		}
		// A glyph drawn for several characters keeps the first as its text.
		text := make(map[uint16]rune, len(f.runes))
		var glyphs []uint16
		for _, r := range f.runes {
			c, _ := f.chars.get(r)
			g := c.glyph
			if _, dup := text[g]; !dup {
				text[g] = r
				glyphs = append(glyphs, g)
			}
		}
		slices.Sort(glyphs)
		cmap, err := z.stream(toUnicode(glyphs, text), "", fontLevel)
		if err != nil {
			return nil, err
		}
		n := len(objs) // the Type 0 font; its parts follow
		objs = append(objs,
			fmt.Appendf(nil, "<<\n/Type /Font\n/Subtype /Type0\n/BaseFont /%s\n/Encoding /Identity-H\n/DescendantFonts [%d 0 R]\n/ToUnicode %d 0 R\n>>\n",
				f.name, n+1, n+4),
			cidFont(f, n+2, widths(glyphs, text, f.chars)),
			descriptor(f.name, desc, f.face.IsCFF(), n+3),
			f.prog.body,
			cmap)
		names = fmt.Appendf(names, "\t\t%s %d 0 R\n", f.resource, n)
	}
	names = append(names, "\t>>\n"...)
	objs[res] = bytes.Replace(objs[res], []byte(noFonts), names, 1)
	return objs, nil
}

// cidFont returns the body of f's CIDFont (ISO 32000-1 §9.7.4). A CFF
// face is a CIDFontType0 whose program is a CID-keyed CFF numbering its
// glyphs by CID, a TrueType face a CIDFontType2 mapping CIDs to glyphs
// one to one: either way the text's codes are the subset's glyph numbers.
func cidFont(f *face, desc int, w []byte) []byte {
	subtype, gidMap := "CIDFontType2", "/CIDToGIDMap /Identity\n"
	if f.face.IsCFF() {
		subtype, gidMap = "CIDFontType0", ""
	}
	return fmt.Appendf(nil, "<<\n/Type /Font\n/Subtype /%s\n/BaseFont /%s\n/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>\n/FontDescriptor %d 0 R\n%s%s>>\n",
		subtype, f.name, desc, gidMap, w)
}

// descriptor returns the body of a font descriptor for the font named
// name whose program is object prog: a TrueType font (FontFile2) or a
// bare CFF (FontFile3).
func descriptor(name string, d fonts.Descriptor, cff bool, prog int) []byte {
	// Symbolic: the characters are not (all) in the standard Latin set.
	flags := 4
	if d.FixedPitch {
		flags |= 1
	}
	if d.ItalicAngle != 0 {
		flags |= 64
	}
	s := fmt.Appendf(nil, "<<\n/Type /FontDescriptor\n/FontName /%s\n/Flags %d\n/FontBBox [%d %d %d %d]\n/ItalicAngle %s\n/Ascent %d\n/Descent %d\n/CapHeight %d\n",
		name, flags, d.BBox[0], d.BBox[1], d.BBox[2], d.BBox[3], num(d.ItalicAngle), d.Ascent, d.Descent, d.CapHeight)
	if d.XHeight > 0 {
		s = fmt.Appendf(s, "/XHeight %d\n", d.XHeight)
	}
	// StemV is required but only guides substituting a font that is not
	// embedded; these always are.
	file := "/FontFile2"
	if cff {
		file = "/FontFile3"
	}
	return fmt.Appendf(s, "/StemV 0\n%s %d 0 R\n>>\n", file, prog)
}

// widths returns a CIDFont's /W entry for the glyphs, in order, each as
// wide as its text's width: "/W [1 [1000 1000 500] 7 [250]]".
func widths(glyphs []uint16, text map[uint16]rune, chars *charTable) []byte {
	w := []byte("/W [")
	for i, g := range glyphs {
		switch {
		case i == 0:
			w = fmt.Appendf(w, "%d [", g)
		case g == glyphs[i-1]+1:
			w = append(w, ' ')
		default:
			w = fmt.Appendf(w, "] %d [", g)
		}
		c, _ := chars.get(text[g])
		w = strconv.AppendInt(w, int64(c.width), 10)
	}
	if len(glyphs) > 0 {
		w = append(w, ']')
	}
	return append(w, "]\n"...)
}

// program is a face's font program: its subset, as the body of a
// compressed stream object. It is made while gopdf writes the document and
// the pages are drawn; done is closed once body or err is set.
type program struct {
	done chan struct{}
	body []byte
	err  error
}

// startProgram begins making f's font program.
func (f *face) startProgram() {
	p := &program{done: make(chan struct{})}
	f.prog = p
	go func() {
		defer close(p.done)
		defer panics.Catch(&p.err, "subsetting font "+f.face.PostScriptName)
		cff := f.face.IsCFF()
		prog, glyphs, err := fonts.SubsetGlyphs(f.face, f.runes, fonts.SubsetOptions{CFFOnly: cff})
		if err != nil {
			p.err = fmt.Errorf("pdf: %w", err)
			return
		}
		for _, r := range f.runes {
			if c, _ := f.chars.get(r); c.glyph == 0 || c.glyph != glyphs[r] {
				p.err = fmt.Errorf("pdf: font %s: the subset has glyph %d for %q (%U), the text was written with %d",
					f.face.PostScriptName, glyphs[r], r, r, c.glyph)
				return
			}
		}
		var z compressor
		extra := fmt.Sprintf("/Length1 %d\n", len(prog))
		if cff {
			extra = "/Subtype /CIDFontType0C\n"
		}
		p.body, p.err = z.stream(prog, extra, fontLevel)
	}()
}

// reference returns the object number the dictionary entry key refers to
// ("/Key 12 0 R"); ok is false unless it is a single indirect reference on
// a line of its own, as gopdf writes them.
func reference(body []byte, key string) (n int, ok bool) {
	_, rest, found := bytes.Cut(body, []byte(key+" "))
	if !found {
		return 0, false
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) != 3 || string(f[1]) != "0" || string(f[2]) != "R" {
		return 0, false
	}
	n, err := strconv.Atoi(string(f[0]))
	return n, err == nil && n > 0
}

// streamJob is a stream for finish to compress: data gopdf wrote
// uncompressed (see plainStream), then the rules and text of page, if any.
type streamJob struct {
	obj  int
	data []byte
	page *layout.Page
}

// streams lists the streams to compress. A page's rules and text go at the
// end of its content stream, after the images gopdf drew; a page without
// images gets a content stream of its own.
func streams(b *layout.Book, d *drawn, objs *[][]byte) ([]streamJob, error) {
	textOf := map[int]*layout.Page{} // by content stream
	var jobs []streamJob
	for i, p := range b.Pages {
		if len(p.Rules) == 0 && !slices.ContainsFunc(p.Glyphs, func(g layout.Glyph) bool { return g.Text != "" }) {
			continue
		}
		page := (*objs)[d.pages[i]]
		if n, ok := reference(page, "/Contents"); ok {
			textOf[n] = p
			continue
		}
		if bytes.Contains(page, []byte("/Contents")) || !bytes.HasSuffix(page, []byte(">>\n")) {
			return nil, errGopdf("page " + strconv.Itoa(i+1) + " malformed")
		}
		*objs = append(*objs, nil)
		n := len(*objs) - 1
		(*objs)[d.pages[i]] = fmt.Appendf(page[:len(page)-3:len(page)-3], "  /Contents %d 0 R\n>>\n", n)
		jobs = append(jobs, streamJob{obj: n, page: p})
	}
	for n, body := range *objs {
		if data, ok := plainStream(body); ok {
			jobs = append(jobs, streamJob{obj: n, data: data, page: textOf[n]})
			delete(textOf, n)
		}
	}
	if len(textOf) > 0 {
		return nil, errGopdf("a page's contents are not a plain stream")
	}
	return jobs, nil
}

// compressStreams makes the streams' objects, spread over the processors,
// drawing the pages' rules and text into them (appendDrawing). Each stream
// is compressed on its own, so the output does not depend on how they are
// shared out.
func compressStreams(objs [][]byte, jobs []streamJob, faces []*face) error {
	byFace := make(map[*fonts.Face]*face, len(faces))
	for _, f := range faces {
		byFace[f.face] = f
	}
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			defer panics.Catch(&errs[w], "writing the PDF's pages")
			var z compressor
			var buf []byte
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				j := jobs[i]
				data := j.data
				if j.page != nil {
					buf = appendDrawing(append(buf[:0], data...), j.page, byFace)
					data = buf
				}
				body, err := z.stream(data, "", pageLevel)
				if err != nil {
					errs[w] = err
					return
				}
				objs[j.obj] = body
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// toUnicode returns a ToUnicode CMap mapping each glyph to its text in
// UTF-16BE, surrogate pairs included.
func toUnicode(glyphs []uint16, text map[uint16]rune) []byte {
	var cm bytes.Buffer
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	// A bfchar block may hold at most 100 entries.
	for len(glyphs) > 0 {
		block := glyphs[:min(100, len(glyphs))]
		glyphs = glyphs[len(block):]
		fmt.Fprintf(&cm, "%d beginbfchar\n", len(block))
		for _, g := range block {
			fmt.Fprintf(&cm, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune{text[g]}) {
				fmt.Fprintf(&cm, "%04X", u)
			}
			cm.WriteString(">\n")
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return cm.Bytes()
}

// plainStream returns the data of a stream gopdf wrote uncompressed: draw
// has gopdf write page contents uncompressed, because finish adds to them
// and compresses them with pooled compressors (gopdf would set up a new
// one for every page).
func plainStream(body []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(body, []byte("<<\n/Length "))
	if !ok {
		return nil, false
	}
	i := bytes.Index(rest, []byte("\n>>\nstream\n"))
	if i < 0 {
		return nil, false
	}
	n, err := strconv.Atoi(string(rest[:i]))
	rest = rest[i+len("\n>>\nstream\n"):]
	if err != nil || n != len(rest)-len("endstream\n") || !bytes.HasSuffix(rest, []byte("endstream\n")) {
		return nil, false
	}
	return rest[:n], true
}

// The zlib levels streams are compressed at (klauspost/compress). Font
// programs are most of a short book's file and of its PDF's work: level 2,
// the EPUB's level, costs a few per cent of size for a faster build, in
// part because the two editions then share compressors. Page contents are
// most of a long book's work and compress well at any level: level 1
// takes about half the time of level 5 (docs/performance.md).
const (
	fontLevel = 2
	pageLevel = 1
)

// compressor makes compressed stream objects, reusing one buffer.
type compressor struct {
	buf bytes.Buffer
}

// stream returns the body of a stream object holding data compressed at
// level, with the extra dictionary entries given.
func (c *compressor) stream(data []byte, extra string, level int) ([]byte, error) {
	c.buf.Reset()
	if err := deflate.Zlib(&c.buf, data, level); err != nil {
		return nil, err
	}
	s := fmt.Appendf(make([]byte, 0, c.buf.Len()+80), "<<\n/Filter /FlateDecode\n/Length %d\n%s>>\nstream\n", c.buf.Len(), extra)
	s = append(s, c.buf.Bytes()...)
	return append(s, "\nendstream\n"...), nil
}

// outline returns the bodies of the outline objects, numbered from root:
// the outline dictionary, then one item per entry. Every item is open, so
// each /Count is the number of descendants and the root's is the number of
// entries.
func outline(b *layout.Book, pages []int, root int) [][]byte {
	es := b.Outline
	n := len(es)
	obj := func(i int) int { return root + 1 + i } // -1 is the root
	parent := make([]int, n)
	kids := make([][]int, n+1) // kids[p+1] are the children of p
	var stack []int
	for i, e := range es {
		for len(stack) > 0 && es[stack[len(stack)-1]].Level >= e.Level {
			stack = stack[:len(stack)-1]
		}
		parent[i] = -1
		if len(stack) > 0 {
			parent[i] = stack[len(stack)-1]
		}
		kids[parent[i]+1] = append(kids[parent[i]+1], i)
		stack = append(stack, i)
	}
	count := make([]int, n)
	for i := range es {
		for p := parent[i]; p >= 0; p = parent[p] {
			count[p]++
		}
	}
	prev, next := make([]int, n), make([]int, n)
	for _, k := range kids {
		for j, i := range k {
			prev[i], next[i] = -1, -1
			if j > 0 {
				prev[i] = k[j-1]
			}
			if j < len(k)-1 {
				next[i] = k[j+1]
			}
		}
	}

	bodies := make([][]byte, 0, n+1)
	top := kids[0]
	bodies = append(bodies, fmt.Appendf(nil, "<<\n/Type /Outlines\n/First %d 0 R\n/Last %d 0 R\n/Count %d\n>>\n",
		obj(top[0]), obj(top[len(top)-1]), n))
	for i, e := range es {
		var s bytes.Buffer
		fmt.Fprintf(&s, "<<\n/Title %s\n/Parent %d 0 R\n", textString(e.Title), obj(parent[i]))
		if prev[i] >= 0 {
			fmt.Fprintf(&s, "/Prev %d 0 R\n", obj(prev[i]))
		}
		if next[i] >= 0 {
			fmt.Fprintf(&s, "/Next %d 0 R\n", obj(next[i]))
		}
		if k := kids[i+1]; len(k) > 0 {
			fmt.Fprintf(&s, "/First %d 0 R\n/Last %d 0 R\n/Count %d\n", obj(k[0]), obj(k[len(k)-1]), count[i])
		}
		fmt.Fprintf(&s, "/Dest [%d 0 R /XYZ 0 %s null]\n>>\n", pages[e.Page], num(b.Pages[e.Page].Height-e.Y))
		bodies = append(bodies, s.Bytes())
	}
	return bodies
}

// num formats a coordinate with at most three decimals.
func num(v float64) string { return string(appendNums(nil, v)) }

// infoDict returns the document information dictionary. Dates are written
// only when the book has one, so that output is reproducible by default.
func infoDict(in layout.Info) []byte {
	var s bytes.Buffer
	s.WriteString("<<\n")
	for _, kv := range [][2]string{
		{"Title", in.Title}, {"Author", in.Author}, {"Subject", in.Subject},
		{"Keywords", in.Keywords}, {"Creator", in.Creator}, {"Producer", producer},
	} {
		if kv[1] != "" {
			fmt.Fprintf(&s, "/%s %s\n", kv[0], textString(kv[1]))
		}
	}
	if !in.Date.IsZero() {
		d := pdfDate(in.Date)
		fmt.Fprintf(&s, "/CreationDate %s\n/ModDate %s\n", d, d)
	}
	s.WriteString(">>\n")
	return s.Bytes()
}

// pdfDate formats t as a PDF date string, keeping its time zone.
func pdfDate(t time.Time) string {
	d := "(D:" + t.Format("20060102150405")
	_, off := t.Zone()
	if off == 0 {
		return d + "Z)"
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d'%02d')", d, sign, off/3600, off/60%60)
}

// textString encodes s as a PDF text string: a literal when it is printable
// ASCII, otherwise UTF-16BE with a byte order mark.
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			ascii = false
			break
		}
	}
	var b bytes.Buffer
	if ascii {
		b.WriteByte('(')
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '(' || c == ')' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		}
		b.WriteByte(')')
		return b.String()
	}
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}
