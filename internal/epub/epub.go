// Package epub writes a document as an EPUB 3 e-book set for Chinese
// reading: one file per level-1 chapter, footnotes that pop up in the
// common readers, a navigation document and NCX listing every heading,
// embedded font subsets renamed as the OFL asks, and a generated cover.
//
// go-epub assembles the container. Write then replaces what go-epub cannot
// do (nested navigation to headings inside a file, several authors, lang
// attributes), rewrites the package document and re-packs the archive, so
// the same input always gives the same bytes.
package epub

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofrs/uuid/v5"
	"golang.org/x/text/language"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
)

// Fonts are the faces embedded in the book, each by role. Any may be
// missing; the text then falls back to the reader's own fonts.
type Fonts struct {
	// Faces are the faces of the style's roles. The EPUB embeds those of
	// EmbeddedRoles: strong Latin text is set in the sans face.
	Faces map[style.Role]*fonts.Face
	// Fallback faces set, in order, what no face of a character's role
	// has: symbols, emoji, other scripts, rare ideographs.
	Fallback []*fonts.Face
}

// EmbeddedRoles are the roles whose faces the EPUB embeds.
var EmbeddedRoles = []style.Role{style.Serif, style.Sans, style.Latin, style.LatinItalic, style.Kai, style.Mono}

// Face is the face of role, nil if none.
func (f Fonts) Face(role style.Role) *fonts.Face { return f.Faces[role] }

// Options configure Write.
type Options struct {
	Fonts Fonts
	// Stylesheet is the style sheet (the style's epub.css) with the font
	// stacks SERIF, SANS, KAI and MONO left for Write to fill in.
	Stylesheet string
	// Licenses maps a file name (e.g. OFL-NotoSerifSC.txt) to a licence
	// text shipped beside the embedded fonts.
	Licenses map[string][]byte
	// Modified is stamped as dcterms:modified and as the time of every
	// archive entry; it is required, so that builds are reproducible.
	Modified time.Time
	// Cover is a PNG or JPEG cover image; when nil a cover is drawn from
	// the title, subtitle and authors.
	Cover []byte
	// Generator names the program in the metadata, e.g. "paiban".
	Generator string
	// PageBreaks are where the pages of the print edition begin, in
	// reading order; they become page-break markers and a page list.
	PageBreaks []PageBreak
	// PageSource names the print edition the page breaks come from, e.g.
	// "《书名》A4 讲义版 PDF"; it is required with PageBreaks.
	PageSource string
	// Vertical sets the text in vertical lines read right to left (竖排),
	// pages turning to the right: the style sheet's .vertical rules apply.
	Vertical bool
}

// defaultLanguage is used when the document does not name its language.
const defaultLanguage = "zh-CN"

// idNamespace scopes the name-based UUIDs derived for books without an
// identifier.
var idNamespace = uuid.NewV5(uuid.NamespaceURL, "https://github.com/paiban/paiban/epub")

// Write writes d as an EPUB 3 file.
func Write(w io.Writer, d *doc.Document, opt Options) error {
	if d == nil {
		return errors.New("epub: no document")
	}
	if opt.Modified.IsZero() {
		return errors.New("epub: Options.Modified is not set (the date stamped into the book)")
	}
	if strings.TrimSpace(d.Meta.Title) == "" {
		return errors.New("epub: the book has no title")
	}
	if strings.TrimSpace(opt.Stylesheet) == "" {
		return errors.New("epub: Options.Stylesheet is empty (the style's epub.css)")
	}
	lang, err := bookLanguage(d.Meta.Language)
	if err != nil {
		return err
	}
	if len(opt.PageBreaks) > 0 && strings.TrimSpace(opt.PageSource) == "" {
		return errors.New("epub: Options.PageSource is not set (the print edition the page breaks come from)")
	}
	b := &book{doc: d, opt: opt, lang: lang, id: identifier(d.Meta)}
	if err := b.prepare(); err != nil {
		return err
	}
	container, err := b.assemble()
	if err != nil {
		return err
	}
	return b.pack(w, container)
}

// bookLanguage checks the language tag, because an invalid one would make
// every content document invalid.
func bookLanguage(s string) (string, error) {
	if s == "" {
		return defaultLanguage, nil
	}
	t, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("epub: language %q is not a BCP 47 tag such as zh-CN", s)
	}
	return t.String(), nil
}

// identifier returns the book's own identifier, or a UUID derived from
// the title and authors so that rebuilding a book keeps its identity (a
// reader uses it to keep the reading position and notes).
func identifier(m doc.Metadata) string {
	if id := strings.TrimSpace(m.Identifier); id != "" {
		return id
	}
	var name strings.Builder
	name.WriteString(m.Title)
	for _, a := range m.Authors {
		name.WriteString("\x00" + a.Name)
	}
	return "urn:uuid:" + uuid.NewV5(idNamespace, name.String()).String()
}
