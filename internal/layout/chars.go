package layout

import (
	"strconv"
	"unicode"
)

// class is what the line breaker and the punctuation rules need to know
// about a character. The tables follow docs/typesetting.md §1.2, §1.3
// and §2.1, after GB/T 15834-2011 §5 and W3C clreq.
type class uint8

const (
	clsHan        class = iota // ideographs, kana, full-width symbols: break on both sides
	clsOpen                    // “‘（《…: ink in the right half, blank left half
	clsClose                   // ”’）》…: ink in the left half, blank right half
	clsPause                   // ，、；：: blank right half, squeezable (clreq §3.5.3)
	clsStop                    // 。．: blank right half, not squeezed by default
	clsQEx                     // ？！: blank right half, not squeezed by default
	clsInterpunct              // ·: fixed half-em cell, centred (clreq §3.1.6.1)
	clsDash                    // — (drawn as a continuous run of 1-em cells)
	clsEllipsis                // … (1-em cells, never split from each other)
	clsNoStart                 // ～ ％ ‰ ℃ and the like: Han-like, but never start a line
	clsPrefix                  // ￥ ＄ ￡: full width, glued to the number that follows
	clsLatin                   // letters, digits and Western punctuation
	clsNoteRef                 // a footnote reference mark
)

// cjkPunct classifies the full-width marks (GB 15834 §5.1; docs/typesetting.md
// §2.1).
var cjkPunct = map[rune]class{
	'“': clsOpen, '‘': clsOpen, '（': clsOpen, '〔': clsOpen, '［': clsOpen, '｛': clsOpen,
	'〈': clsOpen, '《': clsOpen, '「': clsOpen, '『': clsOpen, '【': clsOpen, '〖': clsOpen,
	'〘': clsOpen, '〚': clsOpen, '〝': clsOpen, '｟': clsOpen,
	'”': clsClose, '’': clsClose, '）': clsClose, '〕': clsClose, '］': clsClose, '｝': clsClose,
	'〉': clsClose, '》': clsClose, '」': clsClose, '』': clsClose, '】': clsClose, '〗': clsClose,
	'〙': clsClose, '〛': clsClose, '〞': clsClose, '〟': clsClose, '｠': clsClose,
	'，': clsPause, '、': clsPause, '；': clsPause, '：': clsPause,
	'。': clsStop, '．': clsStop,
	'？': clsQEx, '！': clsQEx,
	'·': clsInterpunct, '・': clsInterpunct, '‧': clsInterpunct,
	'—': clsDash, '⸺': clsDash, '⸻': clsDash,
	'…': clsEllipsis, '⋯': clsEllipsis,
	// Connectors and postfix signs: never at a line start (docs/typesetting.md
	// §1.2).
	'～': clsNoStart, '〜': clsNoStart, '％': clsNoStart, '‰': clsNoStart, '‱': clsNoStart,
	'℃': clsNoStart, '℉': clsNoStart, '°': clsNoStart, '′': clsNoStart, '″': clsNoStart,
	'／': clsNoStart, '–': clsNoStart,
	// Prefix signs stay with their number (UAX #14 PR; docs/typesetting.md
	// §1.3).
	'￥': clsPrefix, '＄': clsPrefix, '￡': clsPrefix, '№': clsPrefix,
}

// latinNoStart and latinNoEnd are the Western marks that stay with their
// neighbour (UAX #14 classes CL/EX/IS/PO and OP/PR).
var latinNoStart = map[rune]bool{',': true, '.': true, ';': true, ':': true, '!': true, '?': true, ')': true, ']': true, '}': true, '%': true, '»': true}
var latinNoEnd = map[rune]bool{'(': true, '[': true, '{': true, '«': true, '$': true, '￥': true, '¥': true, '£': true, '€': true}

func classify(r rune) class {
	if c, ok := cjkPunct[r]; ok {
		return c
	}
	if isCJK(r) {
		return clsHan
	}
	return clsLatin
}

// isCJK reports whether r is set from the CJK face: ideographs, kana,
// CJK symbols, full-width forms and enclosed numbers.
func isCJK(r rune) bool {
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
	_, punct := cjkPunct[r]
	return punct
}

// noStart reports whether a line may not begin with c (docs/typesetting.md
// §1.2).
func noStart(c class, r rune) bool {
	switch c {
	case clsClose, clsPause, clsStop, clsQEx, clsInterpunct, clsNoStart, clsNoteRef, clsEllipsis:
		return true
	case clsLatin:
		return latinNoStart[r]
	}
	return false
}

// noEnd reports whether a line may not end with c (docs/typesetting.md §1.3).
func noEnd(c class, r rune) bool {
	switch c {
	case clsOpen, clsPrefix:
		return true
	case clsLatin:
		return latinNoEnd[r]
	}
	return r == '／'
}

// blankRight reports whether the mark's cell has a blank right half that may
// be trimmed at a line end or next to another mark (docs/typesetting.md §2.1).
func blankRight(c class) bool {
	return c == clsClose || c == clsPause || c == clsStop || c == clsQEx
}

// circled returns the footnote mark for the n-th note of a page: ①…㊿,
// then [51] … (docs/typesetting.md §5.5).
func circled(n int) string {
	switch {
	case n >= 1 && n <= 20:
		return string(rune(0x2460 + n - 1))
	case n >= 21 && n <= 35:
		return string(rune(0x3251 + n - 21))
	case n >= 36 && n <= 50:
		return string(rune(0x32B1 + n - 36))
	}
	return "[" + strconv.Itoa(n) + "]"
}
