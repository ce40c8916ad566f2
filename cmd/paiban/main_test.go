package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestHelpAndUsageErrors(t *testing.T) {
	cases := []struct {
		args      []string
		status    int
		stdoutHas string
		stderrHas string
	}{
		{[]string{"--help"}, 0, "paiban build [flags] BOOK.md", ""},
		{[]string{"help", "build"}, 0, "-format formats", ""},
		{[]string{"build", "--help"}, 0, "-style style", ""},
		{nil, 2, "", "Usage:"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"build"}, 2, "", "name at least one book"},
		{[]string{"build", "--bogus", "x.md"}, 2, "", "flag provided but not defined: -bogus"},
		{[]string{"build", "--styles", "../../styles", "--style", "a3-poster", "x.md"}, 1, "", `unknown style "a3-poster": the styles are a4-handout, a5-book`},
		{[]string{"build", "--format", "docx", "x.md"}, 1, "", `unknown format "docx"`},
		{[]string{"build", "a/index.md", "b/index.md"}, 2, "", "a/index.md and b/index.md would both be written as out/index.pdf and .epub"},
		{[]string{"build", "-o", "o", "a.md", "a"}, 2, "", "a.md and a would both be written as o/a.pdf and .epub"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		got := run(c.args, &stdout, &stderr)
		if got != c.status || !strings.Contains(stdout.String(), c.stdoutHas) || !strings.Contains(stderr.String(), c.stderrHas) {
			t.Errorf("paiban %v: status %d, stdout %q, stderr %q; want status %d, stdout with %q, stderr with %q",
				c.args, got, stdout.String(), stderr.String(), c.status, c.stdoutHas, c.stderrHas)
		}
		// The usage is printed once, on one stream.
		if n := strings.Count(stdout.String()+stderr.String(), "Usage:"); n > 1 {
			t.Errorf("paiban %v prints its usage %d times", c.args, n)
		}
	}
}
