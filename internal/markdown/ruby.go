package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// rubyNode is a ruby annotation {base|annotation} in the goldmark tree.
type rubyNode struct {
	ast.BaseInline
	Base, Annotation string
}

var kindRuby = ast.NewNodeKind("Ruby")

// Kind implements ast.Node.
func (*rubyNode) Kind() ast.NodeKind { return kindRuby }

// Dump implements ast.Node.
func (n *rubyNode) Dump(source []byte, level int) {
	fmt.Printf("%sRuby: %q|%q\n", strings.Repeat("    ", level), n.Base, n.Annotation)
}

// rubyParser reads {汉字|hàn zì}: a base and an annotation, both plain
// text on one line, neither empty. Anything else that starts with { (an
// unclosed brace, {汉字|}, {a}) is left as the text it is, since braces
// are ordinary characters in prose; \{ is always a literal brace.
type rubyParser struct{}

// Trigger implements parser.InlineParser.
func (rubyParser) Trigger() []byte { return []byte{'{'} }

// Parse implements parser.InlineParser.
func (rubyParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	// The first brace, backslash or line end after the "{": a "}" ends
	// the ruby, anything else spoils it. Looking only that far keeps a
	// line of 200,000 "{字" linear (looking for "}" from each "{" was
	// not).
	end := bytes.IndexAny(line[1:], "{}\\\n\r") + 1
	if end == 0 || line[end] != '}' {
		return nil
	}
	inner := line[1:end]
	bar := bytes.IndexByte(inner, '|')
	if bar < 0 {
		return nil
	}
	base := string(bytes.TrimSpace(inner[:bar]))
	ann := strings.Join(strings.Fields(string(inner[bar+1:])), " ")
	if base == "" || ann == "" || strings.Contains(ann, "|") || !utf8.ValidString(base+ann) {
		return nil
	}
	block.Advance(end + 1)
	n := &rubyNode{Base: base, Annotation: ann}
	n.SetPos(seg.Start)
	return n
}
