package markdown

import (
	"fmt"
	"os"
	"path/filepath"
)

// newBook is what NewBook writes: metadata, front matter (a preface)
// and one chapter, each file a place to start typing.
var newBook = []struct{ name, text string }{
	{"book.yaml", `# The book's metadata (the same keys as a one-file book's front matter)
# and its chapters in reading order. Build it with: paiban build DIR
title: 书名
subtitle: 副标题
author: 作者
lang: zh-CN
chapters:
  - preface.md
  - chapter-01.md
`},
	{"preface.md", `# 前言

这里写前言。每段一行，段落之间空一行。
`},
	{"chapter-01.md", `# 第一章

## 一、第一节

正文段落。引文之后加注释。[^1]

[^1]: 注释文字。
`},
}

// NewBook starts a book in dir, which must not exist or be empty (paiban
// init): book.yaml with the title, author and chapter list, a preface and
// one chapter. It returns the files it wrote.
func NewBook(dir string) ([]string, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty; choose a new folder", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range newBook {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, []byte(f.text), 0o644); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}
