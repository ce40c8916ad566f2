package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/paiban/paiban/internal/deflate"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/layout"
	"github.com/paiban/paiban/internal/panics"
	"github.com/paiban/paiban/internal/parallel"
	"github.com/paiban/paiban/internal/pdfobj"
)

// finish completes gopdf's file and writes it to w. It keeps every
// object gopdf wrote and
//   - draws the pages' rules and text into their contents and compresses
//     them (see streams);
//   - adds the fonts (see addFonts);
//   - adds the outline, /Lang and the page labels to the catalog: gopdf's
//     catalog has no /Lang, and its outline items point to the page tree
//     as their parent, carry no /Count and cannot be nested correctly;
//   - writes the document information itself: gopdf has no /Keywords or
//     /ModDate and also mis-encodes characters outside the BMP there.
//
// The file is written with a new cross-reference table and an /ID derived
// from the content, so the output stays reproducible (pdfobj.File.Write).
func finish(w io.Writer, b *layout.Book, d *drawn) error {
	jobs, err := streams(b, d)
	if err != nil {
		return err
	}
	if err := compressStreams(d.file, jobs, d.faces); err != nil {
		return err
	}
	if err := addFonts(d); err != nil {
		return err
	}
	if err := completeCatalog(b, d); err != nil {
		return err
	}
	info := d.file.Add(infoDict(b.Info))
	return d.file.Write(w, info)
}

// completeCatalog adds the outline, /Lang and /PageLabels to the catalog.
func completeCatalog(b *layout.Book, d *drawn) error {
	f := d.file
	cat, err := f.Dict(f.Root())
	if err != nil {
		return errGopdf(err.Error())
	}
	if t, _ := cat.Get("/Type"); string(t) != "/Catalog" {
		return errGopdf("the trailer's /Root is not the catalog")
	}
	var entries []string
	if len(b.Outline) > 0 {
		root := f.Len()
		for _, body := range outline(b, d.pages, root) {
			f.Add(body)
		}
		entries = append(entries, "/Outlines", strconv.Itoa(root)+" 0 R", "/PageMode", "/UseOutlines")
	}
	if b.Info.Language != "" {
		entries = append(entries, "/Lang", textString(b.Info.Language))
	}
	if labels := pageLabels(b.Pages); labels != "" {
		entries = append(entries, "/PageLabels", labels)
	}
	return f.SetEntries(f.Root(), entries...)
}

func errGopdf(what string) error {
	return errors.New("pdf: unexpected gopdf output: " + what)
}

// addFonts adds each face's font objects (ISO 32000-1 §9.7: a Type 0
// font, its CIDFont, font descriptor, font program and ToUnicode CMap)
// and names the fonts in the pages' resources, where gopdf, which is told
// of no fonts, leaves the font dictionary empty. gopdf's own fonts cost
// more than they gave: it parses each font it is given in full, subsets
// it without the parts of nested composite glyphs, writes characters
// outside the BMP wrongly in its CMap, and takes time quadratic in the
// characters used to write that CMap.
func addFonts(d *drawn) error {
	resources, err := fontResources(d)
	if err != nil {
		return err
	}
	// The entries are laid out as gopdf lays out the rest of the
	// resources.
	names := "<<\n"
	var z compressor
	for _, f := range d.faces {
		<-f.prog.done
		if f.prog.err != nil {
			return f.prog.err
		}
		desc, err := f.face.PDFDescriptor()
		if err != nil {
			return fmt.Errorf("pdf: font %s: %w", f.face.PostScriptName, err)
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
			return err
		}
		n := d.file.Len() // the Type 0 font; its parts follow
		for _, body := range [][]byte{
			fmt.Appendf(nil, "<<\n/Type /Font\n/Subtype /Type0\n/BaseFont /%s\n/Encoding /Identity-H\n/DescendantFonts [%d 0 R]\n/ToUnicode %d 0 R\n>>\n",
				f.name, n+1, n+4),
			cidFont(f, n+2, widths(glyphs, text, f.chars)),
			descriptor(f.name, desc, f.face.IsCFF(), n+3),
			f.prog.body,
			cmap,
		} {
			d.file.Add(body)
		}
		names += "\t\t" + f.resource + " " + strconv.Itoa(n) + " 0 R\n"
	}
	names += "\t>>"
	for _, res := range resources {
		if err := d.file.SetEntries(res, "/Font", names); err != nil {
			return errGopdf(err.Error())
		}
	}
	return nil
}

// fontResources returns the resource dictionaries of the pages, which
// gopdf, told of no fonts, writes with an empty /Font dictionary. gopdf
// shares one among all pages.
func fontResources(d *drawn) ([]int, error) {
	var list []int
	for i, pg := range d.pages {
		page, err := d.file.Dict(pg)
		if err != nil {
			return nil, errGopdf(err.Error())
		}
		res, ok := page.Ref("/Resources")
		if !ok {
			return nil, errGopdf("page " + strconv.Itoa(i+1) + " has no /Resources object")
		}
		if slices.Contains(list, res) {
			continue
		}
		dict, err := d.file.Dict(res)
		if err != nil {
			return nil, errGopdf(err.Error())
		}
		v, _ := dict.Get("/Font")
		if fonts, err := pdfobj.ParseDict(v); err != nil || fonts.Len() != 0 {
			return nil, errGopdf("page " + strconv.Itoa(i+1) + "'s resources have a /Font other than an empty dictionary")
		}
		list = append(list, res)
	}
	return list, nil
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

// streamJob is a content stream for finish to compress: what gopdf drew
// in it (images), then the rules and text of page, if any.
type streamJob struct {
	obj  int
	data []byte
	page *layout.Page
}

// streams lists the pages' content streams. A page's rules and text go at
// the end of its content stream, after the images gopdf drew; a page
// without images gets a content stream of its own. gopdf is told to
// write its content streams uncompressed, because finish adds to them and
// compresses them with pooled compressors (gopdf would set up a new one
// for every page).
func streams(b *layout.Book, d *drawn) ([]streamJob, error) {
	f := d.file
	var jobs []streamJob
	for i, p := range b.Pages {
		if len(p.Rules) == 0 && !slices.ContainsFunc(p.Glyphs, func(g layout.Glyph) bool { return g.Text != "" }) {
			p = nil // nothing to draw
		}
		page, err := f.Dict(d.pages[i])
		if err != nil {
			return nil, errGopdf(err.Error())
		}
		if _, ok := page.Get("/Contents"); !ok {
			if p != nil {
				n := f.Add(nil) // made by compressStreams
				if err := f.SetEntries(d.pages[i], "/Contents", strconv.Itoa(n)+" 0 R"); err != nil {
					return nil, errGopdf(err.Error())
				}
				jobs = append(jobs, streamJob{obj: n, page: p})
			}
			continue
		}
		n, ok := page.Ref("/Contents")
		if !ok {
			return nil, errGopdf("page " + strconv.Itoa(i+1) + " has more than one content stream")
		}
		dict, data, err := f.Stream(n)
		if err != nil {
			return nil, errGopdf(err.Error())
		}
		if _, ok := dict.Get("/Filter"); ok {
			return nil, errGopdf("page " + strconv.Itoa(i+1) + "'s content stream is compressed")
		}
		jobs = append(jobs, streamJob{obj: n, data: data, page: p})
	}
	return jobs, nil
}

// compressStreams makes the streams' objects, spread over the processors,
// drawing the pages' rules and text into them (appendDrawing). Each stream
// is compressed on its own, so the output does not depend on how they are
// shared out.
func compressStreams(f *pdfobj.File, jobs []streamJob, faces []*face) error {
	byFace := make(map[*fonts.Face]*face, len(faces))
	for _, f := range faces {
		byFace[f.face] = f
	}
	type scratch struct {
		z   compressor
		buf []byte
	}
	return parallel.Workers(len(jobs), 0, "writing the PDF's pages", func(s *scratch, i int) error {
		j := jobs[i]
		data := j.data
		if j.page != nil {
			s.buf = appendDrawing(append(s.buf[:0], data...), j.page, byFace)
			data = s.buf
		}
		body, err := s.z.stream(data, "", pageLevel)
		if err != nil {
			return err
		}
		f.Set(j.obj, body)
		return nil
	})
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
