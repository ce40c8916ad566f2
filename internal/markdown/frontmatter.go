package markdown

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.abhg.dev/goldmark/frontmatter"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/suggest"
)

// yamlLineOffset turns a line of the YAML text into a line of the file:
// the YAML starts on line 2, after the opening ---.
const yamlLineOffset = 1

// defaultLanguage is the language of a book whose front matter names none.
const defaultLanguage = "zh-CN"

// numberings are the values of numbering.
var numberings = []string{"none", "chinese"}

// authorKeys are the keys of an author given as a mapping.
var authorKeys = []string{"name", "position"}

// yamlErrorLine matches the line yaml.v3 puts in its syntax errors.
var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlParserProblems are the messages of yaml.v3's parser errors, as
// opposed to its scanner errors. yaml.v3 (parser.fail in decode.go)
// numbers the lines of scanner errors from 1 but those of parser errors
// from 0, and leaves the number out when it is 0.
var yamlParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
	"found undefined tag handle",
}

// languageTag is the shape of a BCP 47 tag; a typo like zh_CN would make
// an EPUB that readers reject.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// decodeMeta fills meta from the front matter, reporting every problem. The
// YAML is walked as nodes rather than decoded into a struct so that each
// problem gets its own line and unknown keys are caught.
func decodeMeta(data *frontmatter.Data, errs *errorsFor, meta *doc.Metadata) {
	meta.Language = defaultLanguage
	var root yaml.Node
	if err := data.Decode(&root); err != nil {
		line, msg := yamlErrorPlace(err.Error())
		errs.add(line+yamlLineOffset, "front matter: %s", msg)
		return
	}
	var m *yaml.Node
	if len(root.Content) > 0 {
		m = root.Content[0]
	}
	if m == nil || m.ShortTag() == "!!null" {
		errs.add(1, "missing title: the front matter has no title")
		return
	}
	if m.Kind != yaml.MappingNode {
		errs.addNode(m, "front matter must be a list of key: value lines")
		return
	}

	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if first, ok := seen[k.Value]; ok {
			errs.addNode(k, "front matter key %q is repeated (first given at line %d)", k.Value, first)
			continue
		}
		seen[k.Value] = nodeLine(k)
		if j := slices.IndexFunc(metaKeys, func(mk metaKey) bool { return mk.name == k.Value }); j >= 0 {
			metaKeys[j].read(meta, k, v, errs)
		} else {
			errs.addNode(k, "unknown front matter key %q (did you mean %q?)", k.Value, suggest.Nearest(k.Value, metaKeyNames()))
		}
	}
	if _, ok := seen["title"]; !ok {
		errs.add(1, "missing title: the front matter has no title")
	}
}

// metaKey is a front matter key and how its value is read: read checks
// the value v of key k and sets it in meta, reporting problems to errs.
type metaKey struct {
	name string
	read func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor)
}

// metaKeys are the front matter keys, in the order the README lists them
// (which is also the order suggestions for a mistyped key are sought in).
var metaKeys = []metaKey{
	{"title", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		meta.Title = scalar(v, k.Value, errs)
		if meta.Title == "" && v.Kind == yaml.ScalarNode {
			errs.addNode(k, "missing title: title is empty")
		}
	}},
	{"subtitle", textKey(func(m *doc.Metadata) *string { return &m.Subtitle })},
	{"author", func(meta *doc.Metadata, _, v *yaml.Node, errs *errorsFor) {
		meta.Authors = authors(v, errs)
	}},
	{"editor", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		meta.Editors = stringList(v, k.Value, errs, false)
	}},
	{"publisher", textKey(func(m *doc.Metadata) *string { return &m.Publisher })},
	{"lang", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		if s := scalar(v, k.Value, errs); s != "" {
			// The shape, and what the EPUB writer will accept.
			if _, err := language.Parse(s); !languageTag.MatchString(s) || err != nil {
				errs.addNode(v, "lang %q is not a BCP 47 language tag such as zh-CN", s)
			}
			meta.Language = s
		}
	}},
	{"source", textKey(func(m *doc.Metadata) *string { return &m.Source })},
	{"date", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		meta.Date = scalar(v, k.Value, errs)
		if t, err := time.Parse(time.DateOnly, meta.Date); meta.Date != "" && err != nil {
			errs.addNode(v, "date %q must be written YYYY-MM-DD", meta.Date)
		} else if meta.Date != "" && t.Year() < 1970 {
			// It is stamped into the editions as the time they were
			// made; 0001-01-01 is no time at all to the writers.
			errs.addNode(v, "date %q is before 1970: give the date of this edition", meta.Date)
		}
	}},
	{"identifier", textKey(func(m *doc.Metadata) *string { return &m.Identifier })},
	{"isbn", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		meta.ISBN = scalar(v, k.Value, errs)
		if meta.ISBN != "" {
			if msg := checkISBN(meta.ISBN); msg != "" {
				errs.addNode(v, "isbn %q: %s", meta.ISBN, msg)
			}
		}
	}},
	{"description", textKey(func(m *doc.Metadata) *string { return &m.Description })},
	{"keywords", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		meta.Keywords = stringList(v, k.Value, errs, true)
	}},
	{"rights", textKey(func(m *doc.Metadata) *string { return &m.Rights })},
	{"cover", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		meta.Cover = scalar(v, k.Value, errs)
		meta.CoverPos = doc.Pos{File: errs.file, Line: nodeLine(v)}
		// A book may only take files from its own folder: a build must
		// not read whatever a shared source names.
		if meta.Cover != "" && !filepath.IsLocal(filepath.FromSlash(meta.Cover)) {
			errs.addNode(v, "cover %q must be a path inside the book's folder, such as images/cover.png", meta.Cover)
			meta.Cover = ""
		}
	}},
	{"numbering", func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		meta.Numbering = scalar(v, k.Value, errs)
		if meta.Numbering != "" && !slices.Contains(numberings, meta.Numbering) {
			errs.addNode(v, "numbering %q: use none or chinese (did you mean %q?)", meta.Numbering, suggest.Nearest(meta.Numbering, numberings))
			meta.Numbering = ""
		}
	}},
	{"list_of_figures", func(meta *doc.Metadata, _, v *yaml.Node, errs *errorsFor) {
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
			errs.addNode(v, "list_of_figures must be true or false")
		} else {
			meta.ListOfFigures = v.Value == "true"
		}
	}},
}

// textKey reads a key whose value is text into the field of meta that
// field points to.
func textKey(field func(meta *doc.Metadata) *string) func(*doc.Metadata, *yaml.Node, *yaml.Node, *errorsFor) {
	return func(meta *doc.Metadata, k, v *yaml.Node, errs *errorsFor) {
		*field(meta) = scalar(v, k.Value, errs)
	}
}

// metaKeyNames are the names of metaKeys, for suggestions.
func metaKeyNames() []string {
	names := make([]string, len(metaKeys))
	for i, k := range metaKeys {
		names[i] = k.name
	}
	return names
}

// authors reads author: a name, a list whose items are names or
// {name, position} mappings, or a single such mapping.
func authors(v *yaml.Node, errs *errorsFor) []doc.Author {
	switch v.Kind {
	case yaml.ScalarNode:
		if s := scalar(v, "author", errs); s != "" {
			return []doc.Author{{Name: s}}
		}
		return nil
	case yaml.MappingNode:
		if a, ok := author(v, errs); ok {
			return []doc.Author{a}
		}
		return nil
	case yaml.SequenceNode:
		var list []doc.Author
		for _, item := range v.Content {
			if a, ok := author(item, errs); ok {
				list = append(list, a)
			}
		}
		return list
	}
	errs.addNode(v, "author must be a name, a list of names or a list of name/position entries")
	return nil
}

// author reads one list item of author.
func author(v *yaml.Node, errs *errorsFor) (doc.Author, bool) {
	switch v.Kind {
	case yaml.ScalarNode:
		name := scalar(v, "author", errs)
		if name == "" {
			errs.addNode(v, "author has no name")
		}
		return doc.Author{Name: name}, name != ""
	case yaml.MappingNode:
		var a doc.Author
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			switch k.Value {
			case "name":
				a.Name = scalar(val, "author name", errs)
			case "position":
				a.Position = scalar(val, "author position", errs)
			default:
				errs.addNode(k, "unknown author key %q (did you mean %q?)", k.Value, suggest.Nearest(k.Value, authorKeys))
			}
		}
		if a.Name == "" {
			errs.addNode(v, "author has no name")
		}
		return a, a.Name != ""
	}
	errs.addNode(v, "author must be a name or a name/position entry")
	return doc.Author{}, false
}

// scalar returns the text of a scalar value, "" for a null one. Block
// scalars (|, >) end in a newline that is not part of the value.
func scalar(v *yaml.Node, what string, errs *errorsFor) string {
	if v.Kind != yaml.ScalarNode {
		errs.addNode(v, "%s must be text, not a list or mapping", what)
		return ""
	}
	if v.ShortTag() == "!!null" {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// yamlErrorPlace returns the 1-based line of the YAML text a yaml.v3
// syntax error is at, and its message without the "yaml: line N: " prefix.
func yamlErrorPlace(err string) (int, string) {
	m := yamlErrorLine.FindStringSubmatch(err)
	if m == nil {
		return 1, strings.TrimPrefix(err, "yaml: ")
	}
	line, _ := strconv.Atoi(m[1])
	msg := err[len(m[0]):]
	if slices.Contains(yamlParserProblems, msg) {
		line++
	}
	return line, msg
}

// nodeLine returns the file line of a YAML node.
// addNode records a problem at a YAML node's line and column.
func (c *errorsFor) addNode(n *yaml.Node, format string, args ...any) {
	c.addAt(nodeLine(n), n.Column, format, args...)
}

func nodeLine(n *yaml.Node) int {
	return n.Line + yamlLineOffset
}

// stringList reads a value that is a string or a list of strings (editor,
// keywords). With split, one string may also list several, separated by
// commas or the enumeration comma: 新质生产力，高质量发展、科技创新.
func stringList(v *yaml.Node, what string, errs *errorsFor, split bool) []string {
	var items []string
	switch v.Kind {
	case yaml.ScalarNode:
		s := scalar(v, what, errs)
		if split {
			items = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
		} else {
			items = []string{s}
		}
	case yaml.SequenceNode:
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode {
				errs.addNode(item, "%s must be a list of text items", what)
				continue
			}
			items = append(items, scalar(item, what, errs))
		}
	default:
		errs.addNode(v, "%s must be text or a list of text items", what)
	}
	var out []string
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// checkISBN checks an ISBN-10 or ISBN-13, written with or without
// hyphens or spaces, and says what is wrong; "" when it is right.
func checkISBN(isbn string) string {
	digits := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(isbn))
	digits = strings.TrimPrefix(strings.TrimPrefix(digits, "ISBN"), ":")
	switch len(digits) {
	case 13:
		sum := 0
		for i, r := range digits[:12] {
			if r < '0' || r > '9' {
				return "an ISBN-13 has only digits"
			}
			sum += int(r-'0') * (1 + 2*(i%2))
		}
		want := byte('0' + (10-sum%10)%10)
		if digits[12] != want {
			return fmt.Sprintf("wrong check digit %c: it should be %c", digits[12], want)
		}
	case 10:
		sum := 0
		for i, r := range digits[:9] {
			if r < '0' || r > '9' {
				return "an ISBN-10 has only digits (and X last)"
			}
			sum += int(r-'0') * (10 - i)
		}
		c := (11 - sum%11) % 11
		want := byte('0' + c)
		if c == 10 {
			want = 'X'
		}
		if digits[9] != want {
			return fmt.Sprintf("wrong check digit %c: it should be %c", digits[9], want)
		}
	default:
		return "an ISBN has 10 or 13 digits"
	}
	return ""
}
