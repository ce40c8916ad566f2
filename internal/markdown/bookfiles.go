package markdown

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"github.com/paiban/paiban/internal/doc"
)

// foreignMeta is what a book folder made for another tool says of the
// book: GitBook's and Honkit's book.json, or mdBook's book.toml. Its
// other settings (plugins, themes, output options) are the tool's own and
// are not read.
type foreignMeta struct {
	errs                     *errorsFor
	title, description, lang string
	authors                  []string
	// summary is the path of SUMMARY.md inside the book's folder, "" when
	// there is none; at is where it comes from, for messages.
	summary string
	at      doc.Pos
	// err is a book.toml or book.json that is there but cannot be read
	// (not a regular file, say); summaryErr the same of a SUMMARY.md
	// beside them, which matters only without a book.yaml.
	err, summaryErr error
}

// gitBookConfig holds the keys of book.json paiban reads
// (https://github.com/GitbookIO/gitbook/blob/master/docs/config.md; Honkit
// keeps them).
type gitBookConfig struct {
	Title       string `json:"title"`
	Author      string `json:"author"`
	Description string `json:"description"`
	Language    string `json:"language"`
	// Root is the folder holding the book's files, SUMMARY.md included.
	Root      string `json:"root"`
	Structure struct {
		Summary string `json:"summary"`
	} `json:"structure"`
}

// mdBookConfig holds the keys of book.toml paiban reads
// (https://rust-lang.github.io/mdBook/format/configuration/general.html).
type mdBookConfig struct {
	Book struct {
		Title       string   `toml:"title"`
		Authors     []string `toml:"authors"`
		Description string   `toml:"description"`
		Language    string   `toml:"language"`
		// Src is the folder holding SUMMARY.md and the chapters.
		Src string `toml:"src"`
	} `toml:"book"`
}

// readForeignMeta reads dir's book.toml, else its book.json; without
// either, a SUMMARY.md in dir is the summary.
func readForeignMeta(dir string) foreignMeta {
	if src, err := ReadFile(filepath.Join(dir, MdBookFile)); err == nil {
		return readMdBook(filepath.Join(dir, MdBookFile), src)
	} else if !errors.Is(err, os.ErrNotExist) {
		return foreignMeta{err: err}
	}
	name := filepath.Join(dir, GitBookFile)
	src, err := ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		summary := filepath.Join(dir, SummaryFile)
		f := foreignMeta{errs: &errorsFor{file: summary}}
		f.at = doc.Pos{File: f.errs.file, Line: 1}
		if fi, err := os.Stat(summary); err == nil {
			f.summary = SummaryFile
			if !fi.Mode().IsRegular() {
				f.summaryErr = fmt.Errorf("%s: %w", summary, notRegular{fi.Mode().Type()})
			}
		}
		return f
	}
	if err != nil {
		return foreignMeta{err: err}
	}
	f := foreignMeta{errs: &errorsFor{file: name}, at: doc.Pos{File: name, Line: 1}}
	var c gitBookConfig
	if err := json.Unmarshal(src, &c); err != nil {
		line := 1
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line = 1 + bytes.Count(src[:min(int(se.Offset), len(src))], []byte("\n"))
		case errors.As(err, &te):
			line = 1 + bytes.Count(src[:min(int(te.Offset), len(src))], []byte("\n"))
		}
		f.errs.add(line, "%s is not valid JSON: %v", GitBookFile, err)
		return f
	}
	f.title, f.description = c.Title, c.Description
	if c.Author != "" {
		f.authors = []string{c.Author}
	}
	f.lang = f.checkLanguage(c.Language, src)
	root := f.folder("root", c.Root, ".", src)
	summary := c.Structure.Summary
	if summary == "" {
		summary = SummaryFile
	}
	f.summary = pathpkg.Join(root, summary)
	if !filepath.IsLocal(filepath.FromSlash(f.summary)) {
		f.errs.add(keyLine(src, "summary"), "structure.summary %q must be a file inside the book's folder", summary)
		f.summary = ""
	}
	return f
}

// readMdBook reads mdBook's book.toml; the summary is SUMMARY.md in the
// src folder.
func readMdBook(name string, src []byte) foreignMeta {
	f := foreignMeta{errs: &errorsFor{file: name}, at: doc.Pos{File: name, Line: 1}}
	var c mdBookConfig
	if _, err := toml.Decode(string(src), &c); err != nil {
		line, msg := 1, err.Error()
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line, msg = max(pe.Position.Line, 1), pe.Message
		}
		f.errs.add(line, "%s is not valid TOML: %s", MdBookFile, msg)
		return f
	}
	b := c.Book
	f.title, f.description, f.authors = b.Title, b.Description, b.Authors
	f.lang = f.checkLanguage(b.Language, src)
	f.summary = pathpkg.Join(f.folder("src", b.Src, "src", src), SummaryFile)
	return f
}

// checkLanguage returns lang when it is a BCP 47 tag, else "" with a
// warning: the book then has the default language.
func (f *foreignMeta) checkLanguage(lang string, src []byte) string {
	if lang == "" {
		return ""
	}
	if _, err := language.Parse(lang); err != nil || !languageTag.MatchString(lang) {
		f.errs.warn(keyLine(src, "language"), "language %q is not a BCP 47 tag such as zh-CN: the book is taken to be in %s", lang, defaultLanguage)
		return ""
	}
	return lang
}

// folder checks the folder a key names (book.json's root, book.toml's
// src): a slash path inside the book's folder, def when empty.
func (f *foreignMeta) folder(key, dir, def string, src []byte) string {
	if dir == "" {
		return def
	}
	dir = strings.TrimPrefix(dir, "./")
	if !filepath.IsLocal(filepath.FromSlash(pathpkg.Clean(dir))) && pathpkg.Clean(dir) != "." {
		f.errs.add(keyLine(src, key), "%s %q must be a folder inside the book's folder", key, dir)
		return def
	}
	return pathpkg.Clean(dir)
}

// keyLine is the line of src where key first appears, for messages about
// its value; 1 when it is not found.
func keyLine(src []byte, key string) int {
	for i, l := range bytes.Split(src, []byte("\n")) {
		t := bytes.TrimLeft(l, " \t\"")
		if bytes.HasPrefix(t, []byte(key)) {
			return i + 1
		}
	}
	return 1
}

// yaml writes the metadata as front matter lines for the keys book.yaml
// does not give (given holds those it does). The values were checked
// here, so the lines cannot hold errors of their own.
func (f foreignMeta) yaml(given map[string]bool) string {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) {
		if !given[key] {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
		}
	}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	if f.title != "" {
		add("title", str(f.title))
	}
	if len(f.authors) > 0 {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, a := range f.authors {
			list.Content = append(list.Content, str(a))
		}
		add("author", list)
	}
	if f.lang != "" {
		add("lang", str(f.lang))
	}
	if f.description != "" {
		add("description", str(f.description))
	}
	if len(m.Content) == 0 {
		return ""
	}
	out, err := yaml.Marshal(m)
	if err != nil {
		return "" // plain strings always marshal
	}
	return string(out)
}

// config is the book's configuration when it has no book.yaml: its
// metadata from book.json or book.toml, titled after its folder when
// they give no title, and its chapters from the summary.
func (f foreignMeta) config(dir string) bookConfig {
	if f.title == "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			abs = dir
		}
		f.title = filepath.Base(abs)
		f.errs.warn(1, "the book has no title: it is titled %q after its folder (give one in %s)", f.title, BookFile)
	}
	meta, errs := decodeBookMeta(f.errs.file, "---\n"+f.yaml(nil)+"---\n")
	for _, e := range errs.list {
		f.errs.addAt(e.Line, e.Col, "%s", e.Msg)
	}
	cfg := bookConfig{meta: meta, summary: f.summary, summaryAt: f.at}
	if f.summary == "" && len(f.errs.list) == 0 {
		f.errs.add(1, "no %s: list the chapters there, or in %s", SummaryFile, BookFile)
	}
	return cfg
}
