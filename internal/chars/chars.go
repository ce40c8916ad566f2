// Package chars says what kind of character a rune is, as Chinese
// typesetting needs to know: the classes of the punctuation marks, which
// characters may not start or end a line, which are set from the CJK face,
// which make a sentence Chinese. Each rule is defined once, here, as a
// table or a small function with its source in docs/typesetting.md; the
// layout, the EPUB writer, the fonts and lint ask this package. (The
// Markdown reader's two width rules stay with goldmark's width table;
// docs/typesetting.md §4.6 says why.)
package chars

import (
	"unicode"
)

// Class is what line breaking and punctuation spacing need to know about
// a character. The classes follow docs/typesetting.md §1.2, §1.3 and
// §2.1, after GB/T 15834-2011 §5 and W3C clreq.
type Class uint8

const (
	Han        Class = iota // ideographs, kana, full-width symbols: break on both sides
	Open                    // “‘（《…: ink in the right half, blank left half
	Close                   // ”’）》…: ink in the left half, blank right half
	Pause                   // ，、；：: blank right half, squeezable (clreq §3.5.3)
	Stop                    // 。．: blank right half, not squeezed by default
	QEx                     // ？！: blank right half, not squeezed by default
	Interpunct              // ·: fixed half-em cell, centred (clreq §3.1.6.1)
	Dash                    // — (drawn as a continuous run of 1-em cells)
	Ellipsis                // … (1-em cells, never split from each other)
	NoStart                 // ～ ％ ‰ ℃ and the like: Han-like, but never start a line
	Prefix                  // ￥ ＄ ￡: full width, glued to the number that follows
	Latin                   // letters, digits and Western punctuation
	// NoteRef is a footnote reference mark in the text (①). No character
	// has it: the layout gives it to the marks it sets, and like a closing
	// mark it never starts a line (docs/typesetting.md §1.2).
	NoteRef
)

// marks classifies the full-width marks (GB/T 15834 §5.1;
// docs/typesetting.md §2.1).
var marks = map[rune]Class{
	'“': Open, '‘': Open, '（': Open, '〔': Open, '［': Open, '｛': Open,
	'〈': Open, '《': Open, '「': Open, '『': Open, '【': Open, '〖': Open,
	'〘': Open, '〚': Open, '〝': Open, '｟': Open,
	'”': Close, '’': Close, '）': Close, '〕': Close, '］': Close, '｝': Close,
	'〉': Close, '》': Close, '」': Close, '』': Close, '】': Close, '〗': Close,
	'〙': Close, '〛': Close, '〞': Close, '〟': Close, '｠': Close,
	'，': Pause, '、': Pause, '；': Pause, '：': Pause,
	'。': Stop, '．': Stop,
	'？': QEx, '！': QEx,
	'·': Interpunct, '・': Interpunct, '‧': Interpunct,
	'—': Dash, '⸺': Dash, '⸻': Dash,
	'…': Ellipsis, '⋯': Ellipsis,
	// Connectors and postfix signs: never at a line start
	// (docs/typesetting.md §1.2).
	'～': NoStart, '〜': NoStart, '％': NoStart, '‰': NoStart, '‱': NoStart,
	'℃': NoStart, '℉': NoStart, '°': NoStart, '′': NoStart, '″': NoStart,
	'／': NoStart, '–': NoStart,
	// Prefix signs stay with their number (UAX #14 PR;
	// docs/typesetting.md §1.3).
	'￥': Prefix, '＄': Prefix, '￡': Prefix, '№': Prefix,
}

// latinNoStart and latinNoEnd are the Western marks that stay with their
// neighbour (UAX #14 classes CL/EX/IS/PO and OP/PR; docs/typesetting.md
// §1.2, §1.3).
var latinNoStart = map[rune]bool{',': true, '.': true, ';': true, ':': true, '!': true, '?': true, ')': true, ']': true, '}': true, '%': true, '»': true}
var latinNoEnd = map[rune]bool{'(': true, '[': true, '{': true, '«': true, '$': true, '￥': true, '¥': true, '£': true, '€': true}

// Of returns r's class.
func Of(r rune) Class {
	if c, ok := marks[r]; ok {
		return c
	}
	if CJK(r) {
		return Han
	}
	return Latin
}

// CJK reports whether r is set from the CJK face rather than the Latin
// one: ideographs, kana, CJK symbols, full-width forms, enclosed numbers
// and the full-width marks, “ ” ‘ ’ among them (docs/typesetting.md §4.2,
// §4.5).
func CJK(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return true
	case r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0xFF00 && r <= 0xFFEF, // half- and full-width forms
		r >= 0x2460 && r <= 0x24FF, // enclosed alphanumerics (①)
		r >= 0x3200 && r <= 0x32FF, // enclosed CJK
		r >= 0x2E80 && r <= 0x2FDF, // radicals
		r >= 0x25A0 && r <= 0x25FF: // geometric shapes (□ ○)
		return true
	}
	_, mark := marks[r]
	return mark
}

// NeverStarts reports whether a line may not begin with r of class c
// (docs/typesetting.md §1.2). The class is the caller's: a ’ between
// Latin letters is an apostrophe, of class Latin.
func NeverStarts(c Class, r rune) bool {
	switch c {
	case Close, Pause, Stop, QEx, Interpunct, NoStart, NoteRef, Ellipsis:
		return true
	case Latin:
		return latinNoStart[r]
	}
	return false
}

// NeverEnds reports whether a line may not end with r of class c
// (docs/typesetting.md §1.3).
func NeverEnds(c Class, r rune) bool {
	switch c {
	case Open, Prefix:
		return true
	case Latin:
		return latinNoEnd[r]
	}
	return r == '／'
}

// BlankRight reports whether a mark of class c has a blank right half
// that may be trimmed at a line end or next to another mark
// (docs/typesetting.md §2.1).
func BlankRight(c Class) bool {
	return c == Close || c == Pause || c == Stop || c == QEx
}

// NumberSign reports whether r is a Latin sign that stays with a number
// before or after it: UAX #14 classes PR and PO (LineBreak.txt) among the
// Latin characters; the full-width ones (％ ‰ ℃ ￥) are set as CJK
// (docs/typesetting.md §4.1).
func NumberSign(r rune) bool {
	switch r {
	case '%', '$', '£', '¥', '€', '¢', '+', '±':
		return true
	}
	return false
}

// Ideograph reports whether r is a CJK unified ideograph that UAX #14
// classes ID (LineBreak.txt: 3400..4DBF, 4E00..9FFF).
func Ideograph(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF
}

// IsHan reports whether r is a Han character (Unicode script Han): what
// the Han–Latin gap and the rules about typed spaces speak of
// (docs/typesetting.md §4.1).
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Chinese reports whether r makes the sentence around it Chinese, for
// lint's rules about half-width marks and straight quotes: Han, a mark of
// the CJK symbols or full-width forms, or a mark Chinese shares with
// Western text (“ ” ‘ ’ … — ·), which Chinese sets full width
// (docs/typesetting.md §4.5, §4.6).
func Chinese(r rune) bool {
	switch r {
	case '“', '”', '‘', '’', '…', '—', '·':
		return true
	}
	return IsHan(r) || (r >= 0x3001 && r <= 0x303F) || (r >= 0xFF01 && r <= 0xFF60)
}

// Pairs maps the opening half of each paired mark an editor checks to its
// closing half: the quotation marks (引号), brackets (括号) and title
// marks (书名号) of GB/T 15834, which lint checks are closed within a
// paragraph (docs/typesetting.md §4.6).
var Pairs = map[rune]rune{'“': '”', '‘': '’', '《': '》', '（': '）', '「': '」', '『': '』', '【': '】', '〈': '〉'}

// Punctuation lists the full-width marks of docs/typesetting.md §2.1
// whose widths the layout adjusts by their ink; every Chinese face of the
// EPUB carries them (§7.2).
const Punctuation = "，。、；：？！．“”‘’（）《》〈〉「」『』【】〔〕〖〗［］｛｝·—…～／"

// unshapedScripts are the scripts whose letters change form with their
// neighbours or are written right to left, which the PDF, drawing one
// glyph per character left to right, cannot set as written (fonts/README.md,
// Fallback). The EPUB leaves shaping to the reader's engine.
var unshapedScripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Arabic (Uyghur)", unicode.Arabic},
	{"Hebrew", unicode.Hebrew},
	{"Syriac", unicode.Syriac},
	{"Thaana", unicode.Thaana},
	{"Mongolian", unicode.Mongolian},
	{"Tibetan", unicode.Tibetan},
	{"Devanagari", unicode.Devanagari},
	{"Bengali", unicode.Bengali},
	{"Tamil", unicode.Tamil},
	{"Myanmar", unicode.Myanmar},
	{"Khmer", unicode.Khmer},
}

// unshapedBlocks marks the 256-code-point blocks that hold a letter of
// one of unshapedScripts: one look-up passes over the rest (Han among
// them) instead of a search of eleven tables.
var unshapedBlocks = func() []bool {
	var blocks []bool
	mark := func(lo, hi uint32) {
		for b := lo >> 8; b <= hi>>8; b++ {
			for int(b) >= len(blocks) {
				blocks = append(blocks, false)
			}
			blocks[b] = true
		}
	}
	for _, s := range unshapedScripts {
		for _, r := range s.table.R16 {
			mark(uint32(r.Lo), uint32(r.Hi))
		}
		for _, r := range s.table.R32 {
			mark(r.Lo, r.Hi)
		}
	}
	return blocks
}()

// Unshaped names the script of r when the PDF cannot set it as written,
// "" otherwise.
func Unshaped(r rune) string {
	if r < 0x0590 { // below Hebrew: Latin, Greek, Cyrillic, Armenian
		return ""
	}
	if b := int(r >> 8); b >= len(unshapedBlocks) || !unshapedBlocks[b] {
		return ""
	}
	for _, s := range unshapedScripts {
		if unicode.Is(s.table, r) {
			return s.name
		}
	}
	return ""
}
