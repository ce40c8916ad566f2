package epub

import (
	"bytes"
	"encoding/xml"
	"io"
	"runtime/debug"
	"strings"
	"testing"
)

// goepubVersion is the version of go-epub this binary was built with.
func goepubVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/go-shiori/go-epub" {
				if d.Replace != nil {
					d = d.Replace
				}
				return d.Version
			}
		}
	}
	return "(version unknown)"
}

// TestGoEPUB pins what the adapter (goepub.go) relies on in go-epub's
// output, so that an upgrade that changes it fails here with a message
// saying what changed, rather than somewhere in a build: the entries'
// names, the manifest, the spine, each font and image written as given,
// and each content document's placeholder once in go-epub's page, which
// paiban's own document, well-formed and with its language, replaces.
func TestGoEPUB(t *testing.T) {
	v := goepubVersion()
	d := sampleBook()
	b := &book{doc: d, opt: options(t), lang: "zh-CN", id: identifier(d.Meta)}
	if err := b.prepare(); err != nil {
		t.Fatal(err)
	}
	zipped, err := b.assemble()
	if err != nil {
		t.Fatalf("go-epub %s: %v", v, err)
	}
	c, err := readContainer(zipped)
	if err != nil {
		t.Fatalf("go-epub %s no longer writes the container the adapter reads: %v", v, err)
	}
	for _, name := range []string{packagePath, navPath, ncxPath} {
		if c.files[name] == nil {
			t.Errorf("go-epub %s no longer writes %s", v, name)
		}
	}
	if err := c.check(b.expectedFiles()); err != nil {
		t.Fatalf("go-epub %s: the files or the manifest changed: %v", v, err)
	}
	// The spine is the sections in the order they were added.
	idOf := map[string]string{}
	for _, it := range c.items {
		idOf[it.Href] = it.ID
	}
	var want, got []string
	for _, s := range b.spine() {
		want = append(want, idOf["xhtml/"+s])
	}
	for _, v := range b.views {
		want = append(want, idOf["xhtml/"+v.name])
	}
	for _, it := range c.spine.Items {
		got = append(got, it.IDRef)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || c.spine.Direction != "" {
		t.Errorf("go-epub %s writes the spine %q (direction %q), want the sections in the order added: %q", v, got, c.spine.Direction, want)
	}
	// Each content document holds its placeholder once; paiban's own
	// document takes its place.
	if err := c.fill(b.binaries(), b.documents()); err != nil {
		t.Fatalf("go-epub %s no longer writes the files as given: %v", v, err)
	}
	for name, data := range c.files {
		if !strings.HasPrefix(name, xhtmlDir) {
			continue
		}
		if !bytes.Contains(data, []byte(`<html lang="zh-CN" xml:lang="zh-CN"`)) {
			t.Errorf("%s has no language", name)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		dec.Strict = true
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s is not well-formed: %v", name, err)
				break
			}
		}
	}
}
