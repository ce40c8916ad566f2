package pdfobj

import (
	"bytes"
	"fmt"
	"strconv"
)

// Dict is a dictionary as written in an object's body: its keys and where
// each value lies, so that a value can be read or replaced and an entry
// added without rewriting the rest.
type Dict struct {
	src     []byte // the body the dictionary starts
	entries []entry
	end     int // offset of the closing ">>" in src
	next    int // offset after it
}

// entry is a key and its value as offsets in src: the key as written,
// with its slash ("/Font"), and the value.
type entry struct {
	key, keyEnd, start, end int
}

// ParseDict parses the dictionary src starts with (after white space).
func ParseDict(src []byte) (Dict, error) {
	d := Dict{src: src, entries: make([]entry, 0, 8)}
	i, ok := keyword(src, skipSpace(src, 0), "<<")
	if !ok {
		return Dict{}, fmt.Errorf("not a dictionary")
	}
	for {
		i = skipSpace(src, i)
		if j, ok := keyword(src, i, ">>"); ok {
			d.end, d.next = i, j
			return d, nil
		}
		if i >= len(src) || src[i] != '/' {
			return Dict{}, fmt.Errorf("dictionary key expected at %d", i)
		}
		k := token(src, i+1)
		start := skipSpace(src, k)
		end, err := value(src, start, 0)
		if err != nil {
			return Dict{}, fmt.Errorf("%s: %w", src[i:k], err)
		}
		d.entries = append(d.entries, entry{i, k, start, end})
		i = end
	}
}

// Len is the number of entries.
func (d Dict) Len() int { return len(d.entries) }

// Get returns the value of key as written.
func (d Dict) Get(key string) ([]byte, bool) {
	for _, e := range d.entries {
		if string(d.src[e.key:e.keyEnd]) == key {
			return d.src[e.start:e.end], true
		}
	}
	return nil, false
}

// Ref returns the object a single indirect reference under key names.
func (d Dict) Ref(key string) (int, bool) {
	refs, ok := d.Refs(key)
	if !ok || len(refs) != 1 {
		return 0, false
	}
	return refs[0], true
}

// Refs returns the objects named by the value of key: one indirect
// reference, or an array of them.
func (d Dict) Refs(key string) ([]int, bool) {
	v, ok := d.Get(key)
	if !ok {
		return nil, false
	}
	if len(v) > 0 && v[0] == '[' {
		v = v[1 : len(v)-1]
	}
	f := bytes.Fields(v)
	if len(f) == 0 || len(f)%3 != 0 {
		return nil, false
	}
	refs := make([]int, 0, len(f)/3)
	for i := 0; i < len(f); i += 3 {
		n, err := strconv.Atoi(string(f[i]))
		if err != nil || n <= 0 || string(f[i+1]) != "0" || string(f[i+2]) != "R" {
			return nil, false
		}
		refs = append(refs, n)
	}
	return refs, true
}

// Set returns the body with key set to value: the value replaced where
// the key is, or else a line "  /Key value" added at the end, as gopdf
// writes its catalog's and pages' entries.
func (d Dict) Set(key, value string) []byte {
	for _, e := range d.entries {
		if string(d.src[e.key:e.keyEnd]) == key {
			return concat(d.src[:e.start], value, d.src[e.end:])
		}
	}
	return concat(d.src[:d.end], "  "+key+" "+value+"\n", d.src[d.end:])
}

func concat(a []byte, s string, b []byte) []byte {
	out := make([]byte, 0, len(a)+len(s)+len(b))
	return append(append(append(out, a...), s...), b...)
}

// The lexical classes of ISO 32000-1 §7.2.2.
func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelimiter(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// skipSpace returns the offset of the first byte from i that is neither
// white space nor in a comment.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch {
		case isSpace(b[i]):
			i++
		case b[i] == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// skipEOL skips one line end at i, if there is one.
func skipEOL(b []byte, i int) int {
	if i < len(b) && b[i] == '\r' {
		i++
	}
	if i < len(b) && b[i] == '\n' {
		i++
	}
	return i
}

// token returns the end of the run of regular characters from i.
func token(b []byte, i int) int {
	for i < len(b) && !isSpace(b[i]) && !isDelimiter(b[i]) {
		i++
	}
	return i
}

// keyword reports whether b has the keyword or delimiter kw at i, not
// followed by more of a token, and returns the offset after it.
func keyword(b []byte, i int, kw string) (int, bool) {
	if !bytes.HasPrefix(b[i:], []byte(kw)) {
		return i, false
	}
	j := i + len(kw)
	if kw != "<<" && kw != ">>" && j < len(b) && !isSpace(b[j]) && !isDelimiter(b[j]) {
		return i, false
	}
	return j, true
}

// integer parses the unsigned integer at i.
func integer(b []byte, i int) (n, end int, err error) {
	end = i
	for end < len(b) && b[end] >= '0' && b[end] <= '9' {
		end++
	}
	if end == i || end-i > 10 {
		return 0, i, fmt.Errorf("integer expected at %d", i)
	}
	n, err = strconv.Atoi(string(b[i:end]))
	return n, end, err
}

// maxDepth bounds how deeply arrays and dictionaries may nest.
const maxDepth = 64

// value returns the end of the object that starts at i: a dictionary, an
// array, a string, a name, or a number or keyword, where a number
// followed by a generation and R is taken as one indirect reference.
func value(b []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return 0, fmt.Errorf("nested too deeply")
	}
	if i >= len(b) {
		return 0, fmt.Errorf("value expected at the end")
	}
	switch c := b[i]; {
	case c == '<' && i+1 < len(b) && b[i+1] == '<':
		d, err := ParseDict(b[i:])
		if err != nil {
			return 0, err
		}
		return i + d.next, nil
	case c == '<':
		j := bytes.IndexByte(b[i:], '>')
		if j < 0 {
			return 0, fmt.Errorf("unterminated hex string")
		}
		return i + j + 1, nil
	case c == '[':
		i++
		for {
			i = skipSpace(b, i)
			if i < len(b) && b[i] == ']' {
				return i + 1, nil
			}
			var err error
			if i, err = value(b, i, depth+1); err != nil {
				return 0, err
			}
		}
	case c == '(':
		return literalString(b, i)
	case c == '/':
		return token(b, i+1), nil
	case isDelimiter(c):
		return 0, fmt.Errorf("unexpected %q at %d", c, i)
	}
	end := token(b, i)
	// n g R: an indirect reference.
	if _, _, err := integer(b, i); err == nil {
		j := skipSpace(b, end)
		if _, k, err := integer(b, j); err == nil && k == token(b, j) {
			if r, ok := keyword(b, skipSpace(b, k), "R"); ok {
				return r, nil
			}
		}
	}
	return end, nil
}

// literalString returns the end of the literal string starting at i:
// parentheses nest, and a backslash escapes the next character.
func literalString(b []byte, i int) (int, error) {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("unterminated string")
}
