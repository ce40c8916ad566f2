// Package pdfobj is paiban's adapter to the files gopdf writes. gopdf
// makes the document (page tree, pages, images, links, imported pages);
// what paiban adds to it (its own fonts and content streams, the outline,
// the catalog's and pages' extra entries) is added here, on the file's
// structure: Parse finds the objects through the cross-reference table,
// Dict reads and changes a dictionary by key, Add appends objects, and
// Write writes the file again with a new cross-reference table. Every
// assumption about the shape of gopdf's output is in this package, and
// gopdf_test.go pins them to the gopdf version in go.mod.
//
// It reads what gopdf writes, not PDF at large: one classic
// cross-reference table, no object streams, no encryption, no
// incremental updates; anything else is refused with an error.
package pdfobj

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"

	"github.com/signintech/gopdf"
)

// File is a PDF file as numbered objects.
type File struct {
	// header is what precedes the first object: the version line and
	// the binary comment.
	header []byte
	// objs[n] is the body of object n, between "n 0 obj" and its line
	// end and "endobj"; objs[0] and free numbers are nil.
	objs [][]byte
	root int
	info int // the trailer's /Info, 0 when none
}

// Render has gopdf write its document and parses the file. size is a
// guess of the file's size, so that it is written into one buffer.
func Render(gp *gopdf.GoPdf, size int) (*File, error) {
	var buf bytes.Buffer
	buf.Grow(size)
	if _, err := gp.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("gopdf: %w", err)
	}
	f, err := Parse(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("unexpected gopdf output: %w", err)
	}
	return f, nil
}

// Parse reads a file through its cross-reference table. The objects'
// bodies are slices of raw.
func Parse(raw []byte) (*File, error) {
	i := bytes.LastIndex(raw, []byte("startxref"))
	if i < 0 {
		return nil, fmt.Errorf("no startxref")
	}
	xref, _, err := integer(raw, skipSpace(raw, i+len("startxref")))
	if err != nil || xref <= 0 || xref >= i {
		return nil, fmt.Errorf("bad startxref")
	}
	offsets, trailer, err := readXref(raw, xref)
	if err != nil {
		return nil, err
	}
	if _, ok := trailer.Get("/Prev"); ok {
		return nil, fmt.Errorf("an incremental update (/Prev in the trailer)")
	}
	if _, ok := trailer.Get("/Encrypt"); ok {
		return nil, fmt.Errorf("an encrypted file")
	}
	f := &File{objs: make([][]byte, len(offsets))}
	root, ok := trailer.Ref("/Root")
	if !ok || root >= len(offsets) || offsets[root] == 0 {
		return nil, fmt.Errorf("no /Root in the trailer")
	}
	f.root = root
	if info, ok := trailer.Ref("/Info"); ok && info < len(offsets) && offsets[info] > 0 {
		f.info = info
	}
	// Each object runs to the next one, or to the table after the last.
	order := make([]int, 0, len(offsets))
	for n, off := range offsets {
		if off > 0 {
			order = append(order, n)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })
	if len(order) == 0 {
		return nil, fmt.Errorf("no objects")
	}
	for k, n := range order {
		end := xref
		if k+1 < len(order) {
			end = offsets[order[k+1]]
		}
		if offsets[n] >= end {
			return nil, fmt.Errorf("object %d: bad offset %d", n, offsets[n])
		}
		if f.objs[n], err = objectBody(raw[offsets[n]:end], n); err != nil {
			return nil, err
		}
	}
	f.header = raw[:offsets[order[0]]]
	return f, nil
}

// readXref reads the classic cross-reference table at off: the offset of
// each object by number (0 for a free one), and the trailer.
func readXref(raw []byte, off int) ([]int, Dict, error) {
	i, ok := keyword(raw, off, "xref")
	if !ok {
		return nil, Dict{}, fmt.Errorf("no cross-reference table at %d (a cross-reference stream?)", off)
	}
	var offsets []int
	for {
		i = skipSpace(raw, i)
		if j, ok := keyword(raw, i, "trailer"); ok {
			trailer, err := ParseDict(raw[j:])
			return offsets, trailer, err
		}
		first, j, err := integer(raw, i)
		if err != nil {
			return nil, Dict{}, fmt.Errorf("bad cross-reference subsection")
		}
		count, j, err := integer(raw, skipSpace(raw, j))
		if err != nil || first < 0 || count < 0 || count > len(raw)/20 {
			return nil, Dict{}, fmt.Errorf("bad cross-reference subsection")
		}
		// Entries are 20 bytes from the line after the subsection's.
		j = skipSpace(raw, j)
		if j+20*count > len(raw) {
			return nil, Dict{}, fmt.Errorf("cross-reference table cut short")
		}
		for len(offsets) < first+count {
			offsets = append(offsets, 0)
		}
		for k := range count {
			e := raw[j+20*k : j+20*k+20]
			n := first + k
			switch e[17] {
			case 'f':
				offsets[n] = 0
			case 'n':
				if string(e[11:16]) != "00000" {
					return nil, Dict{}, fmt.Errorf("object %d has generation %s", n, e[11:16])
				}
				o, err := strconv.Atoi(string(e[:10]))
				if err != nil || o <= 0 || o >= off {
					return nil, Dict{}, fmt.Errorf("bad cross-reference entry for object %d", n)
				}
				offsets[n] = o
			default:
				return nil, Dict{}, fmt.Errorf("bad cross-reference entry for object %d", n)
			}
		}
		i = j + 20*count
	}
}

// objectBody returns the body of object n from its chunk of the file,
// which runs from "n 0 obj" to the next object.
func objectBody(chunk []byte, n int) ([]byte, error) {
	num, i, err := integer(chunk, 0)
	if err == nil && num == n {
		var gen int
		gen, i, err = integer(chunk, skipSpace(chunk, i))
		if err == nil && gen != 0 {
			err = fmt.Errorf("generation %d", gen)
		}
	} else if err == nil {
		err = fmt.Errorf("the table's offset points to object %d", num)
	}
	if err == nil {
		var ok bool
		if i, ok = keyword(chunk, skipSpace(chunk, i), "obj"); !ok {
			err = fmt.Errorf("no \"obj\"")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("object %d: %v", n, err)
	}
	i = skipEOL(chunk, i)
	// gofpdi's imported objects end in an "endobj" of their own, which
	// gopdf follows with its own: the body runs to the last one.
	end := bytes.LastIndex(chunk, []byte("endobj"))
	if end < i || skipSpace(chunk, end+len("endobj")) != len(chunk) {
		return nil, fmt.Errorf("object %d: no \"endobj\" before the next object", n)
	}
	if skipSpace(chunk[:end], i) == end {
		// gopdf leaves an empty object when writing it failed.
		return nil, fmt.Errorf("object %d is empty", n)
	}
	return chunk[i:end], nil
}

// Len is one more than the highest object number.
func (f *File) Len() int { return len(f.objs) }

// Root is the number of the catalog.
func (f *File) Root() int { return f.root }

// Info is the number of the document information dictionary the parsed
// trailer names, 0 when none.
func (f *File) Info() int { return f.info }

// Body returns object n's body, nil when there is no such object.
func (f *File) Body(n int) []byte {
	if n <= 0 || n >= len(f.objs) {
		return nil
	}
	return f.objs[n]
}

// Set replaces object n's body. Different objects may be set at once from
// different goroutines, but not while Add runs.
func (f *File) Set(n int, body []byte) { f.objs[n] = body }

// Add appends an object and returns its number.
func (f *File) Add(body []byte) int {
	f.objs = append(f.objs, body)
	return len(f.objs) - 1
}

// Dict parses object n as a dictionary (a stream's dictionary for a
// stream).
func (f *File) Dict(n int) (Dict, error) {
	body := f.Body(n)
	if body == nil {
		return Dict{}, fmt.Errorf("no object %d", n)
	}
	d, err := ParseDict(body)
	if err != nil {
		return Dict{}, fmt.Errorf("object %d: %w", n, err)
	}
	return d, nil
}

// SetEntries sets entries of object n's dictionary, keys and values
// alternating, each as Dict.Set does.
func (f *File) SetEntries(n int, kv ...string) error {
	for i := 0; i+1 < len(kv); i += 2 {
		d, err := f.Dict(n)
		if err != nil {
			return err
		}
		f.objs[n] = d.Set(kv[i], kv[i+1])
	}
	return nil
}

// Stream returns the dictionary and the data of stream object n, as they
// are in the file (still encoded if the dictionary has a /Filter).
func (f *File) Stream(n int) (Dict, []byte, error) {
	d, err := f.Dict(n)
	if err != nil {
		return Dict{}, nil, err
	}
	body := d.src
	v, _ := d.Get("/Length")
	length, end, err := integer(v, 0)
	if err != nil || end != len(v) || length < 0 {
		return Dict{}, nil, fmt.Errorf("object %d: no direct /Length", n)
	}
	i, ok := keyword(body, skipSpace(body, d.next), "stream")
	if !ok {
		return Dict{}, nil, fmt.Errorf("object %d is not a stream", n)
	}
	// The data starts after "stream" and a line end (ISO 32000-1 §7.3.8.1).
	if i < len(body) && body[i] == '\r' {
		i++
	}
	if i >= len(body) || body[i] != '\n' || i+1+length > len(body) {
		return Dict{}, nil, fmt.Errorf("object %d: stream shorter than its /Length", n)
	}
	data := body[i+1 : i+1+length]
	if _, ok := keyword(body, skipSpace(body, i+1+length), "endstream"); !ok {
		return Dict{}, nil, fmt.Errorf("object %d: no endstream after /Length bytes", n)
	}
	return d, data, nil
}

// Pages returns the numbers of the page objects in order, from the
// catalog's page tree.
func (f *File) Pages() ([]int, error) {
	cat, err := f.Dict(f.root)
	if err != nil {
		return nil, err
	}
	tree, ok := cat.Ref("/Pages")
	if !ok {
		return nil, fmt.Errorf("the catalog has no /Pages")
	}
	var pages []int
	seen := map[int]bool{}
	var walk func(n int) error
	walk = func(n int) error {
		if seen[n] {
			return fmt.Errorf("the page tree visits object %d twice", n)
		}
		seen[n] = true
		d, err := f.Dict(n)
		if err != nil {
			return err
		}
		typ, _ := d.Get("/Type")
		switch string(typ) {
		case "/Page":
			pages = append(pages, n)
		case "/Pages":
			kids, ok := d.Refs("/Kids")
			if !ok {
				return fmt.Errorf("page tree node %d has no /Kids", n)
			}
			for _, k := range kids {
				if err := walk(k); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("object %d in the page tree is of /Type %q", n, typ)
		}
		return nil
	}
	return pages, walk(tree)
}

// Write writes the file to w: the header, the objects in order, a new
// cross-reference table and a trailer naming the catalog, the document
// information dictionary info (none when 0), and an /ID derived from the
// content, so that the same objects always give the same bytes.
func (f *File) Write(w io.Writer, info int) error {
	size := len(f.header) + 200 // the trailer
	for _, body := range f.objs {
		size += len(body) + 40 // "n 0 obj", "endobj" and the table entry
	}
	// Written straight to w, hashing what precedes the cross-reference
	// table for /ID on the way, rather than copying a long book's
	// megabytes once more.
	if b, ok := w.(interface{ Grow(int) }); ok {
		b.Grow(size)
	}
	hash := md5.New()
	out := &countingWriter{w: bufio.NewWriterSize(io.MultiWriter(w, hash), 64<<10)}
	out.Write(f.header)
	offsets := make([]int, len(f.objs))
	for n := 1; n < len(f.objs); n++ {
		if f.objs[n] == nil {
			continue
		}
		offsets[n] = out.n
		out.WriteString(strconv.Itoa(n))
		out.WriteString(" 0 obj\n")
		out.Write(f.objs[n])
		out.WriteString("endobj\n")
	}
	if err := out.w.Flush(); err != nil {
		return err
	}
	id := hash.Sum(nil)
	xref := out.n
	out.w.Reset(w)
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(f.objs))
	for _, off := range offsets[1:] {
		if off == 0 {
			out.WriteString("0000000000 65535 f \n")
			continue
		}
		fmt.Fprintf(out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(out, "trailer\n<<\n/Size %d\n/Root %d 0 R\n", len(f.objs), f.root)
	if info > 0 {
		fmt.Fprintf(out, "/Info %d 0 R\n", info)
	}
	fmt.Fprintf(out, "/ID [<%x><%x>]\n>>\nstartxref\n%d\n%%%%EOF\n", id, id, xref)
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

// refRe matches an indirect reference "n 0 R".
var refRe = regexp.MustCompile(`(\d+)\s+0\s+R\b`)

// References returns the objects object n refers to, in its dictionary or
// body but not in a stream's data. A reference-shaped run of text in a
// string counts too: at worst an object is kept that is not needed.
func (f *File) References(n int) []int {
	body := f.Body(n)
	if d, err := ParseDict(body); err == nil {
		if _, ok := keyword(body, skipSpace(body, d.next), "stream"); ok {
			body = body[:d.next]
		}
	}
	var refs []int
	for _, m := range refRe.FindAllSubmatch(body, -1) {
		if k, err := strconv.Atoi(string(m[1])); err == nil && f.Body(k) != nil {
			refs = append(refs, k)
		}
	}
	return refs
}

// Prune frees every object that cannot be reached from the catalog or
// from the objects in keep (the document information, say).
func (f *File) Prune(keep ...int) {
	seen := make([]bool, len(f.objs))
	stack := append([]int{f.root}, keep...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n <= 0 || n >= len(seen) || seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, f.References(n)...)
	}
	for n := range f.objs {
		if !seen[n] {
			f.objs[n] = nil
		}
	}
}
