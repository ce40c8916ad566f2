package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// newBook is what paiban init writes: metadata, front matter (a preface)
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

func runInit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: paiban init DIR

Starts a new book in DIR (created; it must not exist or be empty): book.yaml
with the title, author and chapter list, a preface and one chapter. Put DIR
under source/ and make builds it as out/DIR.pdf and out/DIR.epub.
`)
	}
	if status, done := parseFlags(fs, args, stdout); done {
		return status
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "paiban init: name one folder for the new book")
		return 2
	}
	dir := fs.Arg(0)
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		fmt.Fprintf(stderr, "paiban init: %s is not empty; choose a new folder\n", dir)
		return 1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "paiban init:", err)
		return 1
	}
	for _, f := range newBook {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, []byte(f.text), 0o644); err != nil {
			fmt.Fprintln(stderr, "paiban init:", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %s\n", path)
	}
	return 0
}
