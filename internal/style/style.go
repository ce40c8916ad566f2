// Package style reads page styles (styles/NAME.yaml): trim size, margins,
// type sizes and which bundled font plays which role. Lengths in the files
// are millimetres for the page and points for type.
package style

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/paiban/paiban"
	"github.com/paiban/paiban/internal/suggest"
)

// Default is the style used when none is named: an A4 handout.
const Default = "a4-handout"

// Style is one page style with every value resolved.
type Style struct {
	Name string `yaml:"-"`
	// Description says what the style is for (shown in --help).
	Description string `yaml:"description"`

	PageWidthMM  float64 `yaml:"page_width_mm"`
	PageHeightMM float64 `yaml:"page_height_mm"`
	MarginTopMM  float64 `yaml:"margin_top_mm"`
	MarginBotMM  float64 `yaml:"margin_bottom_mm"`
	MarginLeftMM float64 `yaml:"margin_left_mm"`
	// The text block is centred between the side margins and narrowed to a
	// whole number of body ems (clreq §2.3.5 item 3), so the right margin
	// follows from the left one.
	MarginRightMM float64 `yaml:"margin_right_mm"`

	BodySize float64 `yaml:"body_size"` // pt
	// LinePitch is the baseline-to-baseline distance in body ems.
	LinePitch    float64   `yaml:"line_pitch"`
	Indent       float64   `yaml:"indent"` // first-line indent, ems
	TitleSize    float64   `yaml:"title_size"`
	HeadingSizes []float64 `yaml:"heading_sizes"` // by level, pt
	NoteSize     float64   `yaml:"note_size"`
	NotePitch    float64   `yaml:"note_pitch"`  // in note ems
	HeaderSize   float64   `yaml:"header_size"` // running head and folio
	// LineBreaking is the line-breaking profile: "gb" (the default) or
	// "strict", which also keeps —— off a line start (clreq §3.1.4).
	LineBreaking string `yaml:"line_breaking"`
	// Duplex mirrors the side margins for two-sided printing: the left
	// margin is the inner one on right-hand (odd) pages and the outer one
	// on left-hand pages. Running heads then give the book's title on
	// left-hand pages and the chapter's on right-hand ones.
	Duplex bool `yaml:"duplex"`
	// ChapterRecto starts every top-level heading on a right-hand page.
	ChapterRecto bool `yaml:"chapter_recto"`
	// FrontMatterPages gives the title and the contents pages of their
	// own, numbered i, ii, …; the text then starts at page 1.
	FrontMatterPages bool `yaml:"front_matter_pages"`
	// Impose lists print editions made from the PDF by default: "booklet"
	// (A4 sheets, two A5 pages each, saddle-stitch order) and "2up".
	// paiban build --impose overrides it.
	Impose []string `yaml:"impose"`

	Fonts Fonts `yaml:"fonts"`
}

// Fonts names the font for each role: a file in the fonts folder, an
// absolute path, either with "#N" or "#NAME" choosing a face of a .ttc or
// .otc collection, or the name of a font installed on the system
// (fonts.Open).
type Fonts struct {
	// Faces holds the font of each role the style names (the keys of
	// Roles); a style must name the serif, sans and latin ones.
	Faces map[Role]string `yaml:"-"`
	// Fallback lists the faces that set a character every face of its
	// role lacks (symbols, emoji, other scripts, rare ideographs), tried
	// in order after the serif, sans and latin faces.
	Fallback []string `yaml:"fallback"`
}

// Role is what a style's face sets; its value is its key under fonts:.
type Role string

// The font roles.
const (
	Serif       Role = "serif"        // 宋: body text
	Sans        Role = "sans"         // 黑: headings, strong
	Kai         Role = "kai"          // 楷: block quotations (clreq §2.2.3)
	Latin       Role = "latin"        // Latin letters and digits in body text
	LatinItalic Role = "latin_italic" // emphasis on Latin text
	LatinBold   Role = "latin_bold"   // Latin letters and digits in strong text
	// Mono sets code: Latin at half an em and Han at a full em, so that
	// columns of code line up even with Chinese comments.
	Mono Role = "mono"
)

// Roles are the font roles, in the order Files lists their fonts: the
// one list of them that the build, the layout and the EPUB go through.
var Roles = []Role{Serif, Sans, Kai, Latin, LatinItalic, LatinBold, Mono}

// Face is the font the style names for role, "" if none.
func (f Fonts) Face(role Role) string { return f.Faces[role] }

// UnmarshalYAML reads the fonts: mapping, a key for each role and the
// fallback list. An unknown key is reported as yaml.v3 reports an
// unknown field, so that it gets its line and a suggestion.
func (f *Fonts) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: fonts must be a mapping of roles to fonts", n.Line)}}
	}
	f.Faces = map[Role]string{}
	var unknown []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch role := Role(k.Value); {
		case k.Value == "fallback":
			err = v.Decode(&f.Fallback)
		case slices.Contains(Roles, role):
			var name string
			err = v.Decode(&name)
			f.Faces[role] = name
		default:
			unknown = append(unknown, fmt.Sprintf("line %d: field %s not found in type style.Fonts", k.Line, k.Value))
		}
		if err != nil {
			return err
		}
	}
	if len(unknown) > 0 {
		return &yaml.TypeError{Errors: unknown}
	}
	return nil
}

// Files lists the distinct fonts of the style's roles; the fallback
// fonts are listed apart, in Fallback.
func (f Fonts) Files() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range Roles {
		if n := f.Face(r); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// BuiltIn is the name messages give the styles built into paiban, which
// a styles folder of "" stands for.
const BuiltIn = "styles (built in)"

// files is the folder dir, or the built-in styles when dir is "".
func files(dir string) fs.FS {
	if dir == "" {
		sub, _ := fs.Sub(paiban.Styles, "styles") // a literal, valid path
		return sub
	}
	return os.DirFS(dir)
}

// where names the file name in dir for messages.
func where(dir, name string) string {
	if dir == "" {
		return BuiltIn + "/" + name
	}
	return filepath.Join(dir, name)
}

// Available lists the style names in dir ("" for the built-in ones).
func Available(dir string) []string {
	matches, _ := fs.Glob(files(dir), "*.yaml")
	names := make([]string, 0, len(matches))
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(m, ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Sheet reads the EPUB style sheet, epub.css, from dir ("" for the
// built-in one); a folder of the user's styles without one gets the
// built-in sheet.
func Sheet(dir string) ([]byte, error) {
	b, err := fs.ReadFile(files(dir), "epub.css")
	if errors.Is(err, fs.ErrNotExist) && dir != "" {
		return Sheet("")
	}
	if err != nil {
		if u := errors.Unwrap(err); u != nil {
			err = u // the reason, without the path the message gives
		}
		return nil, fmt.Errorf("the EPUB style sheet %s: %w", where(dir, "epub.css"), err)
	}
	return b, nil
}

// Load reads NAME.yaml from dir, or from the built-in styles when dir is
// "".
func Load(dir, name string) (*Style, error) {
	path := where(dir, name+".yaml")
	data, err := fs.ReadFile(files(dir), name+".yaml")
	if !fs.ValidPath(name+".yaml") || errors.Is(err, fs.ErrNotExist) {
		avail := Available(dir)
		if dir == "" {
			dir = BuiltIn
		}
		if len(avail) == 0 {
			return nil, fmt.Errorf("unknown style %q: %s holds no styles (NAME.yaml files)", name, dir)
		}
		return nil, fmt.Errorf("unknown style %q: the styles are %s (did you mean %q?)", name, strings.Join(avail, ", "), suggest.Nearest(name, avail))
	}
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Style
	if err := dec.Decode(&s); err != nil {
		return nil, yamlError(path, err)
	}
	s.Name = name
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &s, nil
}

// yamlProblem is one problem in yaml.v3's error text: "yaml: line 3:
// msg" for a syntax error, "  line 3: msg" in a list of decoding errors.
var yamlProblem = regexp.MustCompile(`(?m)^(?:yaml: |\s+)line (\d+): (.*)$`)

// unknownField is yaml.v3's message for a key KnownFields refuses.
var unknownField = regexp.MustCompile(`^field (\S+) not found in type`)

// yamlError rewrites a yaml.v3 error as one `file:line: message` line per
// problem, suggesting the nearest key for an unknown one.
func yamlError(path string, err error) error {
	ms := yamlProblem.FindAllStringSubmatch(err.Error(), -1)
	if ms == nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	lines := make([]string, len(ms))
	for i, m := range ms {
		msg := m[2]
		if k := unknownField.FindStringSubmatch(msg); k != nil {
			msg = fmt.Sprintf("unknown key %q (did you mean %q?)", k[1], suggest.Nearest(k[1], keys()))
		}
		lines[i] = fmt.Sprintf("%s:%s: %s", path, m[1], msg)
	}
	return errors.New(strings.Join(lines, "\n"))
}

// keys lists the keys a style file may hold, from the yaml tags.
func keys() []string {
	var out []string
	for _, t := range []reflect.Type{reflect.TypeFor[Style](), reflect.TypeFor[Fonts]()} {
		for i := range t.NumField() {
			if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" && k != "-" {
				out = append(out, k)
			}
		}
	}
	for _, r := range Roles {
		out = append(out, string(r))
	}
	return out
}

func (s *Style) validate() error {
	var problems []string
	positive := map[string]float64{
		"page_width_mm": s.PageWidthMM, "page_height_mm": s.PageHeightMM,
		"body_size": s.BodySize, "line_pitch": s.LinePitch, "title_size": s.TitleSize,
		"note_size": s.NoteSize, "note_pitch": s.NotePitch, "header_size": s.HeaderSize,
	}
	keys := make([]string, 0, len(positive))
	for k := range positive {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if positive[k] <= 0 {
			problems = append(problems, k+" must be set to a positive number")
		}
	}
	switch s.LineBreaking {
	case "":
		s.LineBreaking = "gb"
	case "gb", "strict":
	default:
		problems = append(problems, fmt.Sprintf("line_breaking is %q: use gb or strict", s.LineBreaking))
	}
	for _, m := range s.Impose {
		if m != "booklet" && m != "2up" {
			problems = append(problems, fmt.Sprintf("impose lists %q: use booklet or 2up", m))
		}
	}
	if len(s.HeadingSizes) == 0 {
		problems = append(problems, "heading_sizes must list at least one size")
	}
	if s.Fonts.Face(Serif) == "" || s.Fonts.Face(Sans) == "" || s.Fonts.Face(Latin) == "" {
		problems = append(problems, "fonts: serif, sans and latin must be named")
	}
	if s.PageWidthMM-s.MarginLeftMM-s.MarginRightMM < 50 {
		problems = append(problems, "the margins leave less than 50 mm for the text")
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// PointsPerMM converts millimetres to PostScript points.
const PointsPerMM = 72 / 25.4

// HeadingSize returns the size for a heading level (1-based); levels past
// the list use its last entry.
func (s *Style) HeadingSize(level int) float64 {
	if level-1 < len(s.HeadingSizes) {
		return s.HeadingSizes[level-1]
	}
	return s.HeadingSizes[len(s.HeadingSizes)-1]
}
