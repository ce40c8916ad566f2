package markdown

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// cjkEmphasisParser replaces goldmark's emphasis parser for * and _ with
// one following the CJK-friendly amendment to CommonMark
// (github.com/tats-u/markdown-cjk-friendly, specification.md): plain
// CommonMark does not let a delimiter run open or close when a Chinese
// punctuation mark is inside it and a Han character outside, so that
// **“新质生产力”**是 and **注意：**正文 stay literal. Only the flanking
// rule differs; goldmark's delimiter machinery does the matching.
type cjkEmphasisParser struct{}

// Trigger implements parser.InlineParser.
func (cjkEmphasisParser) Trigger() []byte { return []byte{'*', '_'} }

// Parse implements parser.InlineParser, as goldmark's emphasisParser does.
func (cjkEmphasisParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	before, beforeVS := precedingRunes(block, segment.Start)
	node := scanDelimiter(line, before, beforeVS)
	if node == nil {
		return nil
	}
	node.Segment = segment.WithStop(segment.Start + node.OriginalLength)
	block.Advance(node.OriginalLength)
	pc.PushDelimiter(node)
	return node
}

// precedingRunes returns the character before the delimiter run and, when
// that is a variation selector, the character the selector modifies, which
// the amendment looks through (数︀**…**).
func precedingRunes(block text.Reader, start int) (before, base rune) {
	before = block.PrecendingCharacter()
	base = before
	if isVS(before) {
		src := block.Source()
		i := start - utf8.RuneLen(before)
		if i > 0 && i <= len(src) {
			base, _ = utf8.DecodeLastRune(src[:i])
		}
	}
	return before, base
}

// emphasisProcessor pairs * with * and _ with _, as goldmark's does.
type emphasisProcessor struct{}

func (emphasisProcessor) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (emphasisProcessor) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisProcessor) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

// scanDelimiter is goldmark's parser.ScanDelimiter with the amended
// definitions of left- and right-flanking runs. before is the character
// before the run and base the one a variation selector before the run
// belongs to (else before).
func scanDelimiter(line []byte, before, base rune) *parser.Delimiter {
	if len(line) == 0 || (line[0] != '*' && line[0] != '_') {
		return nil
	}
	c := line[0]
	j := 0
	for j < len(line) && line[j] == c {
		j++
	}
	after := ' ' // the end of the line counts as whitespace
	if j < len(line) {
		after, _ = utf8.DecodeRune(line[j:])
	}

	beforeSpace := util.IsSpaceRune(before)
	afterSpace := util.IsSpaceRune(after)
	// A "sequence" is a character optionally followed by a non-emoji
	// variation selector: look through the selector at its base.
	beforeNonCJKPunct := util.IsPunctRune(base) && !cjkFriendly(base)
	beforeCJK := cjkFriendly(base)
	afterNonCJKPunct := util.IsPunctRune(after) && !cjkFriendly(after)

	left := !afterSpace && (!afterNonCJKPunct ||
		beforeSpace || beforeNonCJKPunct || beforeCJK || isIVS(before))
	right := !beforeSpace && (!beforeNonCJKPunct ||
		afterSpace || afterNonCJKPunct || cjkFriendly(after))

	canOpen, canClose := left, right
	if c == '_' {
		canOpen = left && (!right || util.IsPunctRune(base))
		canClose = right && (!left || util.IsPunctRune(after))
	}
	return parser.NewDelimiter(canOpen, canClose, j, c, emphasisProcessor{})
}

// isCJK is the amendment's "CJK character": East Asian Width W, F or H and
// not an emoji shown as such by default, or Hangul. Emoji are told apart
// by block: the wide symbols below U+2E80 and from U+1F000 on are emoji
// (⌚, ☕, 🀄, 😀), while the CJK blocks hold none that present as emoji.
func cjkFriendly(r rune) bool {
	if unicode.Is(unicode.Hangul, r) {
		return true
	}
	switch util.EastAsianWidth(r) {
	case "W", "F", "H":
	default:
		return false
	}
	emoji := (r >= 0x2300 && r < 0x2E80) || (r >= 0x1F000 && r < 0x20000)
	return !emoji
}

// isVS reports a variation selector of the Variation Selectors block other
// than the emoji presentation selector U+FE0F.
func isVS(r rune) bool { return r >= 0xFE00 && r <= 0xFE0E }

// isIVS reports an ideographic variation selector.
func isIVS(r rune) bool { return r >= 0xE0100 && r <= 0xE01EF }
